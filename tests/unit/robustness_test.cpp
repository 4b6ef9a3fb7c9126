// Issue 9 "Unbreakable": the file sandbox, special files, text encodings, the one UTF-8
// decoder, O(1) columns on long lines, indexed map lookups, unreadable folders and a worker that
// throws.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "linter/engine/check.hpp"
#include "linter/load/doc.hpp"
#include "linter/model/text.hpp"
#include "linter/source/source_manager.hpp"

using namespace tagwarden;

namespace {

/// A MemoryReader whose read() throws for one path: a bug inside a worker.
class ThrowingReader final : public Reader {
 public:
  explicit ThrowingReader(const MemoryReader& inner, std::string bad) : inner_(inner), bad_(std::move(bad)) {}
  std::optional<std::string> read(const std::string& path, std::string* error) const override {
    if (path_normalize(path) == bad_) throw std::runtime_error("simulated bug");
    return inner_.read(path, error);
  }
  bool is_file(const std::string& p) const override { return inner_.is_file(p); }
  bool is_dir(const std::string& p) const override { return inner_.is_dir(p); }
  std::vector<std::string> list_dir(const std::string& p, std::string* error = nullptr) const override {
    if (path_normalize(p) == unlistable_) {
      if (error) *error = "cannot read folder: Permission denied";
      return {};
    }
    return inner_.list_dir(p, error);
  }
  /// A folder that exists but cannot be listed (root ignores permissions, so a test cannot
  /// make one on disk).
  std::string unlistable_;
  bool is_symlink(const std::string& p) const override { return inner_.is_symlink(p); }
  std::optional<std::string> real_path(const std::string& p) const override { return inner_.real_path(p); }

 private:
  const MemoryReader& inner_;
  std::string bad_;
};

const char* kTemplate =
    R"({"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket"}}})";

}  // namespace

TEST_CASE("robustness: a worker that throws is an internal error (exit 3), the other files are still checked") {
  MemoryReader mem;
  mem.add("a.json", kTemplate);
  mem.add("b.json", kTemplate);
  ThrowingReader reader(mem, "a.json");
  CheckOptions options;
  options.run.paths = {"."};
  options.run.jobs = 2;
  SourceManager sources;
  CheckResult r = run_check(options, sources, reader);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].internal);
  CHECK(r.errors[0].message.find("simulated bug") != std::string::npos);
  CHECK(r.summary.resources_checked == 1);
  CHECK(exit_code(r, Level::kError) == 3);
}

TEST_CASE("robustness: an unreadable folder is an error naming it, the rest is still checked") {
  MemoryReader mem;
  mem.add("a.json", kTemplate);
  mem.add("locked/b.json", kTemplate);
  ThrowingReader reader(mem, "");
  reader.unlistable_ = "locked";
  CheckOptions options;
  options.run.paths = {"."};
  SourceManager sources;
  CheckResult r = run_check(options, sources, reader);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].file_hint == "locked");
  CHECK(r.errors[0].message == "cannot read folder: Permission denied; its files are not checked");
  CHECK(r.summary.resources_checked == 1);
  CHECK(exit_code(r, Level::kError) == 2);
}

TEST_CASE("robustness: the disk reader lists a missing folder or a file as empty, without an error") {
  auto reader = make_disk_reader();
  std::string why;
  CHECK(reader->list_dir("/nonexistent-tagwarden-folder", &why).empty());
  CHECK(reader->list_dir("/etc/hostname", &why).empty());
  CHECK(why.empty());
  CHECK(!reader->list_dir("/etc", &why).empty());
  CHECK(why.empty());
}

TEST_CASE("robustness: the disk reader tells each entry's kind while listing, as is_file / is_dir / is_symlink do") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tw-entries-" + std::to_string(::getpid()));
  fs::create_directories(dir / "sub");
  std::ofstream(dir / "main.tf") << "";
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);
  fs::create_directory_symlink(dir / "sub", dir / "link-dir");
  fs::create_symlink(dir / "main.tf", dir / "link-file");
  fs::create_symlink(dir / "gone", dir / "link-dangling");
  auto reader = make_disk_reader();
  std::string why;
  std::vector<DirEntry> entries = reader->list_entries(dir.string(), &why);
  CHECK(why.empty());
  using K = DirEntry::Kind;
  std::vector<std::tuple<std::string, K, bool>> got;
  for (const auto& e : entries) got.emplace_back(e.name, e.kind, e.symlink);
  std::vector<std::tuple<std::string, K, bool>> want{{"link-dangling", K::kOther, true}, {"link-dir", K::kDir, true},
                                                     {"link-file", K::kFile, true},      {"main.tf", K::kFile, false},
                                                     {"pipe", K::kOther, false},         {"sub", K::kDir, false}};
  CHECK(got == want);
  // The same answer as asking about each name (the Reader default, which test readers use).
  std::vector<std::tuple<std::string, K, bool>> asked;
  for (const auto& e : reader->Reader::list_entries(dir.string())) asked.emplace_back(e.name, e.kind, e.symlink);
  CHECK(asked == want);
  CHECK(reader->list_entries((dir / "missing").string(), &why).empty());
  CHECK(reader->list_entries((dir / "main.tf").string(), &why).empty());
  CHECK(why.empty());
  fs::remove_all(dir);
}

TEST_CASE("robustness: fileexists() looks only inside the linted tree") {
  MemoryReader mem;
  mem.add("repo/main.tf", "");
  mem.add("repo/team.txt", "payments");
  mem.add("repo/sub/x.txt", "");
  mem.add("secret.txt", "s3cr3t");
  RunOptions options;
  options.paths = {"repo"};
  SourceManager sources;
  LoadContext ctx{options, sources, mem};
  std::string why;
  CHECK(stat_referenced_file(ctx, "repo/team.txt", &why) == ReferencedFile::kRegular);
  CHECK(stat_referenced_file(ctx, "repo/missing.txt", &why) == ReferencedFile::kMissing);
  CHECK(stat_referenced_file(ctx, "repo/no/such/dir/x.txt", &why) == ReferencedFile::kMissing);
  CHECK(stat_referenced_file(ctx, "repo/sub", &why) == ReferencedFile::kNotRegular);
  CHECK(why == "it is a directory, not a file");
  // Outside the tree, existing or not, nothing is said.
  CHECK(stat_referenced_file(ctx, "repo/../secret.txt", &why) == ReferencedFile::kNotLooked);
  CHECK(why.find("outside the linted tree") != std::string::npos);
  CHECK(stat_referenced_file(ctx, "repo/../nothing.txt", &why) == ReferencedFile::kNotLooked);
}

TEST_CASE("robustness: referenced files are read only inside the linted tree") {
  MemoryReader mem;
  mem.add("repo/main.tf", "");
  mem.add("repo/team.txt", "payments");
  mem.add("secret.txt", "s3cr3t");
  RunOptions options;
  options.paths = {"repo"};
  SourceManager sources;
  LoadContext ctx{options, sources, mem};
  std::string why;
  CHECK(read_referenced_file(ctx, "repo/team.txt", 1024, &why) == std::optional<std::string>("payments"));
  CHECK(!read_referenced_file(ctx, "repo/../secret.txt", 1024, &why));
  CHECK(why.find("outside the linted tree") != std::string::npos);
  CHECK(!read_referenced_file(ctx, "/secret.txt", 1024, &why));
  CHECK(!read_referenced_file(ctx, "repo/missing.txt", 1024, &why));
  CHECK(why == "it does not exist");
  CHECK(!read_referenced_file(ctx, "repo/team.txt", 4, &why));
}

TEST_CASE("robustness: the disk reader refuses FIFOs and devices without blocking, and symlinks out of the tree") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("tw-robust-" + std::to_string(::getpid()));
  fs::create_directories(dir / "repo");
  std::ofstream(dir / "repo/main.tf") << "";
  std::ofstream(dir / "outside.txt") << "secret";
  REQUIRE(::mkfifo((dir / "repo/pipe").c_str(), 0600) == 0);
  fs::create_symlink(dir / "outside.txt", dir / "repo/link.txt");
  auto reader = make_disk_reader();
  std::string why;
  CHECK(!reader->read((dir / "repo/pipe").string(), &why));
  CHECK(why.find("not a regular file") != std::string::npos);
  CHECK(!reader->read("/dev/zero", &why));
  CHECK(!reader->read(dir.string(), &why));
  RunOptions options;
  options.paths = {(dir / "repo").string()};
  SourceManager sources;
  LoadContext ctx{options, sources, *reader};
  CHECK(!read_referenced_file(ctx, (dir / "repo/link.txt").string(), 1024, &why));
  CHECK(why.find("outside the linted tree") != std::string::npos);
  CHECK(!read_referenced_file(ctx, (dir / "repo/pipe").string(), 1024, &why));
  CHECK(!read_referenced_file(ctx, "/etc/hostname", 1024, &why));
  fs::remove_all(dir);
}

TEST_CASE("robustness: one UTF-8 decoder rejects what RFC 3629 rejects") {
  struct Row {
    std::string in;
    std::size_t invalid_at;
  };
  const Row rows[] = {
      {"plain", std::string::npos},
      {"\xC3\xA9t\xC3\xA9", std::string::npos},  // été
      {"\xF0\x9F\x98\x80", std::string::npos},   // U+1F600
      {"a\xFF", 1},                              // not a lead byte
      {"a\x80", 1},                              // stray continuation
      {"\xC0\xAF", 0},                           // overlong '/'
      {"\xED\xA0\x80", 0},                       // a surrogate
      {"\xF4\x90\x80\x80", 0},                   // past U+10FFFF
      {"ok\xE2\x82", 2},                         // truncated
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(utf8_invalid_offset(r.in) == r.invalid_at);
  }
  CHECK(utf8_sanitize("a\xFF"
                      "b") ==
        "a\xEF\xBF\xBD"
        "b");
  CHECK(utf8_decode("a\xFF").size() == 2);
}

TEST_CASE("robustness: UTF-16 and UTF-32 text is converted, binary data is not text") {
  std::string what;
  CHECK(decode_text_file(std::string("\xFF\xFEh\0i\0", 6), &what) == std::optional<std::string>("hi"));
  CHECK(what == "UTF-16LE");
  CHECK(decode_text_file(std::string("\xFE\xFF\0h\0i", 6), &what) == std::optional<std::string>("hi"));
  CHECK(decode_text_file(std::string("\xFF\xFE\0\0h\0\0\0", 8), &what) == std::optional<std::string>("h"));
  CHECK(what == "UTF-32LE");
  CHECK(decode_text_file(std::string("\xFF\xFE=\xD8\0\xDE", 6), &what) ==
        std::optional<std::string>("\xF0\x9F\x98\x80"));
  CHECK(decode_text_file("\xEF\xBB\xBFx", &what) == std::optional<std::string>("x"));
  CHECK(!decode_text_file(std::string("ab\0c", 4), &what));
  CHECK(what.find("binary") != std::string::npos);
  CHECK(!decode_text_file(std::string("\xFF\xFE\0", 3), &what));
}

TEST_CASE("robustness: columns on a one-line (minified) file are right and cheap") {
  std::string line;
  for (int i = 0; i < 100'000; ++i) line += i % 10 == 0 ? "\xC3\xA9" : "x";
  SourceManager sm;
  FileId id = sm.add("min.json", "{\n" + line + "\n}");
  const SourceFile& f = sm.file(id);
  // 100,000 characters, 110,000 bytes; 10,000 of them two-byte.
  LineCol end = f.line_col(static_cast<std::uint32_t>(2 + line.size()));
  CHECK(end.line == 2);
  CHECK(end.column == 100'001);
  LineCol mid = f.line_col(2 + 11);  // after "é" + 9 "x": 10 characters
  CHECK(mid.column == 11);
}

TEST_CASE("robustness: big maps are looked up by index, first duplicate wins") {
  std::string json = "{";
  for (int i = 0; i < 1000; ++i)
    json += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\": " + std::to_string(i);
  json += ", \"k5\": \"dup\"}";
  DocResult r = parse_json(0, json);
  REQUIRE(r.root);
  CHECK(r.root->get("k999")->scalar == "999");
  CHECK(r.root->get("k5")->scalar == "5");
  CHECK(r.root->get("nope") == nullptr);
  CHECK(r.root->index_of("k0") == 0);
}

TEST_CASE("robustness: a YAML billion-laughs document is an error, not gigabytes") {
  std::string y = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev) {
    y += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) y += std::string(i ? ", *" : "*") + prev;
    y += "]\n";
  }
  DocResult r = parse_yaml(0, y);
  CHECK(!r.root);
  REQUIRE(!r.errors.empty());
  CHECK(r.errors[0].message.find("aliases") != std::string::npos);
  std::string deep(100'000, '[');
  DocResult d = parse_yaml(0, deep);
  CHECK(!d.root);
}

TEST_CASE("robustness: file ids are declared before workers fill them in") {
  SourceManager sm;
  FileId a = sm.declare("a.json");
  FileId b = sm.declare("b.json");
  CHECK(a == 0);
  CHECK(b == 1);
  CHECK(!sm.file(a).loaded());
  sm.fill(b, "B");
  CHECK(sm.file(b).contents() == "B");
  CHECK(sm.add("a.json", "A") == a);
  CHECK(sm.file(a).contents() == "A");
}
