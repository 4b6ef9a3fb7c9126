// What GitHub gets: SARIF that does not depend on the folder tagwarden ran in, annotations within
// GitHub's per-step limits, a job summary under its 1 MiB limit, and diffs read for "changed
// lines first" (issue 10).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "linter/report/markdown_text.hpp"
#include "linter/report/report.hpp"

using namespace tagwarden;

namespace {

struct Case {
  SourceManager sources;
  std::vector<Finding> findings;
  std::vector<Error> errors;
  FileId file;
  explicit Case(const std::string& path = "infra/main.tf") {
    std::string text;
    for (int i = 1; i <= 200; ++i) text += "line\n";
    file = sources.add(path, text);
  }
  Span line(std::uint32_t n) { return Span{file, (n - 1) * 5, (n - 1) * 5 + 4, true}; }
  void add(Level level, std::uint32_t at, std::string id = "TW001") {
    Finding f;
    f.rule_id = std::move(id);
    f.level = level;
    f.message = "message " + std::to_string(at);
    f.primary = line(at);
    f.address = "aws_s3_bucket.b" + std::to_string(at);
    f.tag_key = "Team";
    findings.push_back(f);
  }
  ReportInput input(ReportOptions o = {}) {
    return ReportInput{sources, findings, errors, RunSummary{}, "0.0.0", std::move(o)};
  }
};

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("unified diff: the lines a change adds, per new file") {
  std::string diff =
      "diff --git a/infra/main.tf b/infra/main.tf\n"
      "--- a/infra/main.tf\n"
      "+++ b/infra/main.tf\n"
      "@@ -1,3 +1,4 @@\n"
      " a\n"
      "+b\n"
      "+c\n"
      " d\n"
      "-e\n"
      "@@ -20 +21 @@\n"
      "-old\n"
      "\\ No newline at end of file\n"
      "+new\n"
      "--- a/gone.tf\n"
      "+++ /dev/null\n"
      "@@ -1 +0,0 @@\n"
      "-x\n"
      "--- /dev/null\n"
      "+++ b/new.tf\n"
      "@@ -0,0 +1,2 @@\n"
      "+++ a line that starts with two plus signs\n"
      "+y\n";
  ChangedLines c = parse_unified_diff(diff);
  using R = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  CHECK(c["infra/main.tf"] == R{{2, 3}, {21, 21}});
  CHECK(c["new.tf"] == R{{1, 2}});
  CHECK(c.count("gone.tf") == 0);
}

TEST_CASE("SARIF URIs and fingerprints do not depend on the folder tagwarden started in") {
  // The same file seen from the repository top and from a subfolder of it.
  Case top("infra/main.tf"), sub("main.tf");
  top.add(Level::kError, 3);
  sub.add(Level::kError, 3);
  ReportOptions o1, o2;
  o1.working_directory = "/repo";
  o1.source_root = "/repo";
  o2.working_directory = "/repo/infra";
  o2.source_root = "/repo";
  auto s1 = nlohmann::json::parse(render_sarif(top.input(o1)));
  auto s2 = nlohmann::json::parse(render_sarif(sub.input(o2)));
  const auto& r1 = s1["runs"][0]["results"][0];
  const auto& r2 = s2["runs"][0]["results"][0];
  CHECK(r1["locations"][0]["physicalLocation"]["artifactLocation"] ==
        nlohmann::json{{"uri", "infra/main.tf"}, {"uriBaseId", "%SRCROOT%"}});
  CHECK(r1["locations"] == r2["locations"]);
  // Fingerprints are the findings' own, made by the findings pipeline relative to the source
  // root (findings_pipeline_test.cpp: the same fingerprint from /repo and /repo/sub); the
  // report carries them unchanged.
  CHECK(s1["runs"][0]["originalUriBaseIds"].contains("%SRCROOT%"));
  CHECK(s1["runs"][0]["automationDetails"]["id"] == "tagwarden/");
}

TEST_CASE("SARIF: most severe results first, notes beyond the threshold counted in a notification") {
  Case c;
  for (std::uint32_t i = 1; i <= 30; ++i) c.add(Level::kNote, i, "TW008");
  c.add(Level::kWarning, 40, "TW009");
  c.add(Level::kError, 50);
  ReportOptions o;
  o.max_sarif_notes = 10;
  auto s = nlohmann::json::parse(render_sarif(c.input(o)));
  const auto& results = s["runs"][0]["results"];
  REQUIRE(results.size() == 12);
  CHECK(results[0]["level"] == "error");
  CHECK(results[1]["level"] == "warning");
  CHECK(results[2]["level"] == "note");
  const auto& notes = s["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  REQUIRE(notes.size() == 1);
  CHECK(notes[0]["message"]["text"].get<std::string>().rfind("20 notes left out", 0) == 0);
}

TEST_CASE("SARIF: rule help links, precision and problem.severity; related locations linked from the message") {
  Case c;
  c.add(Level::kError, 5);
  c.findings[0].related.push_back(Related{c.line(1), "inherited from [default_tags]"});
  ReportOptions o;
  o.repository_url = "https://example.invalid/tagwarden";
  o.repository_ref = "abc123";
  auto s = nlohmann::json::parse(render_sarif(c.input(o)));
  const auto& driver = s["runs"][0]["tool"]["driver"];
  CHECK(driver["informationUri"] == "https://example.invalid/tagwarden");
  CHECK(driver["rules"][0]["helpUri"] == "https://example.invalid/tagwarden/blob/abc123/rules/missing-required-tag.md");
  CHECK(driver["rules"][0]["properties"]["precision"] == "very-high");
  CHECK(driver["rules"][0]["properties"]["problem.severity"] == "error");
  const auto& r = s["runs"][0]["results"][0];
  CHECK(r["message"]["text"] == "message 5 (see [inherited from \\[default_tags\\]](1))");
  CHECK(r["relatedLocations"][0]["id"] == 1);
  // Without a configured repository address nothing is made up.
  auto plain = nlohmann::json::parse(render_sarif(c.input()));
  CHECK_FALSE(plain["runs"][0]["tool"]["driver"].contains("informationUri"));
  CHECK_FALSE(plain["runs"][0]["tool"]["driver"]["rules"][0].contains("helpUri"));
}

TEST_CASE("github: at most 10 annotations per level, findings on changed lines first, one notice for the rest") {
  Case c("main.tf");  // seen from /w/infra
  for (std::uint32_t i = 1; i <= 25; ++i) c.add(Level::kError, i);
  for (std::uint32_t i = 100; i <= 112; ++i) c.add(Level::kNote, i, "TW008");
  ChangedLines changed{{"infra/main.tf", {{20, 21}}}};
  ReportOptions o;
  o.working_directory = "/w/infra";
  o.source_root = "/w";
  o.annotation_root = "/w";
  o.changed_lines = &changed;
  std::string out = render_github(c.input(o));
  CHECK(count(out, "::error ") == 10);
  CHECK(count(out, "::notice ") == 10);  // 9 findings and the count of what was left out
  CHECK(out.rfind("::error file=infra/main.tf,line=20,col=1,title=TW001 missing-required-tag::message 20\n"
                  "::error file=infra/main.tf,line=21,",
                  0) == 0);
  CHECK(out.find("::notice title=tagwarden::19 more findings were not annotated") != std::string::npos);
}

TEST_CASE("github: nothing left out, no extra notice") {
  Case c;
  for (std::uint32_t i = 1; i <= 10; ++i) c.add(Level::kNote, i, "TW008");
  std::string out = render_github(c.input());
  CHECK(count(out, "::notice ") == 10);
  CHECK(out.find("not annotated") == std::string::npos);
}

TEST_CASE("markdown job summary: counts by rule and key, links to lines, under GitHub's 1 MiB even for huge runs") {
  Case c;
  for (std::uint32_t i = 1; i <= 200; ++i)
    for (int k = 0; k < 500; ++k) c.add(k % 2 ? Level::kError : Level::kNote, i, k % 2 ? "TW001" : "TW008");
  c.findings[0].message = std::string(5000, 'x') + "|<b>";
  ReportOptions o;
  o.link_base = "https://github.com/o/r/blob/sha/";
  std::string md = render_markdown(c.input(o));
  CHECK(md.size() < 1024 * 1024);
  CHECK(md.find("| TW001 missing-required-tag | 50000 |") != std::string::npos);
  CHECK(md.find("| `Team` | 50000 | 0 | 50000 |") != std::string::npos);
  CHECK(md.find("[`infra/main.tf:1`](https://github.com/o/r/blob/sha/infra/main.tf#L1)") != std::string::npos);
  CHECK(md.find("<b>") == std::string::npos);
  CHECK(md.find("findings are not listed here") != std::string::npos);
}

TEST_CASE("markdown job summary counts suppressed, baselined and hidden findings as the text report does") {
  Case c;
  c.add(Level::kError, 1);
  RunSummary s;
  s.suppressed_inline = 9;
  s.baseline_used = true;
  s.baseline_matched = 2;
  s.baseline_unmatched = 1;
  s.below_min_level = 3;
  std::string md = render_markdown(ReportInput{c.sources, c.findings, c.errors, s, "0.0.0", {}});
  CHECK(md.find("**1 error**, 0 warnings, 0 notes; 11 suppressed (9 inline, 2 by the baseline); 1 baseline entry no "
                "longer matches (fixed); 3 below --min-level.") != std::string::npos);
}

TEST_CASE("markdown by-tag-key table counts every key of a finding, and notes apart") {
  Case c;
  for (std::uint32_t i = 1; i <= 4; ++i) {
    c.add(Level::kError, i);
    c.findings.back().tag_keys = {"CostCenter", "Owner", "cost_center"};
    c.findings.back().tag_key = "CostCenter";
  }
  c.add(Level::kNote, 5);
  c.findings.back().tag_keys = {"CostCenter"};
  c.findings.back().tag_key = "CostCenter";
  std::string md = render_markdown(c.input());
  CHECK(md.find("| `CostCenter` | 4 | 0 | 1 |") != std::string::npos);
  CHECK(md.find("| `Owner` | 4 | 0 | 0 |") != std::string::npos);
  CHECK(md.find("| `cost_center` | 4 | 0 | 0 |") != std::string::npos);
}

TEST_CASE("markdown text shows code spans as written: no backslash before `_` inside backticks") {
  CHECK(md_text("a_b `cost_center` x|y `p|q`") == "a\\_b `cost_center` x\\|y `p\\|q`");
  CHECK(md_text("``a`b`` and `c`") == "``a`b`` and `c`");
  CHECK(md_text("unmatched ` tick_") == "unmatched \\` tick\\_");
}
