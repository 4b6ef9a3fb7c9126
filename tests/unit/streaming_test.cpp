// Specification of the streamed run (linter/engine/engine.hpp, linter/source/source_manager.hpp):
// a unit's files are released keeping only what the report needs, and deployments are known
// before any template is evaluated, whatever the order of the files.
#include <doctest/doctest.h>

#include <map>
#include <mutex>

#include "linter/engine/check.hpp"
#include "linter/engine/engine.hpp"
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
