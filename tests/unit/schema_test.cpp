// The schema model: reading version 1 files (JSON Schema validation with positions), RE2
// patterns on non-ASCII text, scopes over the three type-naming schemes, per-service tag rules,
// and key_status, the per-resource, per-key answer a coverage report builds on.
#include "linter/schema/schema.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "linter/schema/json_schema.hpp"
#include "linter/schema/key_status.hpp"
#include "linter/schema/regex.hpp"
#include "linter/schema/resource_types.hpp"
#include "linter/schema/tag_rules.hpp"

using namespace tagwarden;

namespace {

struct Loaded {
  SourceManager sm;
  std::optional<Schema> schema;
  std::vector<Error> errors;

  explicit Loaded(std::string text) {
    FileId id = sm.add("schema.yaml", std::move(text));
    schema = load_schema(sm, id, errors);
  }
  /// "line:col message" of each error.
  std::vector<std::string> where() const {
    std::vector<std::string> out;
    for (const auto& e : errors) {
      LineCol lc = sm.begin_of(e.span);
      out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + " " + e.message);
    }
    return out;
  }
};

Resource resource(std::string type, std::string address,
                  std::vector<std::pair<std::string, std::optional<std::string>>> tags) {
  Resource r;
  r.type = std::move(type);
  r.address = std::move(address);
  TagSet set;
  for (auto& [k, v] : tags) {
    TagEntry e;
    e.key = k;
    e.value = v;
    set.entries.push_back(e);
  }
  r.variants.push_back(set);
  return r;
}

}  // namespace

TEST_CASE("RE2 patterns match UTF-8 text by code point and know Unicode classes") {
  CHECK(Regex::compile("^\\p{L}+( \\p{L}+)*$").search("Zoë Müller"));
  CHECK(Regex::compile("^.{3}$").search("日本語"));  // three code points, nine bytes
  CHECK_FALSE(Regex::compile("^.{3}$").search("日本"));
  CHECK(Regex::compile("^[a-zäöü-]+$").search("größe-ä") == false);  // ß is not in the class
  CHECK(Regex::compile("CC-[0-9]{4}").search("team CC-1234"));       // searched, not anchored
  CHECK(Regex::compile("(?i)^prod$").search("PROD"));
  Regex bad = Regex::compile("^(?=x)");  // lookahead: not RE2
  CHECK_FALSE(bad.ok());
  CHECK_FALSE(bad.error().empty());
}

TEST_CASE("version 1 schemas written before the new fields still load") {
  Loaded l(
      "version: 1\ntags:\n  CostCenter: {required: true, pattern: '^CC-[0-9]{4}$'}\n"
      "  Environment: {required: true, values: [production, staging, dev]}\n  Application: {}\n  Team:\n");
  REQUIRE(l.schema);
  CHECK(l.schema->tags.size() == 4);
  CHECK(l.schema->tags[0].pattern->search("CC-1234"));
}

TEST_CASE("every new field is read") {
  Loaded l(R"(version: 1
applies_to: [aws_*, "AWS::*"]
except: ["AWS::CloudFormation::*"]
skip: ["module.legacy.*"]
limits: {max_tags: 40, max_key_length: 64, max_value_length: 128, service_rules: false}
tags:
  CostCenter:
    required: ["ec2:ALL_SUPPORTED"]
    values: ["CC-*"]
    case: insensitive
    value_case: upper
    severity: warning
    description: finance cost centre
    applies_to: [aws_instance]
    except: [aws_spot_instance_request]
  Legacy: {values: []}
)");
  REQUIRE(l.schema);
  const Schema& s = *l.schema;
  CHECK(s.scope.applies_to == std::vector<std::string>{"aws_*", "AWS::*"});
  CHECK(s.skip == std::vector<std::string>{"module.legacy.*"});
  CHECK(s.limits.max_tags == 40);
  CHECK_FALSE(s.limits.service_rules);
  const TagSpec& cc = s.tags[0];
  CHECK(cc.required_for == std::vector<std::string>{"ec2:ALL_SUPPORTED"});
  CHECK(cc.key_case == KeyCase::kInsensitive);
  CHECK(cc.value_case == ValueCase::kUpper);
  CHECK(cc.severity == Level::kWarning);
  CHECK(cc.description == "finance cost centre");
  CHECK(cc.allows("CC-12"));
  CHECK_FALSE(cc.allows("CC-ab"));  // value_case upper
  CHECK(s.tags[1].forbidden);
}

TEST_CASE("schema errors come from the JSON Schema, at the offending line and column") {
  Loaded l("version: 1\ntags:\n  CostCenter:\n    requird: true\n    case: Exact\n  Env: {values: prod}\nextra: 1\n");
  CHECK_FALSE(l.schema);
  auto w = l.where();
  REQUIRE(w.size() == 4);
  CHECK(w[0].rfind("4:5 unknown field `requird` in `CostCenter`", 0) == 0);
  CHECK(w[1] == "5:11 `case` must be `exact` or `insensitive`");
  CHECK(w[2] == "6:17 `values` must be a list of strings");
  CHECK(w[3].rfind("7:1 unknown field `extra` in the schema", 0) == 0);
}

TEST_CASE("a missing or wrong version is an error") {
  CHECK(Loaded("tags: {}\n").where() == std::vector<std::string>{"1:1 the schema has no `version`"});
  CHECK(Loaded("version: 2\ntags: {}\n").where() ==
        std::vector<std::string>{"1:10 `version` must be 1 (this tagwarden reads version 1)"});
}

TEST_CASE("two keys that differ only by case are a schema error") {
  Loaded l("version: 1\ntags:\n  CostCenter: {}\n  costcenter: {}\n");
  CHECK_FALSE(l.schema);
  REQUIRE(l.errors.size() == 1);
  CHECK(l.where()[0].rfind("4:3 tag `costcenter` differs from `CostCenter` only by letter case", 0) == 0);
}

TEST_CASE("a pattern RE2 cannot compile is an error at the pattern") {
  Loaded l("version: 1\ntags:\n  A: {pattern: '(?<=x)y'}\n");
  CHECK_FALSE(l.schema);
  REQUIRE(l.errors.size() == 1);
  CHECK(l.where()[0].rfind("3:16 invalid regular expression", 0) == 0);
}

TEST_CASE("the schema file's own JSON Schema is valid JSON and names every field") {
  const auto& js = tagwarden_json_schema();
  CHECK(js.at("properties").contains("limits"));
  for (const char* f :
       {"required", "values", "pattern", "case", "value_case", "severity", "description", "applies_to", "except"}) {
    CHECK(js.at("$defs").at("tag").at("properties").contains(f));
  }
}

TEST_CASE("resource names: a type answers to its tag-policy type and the other format's types") {
  const ResourceTypes& t = ResourceTypes::aws();
  auto tf = t.names_for("aws_security_group");
  CHECK(std::find(tf.begin(), tf.end(), "ec2:security-group") != tf.end());
  CHECK(std::find(tf.begin(), tf.end(), "AWS::EC2::SecurityGroup") != tf.end());
  auto cfn = t.names_for("AWS::RDS::DBInstance");
  CHECK(std::find(cfn.begin(), cfn.end(), "rds:db") != cfn.end());
  // The provider's rds:cluster row names only DocumentDB; RDS and Neptune clusters share the type.
  auto cluster = t.names_for("aws_rds_cluster");
  CHECK(std::find(cluster.begin(), cluster.end(), "rds:cluster") != cluster.end());
  CHECK(std::find(cluster.begin(), cluster.end(), "AWS::RDS::DBCluster") != cluster.end());
  auto rest = t.names_for("AWS::ApiGateway::RestApi");
  CHECK(std::find(rest.begin(), rest.end(), "apigateway:restapis") != rest.end());
  CHECK(std::find(rest.begin(), rest.end(), "aws_api_gateway_rest_api") != rest.end());
  // The provider's table spells some types in camelCase, AWS's page in lowercase.
  REQUIRE(t.find("appmesh:mesh/virtualNode"));
  CHECK(t.find("appmesh:mesh/virtualNode")->name == "appmesh:mesh/virtualnode");
  CHECK(t.find("s3:ALL_SUPPORTED")->enforceable);
  CHECK_FALSE(t.find("s3:accesspoint")->enforceable);
  CHECK(t.expand("ec2:*").size() > 50);
}

TEST_CASE("a SAM type answers to the names of the CloudFormation type the transform makes of it") {
  // Regression: `required: [lambda:function]` skipped every AWS::Serverless::Function.
  const ResourceTypes& t = ResourceTypes::aws();
  auto fn = t.names_for("AWS::Serverless::Function");
  CHECK(fn.front() == "AWS::Serverless::Function");
  for (const char* n : {"AWS::Lambda::Function", "lambda:function", "aws_lambda_function"})
    CHECK(std::find(fn.begin(), fn.end(), n) != fn.end());
  auto api = t.names_for("AWS::Serverless::Api");
  CHECK(std::find(api.begin(), api.end(), "apigateway:restapis") != api.end());
  auto table = t.names_for("AWS::Serverless::SimpleTable");
  CHECK(std::find(table.begin(), table.end(), "dynamodb:table") != table.end());
  // HttpApi becomes an AWS::ApiGatewayV2::Api, which has no tag-policy type.
  CHECK(t.names_for("AWS::Serverless::HttpApi") ==
        std::vector<std::string>{"AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api"});
  CHECK_FALSE(t.has_policy_type("AWS::Serverless::HttpApi"));
  CHECK(t.has_policy_type("AWS::Serverless::StateMachine"));
  // Not the other way round: a Lambda function is no SAM resource.
  auto lambda = t.names_for("aws_lambda_function");
  CHECK(std::find(lambda.begin(), lambda.end(), "AWS::Serverless::Function") == lambda.end());
  CHECK(scope_glob_match("lambda:*", fn));
  CHECK_FALSE(scope_glob_match("AWS::Serverless::*", lambda));
}

TEST_CASE("scope globs match any naming scheme, ignoring case, with ALL_SUPPORTED as a service wildcard") {
  std::vector<std::string> names = ResourceTypes::aws().names_for("aws_instance");
  CHECK(scope_glob_match("aws_*", names));
  CHECK(scope_glob_match("AWS::EC2::*", names));
  CHECK(scope_glob_match("ec2:ALL_SUPPORTED", names));
  CHECK(scope_glob_match("EC2:Instance", names));
  CHECK_FALSE(scope_glob_match("s3:ALL_SUPPORTED", names));
  TypeScope scope{{"aws_*"}, {"ec2:*"}};
  CHECK_FALSE(scope.contains(names));
  CHECK(scope.contains(ResourceTypes::aws().names_for("aws_s3_bucket")));
}

TEST_CASE("per-service tag rules: EC2 any character, DynamoDB no @, S3 objects 10 tags, under the schema's limits") {
  auto rules = [](std::string type, const Schema* s = nullptr) {
    return tag_rules_for(resource(std::move(type), "r", {}), s);
  };
  CHECK(rules("aws_security_group").any_character);
  CHECK(rules("AWS::EC2::SecurityGroup").any_character);
  CHECK(rules("aws_s3_bucket").allows(U'@'));
  CHECK_FALSE(rules("aws_s3_bucket").allows(U'('));
  CHECK_FALSE(rules("aws_dynamodb_table").allows(U'@'));
  CHECK(rules("aws_dynamodb_table").allows(U'é'));
  CHECK(rules("aws_s3_object").max_tags == 10);
  CHECK(rules("aws_s3_bucket").max_tags == 50);
  Schema s;
  s.limits.max_tags = 40;
  CHECK(rules("aws_s3_bucket", &s).max_tags == 40);
  CHECK(rules("aws_s3_bucket", &s).max_tags_from_schema);
  CHECK(rules("aws_s3_object", &s).max_tags == 10);  // a schema limit only lowers AWS's
  s.limits.service_rules = false;
  CHECK_FALSE(rules("aws_security_group", &s).any_character);
}

TEST_CASE("key_status: compliant, invalid, missing, absent, unknown, not applicable") {
  Loaded l(
      "version: 1\nskip: [legacy.*]\ntags:\n  CostCenter: {required: true, values: ['1*']}\n"
      "  Owner: {}\n  Env: {values: [prod], applies_to: ['s3:*']}\n");
  REQUIRE(l.schema);
  const Schema& s = *l.schema;
  auto status = [&](const Resource& r, int key) {
    return key_status(s, s.tags[static_cast<std::size_t>(key)], r, r.variants[0]);
  };
  Resource ok = resource("aws_s3_bucket", "a", {{"CostCenter", "100"}, {"Env", "prod"}});
  CHECK(status(ok, 0) == KeyStatus::kCompliant);
  CHECK(status(ok, 1) == KeyStatus::kAbsent);
  CHECK(status(ok, 2) == KeyStatus::kCompliant);
  Resource bad = resource("aws_instance", "b", {{"costcenter", "100"}, {"Env", "dev"}});
  CHECK(status(bad, 0) == KeyStatus::kInvalid);        // wrong case
  CHECK(status(bad, 2) == KeyStatus::kNotApplicable);  // Env applies to S3 only
  Resource none = resource("aws_instance", "c", {{"CostCenter", std::nullopt}});
  CHECK(status(none, 0) == KeyStatus::kUnknown);
  Resource missing = resource("aws_instance", "d", {});
  CHECK(status(missing, 0) == KeyStatus::kMissing);
  missing.variants[0].keys_known = false;
  CHECK(status(missing, 0) == KeyStatus::kUnknown);
  Resource skipped = resource("aws_instance", "legacy.x", {});
  CHECK(status(skipped, 0) == KeyStatus::kNotApplicable);
}

TEST_CASE("a requirement named by tag-policy type notes each covered type that has none") {
  // Regression: `required: [apigateway:*]` skipped AWS::ApiGatewayV2::Api without a word.
  Loaded l("version: 1\ntags:\n  Owner: {required: ['AWS::Lambda::Function', 'apigateway:*']}\n  Team: {}\n");
  REQUIRE(l.schema);
  REQUIRE(l.schema->policy_scoped_requirement());
  CHECK(l.schema->policy_scoped_requirement()->key == "Owner");
  CHECK(l.schema->beyond_policy_types(resource("AWS::ApiGatewayV2::Api", "Http", {})));
  CHECK(l.schema->beyond_policy_types(resource("AWS::Serverless::HttpApi", "Http", {})));
  CHECK_FALSE(l.schema->beyond_policy_types(resource("AWS::Serverless::Function", "Fn", {})));
  Resource untaggable = resource("AWS::IAM::Policy", "P", {});
  untaggable.taggable = Taggable::kNo;
  CHECK_FALSE(l.schema->beyond_policy_types(untaggable));
  auto notes = unmapped_type_notes(*l.schema, {{"AWS::ApiGatewayV2::Api", 2}, {"AWS::Serverless::HttpApi", 1}});
  REQUIRE(notes.size() == 2);
  CHECK(notes[0].message ==
        "resource type `AWS::ApiGatewayV2::Api` (2 resources) has no AWS tag-policy type, so requirements named by "
        "tag-policy type (`Owner` on `AWS::Lambda::Function`, `apigateway:*`) do not apply to it; name "
        "`AWS::ApiGatewayV2::Api` itself to require keys on it");
  CHECK(l.sm.begin_of(notes[0].span).line == 3);

  // Types named only by CloudFormation or Terraform name reach what they name: nothing to note.
  Loaded plain("version: 1\ntags:\n  Owner: {required: ['AWS::Lambda::*', 'aws_lambda_*']}\n");
  REQUIRE(plain.schema);
  CHECK_FALSE(plain.schema->beyond_policy_types(resource("AWS::ApiGatewayV2::Api", "Http", {})));
  CHECK(unmapped_type_notes(*plain.schema, {{"AWS::ApiGatewayV2::Api", 2}}).empty());
}
