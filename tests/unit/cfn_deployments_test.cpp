// Specification of how deployment files are read (linter/frontend/cloudformation/deployments.hpp):
// the SAM CLI's KEY=VALUE strings, TOML documents as DocNode trees, Git sync files.
#include <doctest/doctest.h>

#include "linter/frontend/cloudformation/deployments.hpp"

namespace tagwarden {
namespace {

DocNode str(std::string s) {
  DocNode n;
  n.kind = DocNode::Kind::kString;
  n.scalar = std::move(s);
  return n;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("SAM CLI parameter_overrides: space-separated KEY=VALUE, quoted values, the AWS CLI shorthand, lists") {
  std::vector<Error> errors;
  CHECK(parse_sam_key_values(str("Env=prod Team=\"orders and billing\" Note='it''s'"), "parameter_overrides", errors) ==
        Pairs{{"Env", "prod"}, {"Team", "orders and billing"}, {"Note", "its"}});
  CHECK(parse_sam_key_values(str("ParameterKey=Env,ParameterValue=dev"), "parameter_overrides", errors) ==
        Pairs{{"Env", "dev"}});
  CHECK(parse_sam_key_values(str("Empty= Eq=a=b"), "tags", errors) == Pairs{{"Empty", ""}, {"Eq", "a=b"}});
  DocNode list;
  list.kind = DocNode::Kind::kSeq;
  list.items = {str("A=1"), str("B=\"two words\"")};
  CHECK(parse_sam_key_values(list, "tags", errors) == Pairs{{"A", "1"}, {"B", "two words"}});
  CHECK(errors.empty());
}

TEST_CASE("SAM CLI key=value: a word without = is a positioned error, the others are kept") {
  std::vector<Error> errors;
  DocNode n = str("A=1 oops B=2");
  n.span = Span{3, 10, 20, true};
  CHECK(parse_sam_key_values(n, "tags", errors) == Pairs{{"A", "1"}, {"B", "2"}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].span == n.span);
  CHECK(errors[0].message.find("'oops'") != std::string::npos);
}

TEST_CASE("TOML: tables become maps with sorted keys and positions; a syntax error has a line and column") {
  SourceManager sm;
  FileId id =
      sm.add("samconfig.toml", "version = 0.1\n[prod.deploy.parameters]\nstack_name = \"app\"\ntags = [\"A=1\"]\n");
  DocResult r = parse_toml(sm.file(id), id);
  REQUIRE(r.root);
  REQUIRE(r.root->is_map());
  CHECK(r.root->keys == std::vector<std::string>{"prod", "version"});
  const DocNode* p = r.root->get("prod")->get("deploy")->get("parameters");
  REQUIRE(p);
  const DocNode* name = p->get("stack_name");
  REQUIRE(name);
  CHECK(name->scalar == "app");
  CHECK(sm.begin_of(name->span).line == 3);
  CHECK(sm.begin_of(name->span).column == 14);
  CHECK(p->get("tags")->is_seq());

  FileId bad = sm.add("bad.toml", "[a]\nx = \n");
  DocResult e = parse_toml(sm.file(bad), bad);
  CHECK_FALSE(e.root);
  REQUIRE(e.errors.size() == 1);
  CHECK(sm.begin_of(e.errors[0].span).line == 2);
}

TEST_CASE("TOML: hostile nesting is refused before the parser sees it") {
  SourceManager sm;
  FileId id = sm.add("deep.toml", "a = " + std::string(100, '[') + std::string(100, ']') + "\n");
  DocResult r = parse_toml(sm.file(id), id);
  CHECK_FALSE(r.root);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message.find("64 levels") != std::string::npos);
}

TEST_CASE("Git sync: template-file-path is tried from the deployment file's folder up to the top") {
  DocNode root;
  root.kind = DocNode::Kind::kMap;
  root.keys = {"template-file-path"};
  root.key_spans = {Span{}};
  root.items = {str("./cfn/app.yaml")};
  std::vector<Deployment> out;
  std::vector<Error> errors;
  read_git_sync_deployment(root, "repo/deploy/prod.yaml", out, errors);
  REQUIRE(out.size() == 1);
  CHECK(out[0].template_candidates ==
        std::vector<std::string>{"repo/deploy/cfn/app.yaml", "repo/cfn/app.yaml", "cfn/app.yaml"});
  CHECK(errors.empty());
}

}  // namespace
}  // namespace tagwarden
