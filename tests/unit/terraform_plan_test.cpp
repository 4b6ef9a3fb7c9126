// Plans (`terraform show -json`): effective tags from change.after.tags_all.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "linter/frontend/terraform/plan_loader.hpp"
#include "tests/unit/terraform_test_support.hpp"

using namespace tagwarden;
using Strings = std::vector<std::string>;

namespace {

std::string read_fixture(const std::string& rel) {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Strings tag_list(const Resource& r) {
  Strings out;
  for (const auto& e : r.variants.at(0).entries) out.push_back(e.key + "=" + e.value.value_or("?"));
  return out;
}

}  // namespace

TEST_CASE("plan resources come from resource_changes, deletes and data sources skipped") {
  std::string text = read_fixture("fixtures/plan/basic/plan.json");
  REQUIRE_FALSE(text.empty());
  DocResult doc = parse_json(0, text);
  REQUIRE(doc.root);
  FrontendResult r = terraform::load_plan(*doc.root, "plan.json");
  CHECK(r.errors.empty());
  Strings addresses;
  for (const auto& res : r.resources) addresses.push_back(res.address);
  CHECK(addresses == Strings{"aws_s3_bucket.logs", "aws_instance.web", "aws_sqs_queue.q",
                             "module.net[\"x\"].aws_subnet.a", "aws_iam_role_policy_attachment.p"});
  for (const auto& res : r.resources) {
    CHECK(res.format == "terraform-plan");
    CHECK(res.file_hint == "plan.json");
    CHECK_FALSE(res.span.valid());
  }
  CHECK(tag_list(r.resources[0]) == Strings{"Name=logs", "Team=platform"});
  CHECK(r.resources[0].variants[0].entries[0].origin.kind == OriginKind::kPlan);
  CHECK(r.resources[0].variants[0].entries[0].origin.detail == "plan tags_all (resource tags)");
  // The provider configuration comes from the plan's configuration section.
  CHECK(r.resources[0].variants[0].entries[1].origin.detail == "plan tags_all (provider aws.west default_tags)");
  CHECK(r.resources[3].variants[0].entries[0].origin.detail == "plan tags_all (provider net:aws default_tags)");
  // A per-key unknown from after_unknown.tags_all.
  CHECK(tag_list(r.resources[1]) == Strings{"Name=web", "Owner=?"});
  CHECK(r.resources[1].variants[0].keys_known);
  // The whole tags_all unknown.
  CHECK_FALSE(r.resources[2].variants[0].keys_known);
  // A null value is no tag.
  CHECK(tag_list(r.resources[3]) == Strings{"Team=net"});
  CHECK(r.resources[4].taggable == Taggable::kNo);
}

TEST_CASE("a plan resource points at the HCL of the same address when it is in the run") {
  tw_test::Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
resource "aws_s3_bucket" "logs" {
  tags = { Name = "logs" }
}
)");
  std::string text = read_fixture("fixtures/plan/basic/plan.json");
  FileId id = run.sources.add("plan.json", text);
  DocResult doc = parse_json(id, text);
  REQUIRE(doc.root);
  ParsedDoc plan{id, "plan.json", std::shared_ptr<const DocNode>(std::move(doc.root))};
  run.go({"m"}, {plan});
  // The HCL resource is superseded by the plan's view of the same address.
  int count = 0;
  for (const auto& r : run.result.resources) count += r.address == "aws_s3_bucket.logs";
  CHECK(count == 1);
  const Resource* r = run.resource("aws_s3_bucket.logs");
  REQUIRE(r);
  CHECK(r->format == "terraform-plan");
  CHECK(run.text(r->span).rfind("resource \"aws_s3_bucket\" \"logs\"", 0) == 0);
  CHECK(run.text(r->tags_span) == "tags = { Name = \"logs\" }");
  CHECK(run.resource("aws_instance.web")->file_hint == "plan.json");
}

TEST_CASE("a plan in one root of a monorepo never takes over another root's resource of the same address") {
  tw_test::Run run;
  const char* bucket = R"(
provider "aws" {}
resource "aws_s3_bucket" "logs" {
  tags = { Name = "logs" }
}
)";
  run.file("a/main.tf", bucket);
  run.file("b/main.tf", bucket);
  std::string text = read_fixture("fixtures/plan/basic/plan.json");
  FileId id = run.sources.add("b/plan.json", text);
  DocResult doc = parse_json(id, text);
  REQUIRE(doc.root);
  ParsedDoc plan{id, "b/plan.json", std::shared_ptr<const DocNode>(std::move(doc.root))};
  run.go({"a", "b"}, {plan});
  // a's bucket stays as its HCL says; b's is the plan's view, pointing at b's HCL.
  std::vector<const Resource*> logs;
  for (const auto& r : run.result.resources)
    if (r.address == "aws_s3_bucket.logs") logs.push_back(&r);
  REQUIRE(logs.size() == 2);
  CHECK(logs[0]->format == "terraform");
  CHECK(logs[0]->root == "a");
  CHECK(logs[1]->format == "terraform-plan");
  CHECK(run.sources.file(logs[1]->span.file).path() == "b/main.tf");
}

TEST_CASE("malformed plans are errors, not crashes") {
  DocResult doc = parse_json(0, R"({"resource_changes": [1, {"address": "x"}]})");
  REQUIRE(doc.root);
  FrontendResult r = terraform::load_plan(*doc.root, "bad.json");
  CHECK(r.resources.empty());
  CHECK(r.errors.size() == 2);
  DocResult doc2 = parse_json(0, R"({"resource_changes": {}})");
  CHECK(terraform::load_plan(*doc2.root, "bad.json").errors.size() == 1);
}
