// Stage "module calls" of the Terraform loader: sources, modules.json, workspaces, outputs
// (linter/frontend/terraform/module_calls.hpp), and the syntax helpers every stage uses.
#include <doctest/doctest.h>

#include "linter/frontend/terraform/module_calls.hpp"
#include "linter/frontend/terraform/syntax.hpp"
#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

TEST_CASE("module_calls: local sources resolve against the caller, others through modules.json") {
  tw_test::Module m(R"(
module "net" { source = "../net" }
module "vpc" { source = "terraform-aws-modules/vpc/aws" }
)");
  std::map<std::string, std::string> mj = {{"app.vpc", "r/.terraform/modules/app.vpc"}};
  CHECK(module_source_dir("r/app", "app", *m.dir.module_calls[0], "../net", mj) == "r/net");
  CHECK(module_source_dir("r/app", "app", *m.dir.module_calls[1], "terraform-aws-modules/vpc/aws", mj) ==
        "r/.terraform/modules/app.vpc");
  CHECK_FALSE(module_source_dir("r", "", *m.dir.module_calls[1], "terraform-aws-modules/vpc/aws", mj));
}

TEST_CASE("module_calls: modules.json and the workspace are read from the root's .terraform") {
  MemoryReader reader;
  reader.add(
      "r/.terraform/modules/modules.json",
      R"({"Modules":[{"Key":"","Dir":"."},{"Key":"a","Dir":".terraform/modules/a"},{"Key":"b","Dir":"/abs/b/"}]})");
  reader.add("r/.terraform/environment", "staging\n");
  SourceManager sources;
  RunOptions options;
  LoadContext ctx{options, sources, reader};
  std::vector<Error> errors;
  auto mj = read_modules_json(ctx, "r", errors);
  CHECK(errors.empty());
  CHECK(mj == std::map<std::string, std::string>{{"a", "r/.terraform/modules/a"}, {"b", "/abs/b"}});
  CHECK(read_workspace(ctx, "r") == "staging");
  CHECK(read_workspace(ctx, "elsewhere") == "default");
  options.env["TF_WORKSPACE"] = "prod";
  CHECK(read_workspace(ctx, "r") == "prod");
}

TEST_CASE("module_calls: directories called locally by another root are not roots") {
  MemoryReader reader;
  reader.add("a/main.tf", "module \"b\" { source = \"../b\" }\nmodule \"self\" { source = \"./\" }\n");
  reader.add("b/main.tf", "resource \"aws_vpc\" \"v\" {}\n");
  reader.add("c/main.tf", "module \"r\" { source = \"git::x\" }\n");
  SourceManager sources;
  RunOptions options;
  LoadContext ctx{options, sources, reader};
  ModuleDirs dirs;
  std::vector<Error> errors;
  load_module_dirs(ctx, &parse_terraform_file, {"a", "b", "c"}, dirs, errors);
  CHECK(locally_called_dirs(dirs, {"a", "b", "c"}) == std::set<std::string>{"b"});
}

TEST_CASE("module_calls: outputs are an object of evaluated values") {
  tw_test::Module m(R"(
output "a" { value = "x" }
output "b" {}
)");
  tf::Value v = outputs_object(m.dir, tw_test::literal_eval(), {});
  CHECK(v.as_map().at("a").value.as_string() == "x");
  CHECK(v.as_map().at("b").value.is_null());
}

TEST_CASE("syntax: literals, provider references and instance keys") {
  tw_test::Module m(R"(
x = {
  a = "lit"
  b = aws.west
  c = aws
  d = "aws.legacy"
  e = "${var.x}"
}
)");
  const auto& kids = m.dir.files[0]->body.attributes[0].expr->children;
  CHECK(literal_string(kids[1]) == "lit");
  CHECK(provider_ref(kids[3]) == "aws.west");
  CHECK(provider_ref(kids[5]) == "aws");
  CHECK(provider_ref(kids[7]) == "aws.legacy");
  CHECK_FALSE(literal_string(kids[9]));
  CHECK(provider_base("aws.west") == "aws");
  CHECK(is_local_source("./x"));
  CHECK(is_local_source("../x"));
  CHECK_FALSE(is_local_source("x"));
  CHECK(instance_key(tf::Value::number(2)) == "[2]");
  CHECK(instance_key(tf::Value::string("k")) == "[\"k\"]");
}
