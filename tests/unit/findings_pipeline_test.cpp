// Specification of the findings pipeline (linter/engine/findings_pipeline.hpp) through
// run_check over in-memory files: rule selection, where suppression comments apply, expiry,
// unused suppressions, baselines, grouping of shared entries, default_tags notes, safe fixes.
#include <doctest/doctest.h>

#include <algorithm>
#include <functional>
#include <memory>

#include "linter/engine/baseline.hpp"
#include "linter/engine/check.hpp"
#include "linter/engine/findings_pipeline.hpp"
#include "linter/source/reader.hpp"

using namespace tagwarden;

namespace {

constexpr const char* kSchema =
    "version: 1\n"
    "tags:\n"
    "  CostCenter: {required: true}\n"
    "  Environment: {required: true, values: [production, staging, dev]}\n";

constexpr const char* kProvider = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n";

struct Run {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  CheckResult result;

  std::vector<std::string> rules() const {
    std::vector<std::string> out;
    for (const auto& f : result.findings) out.push_back(f.rule_id + " " + f.address);
    return out;
  }
  std::vector<std::string> suppressed() const {
    std::vector<std::string> out;
    for (const auto& f : result.suppressed) out.push_back(f.rule_id + " " + f.address);
    return out;
  }
};

/// Checks `files` (path -> text) with kSchema; `tune` adjusts the options.
Run check(std::vector<std::pair<std::string, std::string>> files, const std::function<void(CheckOptions&)>& tune = {}) {
  MemoryReader reader;
  reader.add("schema.yaml", kSchema);
  for (auto& [p, t] : files) reader.add(p, t);
  CheckOptions o;
  o.run.paths = {"infra"};
  o.run.jobs = 1;
  o.schema_paths = {"schema.yaml"};
  o.today = "2025-06-01";
  if (tune) tune(o);
  Run r;
  r.result = run_check(o, *r.sources, reader);
  return r;
}

bool has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("rule selection: select replaces ALL, extend-select adds, the more specific of select and ignore wins") {
  CHECK(ResolvedSelection(RuleSelection{}).enabled("TW001"));
  RuleSelection s;
  s.select = {"TW00"};
  s.ignore = {"TW003"};
  CHECK(ResolvedSelection(s).enabled("TW001"));
  CHECK_FALSE(ResolvedSelection(s).enabled("TW003"));
  CHECK_FALSE(ResolvedSelection(s).enabled("TW010"));
  s.extend_select = {"duplicate-tag-key"};
  CHECK(ResolvedSelection(s).enabled("TW010"));
  // An id is more specific than a prefix; on a tie, ignore wins.
  RuleSelection t;
  t.select = {"TW001"};
  t.ignore = {"TW0"};
  CHECK(ResolvedSelection(t).enabled("TW001"));
  t.ignore = {"missing-required-tag"};
  CHECK_FALSE(ResolvedSelection(t).enabled("TW001"));
  // Levels: the most specific override wins, later ones on a tie.
  RuleSelection l;
  l.levels = {{"TW0", Level::kNote}, {"TW009", Level::kError}, {"TW0", Level::kWarning}};
  CHECK(ResolvedSelection(l).level("TW009", Level::kWarning) == Level::kError);
  CHECK(ResolvedSelection(l).level("TW001", Level::kError) == Level::kWarning);
  CHECK(check_selector("TW9").has_value());
  CHECK_FALSE(check_selector("ALL").has_value());
  CHECK_FALSE(check_selector("tag-too-long").has_value());
}

TEST_CASE("globs and relative paths") {
  CHECK(path_glob_match("/r/infra/*", "/r/infra/prod"));
  CHECK_FALSE(path_glob_match("/r/infra/*", "/r/infra/prod/x"));
  CHECK(path_glob_match("/r/**/legacy/**", "/r/a/b/legacy/main.tf"));
  CHECK(path_glob_match("/r/**/legacy/**", "/r/legacy"));
  CHECK(path_glob_match("envs/?rod", "envs/prod"));
  CHECK(path_relative("/a/b/c", "/a") == "b/c");
  CHECK(path_relative("/a/x", "/a/b") == "../x");
  CHECK(path_relative("/a", "/a") == ".");
  CHECK(path_relative("x/y", ".") == "x/y");
}

TEST_CASE("a comment applies to the resource it is in or right above, not across other code") {
  auto r = check({{"infra/providers.tf", kProvider},
                  {"infra/main.tf",
                   "# tagwarden:ignore TW001 -- above, with a blank line and a comment in between\n"
                   "\n"
                   "# (explanation)\n"
                   "resource \"aws_s3_bucket\" \"above\" {}\n"
                   "\n"
                   "resource \"aws_s3_bucket\" \"inside\" {\n"
                   "  # tagwarden:ignore TW001 -- inside\n"
                   "}\n"
                   "\n"
                   "# tagwarden:ignore TW001 -- separated by code\n"
                   "locals { x = 1 }\n"
                   "resource \"aws_s3_bucket\" \"separated\" {}\n"}});
  CHECK(has(r.suppressed(), "TW001 aws_s3_bucket.above"));
  CHECK(has(r.suppressed(), "TW001 aws_s3_bucket.inside"));
  CHECK(has(r.rules(), "TW001 aws_s3_bucket.separated"));
  CHECK(has(r.rules(), "TW014 "));  // the separated comment suppresses nothing
  CHECK(r.result.summary.suppressed_inline == 2);
}

TEST_CASE("a suppression expires after its until date; without a date for the run, none expires") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"infra/providers.tf", kProvider},
      {"infra/main.tf",
       "# tagwarden:ignore TW001 until=2025-05-31 -- until the migration\nresource \"aws_s3_bucket\" \"b\" {}\n"}};
  auto expired = check(files);
  CHECK(has(expired.rules(), "TW001 aws_s3_bucket.b"));
  CHECK(has(expired.rules(), "TW015 aws_s3_bucket.b"));
  auto same_day = check(files, [](CheckOptions& o) { o.today = "2025-05-31"; });
  CHECK(has(same_day.suppressed(), "TW001 aws_s3_bucket.b"));
  auto undated = check(files, [](CheckOptions& o) { o.today.clear(); });
  CHECK(undated.rules().empty());
}

TEST_CASE("a suppression of a rule the run does not select is not called unused") {
  auto r = check(
      {{"infra/providers.tf", kProvider},
       {"infra/main.tf",
        "# tagwarden:ignore TW002 -- values are checked elsewhere\n"
        "resource \"aws_s3_bucket\" \"b\" {\n  tags = { CostCenter = \"x\", Environment = \"production\" }\n}\n"}},
      [](CheckOptions& o) { o.selection.ignore = {"TW002"}; });
  CHECK(r.rules().empty());
}

TEST_CASE("--no-inline-suppressions reports everything and nothing about suppressions") {
  auto r = check({{"infra/providers.tf", kProvider},
                  {"infra/main.tf", "# tagwarden:ignore TW001\nresource \"aws_s3_bucket\" \"b\" {}\n"}},
                 [](CheckOptions& o) { o.inline_suppressions = false; });
  CHECK(r.rules() == std::vector<std::string>{"TW001 aws_s3_bucket.b"});
}

TEST_CASE("an entry written once outside the resources is one finding there, naming every resource it reaches") {
  auto r = check({{"infra/providers.tf",
                   "provider \"aws\" {\n  default_tags {\n    tags = { costcenter = \"x\", Environment = "
                   "\"production\" }\n  }\n}\n"},
                  {"infra/main.tf", "resource \"aws_s3_bucket\" \"a\" {}\nresource \"aws_s3_bucket\" \"b\" {}\n"}});
  REQUIRE(r.result.findings.size() == 1);
  const Finding& f = r.result.findings[0];
  CHECK(f.rule_id == "TW003");
  // Its identity (baselines) is what holds the entry in the module's folder, not its file.
  CHECK(f.address == "provider.aws");
  CHECK(f.root == "infra");
  CHECK(r.sources->file(f.primary.file).path() == "infra/providers.tf");
  CHECK(f.message.find("reaches 2 resources") != std::string::npos);
  CHECK(f.related.size() == 2);
  REQUIRE(f.fixes.size() == 1);
}

TEST_CASE("one missing-required-tag per resource, and one note where a default_tags edit fixes two or more") {
  auto r = check({{"infra/providers.tf", "provider \"aws\" {\n  default_tags {\n    tags = { Team = \"x\" }\n  }\n}\n"},
                  {"infra/main.tf",
                   "resource \"aws_s3_bucket\" \"a\" {}\n"
                   "resource \"aws_s3_bucket\" \"b\" {\n  tags = { CostCenter = \"CC\" }\n}\n"}});
  std::vector<const Finding*> missing, notes;
  for (const auto& f : r.result.findings) {
    if (f.rule_id == "TW001") (f.level == Level::kNote ? notes : missing).push_back(&f);
  }
  REQUIRE(missing.size() == 2);
  CHECK(missing[0]->tag_keys == std::vector<std::string>{"CostCenter", "Environment"});
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]->message.find(
            "adding `CostCenter` and `Environment` to the default_tags of provider aws here fixes 2") == 0);
  // Suppressed findings are not counted: with one left, there is no note.
  auto one =
      check({{"infra/providers.tf", "provider \"aws\" {\n  default_tags {\n    tags = { Team = \"x\" }\n  }\n}\n"},
             {"infra/main.tf",
              "resource \"aws_s3_bucket\" \"a\" {}\n"
              "# tagwarden:ignore TW001 -- scratch\nresource \"aws_s3_bucket\" \"b\" {}\n"}});
  for (const auto& f : one.result.findings) CHECK(f.level != Level::kNote);
}

namespace {
/// TW002 about `Environment = "prod"` on aws_s3_bucket.b of root `infra`, at `at`.
Finding environment_value_finding(Span at) {
  Finding f;
  f.rule_id = "TW002";
  f.root = "infra";
  f.address = "aws_s3_bucket.b";
  f.tag_keys = {"Environment"};
  f.tag_key = "Environment";
  f.value = "prod";
  f.primary = at;
  return f;
}
}  // namespace

TEST_CASE("baseline fingerprints ignore lines and files but not values") {
  SourceManager sm;
  FileId a = sm.add("infra/a.tf", "\n\nx\n");
  FileId b = sm.add("infra/b.tf", "x\n");
  Finding f = environment_value_finding(Span{a, 2, 3});
  FingerprintFrame frame{".", "/repo"};
  std::string moved_from = Fingerprinter(sm, frame).fingerprint(f);
  f.primary = Span{b, 0, 1};
  CHECK(Fingerprinter(sm, frame).fingerprint(f) == moved_from);
  f.value = "prd";
  CHECK(Fingerprinter(sm, frame).fingerprint(f) != moved_from);
  // Roots are relative to the anchor: the same baseline works from another working directory.
  f.value = "prod";
  Finding g = f;
  g.root = "../infra";
  CHECK(Fingerprinter(sm, FingerprintFrame{"..", "/repo/sub"}).fingerprint(g) ==
        Fingerprinter(sm, FingerprintFrame{".", "/repo"}).fingerprint(f));
  // Several keys: one identity each.
  f.tag_keys = {"CostCenter", "Environment"};
  CHECK(Fingerprinter(sm, frame).identities(f).size() == 2);
}

TEST_CASE("a fingerprint is FNV-1a 64 of rule, root, address, keys and value, as baseline files hold it") {
  // Values computed apart (Python) from the documented layout: parts joined by U+001F, then
  // "=value" or U+001E. Baselines written by earlier versions must keep matching.
  SourceManager sm;
  FileId a = sm.add("infra/a.tf", "x\n");
  Finding f = environment_value_finding(Span{a, 0, 1});
  FingerprintFrame frame{".", "/repo"};
  CHECK(Fingerprinter(sm, frame).fingerprint(f) == "3068a59b6b15eaf6");
  f.rule_id = "TW001";
  f.tag_keys = {"CostCenter", "Environment"};
  f.value.reset();
  CHECK(Fingerprinter(sm, frame).fingerprint(f) == "eed44f39c13fd9b1");
}

TEST_CASE("one fingerprinter over findings of several roots gives each finding its own root") {
  SourceManager sm;
  FileId a = sm.add("infra/a.tf", "x\n");
  FileId b = sm.add("other/b.tf", "x\n");
  auto finding = [&](std::string root, FileId file, std::string address) {
    Finding f;
    f.rule_id = "TW001";
    f.root = std::move(root);
    f.address = std::move(address);
    f.tag_key = "CostCenter";
    f.tag_keys = {"CostCenter"};
    f.primary = Span{file, 0, 1};
    return f;
  };
  // The last three have no root: their file stands for it.
  std::vector<Finding> findings = {finding("infra", a, "aws_s3_bucket.b"), finding("infra", a, "aws_s3_bucket.c"),
                                   finding("other", b, "aws_s3_bucket.c"), finding("infra", a, "aws_s3_bucket.c"),
                                   finding("", b, "aws_s3_bucket.c"),      finding("", a, "aws_s3_bucket.c"),
                                   finding("", a, "aws_s3_bucket.c")};
  FingerprintFrame frame{".", "/repo"};
  Fingerprinter fingerprinter(sm, frame);
  for (const auto& f : findings) CHECK(fingerprinter.fingerprint(f) == Fingerprinter(sm, frame).fingerprint(f));
  CHECK(fingerprinter.fingerprint(findings[2]) == "2f4a6e459af519e1");
  CHECK(fingerprinter.fingerprint(findings[1]) != fingerprinter.fingerprint(findings[2]));
  CHECK(fingerprinter.identities(findings[4]).front().root == "other/b.tf");
  CHECK(fingerprinter.identities(findings[5]).front().root == "infra/a.tf");
  // Display paths are relative to the working directory, roots to the anchor.
  Fingerprinter from_sub(sm, FingerprintFrame{"..", "/repo/sub"});
  CHECK(from_sub.identities(findings[0]).front().root == "sub/infra");
  CHECK(from_sub.identities(findings[2]).front().root == "sub/other");
}

TEST_CASE("a baseline holds back exactly what it recorded; repeats count") {
  std::vector<std::pair<std::string, std::string>> files = {
      {"infra/providers.tf", kProvider},
      {"infra/main.tf", "resource \"aws_s3_bucket\" \"a\" {}\nresource \"aws_s3_bucket\" \"b\" {}\n"}};
  MemoryReader reader;
  reader.add("schema.yaml", kSchema);
  for (auto& [p, t] : files) reader.add(p, t);
  CheckOptions o;
  o.run.paths = {"infra"};
  o.schema_paths = {"schema.yaml"};
  o.write_baseline_path = "baseline.json";
  SourceManager s1;
  CheckResult written = run_check(o, s1, reader);
  CHECK(written.findings.empty());
  CHECK(written.summary.baseline_matched == 2);
  CHECK(written.baseline_text.find("aws_s3_bucket.b") != std::string::npos);
  reader.add("baseline.json", written.baseline_text);
  o.write_baseline_path.clear();
  o.baseline_path = "baseline.json";
  SourceManager s2;
  CheckResult read = run_check(o, s2, reader);
  CHECK(read.findings.empty());
  CHECK(read.summary.baseline_unmatched == 0);
  reader.add("infra/main.tf", "resource \"aws_s3_bucket\" \"a\" {}\n");  // b was fixed (removed)
  SourceManager s3;
  CheckResult fixed = run_check(o, s3, reader);
  CHECK(fixed.findings.empty());
  CHECK(fixed.summary.baseline_unmatched == 2);  // b's two missing keys
}

TEST_CASE("a broken baseline is a positioned input error") {
  MemoryReader reader;
  reader.add("infra/main.tf", "resource \"aws_s3_bucket\" \"a\" {}\n");
  reader.add("baseline.json", "{\"entries\": []}");
  CheckOptions o;
  o.run.paths = {"infra"};
  o.baseline_path = "baseline.json";
  SourceManager sm;
  CheckResult r = run_check(o, sm, reader);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("not a tagwarden baseline") != std::string::npos);
  CHECK(exit_code(r, Level::kError) == 2);
}

TEST_CASE("a fix applies only where the text is the literal it expects, keeping its quotes") {
  SourceManager sm;
  FileId f = sm.add("t.tf", "costcenter = \"prod\"\nk: 'prod' # x\nv: prod\nw: pro\n");
  auto fix = [&](std::uint32_t b, std::uint32_t e, std::string from, std::string to) {
    return checked_fix(sm, Fix{"d", {Edit{Span{f, b, e}, std::move(from), std::move(to)}}});
  };
  auto bare = fix(0, 10, "costcenter", "CostCenter");
  REQUIRE(bare);
  CHECK(bare->edits[0].replacement == "CostCenter");
  auto quoted = fix(13, 19, "prod", "production");
  REQUIRE(quoted);
  CHECK(quoted->edits[0].replacement == "\"production\"");
  // A YAML scalar's span may start at its quote and be too short: the quoted literal is found.
  auto yaml = fix(23, 27, "prod", "production");
  REQUIRE(yaml);
  CHECK(yaml->edits[0].replacement == "'production'");
  CHECK(yaml->edits[0].span.end == 29);
  CHECK(fix(37, 41, "prod", "production"));
  CHECK_FALSE(fix(45, 48, "prod", "production"));        // the text is not the literal
  CHECK_FALSE(fix(0, 10, "costcenter", "Cost Center"));  // a bare word must stay one
  CHECK_FALSE(fix(13, 19, "prod", "pro\"d"));            // no quoting rules to get wrong
}
