// Changed files -> what a pre-commit hook or a pull request check evaluates (issue 10): the
// roots a change belongs to, evaluated whole, and the findings that concern it.
#include <doctest/doctest.h>

#include <algorithm>

#include "linter/engine/changed_files.hpp"
#include "linter/engine/check.hpp"

using namespace tagwarden;

namespace {

/// A Terraform monorepo: two roots calling one shared local module through another local
/// module, a third root on its own, a CloudFormation template and a CDK assembly.
struct Monorepo {
  MemoryReader reader;
  RunOptions options;
  SourceManager sources;
  Monorepo() {
    reader.add("roots/a/main.tf", R"(module "net" { source = "../../modules/net" })");
    reader.add("roots/a/terraform.tfvars", "env = \"dev\"\n");
    reader.add("roots/b/main.tf", "module \"net\" {\n  source = \"../../modules/net\"\n}\n");
    reader.add("roots/b/env.tfvars", "env = \"prod\"\n");
    reader.add("roots/c/main.tf", R"(resource "aws_sqs_queue" "q" { tags = { team = "x" } })");
    reader.add("modules/net/main.tf", R"(module "shared" { source = "../shared" })");
    reader.add("modules/shared/main.tf", R"(resource "aws_s3_bucket" "b" { tags = { team = "x" } })");
    reader.add("modules/unused/main.tf", R"(resource "aws_s3_bucket" "u" {})");
    reader.add("cfn/stack.yaml", "Resources: {}\n");
    reader.add("app/cdk.out/manifest.json", R"({"version": "36.0.0", "artifacts": {}})");
    reader.add("app/cdk.out/Stack.template.json", "{}");
    reader.add("docs/README.md", "hello");
  }
  ChangeScope scope(const std::vector<std::string>& changed) {
    LoadContext ctx{options, sources, reader};
    return scope_for_changed_files(ctx, changed, ".");
  }
  /// `tagwarden check --changed FILES --schema schema.yaml` (Team required), in a fresh run.
  CheckResult check(const std::vector<std::string>& changed, SourceManager& run_sources) {
    reader.add("schema.yaml", "version: 1\ntags:\n  Team: {required: true}\n");
    CheckOptions co;
    co.run = options;
    co.schema_paths = {"schema.yaml"};
    co.run.changed_files = changed;
    return run_check(co, run_sources, reader);
  }
};

std::vector<std::string> dirs(const std::set<std::string>& s) { return {s.begin(), s.end()}; }

}  // namespace

TEST_CASE("a changed root file puts only its own root in scope") {
  Monorepo m;
  ChangeScope s = m.scope({"roots/c/main.tf"});
  CHECK(dirs(s.located.terraform_dirs) == std::vector<std::string>{"roots/c"});
  CHECK(s.whole.terraform_dirs.empty());
  CHECK(s.changed == std::set<std::string>{"roots/c/main.tf"});
  CHECK(s.not_checked.empty());
}

TEST_CASE("a changed shared module re-checks every root that calls it, also through another module") {
  Monorepo m;
  ChangeScope s = m.scope({"modules/shared/main.tf"});
  CHECK(dirs(s.located.terraform_dirs) == std::vector<std::string>{"roots/a", "roots/b"});
}

TEST_CASE("a module nobody calls is its own root") {
  Monorepo m;
  CHECK(dirs(m.scope({"modules/unused/main.tf"}).located.terraform_dirs) == std::vector<std::string>{"modules/unused"});
}

TEST_CASE("a changed tfvars file puts its root in scope whole; a changed --var-file every root") {
  Monorepo m;
  ChangeScope s = m.scope({"roots/a/terraform.tfvars"});
  CHECK(dirs(s.whole.terraform_dirs) == std::vector<std::string>{"roots/a"});
  CHECK(s.located.terraform_dirs.empty());

  m.options.var_files = {"./roots/b/env.tfvars"};
  s = m.scope({"roots/b/env.tfvars"});
  CHECK(dirs(s.whole.terraform_dirs) == std::vector<std::string>{"modules/unused", "roots/a", "roots/b", "roots/c"});
}

TEST_CASE("a root in scope whole is not also in scope by location") {
  Monorepo m;
  ChangeScope s = m.scope({"roots/a/terraform.tfvars", "modules/shared/main.tf"});
  CHECK(dirs(s.whole.terraform_dirs) == std::vector<std::string>{"roots/a"});
  CHECK(dirs(s.located.terraform_dirs) == std::vector<std::string>{"roots/b"});
}

TEST_CASE("templates, cloud assemblies and files tagwarden does not read") {
  Monorepo m;
  ChangeScope s = m.scope({"cfn/stack.yaml", "app/cdk.out/Stack.template.json", "docs/README.md", "gone/main.tf"});
  CHECK(s.whole.data_files == std::vector<std::string>{"cfn/stack.yaml"});
  CHECK(s.whole.cdk_dirs == std::vector<std::string>{"app/cdk.out"});
  CHECK(s.not_checked == std::vector<std::string>{"docs/README.md", "gone/main.tf"});
}

TEST_CASE("a commented-out or remote module source calls nothing") {
  Monorepo m;
  m.reader.add("roots/d/main.tf",
               "# module \"x\" { source = \"../../modules/unused\" }\n"
               "module \"y\" { source = \"terraform-aws-modules/vpc/aws\" }\n");
  CHECK(dirs(m.scope({"modules/unused/main.tf"}).located.terraform_dirs) == std::vector<std::string>{"modules/unused"});
}

TEST_CASE("check with changed files reports the findings located in them, from every root in scope") {
  Monorepo m;
  SourceManager s1;
  CheckResult r = m.check({"modules/shared/main.tf"}, s1);
  REQUIRE(r.errors.empty());
  REQUIRE_FALSE(r.findings.empty());
  for (const auto& f : r.findings) CHECK(span_path(s1, f.primary, f.file_hint) == "modules/shared/main.tf");
  CHECK(r.summary.resources_checked == 2);  // the bucket, once under each root
  CHECK(r.inputs_in_scope == 2);

  // roots/c has a finding too, but it is not in a changed file: a change elsewhere leaves it out.
  SourceManager s2;
  r = m.check({"roots/a/main.tf"}, s2);
  CHECK(r.findings.empty());

  SourceManager s3;
  r = m.check({"roots/c/main.tf"}, s3);
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].rule_id == "TW003");
}

TEST_CASE("a changed tfvars file reports every finding of its root, wherever it is located") {
  Monorepo m;
  CheckResult r = m.check({"roots/a/terraform.tfvars"}, m.sources);
  REQUIRE_FALSE(r.findings.empty());
  CHECK(span_path(m.sources, r.findings[0].primary, r.findings[0].file_hint) == "modules/shared/main.tf");
}

TEST_CASE(
    "a changed var file named in the configuration's roots re-checks the roots it feeds (regression: it was "
    "called part of no root)") {
  Monorepo m;
  m.reader.add("envs/app.tfvars", "env = \"prod\"\n");
  m.options.root_inputs = {RootInputsRule{"roots/a", RootInputs{{"envs/app.tfvars"}, {}, {}, {}, {}}},
                           RootInputsRule{"roots/*", RootInputs{{"./envs/../envs/app.tfvars"}, {}, {}, {}, {}}}};
  ChangeScope s = m.scope({"envs/app.tfvars"});
  CHECK(dirs(s.whole.terraform_dirs) == std::vector<std::string>{"roots/a", "roots/b", "roots/c"});
  CHECK(s.not_checked.empty());

  m.options.root_inputs.pop_back();
  CHECK(dirs(m.scope({"envs/app.tfvars"}).whole.terraform_dirs) == std::vector<std::string>{"roots/a"});
}

TEST_CASE(
    "a changed --parameters or --stack-tags file re-checks the templates and assemblies it feeds (regression: 0 "
    "resources checked)") {
  Monorepo m;
  m.reader.add("cfn/other.json", R"({"Resources": {}})");
  m.reader.add("params/prod.json", R"([{"ParameterKey": "Env", "ParameterValue": "prod"}])");
  m.reader.add("params/one.json", R"({"Env": "dev"})");
  m.reader.add("tags.json", R"({"Team": "a"})");
  m.reader.add("root-tags.json", R"({"Team": "b"})");

  m.options.parameter_files = {"params/prod.json", "cfn/stack.yaml:params/one.json"};
  ChangeScope s = m.scope({"params/prod.json"});
  // Every JSON/YAML file under the root is a candidate, as in a full run (content decides).
  CHECK(std::count(s.whole.data_files.begin(), s.whole.data_files.end(), "cfn/other.json") == 1);
  CHECK(std::count(s.whole.data_files.begin(), s.whole.data_files.end(), "cfn/stack.yaml") == 1);
  CHECK(s.whole.cdk_dirs == std::vector<std::string>{"app/cdk.out"});
  CHECK(s.not_checked.empty());

  s = m.scope({"params/one.json"});
  CHECK(s.whole.data_files == std::vector<std::string>{"cfn/stack.yaml"});
  CHECK(s.whole.cdk_dirs.empty());

  m.options.stack_tag_files = {"tags.json"};
  s = m.scope({"tags.json"});
  CHECK(std::count(s.whole.data_files.begin(), s.whole.data_files.end(), "cfn/other.json") == 1);
  CHECK(s.whole.cdk_dirs == std::vector<std::string>{"app/cdk.out"});

  m.options.root_inputs = {RootInputsRule{"cfn/other.json", RootInputs{{}, {}, {}, {}, {"root-tags.json"}}}};
  s = m.scope({"root-tags.json"});
  CHECK(s.whole.data_files == std::vector<std::string>{"cfn/other.json"});
  CHECK(s.whole.cdk_dirs.empty());
}

TEST_CASE("changed files and roots under an exclude glob are not checked (regression: --changed ignored exclude)") {
  Monorepo m;
  m.options.exclude = {"cfn/**", "roots/b"};
  ChangeScope s = m.scope({"cfn/stack.yaml", "roots/b/main.tf", "modules/shared/main.tf"});
  CHECK(s.excluded == std::vector<std::string>{"cfn/stack.yaml", "roots/b/main.tf"});
  CHECK(s.whole.data_files.empty());
  // roots/b calls the shared module, but a full run never reads roots/b either.
  CHECK(dirs(s.located.terraform_dirs) == std::vector<std::string>{"roots/a"});
  CHECK(s.not_checked.empty());

  m.options.var_files = {"roots/a/terraform.tfvars"};
  CHECK(dirs(m.scope({"roots/a/terraform.tfvars"}).whole.terraform_dirs) ==
        std::vector<std::string>{"modules/unused", "roots/a", "roots/c"});
}
