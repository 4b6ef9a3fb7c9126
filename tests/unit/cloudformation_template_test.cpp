// The CloudFormation/SAM front end: template in, effective tag sets out (unknowns included).
#include <doctest/doctest.h>

#include <algorithm>

#include "linter/frontend/cloudformation/cfn_types.hpp"
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/intrinsics.hpp"
#include "linter/frontend/cloudformation/parameter_values.hpp"

using namespace tagwarden;

namespace {

struct Harness {
  RunOptions options;
  SourceManager sources;
  MemoryReader reader;
  LoadContext ctx{options, sources, reader};

  FrontendResult run(const std::string& text, bool yaml = true, TemplateOptions topt = {}) {
    FileId id = sources.add(yaml ? "t.yaml" : "t.json", text);
    DocResult r = yaml ? parse_yaml(id, text) : parse_json(id, text);
    REQUIRE(r.errors.empty());
    ParsedDoc doc{id, yaml ? "t.yaml" : "t.json", std::shared_ptr<const DocNode>(std::move(r.root))};
    return evaluate_template(ctx, doc, topt);
  }
};

const Resource& only(const FrontendResult& r) {
  REQUIRE(r.resources.size() == 1);
  return r.resources[0];
}

const TagEntry* find(const TagSet& s, const std::string& key) {
  for (const auto& e : s.entries) {
    if (e.key == key) return &e;
  }
  return nullptr;
}

std::string value_of(const TagSet& s, const std::string& key) {
  const TagEntry* e = find(s, key);
  if (!e) return "<absent>";
  return e->value ? *e->value : "<unknown>";
}

std::string one_value(const std::string& value_yaml, const std::string& extra = "") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String, Default: prod}\n  NoDef: {Type: String}\n"
      "  Subnets: {Type: CommaDelimitedList, Default: 'a, b,c'}\n" +
      extra +
      "Mappings:\n  M:\n    prod: {Owner: ops}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - Key: K\n          Value: " +
      value_yaml + "\n");
  return value_of(only(r).variants.at(0), "K");
}

}  // namespace

TEST_CASE("templates are recognised by content") {
  auto yes = parse_yaml(0, "AWSTemplateFormatVersion: '2010-09-09'\n");
  CHECK(is_cloudformation_template(*yes.root));
  auto res = parse_yaml(0, "Resources:\n  X:\n    Type: Alexa::ASK::Skill\n");
  CHECK(is_cloudformation_template(*res.root));
  auto other = parse_yaml(0, "Resources:\n  X: {kind: Deployment}\nname: chart\n");
  CHECK_FALSE(is_cloudformation_template(*other.root));
  auto list = parse_json(0, "[1,2]");
  CHECK_FALSE(is_cloudformation_template(*list.root));
}

TEST_CASE("list tags keep key and value positions and their origin") {
  Harness h;
  std::string text =
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - Key: Owner\n          Value: team-a\n";
  auto r = h.run(text);
  const Resource& b = only(r);
  CHECK(b.address == "B");
  CHECK(b.format == "cloudformation");
  CHECK(b.taggable == Taggable::kYes);
  CHECK(b.max_user_tags == 50);
  REQUIRE(b.variants.size() == 1);
  const TagEntry* e = find(b.variants[0], "Owner");
  REQUIRE(e);
  CHECK(e->value == "team-a");
  CHECK(text.substr(e->key_span.begin, e->key_span.end - e->key_span.begin) == "Owner");
  CHECK(text.substr(e->value_span.begin, e->value_span.end - e->value_span.begin) == "team-a");
  CHECK(e->origin.kind == OriginKind::kResource);
  CHECK(text.substr(b.span.begin, b.span.end - b.span.begin) == "B");
}

TEST_CASE("JSON and YAML twins give the same tags") {
  Harness hy, hj;
  auto y = hy.run(
      "Parameters:\n  Env: {Type: String, Default: dev}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n"
      "    Properties:\n      Tags:\n        - {Key: Env, Value: !Ref Env}\n"
      "        - {Key: Name, Value: !Sub '${Env}-queue'}\n        - {Key: Az, Value: !GetAtt X.Arn}\n");
  auto j = hj.run(R"({"Parameters": {"Env": {"Type": "String", "Default": "dev"}},
    "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"Tags": [
      {"Key": "Env", "Value": {"Ref": "Env"}},
      {"Key": "Name", "Value": {"Fn::Sub": "${Env}-queue"}},
      {"Key": "Az", "Value": {"Fn::GetAtt": ["X", "Arn"]}}]}}}})",
                  false);
  const TagSet& a = only(y).variants.at(0);
  const TagSet& b = only(j).variants.at(0);
  REQUIRE(a.entries.size() == b.entries.size());
  for (std::size_t i = 0; i < a.entries.size(); ++i) {
    CHECK(a.entries[i].key == b.entries[i].key);
    CHECK(a.entries[i].value == b.entries[i].value);
    CHECK(a.entries[i].unknown_reason == b.entries[i].unknown_reason);
  }
  CHECK(value_of(a, "Name") == "dev-queue");
  CHECK(value_of(a, "Az") == "<unknown>");
  CHECK(find(a, "Az")->unknown_reason == "Fn::GetAtt X.Arn is known only after deployment");
}

TEST_CASE("intrinsic functions evaluate statically where they can") {
  CHECK(one_value("!Ref Env") == "prod");
  CHECK(one_value("!Ref NoDef") == "<unknown>");
  CHECK(one_value("!Ref AWS::Region") == "<unknown>");
  CHECK(one_value("!Sub '${Env}-${!Literal}-x'") == "prod-${Literal}-x");
  CHECK(one_value("!Sub ['${A}/${Env}', {A: !Ref Env}]") == "prod/prod");
  CHECK(one_value("!Sub '${AWS::StackName}-x'") == "<unknown>");
  CHECK(one_value("!Join ['-', [a, !Ref Env, c]]") == "a-prod-c");
  CHECK(one_value("!Join ['+', !Ref Subnets]") == "a+b+c");
  CHECK(one_value("!Select [1, !Split [',', 'x,y,z']]") == "y");
  CHECK(one_value("!Select [5, [a]]") == "<unknown>");
  CHECK(one_value("!FindInMap [M, !Ref Env, Owner]") == "ops");
  CHECK(one_value("!FindInMap [M, dev, Owner, {DefaultValue: nobody}]") == "nobody");
  CHECK(one_value("!FindInMap [M, dev, Owner]") == "<unknown>");
  CHECK(one_value("!Base64 abc") == "YWJj");
  CHECK(one_value("!ImportValue Shared") == "<unknown>");
  CHECK(one_value("!GetAZs ''") == "<unknown>");
  CHECK(one_value("!Ref B") == "<unknown>");
  CHECK(one_value("{'Fn::Join': ['', ['x', {'Ref': 'Env'}]]}") == "xprod");
  CHECK(one_value("!If [IsProd, big, small]", "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n") == "big");
  CHECK(one_value("!If [IsNotProd, big, small]", "Conditions:\n  IsNotProd: !Not [!Equals [!Ref Env, prod]]\n") ==
        "small");
  CHECK(one_value("!If [C, y, n]",
                  "Conditions:\n  A: !Equals [!Ref Env, prod]\n  C: !And [!Condition A, "
                  "!Or [!Equals [x, y], !Equals [1, 1]]]\n") == "y");
}

TEST_CASE("--parameter overrides defaults and pseudo parameters") {
  Harness h;
  TemplateOptions o;
  o.parameters = {{"Env", "test"}, {"AWS::Region", "eu-west-1"}};
  auto r = h.run(
      "Parameters:\n  Env: {Type: String, Default: prod}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - {Key: E, Value: !Ref Env}\n        - {Key: R, Value: !Sub "
      "'${AWS::Region}'}\n",
      true, o);
  CHECK(value_of(only(r).variants[0], "E") == "test");
  CHECK(value_of(only(r).variants[0], "R") == "eu-west-1");
}

TEST_CASE("AWS::NoValue removes a tag or the whole property; a null value is no tag") {
  Harness h;
  auto r = h.run(
      "Conditions:\n  Never: !Equals [a, b]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - !If [Never, {Key: X, Value: x}, !Ref AWS::NoValue]\n"
      "        - {Key: Y, Value: !If [Never, y, !Ref AWS::NoValue]}\n        - {Key: Z, Value: ~}\n"
      "        - {Key: W, Value: w}\n");
  const TagSet& s = only(r).variants.at(0);
  REQUIRE(s.entries.size() == 1);
  CHECK(s.entries[0].key == "W");
  Harness h2;
  auto r2 = h2.run("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: !Ref AWS::NoValue\n");
  CHECK(only(r2).variants.at(0).entries.empty());
  CHECK(only(r2).variants.at(0).keys_known);
}

TEST_CASE("undecided conditions give one tag set per combination, naming it") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - !If [IsProd, {Key: Backup, Value: daily}, !Ref AWS::NoValue]\n"
      "        - {Key: Tier, Value: !If [IsProd, gold, bronze]}\n");
  const Resource& b = only(r);
  REQUIRE(b.variants.size() == 2);
  CHECK(b.variants[0].condition == "IsProd is true");
  CHECK(value_of(b.variants[0], "Backup") == "daily");
  CHECK(value_of(b.variants[0], "Tier") == "gold");
  CHECK(b.variants[1].condition == "IsProd is false");
  CHECK(value_of(b.variants[1], "Backup") == "<absent>");
  CHECK(value_of(b.variants[1], "Tier") == "bronze");
}

TEST_CASE("a resource Condition: false skips it, undecided keeps it and names the condition") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String}\nConditions:\n  Off: !Equals [a, b]\n"
      "  IsProd: !Equals [!Ref Env, prod]\nResources:\n"
      "  Gone:\n    Type: AWS::S3::Bucket\n    Condition: Off\n"
      "  Maybe:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n    Properties:\n      Tags:\n"
      "        - {Key: T, Value: !If [IsProd, p, np]}\n");
  const Resource& m = only(r);
  CHECK(m.address == "Maybe");
  REQUIRE(m.variants.size() == 1);
  CHECK(m.variants[0].condition == "IsProd is true");
  CHECK(value_of(m.variants[0], "T") == "p");
}

TEST_CASE("forty conditions over one parameter: only referenced ones are enumerated, and consistently") {
  std::string text = "Parameters:\n  P: {Type: String}\nConditions:\n";
  for (int i = 0; i < 40; ++i) text += "  C" + std::to_string(i) + ": !Equals [!Ref P, v" + std::to_string(i) + "]\n";
  text +=
      "Resources:\n  Few:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - {Key: A, Value: !If [C1, x, y]}\n";
  text += "  Many:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n";
  for (int i = 0; i < 40; ++i)
    text += "        - {Key: K" + std::to_string(i) + ", Value: !If [C" + std::to_string(i) + ", x, y]}\n";
  Harness h;
  auto r = h.run(text);
  REQUIRE(r.resources.size() == 2);
  CHECK(r.resources[0].variants.size() == 2);
  // P is v0, ..., v39 or another value: 41 combinations, never two conditions true at once.
  const Resource& many = r.resources[1];
  REQUIRE(many.variants.size() == 41);
  for (const auto& v : many.variants) {
    int xs = 0;
    for (const auto& e : v.entries) xs += e.value == std::optional<std::string>("x") ? 1 : 0;
    CHECK(xs <= 1);
  }
  CHECK(many.variants[5].condition == "P is v5");
  CHECK(many.variants[40].condition == "P is another value");
  CHECK(r.facts.empty());
}

TEST_CASE("combinations past the cap are not explored: unknown values and one fact") {
  std::string text = "Parameters:\n";
  for (int i = 0; i < 8; ++i) text += "  Q" + std::to_string(i) + ": {Type: String}\n";
  text += "Conditions:\n";
  for (int i = 0; i < 8; ++i) text += "  D" + std::to_string(i) + ": !Equals [!Ref Q" + std::to_string(i) + ", on]\n";
  text += "Resources:\n  Many:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n";
  for (int i = 0; i < 8; ++i)
    text += "        - {Key: K" + std::to_string(i) + ", Value: !If [D" + std::to_string(i) + ", x, y]}\n";
  Harness h;
  auto r = h.run(text);
  const Resource& many = only(r);
  CHECK(many.variants.size() <= 64);
  CHECK(many.variants.size() >= 32);
  REQUIRE(r.facts.size() == 1);
  CHECK(r.facts[0].kind == Fact::Kind::kUnexplored);
  CHECK(r.facts[0].address == "Many");
  // Past the cap, values chosen by unexplored conditions are unknown, never guessed.
  bool some_unknown = false;
  for (const auto& v : many.variants) some_unknown = some_unknown || value_of(v, "K7") == "<unknown>";
  CHECK(some_unknown);
}

TEST_CASE("a parameter given no value is its Default or, where conditions compare it, each value compared") {
  // Issue 8 section 2: a Condition false only under the Defaults still has its resource checked,
  // in the combination where it exists.
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String, Default: dev}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
      "Resources:\n  ProdOnly:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n    Properties:\n"
      "      Tags:\n        - {Key: Env, Value: !Ref Env}\n"
      "  Both:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - {Key: Tier, Value: !If [IsProd, gold, bronze]}\n        - {Key: Env, Value: !Ref Env}\n");
  REQUIRE(r.resources.size() == 2);
  CHECK(r.facts.empty());
  const Resource& prod = r.resources[0];
  CHECK(prod.address == "ProdOnly");
  REQUIRE(prod.variants.size() == 1);
  CHECK(prod.variants[0].condition == "IsProd is true, Env is prod");
  // In that combination Env is prod, not its Default.
  CHECK(value_of(prod.variants[0], "Env") == "prod");
  CHECK(find(prod.variants[0], "Env")->assumed.empty());
  const Resource& both = r.resources[1];
  // dev (the Default), prod, another value (whose Env tag is unknown).
  REQUIRE(both.variants.size() == 3);
  CHECK(both.variants[0].condition == "IsProd is false, Env is dev, as with the Defaults");
  CHECK(value_of(both.variants[0], "Tier") == "bronze");
  CHECK(value_of(both.variants[0], "Env") == "dev");
  CHECK(find(both.variants[0], "Env")->assumed == "the Default of parameter `Env`");
  CHECK(both.variants[1].condition == "IsProd is true, Env is prod");
  CHECK(value_of(both.variants[1], "Tier") == "gold");
  CHECK(both.variants[2].condition == "IsProd is false, Env is another value");
  CHECK(value_of(both.variants[2], "Env") == "<unknown>");
}

TEST_CASE("AllowedValues are the only values a parameter given no value can take") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, test]}\n"
      "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsTest: !Equals [!Ref Env, test]\n"
      "Resources:\n  Never:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n"
      "  TestOnly:\n    Type: AWS::S3::Bucket\n    Condition: IsTest\n");
  REQUIRE(r.resources.size() == 1);
  CHECK(r.resources[0].address == "TestOnly");
  CHECK(r.resources[0].variants.at(0).condition == "IsTest is true");
  REQUIRE(r.facts.size() == 1);
  CHECK(r.facts[0].kind == Fact::Kind::kLeftOut);
  CHECK(r.facts[0].address == "Never");
  CHECK(r.facts[0].subject == "its Condition is false whatever its parameters are given");
}

TEST_CASE("a resource left out by the parameter values given is a fact with its reason") {
  Harness h;
  TemplateOptions topt;
  topt.parameters = {{"Env", "dev"}};
  auto r = h.run(
      "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
      "Resources:\n  ProdOnly:\n    Type: AWS::S3::Bucket\n    Condition: IsProd\n",
      true, topt);
  CHECK(r.resources.empty());
  REQUIRE(r.facts.size() == 1);
  CHECK(r.facts[0].kind == Fact::Kind::kLeftOut);
  CHECK(r.facts[0].subject == "its Condition is false for the parameter values given");
  CHECK(r.facts[0].reason == "Condition IsProd is false for the parameter values given");
}

TEST_CASE("an optional parameter (Default \"\") compared with \"\" is empty or another value") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Owner: {Type: String, Default: ''}\nConditions:\n"
      "  HasOwner: !Not [!Equals [!Ref Owner, '']]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - !If [HasOwner, {Key: Owner, Value: !Ref Owner}, !Ref AWS::NoValue]\n");
  const Resource& b = only(r);
  REQUIRE(b.variants.size() == 2);
  CHECK(b.variants[0].condition == "HasOwner is false, as with the Defaults");
  CHECK(value_of(b.variants[0], "Owner") == "<absent>");
  CHECK(b.variants[1].condition == "HasOwner is true, Owner is another value");
  CHECK(value_of(b.variants[1], "Owner") == "<unknown>");
}

TEST_CASE("duplicate keys in a list are kept, including one from an Fn::If branch") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - {Key: Owner, Value: a}\n        - {Key: owner, Value: b}\n"
      "        - !If [IsProd, {Key: Owner, Value: c}, !Ref AWS::NoValue]\n");
  const Resource& b = only(r);
  REQUIRE(b.variants.size() == 2);
  CHECK(b.variants[0].entries.size() == 3);
  CHECK(b.variants[1].entries.size() == 2);
}

TEST_CASE("tag shapes: string maps, other property names, AutoScaling lists") {
  Harness h;
  auto r = h.run(
      "Resources:\n  P:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Tags: {Team: x}\n"
      "  U:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UserPoolTags: {Team: y}\n"
      "  Z:\n    Type: AWS::Route53::HostedZone\n    Properties:\n      HostedZoneTags: [{Key: Team, "
      "Value: z}]\n"
      "  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      Tags:\n"
      "        - {Key: Team, Value: g, PropagateAtLaunch: true}\n"
      "  C:\n    Type: Custom::Thing\n    Properties:\n      Tags: [{Key: Team, Value: c}]\n"
      "  N:\n    Type: AWS::Made::Up\n");
  REQUIRE(r.resources.size() == 6);
  CHECK(value_of(r.resources[0].variants[0], "Team") == "x");
  CHECK(value_of(r.resources[1].variants[0], "Team") == "y");
  CHECK(value_of(r.resources[2].variants[0], "Team") == "z");
  CHECK(value_of(r.resources[3].variants[0], "Team") == "g");
  CHECK(r.resources[4].taggable == Taggable::kNo);
  CHECK(r.resources[5].taggable == Taggable::kUnknown);
}

TEST_CASE("computed tag lists and keys make the key set unknown") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  K: {Type: String}\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - {Key: !Ref K, Value: v}\n        - {Key: A, Value: a}\n"
      "  C:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: !GetAtt X.Tags\n");
  REQUIRE(r.resources.size() == 2);
  CHECK_FALSE(r.resources[0].variants[0].keys_known);
  CHECK(r.resources[0].variants[0].keys_unknown_reason.find("parameter K has no Default") != std::string::npos);
  CHECK(value_of(r.resources[0].variants[0], "A") == "a");
  CHECK_FALSE(r.resources[1].variants[0].keys_known);
}

TEST_CASE("SAM: Globals tags merge under resource tags, SAM adds its own tag") {
  Harness h;
  auto r = h.run(
      "Transform: [AWS::Serverless-2016-10-31]\nGlobals:\n  Function:\n    Tags: {Team: core, Env: dev}\n"
      "Resources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tags: {Env: prod}\n"
      "  L:\n    Type: AWS::Serverless::LayerVersion\n  T:\n    Type: AWS::Serverless::SimpleTable\n");
  REQUIRE(r.resources.size() == 4);  // F, the FRole the transform creates, L, T
  const Resource& f = r.resources[0];
  CHECK(f.format == "sam");
  const TagSet& s = f.variants[0];
  CHECK(value_of(s, "Env") == "prod");
  CHECK(find(s, "Env")->origin.kind == OriginKind::kResource);
  CHECK(value_of(s, "Team") == "core");
  CHECK(find(s, "Team")->origin.kind == OriginKind::kSamGlobals);
  CHECK(value_of(s, "lambda:createdBy") == "SAM");
  CHECK(find(s, "lambda:createdBy")->origin.kind == OriginKind::kFramework);
  CHECK(s.entries.size() == 3);
  CHECK(r.resources[1].address == "FRole");
  CHECK(r.resources[1].type == "AWS::IAM::Role");
  CHECK(r.resources[1].variants[0].entries.size() == 3);
  CHECK(r.resources[2].taggable == Taggable::kNo);
  CHECK(r.resources[3].variants[0].entries.empty());
}

TEST_CASE("stack tags apply to taggable resources; the resource's own value wins") {
  Harness h;
  TemplateOptions o;
  o.stack_tags = {StackTag{"Owner", "stack", {}, "--stack-tag", {}},
                  StackTag{"CostCenter", "42", {}, "--stack-tag", {}}};
  o.address_prefix = "Stack/";
  auto r = h.run(
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Metadata: {'aws:cdk:path': Stack/B/Resource}\n"
      "    Properties:\n      Tags: [{Key: Owner, Value: me}]\n"
      "  P:\n    Type: AWS::IAM::Policy\n",
      true, o);
  REQUIRE(r.resources.size() == 2);
  const Resource& b = r.resources[0];
  CHECK(b.address == "Stack/B");
  CHECK(b.cdk_path == "Stack/B/Resource");
  CHECK(value_of(b.variants[0], "Owner") == "me");
  CHECK(value_of(b.variants[0], "CostCenter") == "42");
  CHECK(find(b.variants[0], "CostCenter")->origin.kind == OriginKind::kStackTag);
  CHECK(r.resources[1].taggable == Taggable::kNo);
  CHECK(r.resources[1].variants[0].entries.empty());
}

TEST_CASE("stack tag files: three shapes, positioned errors") {
  Harness h;
  h.reader.add("a.json", R"([{"Key": "A", "Value": "1"}])");
  h.reader.add("b.json", R"({"B": "2"})");
  h.reader.add("c.json", R"(["C=3", "bad"])");
  h.reader.add("d.json", R"({"D": )");
  h.options.stack_tag_files = {"a.json", "b.json", "c.json", "d.json", "missing.json"};
  h.options.stack_tags = {{"A", "cli"}};
  std::vector<Error> errors;
  auto tags = command_line_stack_tags(h.ctx, errors);
  REQUIRE(tags.size() == 3);
  CHECK(tags[0].key == "A");
  CHECK(tags[0].value == "cli");
  CHECK(tags[1].key == "B");
  CHECK(tags[2].key == "C");
  CHECK(tags[2].value == "3");
  REQUIRE(errors.size() == 3);
  CHECK(errors[0].message == "stack tag must be written KEY=VALUE");
  CHECK(errors[0].span.valid());
  CHECK(errors[1].span.valid());  // JSON syntax error in d.json
  CHECK(errors[2].file_hint == "missing.json");
}

TEST_CASE("taggable data: limits from the schema where stated") {
  CHECK(cfn::type_info("AWS::ECS::TaskDefinition").max_items == 50);
  CHECK(cfn::type_info("AWS::S3::Bucket").taggable == Taggable::kYes);
  CHECK(cfn::type_info("AWS::Cognito::UserPool").property == "UserPoolTags");
  CHECK(cfn::type_info("AWS::Cognito::UserPool").shape == cfn::TagShape::kMap);
  CHECK(cfn::type_info("AWS::AutoScaling::AutoScalingGroup").shape == cfn::TagShape::kAsg);
  CHECK(cfn::type_info("AWS::Lambda::Permission").taggable == Taggable::kNo);
}

TEST_CASE("hostile templates stay bounded") {
  std::string deep =
      "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: K\n"
      "          Value: ";
  for (int i = 0; i < 200; ++i) deep += "!Base64 [";
  deep += "x";
  for (int i = 0; i < 200; ++i) deep += "]";
  deep += "\n";
  Harness h;
  FileId id = h.sources.add("deep.yaml", deep);
  DocResult d = parse_yaml(id, deep);
  if (d.root) {
    ParsedDoc doc{id, "deep.yaml", std::shared_ptr<const DocNode>(std::move(d.root))};
    auto r = evaluate_template(h.ctx, doc, {});
    REQUIRE(r.resources.size() == 1);
    CHECK(value_of(r.resources[0].variants[0], "K") == "<unknown>");
  }
  // A condition that refers to itself does not loop.
  CHECK(one_value("!If [Loop, a, b]", "Conditions:\n  Loop: !Condition Loop\n") == "a");
}

TEST_CASE("Fn::ForEach expands when its collection is known, else stands for unexpanded resources") {
  Harness h;
  auto r = h.run(
      "Transform: AWS::LanguageExtensions\nParameters:\n  Names: {Type: CommaDelimitedList}\n"
      "Resources:\n  Fn::ForEach::Tables:\n    - T\n    - [a-1, b]\n"
      "    - Table&{T}:\n        Type: AWS::DynamoDB::Table\n        Properties:\n          Tags:\n"
      "            - {Key: Name, Value: !Ref T}\n            - {Key: Full, Value: !Sub 'tbl-${T}'}\n"
      "  Fn::ForEach::Unknown:\n    - N\n    - !Ref Names\n    - Q${N}:\n        Type: AWS::SQS::Queue\n");
  REQUIRE(r.resources.size() == 3);
  CHECK(r.resources[0].address == "Tablea1");
  CHECK(value_of(r.resources[0].variants[0], "Name") == "a-1");
  CHECK(value_of(r.resources[0].variants[0], "Full") == "tbl-a-1");
  CHECK(r.resources[1].address == "Tableb");
  CHECK(r.resources[2].address == "Q${N}");
  CHECK_FALSE(r.resources[2].expanded);
}

TEST_CASE("a condition built on another undecided one is split on the one it depends on") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
      "  IsNotProd: !Not [!Condition IsProd]\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
      "    Properties:\n      Tags:\n        - {Key: A, Value: !If [IsNotProd, np, p]}\n"
      "        - {Key: B, Value: !If [IsProd, p, np]}\n");
  const Resource& b = only(r);
  REQUIRE(b.variants.size() == 2);
  for (const auto& v : b.variants) CHECK(value_of(v, "A") == value_of(v, "B"));
  CHECK(b.variants[0].condition == "IsNotProd is false, IsProd is true");
}

TEST_CASE("conditions naming each other down a chain are each evaluated once (was exponential)") {
  // C0: !Or [false, C1, C2], C1: !Or [false, C2, C3], ...: evaluated path by path this took
  // Fibonacci-many evaluations per resource and combination (a 9 KB template of route-table
  // conditions took 375 ms). Each condition is now worked out once per combination.
  const int n = 18;  // deep enough to tell, within the evaluator's nesting limit
  std::string text = "Conditions:\n";
  for (int i = 0; i < n; ++i) {
    text += "  C" + std::to_string(i) + ": !Or [!Equals [a, b]";
    for (int next = i + 1; next <= i + 2 && next < n; ++next) text += ", !Condition C" + std::to_string(next);
    text += "]\n";
  }
  DocResult d = parse_yaml(1, text);
  REQUIRE(d.root);
  cfn::TemplateFacts facts;
  facts.conditions = d.root->get("Conditions");
  cfn::Evaluator ev(facts);
  CHECK(ev.condition("C0") == cfn::Truth::kFalse);
  CHECK(ev.steps() < 20 * n);  // path by path: over 20,000
  // The chain under an assumption: C5 assumed true makes every condition before it true.
  ev.assume({cfn::Assumption{"C5", false, true, std::nullopt}});
  CHECK(ev.condition("C0") == cfn::Truth::kTrue);
  CHECK(ev.condition("C6") == cfn::Truth::kFalse);
}

TEST_CASE("a launch template's own tags are TagSpecifications of launch-template; launched ones are resources") {
  Harness h;
  auto r = h.run(
      "Resources:\n  LT:\n    Type: AWS::EC2::LaunchTemplate\n    Properties:\n      TagSpecifications:\n"
      "        - {ResourceType: launch-template, Tags: [{Key: Own, Value: a}]}\n"
      "        - {ResourceType: other, Tags: [{Key: Ignored, Value: b}]}\n"
      "      LaunchTemplateData:\n        TagSpecifications:\n"
      "          - {ResourceType: instance, Tags: [{Key: Inst, Value: c}]}\n"
      "          - {ResourceType: spot-instances-request, Tags: [{Key: Spot, Value: d}]}\n",
      true, TemplateOptions{{}, {StackTag{"Stack", "s", {}, "--stack-tag", {}}}, {}, {}, {}});
  REQUIRE(r.resources.size() == 3);
  const Resource& lt = r.resources[0];
  CHECK(lt.type == "AWS::EC2::LaunchTemplate");
  CHECK(lt.taggable == Taggable::kYes);
  // Its schema declares tagging.taggable false: no stack tags.
  REQUIRE(lt.variants.at(0).entries.size() == 1);
  CHECK(value_of(lt.variants[0], "Own") == "a");
  CHECK(r.resources[1].address == "LT (TagSpecifications instance)");
  CHECK(r.resources[1].type == "AWS::EC2::Instance");
  REQUIRE(r.resources[1].variants.at(0).entries.size() == 1);
  CHECK(value_of(r.resources[1].variants[0], "Inst") == "c");
  CHECK(r.resources[2].type == "AWS::EC2::LaunchTemplate (spot-instances-request)");
  CHECK(value_of(r.resources[2].variants.at(0), "Spot") == "d");
}

TEST_CASE("AWS::CDK::Metadata is not taggable") {
  CHECK(cfn::type_info("AWS::CDK::Metadata").taggable == Taggable::kNo);
}

TEST_CASE("parameter files: create-stack's list, deploy's KEY=VALUE strings, a template configuration map") {
  std::vector<GivenParameter> out;
  std::vector<Error> errors;
  auto doc =
      parse_json(0, R"([{"ParameterKey": "A", "ParameterValue": "1"}, {"ParameterKey": "B", "UsePreviousValue": true},
                               {"ParameterKey": "C"}, "D=4", "bad"])");
  read_parameter_document(*doc.root, "", out, errors);
  REQUIRE(out.size() == 2);
  CHECK(out[0].name == "A");
  CHECK(out[0].value == "1");
  CHECK(out[1].name == "D");
  CHECK(out[1].value == "4");
  REQUIRE(errors.size() == 2);  // C without a value, "bad"
  CHECK(errors[0].span.valid());
  auto map = parse_json(0, R"({"Parameters": {"E": "5"}, "Tags": {"T": "x"}})");
  out.clear();
  read_parameter_document(*map.root, "t.yaml", out, errors);
  REQUIRE(out.size() == 1);
  CHECK(out[0].scope == "t.yaml");
  CHECK(out[0].value == "5");
}

TEST_CASE("a value scoped to a template names it with a template extension; AWS::Region stays unscoped") {
  CHECK(split_template_scope("stacks/app.yaml:Env=prod") ==
        std::make_pair(std::string("stacks/app.yaml"), std::string("Env=prod")));
  CHECK(split_template_scope("AWS::Region") == std::make_pair(std::string(), std::string("AWS::Region")));
  CHECK(split_template_scope("params.json") == std::make_pair(std::string(), std::string("params.json")));
}

TEST_CASE("invalid tag entries are facts: a required Value missing or removed, no PropagateAtLaunch, no string") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  L: {Type: CommaDelimitedList, Default: 'a,b'}\nResources:\n"
      "  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - {Key: A}\n        - {Key: B, Value: !Ref AWS::NoValue}\n        - {Key: C, Value: !Ref L}\n"
      "        - {Key: D, Value: [x]}\n        - {Key: E, Value: !Select [0, !Ref L]}\n"
      "  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Tags:\n        - {Key: NoValueNeeded}\n"
      "  G:\n    Type: AWS::AutoScaling::AutoScalingGroup\n    Properties:\n      Tags:\n"
      "        - {Key: T, Value: v}\n        - {Key: U, Value: v, PropagateAtLaunch: false}\n");
  std::vector<std::string> seen;
  for (const auto& f : r.facts) {
    REQUIRE(f.kind == Fact::Kind::kInvalidTagEntry);
    seen.push_back(f.address + "/" + f.subject);
  }
  CHECK(seen == std::vector<std::string>{"B/A", "B/B", "B/C", "B/D", "G/T"});
}

TEST_CASE("an invalid entry in one Fn::If branch is one fact, however many combinations read it") {
  Harness h;
  auto r = h.run(
      "Parameters:\n  Env: {Type: String, Default: dev}\n  Team: {Type: String, Default: a}\nConditions:\n"
      "  IsProd: !Equals [!Ref Env, prod]\n  IsA: !Equals [!Ref Team, a]\nResources:\n"
      "  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n"
      "        - !If [IsProd, {Key: K}, !Ref AWS::NoValue]\n        - {Key: T, Value: !If [IsA, x, y]}\n");
  CHECK(only(r).variants.size() == 4);
  REQUIRE(r.facts.size() == 1);
  CHECK(r.facts[0].subject == "K");
}
