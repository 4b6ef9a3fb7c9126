// Reading a git index without git (linter/source/git_index.hpp): what `--changed` lists a
// monorepo's Terraform files from. Indexes here are built byte by byte after git's
// Documentation/gitformat-index.txt; tests/changed_git_index_test.sh checks real git's.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "linter/source/git_index.hpp"
#include "linter/source/sha1.hpp"

using namespace tagwarden;

namespace {

void put32(std::string& out, std::uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xff));
}
void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

struct IndexEntry {
  std::string path;
  std::uint32_t mode = 0100644;
  std::uint16_t stage = 0;
  bool skip_worktree = false;
};

Sha1 object_of(const std::string& path) { return git_blob_sha1(path); }

/// An index of `version` holding `entries` (in order), then `extension` and a 20-byte trailer.
std::string make_index(std::uint32_t version, const std::vector<IndexEntry>& entries,
                       const std::string& extension = "") {
  std::string out = "DIRC";
  put32(out, version);
  put32(out, static_cast<std::uint32_t>(entries.size()));
  std::string previous;
  for (const auto& e : entries) {
    std::size_t start = out.size();
    for (int i = 0; i < 6; ++i) put32(out, 0);  // ctime, mtime, dev, ino
    put32(out, e.mode);
    for (int i = 0; i < 3; ++i) put32(out, 0);  // uid, gid, size
    Sha1 o = object_of(e.path);
    out.append(reinterpret_cast<const char*>(o.data()), o.size());
    bool extended = e.skip_worktree;
    std::uint32_t flags = (extended ? 0x4000u : 0u) | static_cast<std::uint32_t>(e.stage) << 12 |
                          static_cast<std::uint32_t>(std::min<std::size_t>(e.path.size(), 0xfff));
    put16(out, static_cast<std::uint16_t>(flags));
    if (extended) put16(out, 0x4000);
    if (version == 4) {
      std::size_t common = 0;
      while (common < previous.size() && common < e.path.size() && previous[common] == e.path[common]) ++common;
      std::size_t drop = previous.size() - common;
      // git's offset varint: 7 bits per byte, most significant first, each continuation adds one.
      std::string bytes(1, static_cast<char>(drop & 127));
      while (drop >>= 7) bytes.insert(bytes.begin(), static_cast<char>(128 | (--drop & 127)));
      out += bytes + e.path.substr(common);
      out.push_back('\0');
    } else {
      out += e.path;
      do out.push_back('\0');
      while ((out.size() - start) % 8 != 0);
    }
    previous = e.path;
  }
  out += extension;
  out.append(20, '\0');
  return out;
}

std::vector<std::string> paths(const GitIndex& entries) {
  std::vector<std::string> out;
  for (const auto& e : entries) out.emplace_back(e.path);
  return out;
}

}  // namespace

TEST_CASE("sha1: FIPS 180 examples and git's object names") {
  CHECK(to_hex(sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(to_hex(sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(to_hex(sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(to_hex(sha1(std::string(1000000, 'a'))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // `git hash-object` of an empty file and of "hello\n".
  CHECK(to_hex(git_blob_sha1("")) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(to_hex(git_blob_sha1("hello\n")) == "ce013625030ba8dba906f756967f9e9ca394464a");
}

TEST_CASE("sha1_from_hex: reads back what to_hex writes, and nothing else") {
  for (const Sha1& d : {sha1(""), sha1("abc"), git_blob_sha1("hello\n"), Sha1{}}) CHECK(sha1_from_hex(to_hex(d)) == d);
  Sha1 all_ff;
  all_ff.fill(0xff);
  CHECK(sha1_from_hex(std::string(40, 'f')) == all_ff);
  const std::string good = to_hex(sha1("abc"));
  CHECK_FALSE(sha1_from_hex(good.substr(0, 39)));
  CHECK_FALSE(sha1_from_hex(good + "0"));
  CHECK_FALSE(sha1_from_hex(""));
  // One wrong character anywhere (first digit of a byte, second digit, the last) is refused:
  // upper case (to_hex writes lower case), letters past f, and bytes beyond ASCII.
  for (std::size_t at : {0u, 1u, 20u, 39u}) {
    for (char bad : {'A', 'F', 'g', 'G', ' ', '\0', static_cast<char>(0xe9), '/', ':', '`'}) {
      std::string text = good;
      text[at] = bad;
      CHECK_FALSE(sha1_from_hex(text));
    }
  }
}

TEST_CASE("sha1: the processor's SHA instructions and the portable code agree, split or whole") {
  // Every length around the block and padding boundaries, then longer texts, fed whole and in
  // uneven pieces (the state carries a partial block between updates).
  std::string text;
  std::uint32_t x = 12345;
  for (std::size_t i = 0; i < 5000; ++i) {
    x = x * 1103515245u + 12345u;
    text.push_back(static_cast<char>(x >> 16));
  }
  CAPTURE(sha1_uses_sha_instructions());
  for (std::size_t n = 0; n < 300; ++n) {
    CAPTURE(n);
    std::string_view t(text.data(), n);
    REQUIRE(sha1(t) == sha1_portable(t));
  }
  for (std::size_t n : {1000u, 4096u, 4097u, 5000u}) {
    std::string_view t(text.data(), n);
    CHECK(sha1(t) == sha1_portable(t));
    for (std::size_t cut : {1u, 63u, 64u, 65u, 130u}) CHECK(sha1(t.substr(0, cut), t.substr(cut)) == sha1_portable(t));
  }
  CHECK(to_hex(sha1_portable("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
}

TEST_CASE("git index: regular files are listed with their object names; links, submodules and sparse files are not") {
  std::vector<IndexEntry> entries = {
      {"a/main.tf"}, {"a/link.tf", 0120000}, {"b/exec.sh", 0100755}, {"vendor/sub", 0160000}, {"z.tf"}};
  for (std::uint32_t version : {2u, 3u, 4u}) {
    CAPTURE(version);
    std::string why;
    auto listed = read_git_index(make_index(version, entries), &why);
    REQUIRE(listed);
    CHECK(paths(*listed) == std::vector<std::string>{"a/main.tf", "b/exec.sh", "z.tf"});
    CHECK((*listed)[0].object == object_of("a/main.tf"));
    CHECK((*listed)[2].object == object_of("z.tf"));
  }
  IndexEntry sparse{"c/gone.tf"};
  sparse.skip_worktree = true;
  auto listed = read_git_index(make_index(3, {{"a.tf"}, sparse, {"d.tf"}}), nullptr);
  REQUIRE(listed);
  CHECK(paths(*listed) == std::vector<std::string>{"a.tf", "d.tf"});
}

TEST_CASE("git index version 4: names are rebuilt from the previous one") {
  std::vector<IndexEntry> entries = {{"namespaces/live/app-one/resources/main.tf"},
                                     {"namespaces/live/app-one/resources/variables.tf"},
                                     {"namespaces/live/app-two/main.tf"},
                                     {std::string(300, 'x') + "/long.tf"},
                                     {"short.tf"}};
  auto listed = read_git_index(make_index(4, entries), nullptr);
  REQUIRE(listed);
  std::vector<std::string> want;
  for (const auto& e : entries) want.push_back(e.path);
  CHECK(paths(*listed) == want);
}

TEST_CASE("git index: what cannot serve as a whole listing is refused, never misread") {
  std::string why;
  CHECK_FALSE(read_git_index("", &why));
  CHECK_FALSE(read_git_index("DIRC", &why));
  CHECK(why == "not a git index");
  std::string v5 = make_index(2, {{"a.tf"}});
  v5[7] = 5;
  CHECK_FALSE(read_git_index(v5, &why));
  CHECK(why == "unsupported git index version");
  IndexEntry conflict{"a.tf"};
  conflict.stage = 2;
  CHECK_FALSE(read_git_index(make_index(2, {conflict}), &why));
  CHECK(why == "git index has unresolved merge conflicts");
  CHECK_FALSE(read_git_index(make_index(2, {{"a.tf"}}, std::string("link") + std::string(4, '\0')), &why));
  CHECK(why == "split git index");
  CHECK_FALSE(read_git_index(make_index(3, {{"dir", 040000}}), &why));
  CHECK(why == "sparse git index");
  // An entry count the file cannot hold (found by git_index_fuzz: it was reserved up front).
  std::string huge = make_index(2, {{"a.tf"}});
  huge[8] = huge[9] = huge[10] = huge[11] = '\xff';
  CHECK_FALSE(read_git_index(huge, &why));
  CHECK(why == "truncated git index");
  // Version 4 names grow from the previous one: a name longer than PATH_MAX is refused.
  CHECK_FALSE(read_git_index(make_index(4, {{std::string(5000, 'a') + ".tf"}}), &why));
  CHECK(why == "git index names too long");
  // Every truncation of a valid index is refused or read without running past its end.
  std::string whole = make_index(4, {{"a/b/c.tf"}, {"a/b/d.tf"}, {"e.tf"}});
  for (std::size_t n = 0; n < whole.size(); ++n) (void)read_git_index(whole.substr(0, n), nullptr);
  std::string v2 = make_index(2, {{"a/b/c.tf"}, {"e.tf"}});
  for (std::size_t n = 0; n < v2.size(); ++n) (void)read_git_index(v2.substr(0, n), nullptr);
}

TEST_CASE("git index checksum: the one git writes at the end, or the whole file's when git skipped it") {
  // make_index ends with 20 zero bytes, as git writes with index.skipHash (git-config(1)).
  std::string skipped = make_index(2, {{"a.tf"}, {"b/c.tf"}});
  std::string summed = skipped.substr(0, skipped.size() - 20);
  Sha1 trailer = sha1(summed);
  summed.append(reinterpret_cast<const char*>(trailer.data()), trailer.size());
  MemoryReader reader;
  reader.add("skipped", skipped);
  reader.add("summed", summed);
  reader.add("short", "DIRC");
  CHECK(git_index_checksum(reader, "summed") == trailer);
  CHECK(git_index_checksum(reader, "skipped") == sha1(skipped));
  CHECK_FALSE(git_index_checksum(reader, "short"));
  CHECK_FALSE(git_index_checksum(reader, "missing"));
  // What a read index says is what the file's checksum is, both ways.
  CHECK(read_git_index(summed, nullptr)->checksum() == trailer);
  CHECK(read_git_index(skipped, nullptr)->checksum() == sha1(skipped));
}

TEST_CASE("git work tree: a .git folder, a .git file of a linked work tree, GIT_INDEX_FILE") {
  MemoryReader reader;
  reader.add("repo/.git/index", "x");
  reader.add("repo/.git/config", "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tobjectFormat = sha256\n");
  reader.add("repo/roots/a/main.tf", "");
  reader.add("wt/.git", "gitdir: /repo/.git/worktrees/wt\n");
  reader.add("repo/.git/worktrees/wt/index", "y");
  reader.add("repo/.git/worktrees/wt/commondir", "../..\n");
  reader.add("plain/main.tf", "");

  auto top = find_git_work_tree(reader, "/repo/roots/a", "", "/");
  REQUIRE(top);
  CHECK(top->top == "/repo");
  CHECK(top->index_path == "/repo/.git/index");
  CHECK(top->sha256);
  auto linked = find_git_work_tree(reader, "/wt", "", "/");
  REQUIRE(linked);
  CHECK(linked->index_path == "/repo/.git/worktrees/wt/index");
  CHECK(linked->sha256);  // the common dir's config
  auto hook = find_git_work_tree(reader, "/repo/roots", ".git/next-index.lock", "/repo");
  REQUIRE(hook);
  CHECK(hook->index_path == "/repo/.git/next-index.lock");
  CHECK_FALSE(find_git_work_tree(reader, "/plain", "", "/"));
}
