// The result cache (linter/source/result_cache.hpp) and the encodings of a unit's output
// (linter/engine/unit_output.hpp) and of a whole check's result (linter/engine/check_cache.hpp):
// an entry is used only while every question its unit (or run) asked the reader gets the same
// answer, and what was kept comes back from the cache as it went in, with what reports need of
// its files.
#include <doctest/doctest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "linter/engine/check_cache.hpp"
#include "linter/engine/unit_output.hpp"
#include "linter/source/result_cache.hpp"

using namespace tagwarden;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("tw-result-cache-" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

/// A unit that reads root/main.tf, lists root and asks whether root/extra.tf is a file.
void run_unit(const Reader& reader) {
  std::string why;
  (void)reader.read("root/main.tf", &why);
  (void)reader.list_dir("root");
  (void)reader.is_file("root/extra.tf");
}

}  // namespace

TEST_CASE("byte reader: what the writer wrote comes back, and a short input fails without reading past it") {
  ByteWriter w;
  w.varint(0);
  w.varint(300);
  w.varint(~0ull);
  w.svarint(-5);
  w.str("tag");
  w.boolean(true);
  ByteReader r(w.out());
  CHECK(r.varint() == 0);
  CHECK(r.varint() == 300);
  CHECK(r.varint() == ~0ull);
  CHECK(r.svarint() == -5);
  CHECK(r.str() == "tag");
  CHECK(r.boolean());
  CHECK(r.ok());
  CHECK(r.at_end());

  std::string cut = w.out().substr(0, w.out().size() - 3);  // the string's length says 3, 1 byte is there
  ByteReader s(cut);
  s.varint();
  s.varint();
  s.varint();
  s.svarint();
  CHECK(s.str().empty());
  CHECK_FALSE(s.ok());
  ByteReader huge(std::string_view("\xff\xff\xff\xff\x0f", 5));
  CHECK(huge.count() == 0);  // a count larger than what is left is malformed, not allocated
  CHECK_FALSE(huge.ok());
}

TEST_CASE("result cache: an entry holds while every answer its unit got is the same") {
  TempDir dir;
  MemoryReader fs_in;
  fs_in.add("root/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n");
  ResultCache cache(fs_in, dir.path.string(), "/work", "key-1");

  CHECK_FALSE(cache.find("terraform\nroot"));
  auto rec = cache.record("terraform\nroot");
  run_unit(rec->reader);
  rec->meta = "meta";
  cache.store(*rec, "payload");
  CHECK(cache.counts().stored == 1);

  SUBCASE("unchanged: a hit with the bytes stored") {
    ResultCache again(fs_in, dir.path.string(), "/work", "key-1");
    auto hit = again.find("terraform\nroot");
    REQUIRE(hit);
    CHECK(hit->meta == "meta");
    CHECK(hit->payload == "payload");
    CHECK(again.counts().hits == 1);
  }
  SUBCASE("a file it read changed") {
    fs_in.add("root/main.tf", "resource \"aws_sqs_queue\" \"r\" {}\n");
    CHECK_FALSE(ResultCache(fs_in, dir.path.string(), "/work", "key-1").find("terraform\nroot"));
  }
  SUBCASE("a file appeared where it asked") {
    fs_in.add("root/extra.tf", "");
    CHECK_FALSE(ResultCache(fs_in, dir.path.string(), "/work", "key-1").find("terraform\nroot"));
  }
  SUBCASE("another key, another unit, another folder") {
    CHECK_FALSE(ResultCache(fs_in, dir.path.string(), "/work", "key-2").find("terraform\nroot"));
    CHECK_FALSE(ResultCache(fs_in, dir.path.string(), "/work", "key-1").find("terraform\nother"));
    CHECK_FALSE(ResultCache(fs_in, dir.path.string(), "/elsewhere", "key-1").find("terraform\nroot"));
  }
}

TEST_CASE("result cache: a unit that saw a file change while it ran is not kept") {
  TempDir dir;
  MemoryReader fs_in;
  fs_in.add("root/main.tf", "a");
  ResultCache cache(fs_in, dir.path.string(), "/work", "key");
  auto rec = cache.record("unit");
  std::string why;
  (void)rec->reader.read("root/main.tf", &why);
  fs_in.add("root/main.tf", "b");
  (void)rec->reader.read("root/main.tf", &why);
  CHECK_FALSE(rec->reader.stable());
  cache.store(*rec, "payload");
  CHECK_FALSE(cache.find("unit"));
}

TEST_CASE("unit output: decoded as encoded, with the positions and lines reports need") {
  SourceManager sources;
  FileUses uses;
  FileId f = sources.add("root/main.tf", "resource \"aws_sqs_queue\" \"q\" {\n  tags = { team = \"x\" }\n}\n", &uses);
  Span entry{f, 42, 46};
  UnitOutput u;
  ResourceBlock b;
  b.file = f;
  b.outline.root = "root";
  b.outline.address = "aws_sqs_queue.q";
  b.outline.span = Span{f, 0, 56};
  Finding finding;
  finding.rule_id = "TW003";
  finding.level = Level::kWarning;
  finding.message = "tag key `team` should be `Team`";
  finding.primary = entry;
  finding.address = "aws_sqs_queue.q";
  finding.root = "root";
  finding.tag_keys = {"team"};
  finding.value = "x";
  finding.fixes.push_back(Fix{"rename", {Edit{entry, "team", "Team"}}});
  b.rules.resize(1);
  b.rules[0].findings.push_back(finding);
  u.resources.push_back(b);
  u.errors.push_back(Error{Span{}, "root/other.tf", "no such file", false});
  u.resources_checked = 1;
  u.beyond_policy_types["aws_sqs_queue"] = 1;
  u.dropped = {std::string("id\0with a zero", 14), "", "second"};  // diff's identities are bytes

  Retain keep;
  keep.with_line(entry);
  sources.release(uses, keep);
  std::string bytes = encode_unit_output(u, keep, sources);

  SourceManager later;
  std::optional<UnitOutput> back = decode_unit_output(bytes, 1, later);
  REQUIRE(back);
  REQUIRE(back->resources.size() == 1);
  const Finding& g = back->resources[0].rules[0].findings[0];
  CHECK(g.message == finding.message);
  CHECK(g.value == finding.value);
  CHECK(g.fixes.size() == 1);
  CHECK(later.file(g.primary.file).path() == "root/main.tf");
  CHECK(later.begin_of(g.primary) == LineCol{2, 12});
  CHECK(later.file(g.primary.file).line_text(2) == "  tags = { team = \"x\" }");
  CHECK(back->errors.size() == 1);
  CHECK(back->errors[0].file_hint == "root/other.tf");
  CHECK(back->beyond_policy_types.at("aws_sqs_queue") == 1);
  CHECK(back->dropped == u.dropped);

  CHECK_FALSE(decode_unit_output(bytes, 2, later));  // written for one rule context
  CHECK_FALSE(decode_unit_output(bytes.substr(0, bytes.size() / 2), 1, later));
}

TEST_CASE("whole run: its entry holds the run's own questions and those of every unit it found or stored") {
  TempDir dir;
  MemoryReader fs_in;
  fs_in.add("root/main.tf", "a");
  fs_in.add("other/main.tf", "b");
  fs_in.add("notes/README.md", "c");
  ResultCache units(fs_in, (dir.path / "units").string(), "/work", "key");
  ResultCache runs(fs_in, (dir.path / "runs").string(), "/work", "key");

  // First run: the walk lists notes through the run's reader; root is stored.
  {
    RunRecording run(fs_in);
    units.collect_into(&run);
    (void)run.reader().list_dir("notes");
    auto rec = units.record("root");
    run_unit(rec->reader);
    units.store(*rec, "root's payload");
    CHECK(runs.store_run("check", run, "result"));
  }
  // Second run: root is found, `other` is read by the run itself; both are in its entry.
  {
    RunRecording run(fs_in);
    units.collect_into(&run);
    REQUIRE(runs.find("check"));
    REQUIRE(units.find("root"));
    std::string why;
    (void)run.reader().read("other/main.tf", &why);
    REQUIRE(run.complete());
    std::vector<std::string> asked;
    for (const auto& o : run.observations()) asked.push_back(o.path);
    std::sort(asked.begin(), asked.end());
    CHECK(asked == std::vector<std::string>{"other/main.tf", "root", "root/extra.tf", "root/main.tf"});
    CHECK(runs.store_run("check", run, "result 2"));
  }
  // A change to what only the run read, or only a unit read, is a miss of the whole run (a
  // cache asks each question once: one per run).
  auto next_run = [&] { return ResultCache(fs_in, (dir.path / "runs").string(), "/work", "key"); };
  fs_in.add("other/main.tf", "b2");
  CHECK_FALSE(next_run().find("check"));
  fs_in.add("other/main.tf", "b");
  std::optional<CachedUnit> hit = next_run().find("check");
  REQUIRE(hit);
  CHECK(hit->payload == "result 2");
  fs_in.add("root/extra.tf", "new");
  CHECK_FALSE(next_run().find("check"));
}

TEST_CASE("whole run: not kept when a question got two answers or a unit was not stable") {
  TempDir dir;
  MemoryReader fs_in;
  fs_in.add("root/main.tf", "a");
  ResultCache units(fs_in, (dir.path / "units").string(), "/work", "key");
  ResultCache runs(fs_in, (dir.path / "runs").string(), "/work", "key");
  std::string why;
  {
    RunRecording run(fs_in);
    units.collect_into(&run);
    auto rec = units.record("root");
    (void)rec->reader.read("root/main.tf", &why);
    units.store(*rec, "payload");
    fs_in.add("root/main.tf", "b");  // changed before the run read it too
    (void)run.reader().read("root/main.tf", &why);
    CHECK_FALSE(run.complete());
    CHECK_FALSE(runs.store_run("check", run, "result"));
  }
  {
    RunRecording run(fs_in);
    units.collect_into(&run);
    auto rec = units.record("root");
    (void)rec->reader.read("root/main.tf", &why);
    fs_in.add("root/main.tf", "c");
    (void)rec->reader.read("root/main.tf", &why);
    units.store(*rec, "payload");  // not stable: not stored, and the run is incomplete
    CHECK_FALSE(run.complete());
  }
  CHECK_FALSE(runs.find("check"));
}

TEST_CASE("check result: decoded as encoded, with what its report needs of each file") {
  SourceManager sources;
  FileId f = sources.add("root/main.tf", "resource \"aws_sqs_queue\" \"q\" {\n  tags = { team = \"x\" }\n}\n");
  Span entry{f, 42, 46};
  CheckResult r;
  Finding finding;
  finding.rule_id = "TW003";
  finding.message = "tag key `team` should be `Team`";
  finding.primary = entry;
  finding.fingerprint = "0123456789abcdef";
  r.findings.push_back(finding);
  finding.suppression = SuppressionInfo{SuppressionInfo::Kind::kExternal, "in the baseline b.json", Span{}};
  r.suppressed.push_back(finding);
  r.errors.push_back(Error{Span{f, 0, 8}, "", "an error", false});
  r.summary.resources_checked = 3;
  r.summary.baseline_matched = 1;
  r.summary.baseline_used = true;
  r.summary.left_out["condition is false"] = 2;
  r.baseline_text = "{}";
  r.schema_given = r.schema_loaded = true;
  r.excluded = {"vendor/x.tf"};
  r.schema_notes.push_back(SchemaNote{Span{}, "a note"});
  std::string bytes = encode_check_result(r, false, sources);

  SourceManager later;
  std::optional<CheckResult> back = decode_check_result(bytes, later);
  REQUIRE(back);
  REQUIRE(back->findings.size() == 1);
  CHECK(back->findings[0].fingerprint == "0123456789abcdef");
  CHECK(later.begin_of(back->findings[0].primary) == LineCol{2, 12});
  CHECK(later.file(back->findings[0].primary.file).line_text(2) == "  tags = { team = \"x\" }");
  REQUIRE(back->suppressed.size() == 1);
  CHECK(back->suppressed[0].suppression->justification == "in the baseline b.json");
  CHECK(back->errors.size() == 1);
  CHECK(later.file(back->errors[0].span.file).line_text(1) == "resource \"aws_sqs_queue\" \"q\" {");
  CHECK(back->summary.resources_checked == 3);
  CHECK(back->summary.baseline_matched == 1);
  CHECK(back->summary.baseline_used);
  CHECK(back->summary.left_out.at("condition is false") == 2);
  CHECK(back->baseline_text == "{}");
  CHECK(back->excluded == r.excluded);
  CHECK(back->schema_notes.size() == 1);
  CHECK_FALSE(decode_check_result(bytes.substr(0, bytes.size() - 1), later));
}
