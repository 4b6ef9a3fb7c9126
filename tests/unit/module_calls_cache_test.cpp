// The module-calls cache of `--changed` (linter/engine/module_calls_cache.hpp) and the file
// bytes it is read into (Reader::read_bytes): the cache file is searched in place, so these pin
// what the per-entry map it replaced did: the last line for a key wins, malformed lines are
// dropped, and save() writes the used and added entries sorted, or nothing when nothing changed.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "linter/engine/module_calls_cache.hpp"
#include "linter/source/reader.hpp"
#include "linter/source/sha1.hpp"

using namespace tagwarden;
namespace fs = std::filesystem;

namespace {

ContentKey key(std::string_view content, bool json = false) { return ContentKey{git_blob_sha1(content), json}; }
std::string line(const ContentKey& k, std::string_view rest) {
  return to_hex(k.object) + (k.json ? "j" : "t") + std::string(rest) + "\n";
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tw-calls-cache-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::vector<std::string> found(ModuleCallsCache& cache, const ContentKey& k) {
  std::vector<std::string> sources{"left over"};
  if (!cache.find(k, sources)) return {"<unknown>"};
  return sources;
}

}  // namespace

TEST_CASE("module-calls cache: lines are found by content; the last line for a content wins") {
  TempDir dir;
  auto a = key("a"), b = key("b"), c = key("c"), a_json = key("a", true);
  std::string file = (dir.path / "calls").string();
  // Out of order, a duplicate, a malformed key, a line without sources and a truncated last line.
  std::ofstream(file, std::ios::binary) << "tagwarden module-calls 1\n"
                                        << line(b, "\t../b1") << line(a, "\t./x\t../y") << "not-a-key\t../z\n"
                                        << line(b, "\t../b2") << line(a_json, "") << line(c, "\t").substr(0, 30);
  auto reader = make_disk_reader();
  ModuleCallsCache cache(*reader, file);
  CHECK(found(cache, a) == std::vector<std::string>{"./x", "../y"});
  CHECK(found(cache, a_json).empty());
  CHECK(found(cache, b) == std::vector<std::string>{"../b2"});
  CHECK(found(cache, c) == std::vector<std::string>{"<unknown>"});
  cache.put(c, {"../c"});
  CHECK(found(cache, c) == std::vector<std::string>{"../c"});
  cache.put(key("tab"), {"a\tb"});  // not storable: not kept
  CHECK(found(cache, key("tab")) == std::vector<std::string>{"<unknown>"});
  cache.save();
  // Sorted by object name, JSON before HCL for the same content; every entry was used.
  std::vector<std::string> lines{line(a_json, ""), line(a, "\t./x\t../y"), line(b, "\t../b2"), line(c, "\t../c")};
  std::sort(lines.begin(), lines.end(),
            [](const std::string& x, const std::string& y) { return x.substr(0, 41) < y.substr(0, 41); });
  std::string want = "tagwarden module-calls 1\n";
  for (const auto& l : lines) want += l;
  CHECK(slurp(file) == want);
}

TEST_CASE("module-calls cache: every entry is found, and no other key, however the names are spread") {
  // find() compares the first 8 bytes of names as numbers before the rest: pinned on spread
  // names, on names that share their first bytes (crowded at either end or in the middle, as a
  // hand-edited file may have them), on one entry and on none; sizes around powers of two.
  auto crowded = [](std::uint8_t first, std::size_t i) {
    ContentKey k = key("crowded " + std::to_string(i));
    k.object[0] = first;
    k.object[1] = static_cast<std::uint8_t>(first == 0x80 ? (i & 1) : first);
    return k;
  };
  for (std::size_t n : {0u, 1u, 2u, 3u, 31u, 32u, 33u, 1000u, 4097u}) {
    for (int shape = 0; shape < 4; ++shape) {
      TempDir dir;
      std::string file = (dir.path / "calls").string();
      std::vector<ContentKey> in, out;
      for (std::size_t i = 0; i < n; ++i) {
        in.push_back(shape == 0 ? key("spread " + std::to_string(i), i % 3 == 0)
                                : crowded(shape == 1   ? 0x00
                                          : shape == 2 ? 0xff
                                                       : 0x80,
                                          i));
      }
      for (std::size_t i = 0; i < 300; ++i) out.push_back(key("absent " + std::to_string(i)));
      for (std::size_t i = 0; i < 20; ++i) out.push_back(crowded(0x80, n + i));  // between the crowded ones
      out.push_back(ContentKey{Sha1{}, false});
      Sha1 top;
      top.fill(0xff);
      out.push_back(ContentKey{top, false});
      std::vector<ContentKey> sorted = in;
      std::sort(sorted.begin(), sorted.end(), ContentKeyLess{});
      std::string text = "tagwarden module-calls 1\n";
      for (std::size_t i = 0; i < sorted.size(); ++i) text += line(sorted[i], "\t../m" + to_hex(sorted[i].object));
      std::ofstream(file, std::ios::binary) << text;
      auto reader = make_disk_reader();
      ModuleCallsCache cache(*reader, file);
      std::size_t wrong = 0;
      for (const auto& k : in) wrong += found(cache, k) != std::vector<std::string>{"../m" + to_hex(k.object)};
      for (const auto& k : out) {
        if (std::find(in.begin(), in.end(), k) == in.end())
          wrong += found(cache, k) != std::vector<std::string>{"<unknown>"};
      }
      INFO("entries " << n << ", shape " << shape);
      CHECK(wrong == 0);
    }
  }
}

TEST_CASE("module-calls cache: save() keeps used and added entries, and writes nothing when nothing changed") {
  TempDir dir;
  auto a = key("a"), b = key("b"), c = key("c");
  std::string file = (dir.path / "calls").string();
  auto reader = make_disk_reader();
  std::string unsorted = "tagwarden module-calls 1\n" + line(b, "\t../b") + line(a, "\t../a");
  std::ofstream(file, std::ios::binary) << unsorted;
  {
    ModuleCallsCache cache(*reader, file);
    CHECK(found(cache, a) == std::vector<std::string>{"../a"});
    CHECK(found(cache, b) == std::vector<std::string>{"../b"});
    cache.save();  // all used, none added: the file stays as it was
  }
  CHECK(slurp(file) == unsorted);
  {
    ModuleCallsCache cache(*reader, file);
    CHECK(found(cache, b) == std::vector<std::string>{"../b"});
    cache.put(c, {});
    cache.put(a, {"../new"});  // replaces the unused line read for the same content
    cache.save();
  }
  // Sorted by object name (distinct contents here, so whole lines sort the same way).
  std::vector<std::string> lines{line(a, "\t../new"), line(b, "\t../b"), line(c, "")};
  std::sort(lines.begin(), lines.end());
  std::string want = "tagwarden module-calls 1\n";
  for (const auto& l : lines) want += l;
  CHECK(slurp(file) == want);
  {
    ModuleCallsCache cache(*reader, file);
    CHECK(found(cache, b) == std::vector<std::string>{"../b"});
    cache.save();  // a and c went unused: dropped
  }
  CHECK(slurp(file) == "tagwarden module-calls 1\n" + line(b, "\t../b"));
}

TEST_CASE("module-calls cache: a missing file, another header or an empty file is an empty cache") {
  TempDir dir;
  auto reader = make_disk_reader();
  std::string file = (dir.path / "calls").string();
  for (std::string text :
       {std::string("<missing>"), std::string(""), std::string("tagwarden module-calls 2\n") + line(key("a"), "\t../a"),
        std::string("tagwarden module-calls 1")}) {
    CAPTURE(text);
    fs::remove(file);
    if (text != "<missing>") std::ofstream(file, std::ios::binary) << text;
    ModuleCallsCache cache(*reader, file);
    CHECK(found(cache, key("a")) == std::vector<std::string>{"<unknown>"});
  }
}

TEST_CASE("read_bytes: the same bytes as read(), small or mapped, and the same refusals") {
  TempDir dir;
  auto reader = make_disk_reader();
  std::string small = "small file\n", big;
  for (int i = 0; big.size() < (300u << 10); ++i) big += "line " + std::to_string(i) + "\n";
  std::ofstream((dir.path / "small").string(), std::ios::binary) << small;
  std::ofstream((dir.path / "big").string(), std::ios::binary) << big;
  std::ofstream((dir.path / "empty").string(), std::ios::binary) << "";
  for (const char* name : {"small", "big", "empty"}) {
    CAPTURE(name);
    std::string path = (dir.path / name).string(), err;
    auto text = reader->read(path, &err);
    auto bytes = reader->read_bytes(path, &err);
    REQUIRE(text);
    REQUIRE(bytes);
    CHECK(bytes->view() == *text);
    FileBytes moved = std::move(*bytes);  // moving keeps the bytes where they are
    CHECK(moved.view() == *text);
  }
  std::string err;
  CHECK_FALSE(reader->read_bytes((dir.path / "missing").string(), &err));
  CHECK(err == "no such file");
  CHECK_FALSE(reader->read_bytes(dir.path.string(), &err));
  CHECK(err == "is a directory");
  MemoryReader memory;
  memory.add("f", "in memory");
  auto held = memory.read_bytes("f", &err);
  REQUIRE(held);
  CHECK(held->view() == "in memory");
}

TEST_CASE("read_tail: the last bytes of a file, without the rest; the whole of a shorter one") {
  TempDir dir;
  auto reader = make_disk_reader();
  std::string big;
  for (int i = 0; big.size() < (300u << 10); ++i) big += "line " + std::to_string(i) + "\n";
  std::ofstream((dir.path / "big").string(), std::ios::binary) << big;
  std::string err;
  CHECK(reader->read_tail((dir.path / "big").string(), 20, &err) == big.substr(big.size() - 20));
  CHECK(reader->read_tail((dir.path / "big").string(), big.size() + 5, &err) == big);
  CHECK_FALSE(reader->read_tail((dir.path / "missing").string(), 20, &err));
  CHECK(err == "no such file");
  CHECK_FALSE(reader->read_tail(dir.path.string(), 20, &err));
  CHECK(err == "is a directory");
  MemoryReader memory;
  memory.add("f", "in memory");
  CHECK(memory.read_tail("f", 6, &err) == "memory");
  CHECK(memory.read_tail("f", 60, &err) == "in memory");
}
