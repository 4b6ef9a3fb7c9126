// The SAM transform's generated resources: which ones carry tags, their logical ids (SAM hashes
// some with SHA-1) and where their tags come from. The goldens in fixtures/cloudformation/sam-*
// show the tags; tools/sam_oracle/compare.py checks both against the SAM translator's tests.
#include "linter/frontend/cloudformation/sam_transform.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace tagwarden;

namespace {

struct Parsed {
  DocResult doc;
  cfn::TemplateFacts facts;
  explicit Parsed(const std::string& text) : doc(parse_yaml(0, text)) {
    REQUIRE(doc.root);
    facts.parameters = doc.root->get("Parameters");
    facts.resources = doc.root->get("Resources");
  }
  const DocNode* globals() const { return doc.root->get("Globals"); }
  sam::SamResource resource(const std::string& id) const {
    const DocNode* body = facts.resources->get(id);
    REQUIRE(body);
    return sam::SamResource{facts, globals(), id, body->get("Type")->scalar, body};
  }
};

std::vector<std::string> ids(const std::vector<sam::Generated>& g) {
  std::vector<std::string> out;
  for (const auto& x : g) out.push_back(x.id + " " + x.type);
  return out;
}

}  // namespace

TEST_CASE("SAM REST API: the stage always has the tags, RestApi and domain only with PropagateTags") {
  // Logical ids as in tests/translator/output/api_with_propagate_tags.json (the domain's hash
  // is of the JSON of a Ref there; here of the parameter's Default).
  Parsed p(
      "Parameters:\n  D: {Type: String, Default: api.example.com}\n  NoDefault: {Type: String}\n"
      "Resources:\n"
      "  A:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: Prod\n      Tags: {K: v}\n"
      "  B:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: my-stage\n"
      "      PropagateTags: true\n      Domain: {DomainName: !Ref D, CertificateArn: arn}\n"
      "  C:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Ref D\n"
      "      Domain: {DomainName: !Ref NoDefault, CertificateArn: arn}\n");
  CHECK_FALSE(sam::own_tags(p.resource("A")).user_tags);
  CHECK(sam::own_tags(p.resource("B")).user_tags);
  auto a = sam::generated_by(p.resource("A"));
  CHECK(ids(a) == std::vector<std::string>{"AProdStage AWS::ApiGateway::Stage"});
  CHECK(a[0].tags.user_tags);
  CHECK_FALSE(a[0].tags.framework_tag);
  auto b = sam::generated_by(p.resource("B"));
  CHECK(ids(b) == std::vector<std::string>{"BStagea9d64949ee AWS::ApiGateway::Stage",
                                           "ApiGatewayDomainName1bc412bb08 AWS::ApiGateway::DomainName"});
  CHECK(b[1].tags.user_tags);
  // A domain name from a parameter nobody gave a value: its logical id depends on the deploy.
  CHECK(ids(sam::generated_by(p.resource("C"))) == std::vector<std::string>{"CStage AWS::ApiGateway::Stage"});
}

TEST_CASE("SAM HTTP and WebSocket APIs: stages and domain names with SAM's tag") {
  Parsed p(
      "Resources:\n"
      "  H:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n"
      "      Domain: {DomainName: orders.example.com, CertificateArn: arn}\n"
      "  U:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      DefinitionUri: s3://b/k\n"
      "      StageName: Prod\n"
      "  W:\n    Type: AWS::Serverless::WebSocketApi\n    Properties:\n      Tags: {K: v}\n"
      "  P:\n    Type: AWS::Serverless::WebSocketApi\n    Properties:\n      StageName: prod\n"
      "      PropagateTags: true\n");
  auto h = sam::generated_by(p.resource("H"));
  CHECK(ids(h) == std::vector<std::string>{"HApiGatewayDefaultStage AWS::ApiGatewayV2::Stage",
                                           "ApiGatewayDomainNameV26b390559da AWS::ApiGatewayV2::DomainName"});
  CHECK((h[0].tags.user_tags && h[0].tags.framework_tag && h[1].tags.user_tags && h[1].tags.framework_tag));
  // A definition in S3 takes no tags: neither the API nor its stage gets any.
  CHECK_FALSE(sam::own_tags(p.resource("U")).framework_tag);
  auto u = sam::generated_by(p.resource("U"));
  CHECK(ids(u) == std::vector<std::string>{"UProdStage AWS::ApiGatewayV2::Stage"});
  CHECK_FALSE(u[0].tags.user_tags);
  CHECK_FALSE(u[0].tags.framework_tag);
  auto w = sam::generated_by(p.resource("W"));
  CHECK(ids(w) == std::vector<std::string>{"WDefaultStage AWS::ApiGatewayV2::Stage"});
  CHECK_FALSE(w[0].tags.user_tags);
  CHECK(w[0].tags.framework_tag);
  auto pp = sam::generated_by(p.resource("P"));
  CHECK(ids(pp) == std::vector<std::string>{"PprodStage AWS::ApiGatewayV2::Stage"});
  CHECK(pp[0].tags.user_tags);
}

TEST_CASE("SAM implicit APIs: from events without an API id, with the tags functions propagate") {
  Parsed p(
      "Resources:\n"
      "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      PropagateTags: true\n"
      "      Tags: {K: v}\n      Events:\n        E: {Type: Api, Properties: {Path: /, Method: get}}\n"
      "        H: {Type: HttpApi}\n"
      "  G:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tags: {L: w}\n      Events:\n"
      "        E: {Type: Api, Properties: {Path: /g, Method: get}}\n"
      "        X: {Type: Api, Properties: {Path: /x, Method: get, RestApiId: !Ref Other}}\n");
  auto g = sam::shared_resources(p.facts, p.globals());
  CHECK(ids(g) == std::vector<std::string>{"ServerlessRestApi AWS::ApiGateway::RestApi",
                                           "ServerlessRestApiProdStage AWS::ApiGateway::Stage",
                                           "ServerlessHttpApi AWS::ApiGatewayV2::Api",
                                           "ServerlessHttpApiApiGatewayDefaultStage AWS::ApiGatewayV2::Stage"});
  REQUIRE(g[0].tags.propagated.size() == 1);  // F's tags; G does not propagate
  CHECK(g[0].tags.user_tags);
  CHECK(g[0].condition == nullptr);

  // Every function under a different Condition: the API's existence is their Fn::Or.
  Parsed c(
      "Resources:\n"
      "  F:\n    Type: AWS::Serverless::Function\n    Condition: A\n    Properties:\n      Events:\n"
      "        E: {Type: HttpApi}\n"
      "  G:\n    Type: AWS::Serverless::Function\n    Condition: B\n    Properties:\n      Events:\n"
      "        E: {Type: HttpApi}\n");
  CHECK(sam::shared_resources(c.facts, c.globals()).empty());
}

TEST_CASE("SAM: operator roles, state machine event roles, application tags") {
  Parsed p(
      "Globals:\n  CapacityProvider:\n    OperatorRole: arn:aws:iam::123456789012:role/op\n"
      "Resources:\n"
      "  C:\n    Type: AWS::Serverless::CapacityProvider\n    Properties: {}\n"
      "  S:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      PropagateTags: true\n"
      "      Tags: {K: v}\n      Events:\n        N: {Type: Schedule, Properties: {Schedule: rate(1 day)}}\n"
      "        R: {Type: Schedule, Properties: {Schedule: rate(1 day), RoleArn: arn}}\n"
      "  A:\n    Type: AWS::Serverless::Application\n    Properties:\n"
      "      Location: {ApplicationId: arn:app, SemanticVersion: 1.0.0}\n");
  // The Globals' OperatorRole is used: no role is created.
  CHECK(sam::generated_by(p.resource("C")).empty());
  CHECK(ids(sam::generated_by(p.resource("S"))) == std::vector<std::string>{"SNRole AWS::IAM::Role"});
  auto a = sam::own_tags(p.resource("A"));
  REQUIRE(a.added.size() == 2);
  CHECK(a.added[0].first == "serverlessrepo:applicationId");
  CHECK(a.added[1].first == "serverlessrepo:semanticVersion");
}

TEST_CASE("SAM functions: event and deployment resources, tagged only with PropagateTags") {
  Parsed p(
      "Parameters:\n  On: {Type: String, Default: 'True'}\n  Off: {Type: String, Default: 'false'}\n"
      "Resources:\n"
      "  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      PropagateTags: true\n"
      "      Tags: {K: v}\n      DeploymentPreference: {Type: AllAtOnce, Enabled: !Ref On}\n      Events:\n"
      "        I: {Type: IoTRule, Properties: {Sql: x}}\n"
      "        S: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 day)}}\n"
      "        R: {Type: ScheduleV2, Properties: {ScheduleExpression: rate(1 day), RoleArn: arn}}\n"
      "  G:\n    Type: AWS::Serverless::Function\n    Properties:\n      Tags: {K: v}\n"
      "      DeploymentPreference: {Type: AllAtOnce}\n"
      "  H:\n    Type: AWS::Serverless::Function\n    Properties:\n"
      "      DeploymentPreference: {Type: AllAtOnce, Enabled: !Ref Off}\n");
  auto f = sam::generated_by(p.resource("F"));
  CHECK(ids(f) == std::vector<std::string>{"FI AWS::IoT::TopicRule", "FSRole AWS::IAM::Role",
                                           "FDeploymentGroup AWS::CodeDeploy::DeploymentGroup"});
  CHECK(std::all_of(f.begin(), f.end(), [](const sam::Generated& g) { return g.tags.user_tags; }));
  auto g = sam::generated_by(p.resource("G"));
  CHECK(ids(g) == std::vector<std::string>{"GDeploymentGroup AWS::CodeDeploy::DeploymentGroup"});
  CHECK_FALSE(g[0].tags.user_tags);
  CHECK(sam::generated_by(p.resource("H")).empty());  // Enabled is the parameter's "false"
  auto shared = sam::shared_resources(p.facts, p.globals());
  CHECK(ids(shared) == std::vector<std::string>{"ServerlessDeploymentApplication AWS::CodeDeploy::Application",
                                                "CodeDeployServiceRole AWS::IAM::Role"});
  CHECK(shared[0].tags.propagated.size() == 1);  // F's tags only
}
