// Stage "module directories" of the Terraform loader: which files make a module, in which
// order, and which blocks are collected (linter/frontend/terraform/module_dir.hpp).
#include <doctest/doctest.h>

#include <stdexcept>

#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

TEST_CASE("module_dir: .tf and .tf.json files are Terraform, nothing else is") {
  bool json = true;
  CHECK(is_terraform_file("main.tf", &json));
  CHECK_FALSE(json);
  CHECK(is_terraform_file("main.tf.json", &json));
  CHECK(json);
  CHECK_FALSE(is_terraform_file("terraform.tfvars", &json));
  CHECK_FALSE(is_terraform_file(".tf", &json));
  CHECK_FALSE(is_terraform_file("main.tf.bak", &json));
}

TEST_CASE("module_dir: collect_blocks sorts blocks by kind") {
  tw_test::Module m(R"(
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.west, aws.east] }
  }
}
provider "aws" {}
resource "aws_s3_bucket" "b" {}
data "aws_region" "r" {}
variable "v" {}
locals {
  a = 1
  b = 2
}
module "m" { source = "./x" }
output "o" { value = 1 }
resource "bad" {}
)");
  CHECK(m.dir.resources.size() == 1);  // data blocks and malformed resources are not resources
  CHECK(m.dir.providers.size() == 1);
  CHECK(m.dir.variables.size() == 1);
  CHECK(m.dir.module_calls.size() == 1);
  CHECK(m.dir.outputs.size() == 1);
  CHECK(m.dir.locals.size() == 2);
  CHECK(m.dir.configuration_aliases == std::set<std::string>{"aws.east", "aws.west"});
}

TEST_CASE("module_dir: files load in name order, errors are kept, a throwing parser is an internal error") {
  MemoryReader reader;
  reader.add("m/b.tf", "resource \"aws_vpc\" \"b\" {}\n");
  reader.add("m/a.tf", "resource \"aws_vpc\" \"a\" {}\n");
  reader.add("m/c.tf.json", "{\"resource\": {\"aws_vpc\": {\"c\": {}}}}");
  reader.add("m/notes.txt", "not terraform");
  reader.add("n/bad.tf", "resource {");
  reader.add("t/throw.tf", "x = 1");
  SourceManager sources;
  RunOptions options;
  options.jobs = 2;
  LoadContext ctx{options, sources, reader};
  ParseFn parse = [](FileId f, std::string_view text, bool json) {
    if (text == "x = 1") throw std::runtime_error("boom");
    return parse_terraform_file(f, text, json);
  };
  ModuleDirs dirs;
  std::vector<Error> errors;
  load_module_dirs(ctx, parse, {"m", "n", "t", "empty"}, dirs, errors);
  REQUIRE(dirs.count("m"));
  const ModuleDir& m = *dirs.at("m");
  REQUIRE(m.resources.size() == 3);
  CHECK(m.resources[0]->labels[1] == "a");
  CHECK(m.resources[1]->labels[1] == "b");
  CHECK(m.resources[2]->labels[1] == "c");
  CHECK(sources.file(m.files[0]->id).path() == "m/a.tf");
  CHECK(dirs.at("n")->has_files);
  CHECK_FALSE(dirs.at("empty")->has_files);
  bool syntax = false, internal = false;
  for (const auto& e : errors) {
    if (!e.internal && sources.file(e.span.file).path() == "n/bad.tf") syntax = true;
    if (e.internal && e.message.find("boom") != std::string::npos) internal = true;
  }
  CHECK(syntax);
  CHECK(internal);
  // Loading again adds nothing.
  std::size_t before = sources.size();
  load_module_dirs(ctx, parse, {"m"}, dirs, errors);
  CHECK(sources.size() == before);
}
