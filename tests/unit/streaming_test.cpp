// Specification of the streamed run (linter/engine/engine.hpp, linter/source/source_manager.hpp):
// a unit's files are released keeping only what the report needs, and deployments are known
// before any template is evaluated, whatever the order of the files.
#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "linter/engine/check.hpp"
#include "linter/engine/dry_run.hpp"
#include "linter/engine/engine.hpp"
#include "linter/policy/schema_loader.hpp"
#include "linter/report/json_parts.hpp"
#include "linter/report/report.hpp"
#include "linter/source/reader.hpp"

using namespace tagwarden;

TEST_CASE("release: a unit's files keep the positions and lines asked for, and lose their text") {
  SourceManager sm;
  FileUses uses;
  FileId id = sm.add("a.tf", "one\ntwo é x\nthree\n", &uses);
  FileId kept = sm.add("schema.yaml", "version: 1\n");  // outside any unit: never released
  Retain retain;
  retain.with_line(Span{id, 4, 8, true});   // "two "
  retain.position(Span{id, 13, 18, true});  // "three"
  sm.release(uses, retain);
  CHECK(uses.ids.empty());
  const SourceFile& f = sm.file(id);
  CHECK(f.loaded());
  CHECK(f.contents().empty());
  CHECK(f.line_col(4) == LineCol{2, 1});
  CHECK(f.line_col(8) == LineCol{2, 5});
  CHECK(f.line_col(13) == LineCol{3, 1});
  CHECK(f.line_text(2) == "two é x");
  CHECK(f.line_text(3).empty());          // only its position was asked for
  CHECK(f.line_col(1) == LineCol{0, 0});  // never asked for: unknown
  CHECK(sm.file(kept).contents() == "version: 1\n");

  // Read again by a later unit: the text is back, and so is every position.
  FileUses again;
  CHECK(sm.add("a.tf", "one\ntwo é x\nthree\n", &again) == id);
  CHECK(f.line_col(1) == LineCol{1, 2});
  CHECK(f.line_text(1) == "one");
}

TEST_CASE("release: a file two units hold is dropped only when both are done; whole() keeps it") {
  SourceManager sm;
  FileUses a, b;
  FileId id = sm.add("m/main.tf", "x\n", &a);
  CHECK(sm.add("m/main.tf", "x\n", &b) == id);
  sm.release(a, Retain{});
  CHECK(sm.file(id).contents() == "x\n");
  sm.release(b, Retain{});
  CHECK(sm.file(id).contents().empty());

  FileUses c;
  FileId w = sm.add("with-comment.tf", "# tagwarden:ignore\n", &c);
  Retain whole;
  whole.whole(w);
  sm.release(c, whole);
  CHECK(sm.file(w).contents() == "# tagwarden:ignore\n");
}

TEST_CASE("deployments are known before templates: a deployment file sorted after its template still applies") {
  MemoryReader reader;
  reader.add("infra/a-template.yaml",
             "AWSTemplateFormatVersion: '2010-09-09'\n"
             "Resources:\n"
             "  Bucket:\n"
             "    Type: AWS::S3::Bucket\n");
  reader.add("infra/z-deploy.yaml",
             "template-file-path: infra/a-template.yaml\n"
             "tags:\n"
             "  Team: orders\n");
  RunOptions o;
  o.paths = {"infra"};
  o.jobs = 2;
  SourceManager sources;
  TagsResult r = run_tags(o, sources, reader);
  CHECK(r.errors.empty());
  REQUIRE(r.resources.size() == 1);
  CHECK(r.resources[0].address == "infra/z-deploy.yaml/Bucket");
  REQUIRE(r.resources[0].variants.size() == 1);
  bool team = false;
  for (const auto& e : r.resources[0].variants[0].entries) team = team || (e.key == "Team" && e.value == "orders");
  CHECK(team);
}

TEST_CASE("a streamed check reports positions and source lines from released files") {
  MemoryReader reader;
  reader.add("schema.yaml", "version: 1\ntags:\n  Owner: {required: true}\n");
  reader.add("infra/main.tf", "resource \"aws_s3_bucket\" \"b\" {\n  tags = { Team = \"x\" }\n}\n");
  CheckOptions o;
  o.run.paths = {"infra"};
  o.run.jobs = 2;
  o.schema_paths = {"schema.yaml"};
  SourceManager sources;
  CheckResult r = run_check(o, sources, reader);
  REQUIRE(r.findings.size() == 1);
  const Finding& f = r.findings[0];
  CHECK(sources.file(f.primary.file).contents().empty());  // released
  CHECK(sources.begin_of(f.primary) == LineCol{2, 3});
  CHECK(sources.file(f.primary.file).line_text(2) == "  tags = { Team = \"x\" }");
}

namespace {

/// An estate whose resources come from several units in an order that is not the listing's: two
/// roots calling one module (its resources sort between and after theirs), a template, a file
/// with a syntax error and a provider whose default tags reach every resource.
MemoryReader tags_estate() {
  MemoryReader reader;
  const char* root = R"(provider "aws" {
  default_tags { tags = { Team = "web" } }
}
module "shared" { source = "../m" }
resource "aws_s3_bucket" "z" { tags = { Name = "z" } }
resource "aws_s3_bucket" "a" {
  tags = { Name = "a", Env = var.env }
}
variable "env" { type = string }
)";
  reader.add("estate/b-root/main.tf", root);
  reader.add("estate/a-root/main.tf", root);
  reader.add("estate/m/main.tf", "resource \"aws_sqs_queue\" \"q\" { tags = { Owner = \"ops\" } }\n");
  reader.add("estate/broken/main.tf", "resource \"aws_s3_bucket\" \"x\" {\n  tags = {\n");
  reader.add("estate/cfn/template.yaml",
             "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
             "    Properties:\n      Tags:\n        - Key: Team\n          Value: data\n");
  return reader;
}

}  // namespace

TEST_CASE("tags listing: each resource as the whole run renders it, in its order, from released files") {
  MemoryReader reader = tags_estate();
  RunOptions o;
  o.paths = {"estate"};
  for (unsigned jobs : {1u, 2u, 8u}) {
    o.jobs = jobs;
    SourceManager kept_sources;
    TagsResult kept = run_tags(o, kept_sources, reader);
    SourceManager sources;
    TagsListing listing = run_tags_listing(o, sources, reader, {append_tags_resource_json, append_tags_resource_text});
    INFO("jobs " << jobs);
    REQUIRE(listing.rendered.size() == 2);
    REQUIRE(kept.resources.size() == 8);  // 3 per root (2 and the module's), 1 broken, 1 template
    REQUIRE(listing.rendered[0].size() == kept.resources.size());
    std::vector<std::string> json, text;
    for (const auto& r : kept.resources) {
      append_tags_resource_json(json.emplace_back(), kept_sources, r);
      append_tags_resource_text(text.emplace_back(), kept_sources, r);
    }
    CHECK(listing.rendered[0] == json);
    CHECK(listing.rendered[1] == text);
    // The listings as written, errors included (the broken file's, at its place).
    auto written = [](auto write, const std::vector<std::string>& items, const SourceManager& sm,
                      const std::vector<Error>& errors) {
      return collect([&](const ReportSink& out) { write(items, sm, errors, out); });
    };
    REQUIRE_FALSE(listing.errors.empty());
    CHECK(written(write_tags_json, listing.rendered[0], sources, listing.errors) ==
          written(write_tags_json, json, kept_sources, kept.errors));
    CHECK(written(write_tags_text, listing.rendered[1], sources, listing.errors) ==
          written(write_tags_text, text, kept_sources, kept.errors));
    CHECK(sources.begin_of(listing.errors.front().span).line > 0);
    // Nothing of the units' files is held: the texts were rendered before they were released.
    for (const char* path : {"estate/a-root/main.tf", "estate/m/main.tf", "estate/cfn/template.yaml"}) {
      std::optional<FileId> id = sources.find(path);
      REQUIRE(id);
      CHECK(sources.file(*id).contents().empty());
      CHECK_FALSE(kept_sources.file(*kept_sources.find(path)).contents().empty());
    }
  }
}

TEST_CASE("diff: findings both schemas make are dropped as each resource is done, and the diff is the same") {
  MemoryReader reader = tags_estate();
  reader.add("old.yaml",
             "version: 1\ntags:\n  Team: {required: true}\n  Owner: {required: true}\n  Cost: {required: true}\n");
  // Both require Owner (most resources miss it in both: dropped early); the new one also wants
  // Env and restricts Team (added), and no longer Cost (removed).
  reader.add("new.yaml",
             "version: 1\ntags:\n  Team: {required: true, values: [web]}\n  Owner: {required: true}\n  Env: {required: "
             "true}\n");
  RunOptions o;
  o.paths = {"estate"};
  for (unsigned jobs : {1u, 2u, 8u}) {
    o.jobs = jobs;
    INFO("jobs " << jobs);
    SourceManager sources;
    FindingDiff d = run_diff(o, {"old.yaml"}, {"new.yaml"}, sources, reader);

    // Everything kept, then compared: what the diff was before it dropped anything.
    SourceManager ref_sources;
    LoadContext ctx{o, ref_sources, reader};
    std::vector<Error> errors;
    std::optional<Schema> before = load_schema(ref_sources, read_source(ctx, "old.yaml", errors), errors);
    std::optional<Schema> after = load_schema(ref_sources, read_source(ctx, "new.yaml", errors), errors);
    REQUIRE(before);
    REQUIRE(after);
    RuleContext old_rules, new_rules;
    old_rules.schema = &*before;
    new_rules.schema = &*after;
    RuleStream run = stream_rules(ctx, discover_inputs(ctx, errors), {&old_rules, &new_rules}, StreamOptions{});
    for (auto& f : run.findings) sort_findings(f, ref_sources, true);
    FindingDiff whole;
    diff_findings(std::move(run.findings[0]), std::move(run.findings[1]), whole);

    CHECK(d.unchanged == whole.unchanged);
    auto entries = [](const std::vector<Finding>& fs) {
      std::vector<std::string> out;
      for (const auto& f : fs)
        out.push_back(f.rule_id + " " + f.root + " " + f.address + " " + f.tag_key + " " + f.message);
      return out;
    };
    CHECK(entries(d.added) == entries(whole.added));
    CHECK(entries(d.removed) == entries(whole.removed));
    // The estate gives all three kinds.
    CHECK(d.unchanged > 0);
    CHECK_FALSE(d.added.empty());
    CHECK_FALSE(d.removed.empty());
  }
}
