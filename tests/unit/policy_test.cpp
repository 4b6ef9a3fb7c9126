// AWS Organizations tag policies: merging levels with the inheritance operators, the effective
// policy, the schema a policy means, lint problems, ListRequiredTags, and the promise that a
// native schema and a tag policy with the same rules find the same things.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <tuple>

#include "linter/engine/check.hpp"
#include "linter/policy/required_tags.hpp"
#include "linter/policy/schema_loader.hpp"
#include "linter/policy/tag_policy.hpp"
#include "linter/source/reader.hpp"

using namespace tagwarden;

namespace {

/// Policies level by level, each level a list of JSON texts in attachment order.
struct Policies {
  SourceManager sm;
  std::vector<std::vector<PolicyDoc>> levels;
  std::vector<PolicyProblem> problems;

  Policies& level(std::vector<std::string> texts) {
    levels.emplace_back();
    for (auto& t : texts) {
      FileId id = sm.add(fmt::format("p{}.json", sm.size()), std::move(t));
      std::vector<Error> errors;
      auto doc = read_tag_policy(sm, id, errors);
      REQUIRE(doc);
      levels.back().push_back(std::move(*doc));
    }
    return *this;
  }
  EffectivePolicy merge() { return merge_tag_policies(levels, problems); }
  std::string effective() { return render_effective_policy(merge()); }
  std::vector<std::string> codes() {
    std::vector<std::string> out;
    for (const auto& p : lint_tag_policies(sm, levels)) out.push_back(p.code);
    return out;
  }
};

const EffectiveKey* key(const EffectivePolicy& p, std::string_view name) {
  for (const auto& k : p.keys)
    if (k.policy_key == name) return &k;
  return nullptr;
}

}  // namespace

TEST_CASE("@@assign in a child policy overwrites the parent's values (AWS inheritance example 1)") {
  Policies p;
  p.level(
      {R"({"tags": {"costcenter": {"tag_key": {"@@assign": "CostCenter"}, "tag_value": {"@@assign": ["Development", "Support"]}}}})"});
  p.level(
      {R"({"tags": {"costcenter": {"tag_value": {"@@assign": ["Sandbox"]}, "enforced_for": {"@@assign": ["redshift:*", "dynamodb:table"]}}}})"});
  auto e = p.merge();
  const EffectiveKey* k = key(e, "costcenter");
  REQUIRE(k);
  CHECK(k->tag_key.text == "CostCenter");
  CHECK(k->tag_value.items == std::vector<std::string>{"Sandbox"});
  CHECK(k->enforced_for.items == std::vector<std::string>{"redshift:*", "dynamodb:table"});
  CHECK(p.problems.empty());
}

TEST_CASE("@@append adds to and @@remove takes from inherited values, across three levels") {
  Policies p;
  p.level({R"({"tags": {"costcenter": {"tag_value": {"@@assign": ["Development", "Support"]}}}})"});
  p.level({R"({"tags": {"costcenter": {"tag_value": {"@@append": ["Marketing", "Support"]}}}})"});
  p.level({R"({"tags": {"CostCenter": {"tag_value": {"@@remove": ["Development", "NotThere"]}}}})"});
  auto e = p.merge();
  const EffectiveKey* k = key(e, "costcenter");
  REQUIRE(k);
  // Appending a value already there does not repeat it; policy keys ignore case.
  CHECK(k->tag_value.items == std::vector<std::string>{"Support", "Marketing"});
}

TEST_CASE("a list emptied by @@remove leaves the effective policy; an assigned empty tag_value stays") {
  Policies p;
  p.level(
      {R"({"tags": {"a": {"enforced_for": {"@@assign": ["ec2:instance"]}}, "b": {"tag_value": {"@@assign": []}}}})"});
  p.level({R"({"tags": {"a": {"enforced_for": {"@@remove": ["ec2:instance"]}}}})"});
  CHECK(p.effective() == "{\n  \"tags\": {\n    \"a\": {},\n    \"b\": {\n      \"tag_value\": []\n    }\n  }\n}\n");
}

TEST_CASE("a parent's @@operators_allowed_for_child_policies limits every level below it (example 4)") {
  Policies p;
  p.level(
      {R"({"tags": {"project": {"tag_key": {"@@operators_allowed_for_child_policies": ["@@none"], "@@assign": "Project"},
                                     "tag_value": {"@@operators_allowed_for_child_policies": ["@@append"], "@@assign": ["Maintenance"]}}}})"});
  p.level({R"({"tags": {"project": {"tag_value": {"@@append": ["Escalations"]}}}})"});
  // Two levels down the restriction still holds: a child cannot widen it.
  p.level({R"({"tags": {"project": {"tag_key": {"@@assign": "PROJECT"}, "tag_value": {"@@assign": ["X"]}}}})"});
  auto e = p.merge();
  const EffectiveKey* k = key(e, "project");
  REQUIRE(k);
  CHECK(k->tag_key.text == "Project");
  CHECK(k->tag_value.items == std::vector<std::string>{"Maintenance", "Escalations"});
  REQUIRE(p.problems.size() == 2);
  CHECK(p.problems[0].code == "operator-not-allowed");
  CHECK(p.problems[1].code == "operator-not-allowed");
}

TEST_CASE("a restriction under `tags` or on a policy key applies to all settings below it") {
  Policies p;
  p.level(
      {R"({"tags": {"@@operators_allowed_for_child_policies": ["@@append"], "a": {"tag_value": {"@@assign": ["1"]}}}})"});
  p.level({R"({"tags": {"a": {"tag_value": {"@@assign": ["2"]}}}})"});
  auto e = p.merge();
  CHECK(key(e, "a")->tag_value.items == std::vector<std::string>{"1"});
  CHECK(p.problems.size() == 1);
}

TEST_CASE("policies on one level intersect their child controls (example 5)") {
  Policies p;
  p.level(
      {R"({"tags": {"project": {"tag_value": {"@@operators_allowed_for_child_policies": ["@@append"], "@@assign": ["Maintenance"]}}}})",
       R"({"tags": {"project": {"tag_value": {"@@operators_allowed_for_child_policies": ["@@append", "@@remove"]}}}})"});
  p.level({R"({"tags": {"project": {"tag_value": {"@@append": ["New"], "@@remove": ["Maintenance"]}}}})"});
  auto e = p.merge();
  CHECK(key(e, "project")->tag_value.items == std::vector<std::string>{"Maintenance", "New"});
  REQUIRE(p.problems.size() == 1);
  CHECK(p.problems[0].message.find("@@remove") != std::string::npos);
}

TEST_CASE("a restriction does not bind the other policies of its own level") {
  Policies p;
  p.level(
      {R"({"tags": {"a": {"tag_value": {"@@operators_allowed_for_child_policies": ["@@none"], "@@assign": ["1"]}}}})",
       R"({"tags": {"a": {"tag_value": {"@@append": ["2"]}}}})"});
  auto e = p.merge();
  CHECK(key(e, "a")->tag_value.items == std::vector<std::string>{"1", "2"});
  CHECK(p.problems.empty());
}

TEST_CASE("on one level the first attached policy's assignment wins (example 6)") {
  Policies p;
  p.level({R"({"tags": {"project": {"tag_key": {"@@assign": "PROJECT"}, "tag_value": {"@@append": ["Maintenance"]}}}})",
           R"({"tags": {"project": {"tag_key": {"@@assign": "project"}}}})"});
  auto e = p.merge();
  CHECK(key(e, "project")->tag_key.text == "PROJECT");
  REQUIRE(p.problems.size() == 1);
  CHECK(p.problems[0].code == "same-level-conflict");
  CHECK(p.problems[0].level == Level::kNote);
}

TEST_CASE("the effective policy lists policy keys sorted, settings in AWS's order, operators stripped") {
  Policies p;
  p.level(
      {R"({"tags": {"zeta": {"report_required_tag_for": {"@@assign": ["ec2:instance"]}, "tag_key": {"@@assign": "Zeta"}},
                         "alpha": {"tag_value": {"@@assign": ["1"]}}}})"});
  CHECK(p.effective() ==
        "{\n  \"tags\": {\n    \"alpha\": {\n      \"tag_value\": [\n        \"1\"\n      ]\n    },\n"
        "    \"zeta\": {\n      \"tag_key\": \"Zeta\",\n      \"report_required_tag_for\": [\n        "
        "\"ec2:instance\"\n      ]\n    }\n  }\n}\n");
}

TEST_CASE("the schema of a policy: tag_key or the lowercase policy key, exact case, values, required types") {
  Policies p;
  p.level({R"({"tags": {"CostCenter": {"report_required_tag_for": {"@@assign": ["ec2:ALL_SUPPORTED"]}},
                         "env": {"tag_key": {"@@assign": "Env"}, "tag_value": {"@@assign": ["prod*"]}, "enforced_for": {"@@assign": ["ec2:instance"]}},
                         "old": {"tag_value": {"@@assign": []}}}})"});
  Schema s = schema_from_policy(p.merge(), kNoFile);
  REQUIRE(s.tags.size() == 3);
  CHECK(s.kind == SchemaKind::kTagPolicy);
  CHECK(s.tags[0].key == "costcenter");
  CHECK(s.tags[0].key_case == KeyCase::kExact);
  CHECK(s.tags[0].required_on({"aws_instance", "ec2:instance"}));
  CHECK_FALSE(s.tags[0].required_on({"aws_s3_bucket", "s3:bucket"}));
  CHECK(s.tags[1].key == "Env");
  CHECK(s.tags[1].allows("production"));
  CHECK_FALSE(s.tags[1].allows("dev"));
  CHECK(s.tags[1].enforced_for == std::vector<std::string>{"ec2:instance"});
  CHECK(s.tags[2].forbidden);
  CHECK_FALSE(s.tags[2].allows(""));
  CHECK(s.notes.empty());
}

TEST_CASE("a policy type that maps to no Terraform or CloudFormation type is noted once") {
  Policies p;
  p.level({R"({"tags": {"a": {"enforced_for": {"@@assign": ["rds:cluster-endpoint", "ec2:instance"]}},
                         "b": {"enforced_for": {"@@assign": ["rds:cluster-endpoint"]}}}})"});
  Schema s = schema_from_policy(p.merge(), kNoFile);
  REQUIRE(s.notes.size() == 1);
  CHECK(s.notes[0].message.find("rds:cluster-endpoint") != std::string::npos);
  auto codes = p.codes();
  CHECK(std::count(codes.begin(), codes.end(), "unmapped-type") == 1);
}

TEST_CASE("policy lint: one code per problem") {
  auto codes_of = [](std::string text) { return Policies().level({std::move(text)}).codes(); };
  CHECK(codes_of(R"({"tags": {"a": {"tag_value": {"@@assign": ["*@*.com", "*@x.com"]}}}})") ==
        std::vector<std::string>{"too-many-wildcards"});
  CHECK(codes_of(R"({"tags": {"costcenter": {"tag_key": {"@@assign": "CostCentre"}}}})") ==
        std::vector<std::string>{"key-mismatch"});
  CHECK(codes_of(R"({"tags": {"costcenter": {"tag_key": {"@@assign": "COSTCENTER"}}}})").empty());
  CHECK(codes_of(R"({"tags": {"a": {"enforced_for": {"@@assign": ["ec2:instanse"]}}}})") ==
        std::vector<std::string>{"unknown-resource-type"});
  CHECK(codes_of(R"({"tags": {"a": {"enforced_for": {"@@assign": ["*:*"]}}}})") ==
        std::vector<std::string>{"unknown-resource-type"});
  CHECK(codes_of(R"({"tags": {"a": {"enforced_for": {"@@assign": ["s3:accesspoint"]}}}})") ==
        std::vector<std::string>{"not-enforceable"});
  CHECK(codes_of(R"({"tags": {"a": {"enforced_for": {"@@assign": ["secretsmanager:*", "ec2:ALL_SUPPORTED"]}}}})")
            .empty());
  CHECK(codes_of(R"({"tags": {"a": {"report_required_tag_for": {"@@assign": ["iam:policy"]}}}})") ==
        std::vector<std::string>{"not-reportable"});
  CHECK(codes_of(R"({"tags": {"a": {}, "A": {}}})") == std::vector<std::string>{"duplicate-policy-key"});
  CHECK(codes_of(R"({"tags": {"a": {"tag_key": {"@@append": "A"}}}})") == std::vector<std::string>{"invalid-syntax"});
  std::string big = R"({"tags": {"a": {"tag_value": {"@@assign": [")" + std::string(10'000, 'x') + R"("]}}}})";
  CHECK(codes_of(big) == std::vector<std::string>{"policy-too-large"});
}

TEST_CASE("is_tag_policy tells a tag policy from a native schema without version") {
  auto root = [](std::string text) { return parse_json(0, text).root; };
  CHECK(is_tag_policy(*root(R"({"tags": {"CostCenter": {}}})")));
  CHECK(is_tag_policy(*root(R"({"tags": {"a": {"tag_key": {"@@assign": "A"}}}})")));
  CHECK_FALSE(is_tag_policy(*root(R"({"tags": {"a": {"required": true}}})")));
  CHECK_FALSE(is_tag_policy(*root(R"({"version": 1, "tags": {"a": {}}})")));
}

TEST_CASE("a ListRequiredTags response: each key required on its resource and CloudFormation types") {
  std::string text = R"({"RequiredTags": [
      {"ResourceType": "ec2:instance", "CloudFormationResourceTypes": ["AWS::EC2::Instance"], "ReportingTagKeys": ["CostCenter", "Owner"]},
      {"ResourceType": "s3:bucket", "ReportingTagKeys": ["CostCenter"]}], "NextToken": null})";
  auto doc = parse_json(0, text);
  REQUIRE(is_required_tags_response(*doc.root));
  std::vector<Error> errors;
  auto s = schema_from_required_tags(*doc.root, 0, errors);
  REQUIRE(s);
  CHECK(errors.empty());
  REQUIRE(s->tags.size() == 2);
  CHECK(s->tags[0].key == "CostCenter");
  CHECK(s->tags[0].required_for == std::vector<std::string>{"ec2:instance", "AWS::EC2::Instance", "s3:bucket"});
  CHECK(s->tags[1].required_on({"aws_instance", "ec2:instance"}));
  CHECK_FALSE(s->tags[1].required_on({"aws_s3_bucket", "s3:bucket"}));
  auto bad = parse_json(0, R"({"RequiredTags": [{"ReportingTagKeys": ["A"]}]})");
  CHECK_FALSE(schema_from_required_tags(*bad.root, 0, errors));
  CHECK_FALSE(errors.empty());
}

TEST_CASE("policy levels: one argument per level, commas join the policies of one level") {
  auto levels = policy_levels({"root.json", "ou-a.json,ou-b.json", "acct.json"});
  REQUIRE(levels.size() == 3);
  CHECK(levels[1] == std::vector<std::string>{"ou-a.json", "ou-b.json"});
}

namespace {
using Key = std::tuple<std::string, std::string, std::string, Level, std::string, std::uint32_t>;

std::vector<Key> check_with(const std::string& schema) {
  std::string dir = std::string(TW_SOURCE_DIR) + "/fixtures/policy/equivalence";
  CheckOptions options;
  options.run.paths = {dir + "/inputs"};
  options.schema_paths = {dir + "/" + schema};
  SourceManager sources;
  auto reader = make_disk_reader();
  CheckResult result = run_check(options, sources, *reader);
  REQUIRE(result.schema_loaded);
  REQUIRE(result.errors.empty());
  std::vector<Key> out;
  for (const auto& f : result.findings) {
    out.emplace_back(f.rule_id, f.address, f.tag_key, f.level, span_path(sources, f.primary, f.file_hint),
                     f.primary.begin);
  }
  return out;
}
}  // namespace

TEST_CASE("the same rules as a native schema and as a tag policy give the same findings") {
  auto native = check_with("native/schema.yaml");
  auto policy = check_with("policy/policy.json");
  CHECK(native.size() >= 10);  // the inputs break every kind of rule; see the fixture's README
  CHECK(native == policy);
  std::set<std::string> rules;
  for (const auto& k : native) rules.insert(std::get<0>(k));
  CHECK(rules == std::set<std::string>{"TW001", "TW002", "TW003", "TW008", "TW009"});
}
