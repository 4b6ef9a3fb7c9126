// The Terraform front end, specified by example: Terraform in, effective tags out.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "linter/frontend/terraform/taggable_types.hpp"
#include "tests/unit/terraform_test_support.hpp"

using tw_test::Run;
using Strings = std::vector<std::string>;
using namespace tagwarden;

TEST_CASE("taggable types come from the embedded provider table") {
  CHECK(terraform::type_tagging("aws_s3_bucket").taggable == Taggable::kYes);
  CHECK(terraform::type_tagging("aws_s3_bucket").default_tags);
  CHECK(terraform::type_tagging("aws_autoscaling_group").tag_attr == "tag");
  CHECK_FALSE(terraform::type_tagging("aws_autoscaling_group").default_tags);
  CHECK(terraform::type_tagging("aws_iam_role_policy_attachment").taggable == Taggable::kNo);
  CHECK(terraform::type_tagging("aws_volume_attachment").taggable == Taggable::kNo);
  CHECK(terraform::type_tagging("google_storage_bucket").taggable == Taggable::kNo);
  CHECK(terraform::type_tagging("aws_iot_billing_group").framework);  // data/terraform_aws_sdk.tsv
  CHECK_FALSE(terraform::type_tagging("aws_s3_bucket").framework);
}

TEST_CASE("default_tags merge under resource tags, resource wins per key") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {
  default_tags {
    tags = { Team = "platform", Env = "dev" }
  }
}
resource "aws_s3_bucket" "b" {
  tags = { Env = "prod", Name = "logs" }
}
)")
      .go({"m"});
  CHECK(run.result.errors.empty());
  CHECK(run.tags("aws_s3_bucket.b") == Strings{"Env=prod", "Name=logs", "Team=platform"});
  const TagEntry* team = run.entry("aws_s3_bucket.b", "Team");
  REQUIRE(team);
  CHECK(team->origin.kind == OriginKind::kProviderDefaultTags);
  CHECK(team->origin.detail == "provider aws");
  CHECK(run.text(team->key_span) == "Team");
  CHECK(run.entry("aws_s3_bucket.b", "Env")->origin.kind == OriginKind::kResource);
  CHECK(run.text(run.entry("aws_s3_bucket.b", "Env")->value_span) == "\"prod\"");
}

TEST_CASE("provider = aws.alias selects that configuration's default_tags only") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {
  default_tags { tags = { Region = "east" } }
}
provider "aws" {
  alias = "west"
  default_tags { tags = { Region = "west", Extra = "x" } }
}
resource "aws_vpc" "a" {}
resource "aws_vpc" "b" {
  provider = aws.west
}
)")
      .go({"m"});
  CHECK(run.tags("aws_vpc.a") == Strings{"Region=east"});
  CHECK(run.tags("aws_vpc.b") == Strings{"Extra=x", "Region=west"});
  CHECK(run.entry("aws_vpc.b", "Region")->origin.detail == "provider aws.west");
}

TEST_CASE("ignore_tags keys and key prefixes are removed") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {
  default_tags { tags = { Team = "a", "kubernetes.io/x" = "y" } }
  ignore_tags {
    keys = ["Scratch"]
    key_prefixes = ["kubernetes.io/"]
  }
}
resource "aws_instance" "i" {
  tags = { Scratch = "1", Name = "n" }
}
)")
      .go({"m"});
  CHECK(run.tags("aws_instance.i") == Strings{"Name=n", "Team=a"});
}

TEST_CASE("a null in resource tags keeps the default (SDKv2) or is the empty string (Plugin Framework)") {
  // As real plans show (fixtures/oracle/null_*).
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {
  default_tags { tags = { Team = "a", Env = "dev" } }
}
resource "aws_instance" "i" {
  tags = { Env = null, Name = "n", Other = null }
}
resource "aws_iot_billing_group" "g" {
  tags = merge({ Name = "g" }, { Env = null, Other = null })
}
)")
      .go({"m"});
  CHECK(run.tags("aws_instance.i") == Strings{"Env=dev", "Name=n", "Team=a"});
  CHECK(run.tags("aws_iot_billing_group.g") == Strings{"Env=", "Name=g", "Other=", "Team=a"});
}

TEST_CASE("unknown values stay per key; an unknown map makes the key set unknown") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
variable "owner" {}
resource "aws_instance" "known_keys" {
  tags = { Owner = var.owner, Id = aws_vpc.main.id }
}
resource "aws_instance" "unknown_keys" {
  tags = aws_vpc.main.tags
}
)")
      .go({"m"});
  const TagEntry* owner = run.entry("aws_instance.known_keys", "Owner");
  REQUIRE(owner);
  CHECK_FALSE(owner->value.has_value());
  CHECK(owner->unknown_reason == "var.owner has no value");
  CHECK_FALSE(run.entry("aws_instance.known_keys", "Id")->value.has_value());
  CHECK(run.resource("aws_instance.known_keys")->variants[0].keys_known);
  const Resource* r = run.resource("aws_instance.unknown_keys");
  REQUIRE(r);
  CHECK_FALSE(r->variants[0].keys_known);
  CHECK_FALSE(r->variants[0].keys_unknown_reason.empty());
}

TEST_CASE("locals are evaluated lazily; a cycle is an error and unknown") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
locals {
  common = merge(local.base, { App = "shop" })
  base   = { Team = "payments" }
  a      = local.b
  b      = local.a
}
resource "aws_instance" "i" {
  tags = local.common
}
resource "aws_instance" "c" {
  tags = { X = local.a }
}
)")
      .go({"m"});
  CHECK(run.tags("aws_instance.i") == Strings{"App=shop", "Team=payments"});
  const TagEntry* team = run.entry("aws_instance.i", "Team");
  REQUIRE(team);
  REQUIRE(team->trail.size() == 1);
  CHECK(team->trail[0].message == "local.base");
  CHECK(run.tags("aws_instance.c") == Strings{"X=?"});
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message.find("refers to itself") != std::string::npos);
}

TEST_CASE("variable precedence: default < terraform.tfvars < .json < auto.tfvars < --var-file < --var") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "m" { default = {} }
resource "aws_instance" "i" {
  tags = merge(var.m, { A = var.a, B = var.b, C = var.c, D = var.d, E = var.e, F = var.f })
}
)")
      .file("m/terraform.tfvars", "b = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\nf = \"tfvars\"\n")
      .file("m/terraform.tfvars.json",
            R"({"c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json", "f": "tfvars.json"})")
      .file("m/a.auto.tfvars", "d = \"a.auto\"\ne = \"a.auto\"\nf = \"a.auto\"\n")
      .file("m/b.auto.tfvars.json", R"({"e": "b.auto.json", "f": "b.auto.json"})")
      .file("extra.tfvars", "f = \"var-file\"\n");
  run.options.var_files = {"extra.tfvars"};
  run.options.vars = {{"a", "cli"}, {"m", "{ FromCli = \"yes\" }"}};
  run.go({"m"});
  CHECK(run.result.errors.empty());
  CHECK(run.tags("aws_instance.i") ==
        Strings{"A=cli", "B=tfvars", "C=tfvars.json", "D=a.auto", "E=b.auto.json", "F=var-file", "FromCli=yes"});
}

TEST_CASE("count and for_each expand; unknown expansion gives one unexpanded resource") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
variable "buckets" {
  default = {
    logs = { owner = "ops" }
    data = { owner = "analytics" }
  }
}
resource "aws_instance" "web" {
  count = 2
  tags  = { Name = "web-${count.index}" }
}
resource "aws_s3_bucket" "b" {
  for_each = var.buckets
  tags     = { Name = each.key, Owner = each.value.owner }
}
resource "aws_s3_bucket" "u" {
  for_each = data.x.y
  tags     = { Name = each.key }
}
)")
      .go({"m"});
  CHECK(run.addresses() == Strings{"aws_instance.web[0]", "aws_instance.web[1]", "aws_s3_bucket.b[\"data\"]",
                                   "aws_s3_bucket.b[\"logs\"]", "aws_s3_bucket.u"});
  CHECK(run.tags("aws_instance.web[1]") == Strings{"Name=web-1"});
  CHECK(run.tags("aws_s3_bucket.b[\"logs\"]") == Strings{"Name=logs", "Owner=ops"});
  CHECK(run.resource("aws_s3_bucket.b[\"logs\"]")->expanded);
  CHECK_FALSE(run.resource("aws_s3_bucket.u")->expanded);
  CHECK(run.tags("aws_s3_bucket.u") == Strings{"Name=?"});
}

TEST_CASE("autoscaling groups take tag blocks and dynamic tag blocks, never default_tags") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {
  default_tags { tags = { Team = "a" } }
}
variable "extra" { default = { Env = "prod", Owner = "ops" } }
resource "aws_autoscaling_group" "g" {
  tag {
    key                 = "Name"
    value               = "asg"
    propagate_at_launch = true
  }
  dynamic "tag" {
    for_each = var.extra
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
)")
      .go({"m"});
  CHECK(run.tags("aws_autoscaling_group.g") == Strings{"Env=prod", "Name=asg", "Owner=ops"});
}

TEST_CASE("non-taggable resources are returned, marked kNo, with one empty tag set") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" { default_tags { tags = { Team = "a" } } }
resource "aws_iam_role_policy_attachment" "p" {}
resource "aws_volume_attachment" "v" {}
resource "random_id" "r" {}
)")
      .go({"m"});
  for (const char* a : {"aws_iam_role_policy_attachment.p", "aws_volume_attachment.v", "random_id.r"}) {
    const Resource* r = run.resource(a);
    REQUIRE(r);
    CHECK(r->taggable == Taggable::kNo);
    REQUIRE(r->variants.size() == 1);
    CHECK(r->variants[0].entries.empty());
  }
}

TEST_CASE("modules three deep with provider aliases passed through") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {
  default_tags { tags = { Level = "root-default" } }
}
provider "aws" {
  alias = "west"
  default_tags { tags = { Level = "root-west" } }
}
module "a" {
  source    = "./a"
  providers = { aws = aws.west }
  team      = "payments"
}
)")
      .file("root/a/main.tf", R"(
variable "team" {}
resource "aws_sqs_queue" "q" { tags = { Team = var.team } }
module "b" {
  source = "../b"
  owner  = "${var.team}-owner"
}
)")
      .file("root/b/main.tf", R"(
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.peer] }
  }
}
variable "owner" {}
resource "aws_sns_topic" "t" { tags = { Owner = var.owner } }
module "c" {
  source    = "./c"
  providers = { aws = aws }
  owner     = var.owner
}
)")
      .file("root/b/c/main.tf", R"(
variable "owner" {}
resource "aws_s3_bucket" "deep" { tags = { Owner = var.owner } }
)")
      .go({"root", "root/a", "root/b", "root/b/c"});
  CHECK(run.result.errors.empty());
  // root/a is called by root, so it is not linted again as a root; b and c are only reached
  // through root/a (b is called by a, c by b) so they are not roots either.
  CHECK(run.addresses() == Strings{"module.a.aws_sqs_queue.q", "module.a.module.b.aws_sns_topic.t",
                                   "module.a.module.b.module.c.aws_s3_bucket.deep"});
  CHECK(run.tags("module.a.aws_sqs_queue.q") == Strings{"Level=root-west", "Team=payments"});
  CHECK(run.tags("module.a.module.b.module.c.aws_s3_bucket.deep") ==
        Strings{"Level=root-west", "Owner=payments-owner"});
  const TagEntry* level = run.entry("module.a.module.b.module.c.aws_s3_bucket.deep", "Level");
  CHECK(level->origin.detail == "provider aws.west");
  const TagEntry* owner = run.entry("module.a.module.b.module.c.aws_s3_bucket.deep", "Owner");
  REQUIRE(owner);
  // The value was written in module.a's call of module.b: that argument is on the trail.
  bool via_b = false;
  for (const auto& t : owner->trail) via_b = via_b || t.message == "module.a.module.b argument owner";
  CHECK(via_b);
}

TEST_CASE("a child module linted alone has unknown inherited default_tags") {
  Run run;
  run.file("child/main.tf", R"(
variable "name" { default = "x" }
resource "aws_s3_bucket" "b" { tags = { Name = var.name } }
)")
      .go({"child"});
  const Resource* r = run.resource("aws_s3_bucket.b");
  REQUIRE(r);
  CHECK_FALSE(r->variants[0].keys_known);
  CHECK(r->variants[0].keys_unknown_reason == "provider default_tags are inherited from the calling module");
  CHECK(run.tags("aws_s3_bucket.b") == Strings{"Name=x"});
}

TEST_CASE("module for_each over a map of objects whose values set tags") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {}
variable "services" {
  default = {
    api    = { team = "core", env = "prod" }
    worker = { team = "batch", env = "dev" }
  }
}
module "svc" {
  for_each = var.services
  source   = "./svc"
  tags     = { Team = each.value.team, Env = each.value.env, Service = each.key }
}
)")
      .file("root/svc/main.tf", R"(
variable "tags" {}
resource "aws_ecs_service" "s" { tags = var.tags }
)")
      .go({"root"});
  CHECK(run.tags("module.svc[\"api\"].aws_ecs_service.s") == Strings{"Env=prod", "Service=api", "Team=core"});
  CHECK(run.tags("module.svc[\"worker\"].aws_ecs_service.s") == Strings{"Env=dev", "Service=worker", "Team=batch"});
  CHECK(run.resource("module.svc[\"api\"].aws_ecs_service.s")->expanded);
}

TEST_CASE("resources of a module whose for_each is unknown are not expanded either") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {}
module "svc" {
  for_each = toset(data.x.names)
  source   = "./svc"
  name     = each.key
}
)")
      .file("root/svc/main.tf", R"(
variable "name" {}
resource "aws_ecs_service" "s" { tags = { Name = var.name } }
)")
      .go({"root"});
  CHECK(run.addresses() == Strings{"module.svc.aws_ecs_service.s"});
  CHECK_FALSE(run.resource("module.svc.aws_ecs_service.s")->expanded);
  CHECK(run.tags("module.svc.aws_ecs_service.s") == Strings{"Name=?"});
}

TEST_CASE("remote modules: modules.json when initialised, else one TW011 note per call") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {}
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  name   = "main"
}
module "missing" {
  count  = 3
  source = "git::https://example.com/x.git"
}
)")
      .file(
          "root/.terraform/modules/modules.json",
          R"({"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"}]})")
      .file("root/.terraform/modules/vpc/main.tf", R"(
variable "name" {}
resource "aws_vpc" "this" { tags = { Name = var.name } }
)")
      .go({"root"});
  CHECK(run.addresses() == Strings{"module.vpc.aws_vpc.this"});
  CHECK(run.tags("module.vpc.aws_vpc.this") == Strings{"Name=main"});
  std::vector<Fact> not_inspectable, calls;
  for (const auto& f : run.result.facts)
    (f.kind == Fact::Kind::kModuleNotInspectable ? not_inspectable : calls).push_back(f);
  REQUIRE(not_inspectable.size() == 1);
  CHECK(not_inspectable[0].address == "module.missing");
  CHECK(not_inspectable[0].root == "root");
  CHECK(not_inspectable[0].subject == "git::https://example.com/x.git");
  CHECK(not_inspectable[0].reason == "run terraform init");
  CHECK(calls.empty());  // call blocks are recorded only in files with suppression comments
}

TEST_CASE("module recursion is bounded") {
  Run run;
  run.file("loop/main.tf", R"(
provider "aws" {}
module "self" { source = "./" }
resource "aws_sqs_queue" "q" {}
)")
      .go({"loop"});
  CHECK(run.addresses() == Strings{"aws_sqs_queue.q"});
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message == "module.self calls a module that calls it; not followed");
}

TEST_CASE("environment default tags and ignore lists apply only when enabled") {
  const char* tf = R"(
provider "aws" {
  default_tags { tags = { Team = "config" } }
}
resource "aws_sqs_queue" "q" { tags = { Tmp = "1" } }
)";
  Run off;
  off.options.env = {{"TF_AWS_DEFAULT_TAGS_CostCenter", "CC-1"}, {"TF_AWS_IGNORE_TAGS_KEYS", "Tmp"}};
  off.file("m/main.tf", tf).go({"m"});
  CHECK(off.tags("aws_sqs_queue.q") == Strings{"Team=config", "Tmp=1"});

  Run on;
  on.options.env = {{"TF_AWS_DEFAULT_TAGS_CostCenter", "CC-1"},
                    {"TF_AWS_DEFAULT_TAGS_Team", "env"},
                    {"TF_AWS_IGNORE_TAGS_KEYS", "Tmp,Other"}};
  on.options.env_provider_tags = true;
  on.file("m/main.tf", tf).go({"m"});
  CHECK(on.tags("aws_sqs_queue.q") == Strings{"CostCenter=CC-1", "Team=config"});
  CHECK(on.entry("aws_sqs_queue.q", "CostCenter")->origin.kind == OriginKind::kEnvironment);
}

TEST_CASE("volume_tags, block-device tags and launch template tag_specifications are resources of their own") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" { default_tags { tags = { Team = "a" } } }
resource "aws_instance" "web" {
  tags        = { Name = "web" }
  volume_tags = { Name = "web-volumes" }
  root_block_device {
    tags = { Name = "root" }
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    tags        = { Name = "data" }
  }
}
resource "aws_launch_template" "lt" {
  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "from-template" }
  }
}
)")
      .go({"m"});
  CHECK(run.tags("aws_instance.web (volume_tags)") == Strings{"Name=web-volumes"});
  CHECK(run.resource("aws_instance.web (volume_tags)")->type == "aws_ebs_volume");
  CHECK(run.tags("aws_instance.web (root_block_device)") == Strings{"Name=root", "Team=a"});
  CHECK(run.tags("aws_instance.web (ebs_block_device /dev/sdf)") == Strings{"Name=data", "Team=a"});
  CHECK(run.tags("aws_launch_template.lt (tag_specifications instance)") == Strings{"Name=from-template"});
  CHECK(run.resource("aws_launch_template.lt (tag_specifications instance)")->type == "aws_instance");
  CHECK(run.tags("aws_launch_template.lt") == Strings{"Team=a"});
}

TEST_CASE("terraform.workspace and path.module (relative to the root, wherever tagwarden runs)") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
resource "aws_sqs_queue" "q" { tags = { Ws = terraform.workspace, Path = path.module } }
)")
      .file("m/.terraform/environment", "staging\n")
      .go({"m"});
  CHECK(run.tags("aws_sqs_queue.q") == Strings{"Path=.", "Ws=staging"});
}

TEST_CASE("module outputs feed tags (a label module's tags, count and for_each instances)") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {}
module "label" {
  source = "./label"
  team   = "data"
}
module "many" {
  count  = 2
  source = "./label"
  team   = "n${count.index}"
}
resource "aws_sqs_queue" "q" { tags = module.label.tags }
resource "aws_sqs_queue" "r" { tags = { Team = module.many[1].tags.Team } }
resource "aws_sqs_queue" "s" { tags = module.nope.tags }
)")
      .file("root/label/main.tf", R"(
variable "team" {}
output "tags" { value = { Team = var.team, Managed = "terraform" } }
)")
      .go({"root"});
  CHECK(run.tags("aws_sqs_queue.q") == Strings{"Managed=terraform", "Team=data"});
  CHECK(run.tags("aws_sqs_queue.r") == Strings{"Team=n1"});
  const Resource* s = run.resource("aws_sqs_queue.s");
  REQUIRE(s);
  CHECK_FALSE(s->variants[0].keys_known);
  CHECK(s->variants[0].keys_unknown_reason == "module.nope is not declared");
}

TEST_CASE("results do not depend on the number of parser threads") {
  auto make = [](unsigned jobs) {
    auto run = std::make_unique<Run>();
    for (int i = 0; i < 12; ++i)
      run->file(fmt::format("m/f{:02}.tf", i),
                fmt::format("resource \"aws_sqs_queue\" \"q{}\" {{\n  tags = {{ N = \"{}\" }}\n}}\n", i, i));
    run->file("m/providers.tf", "provider \"aws\" {\n  default_tags {\n    tags = { T = \"x\" }\n  }\n}\n");
    run->file("m/broken.tf", "resource \"aws_sqs_queue\" \"bad\" {\n  tags = {\n");
    run->go({"m"}, {}, jobs);
    return run;
  };
  auto one = make(1);
  auto four = make(4);
  CHECK(one->addresses() == four->addresses());
  CHECK(one->addresses().size() >= 12);
  for (const auto& a : one->addresses()) CHECK(one->tags(a) == four->tags(a));
  // The broken file is an error with a position; the other files still count.
  CHECK_FALSE(one->result.errors.empty());
  CHECK(one->result.errors.size() == four->result.errors.size());
  CHECK(one->result.errors[0].span.valid());
  CHECK(one->tags("aws_sqs_queue.q3") == Strings{"N=3", "T=x"});
}

TEST_CASE("module nesting is bounded") {
  Run run;
  run.file("d0/main.tf", "provider \"aws\" {}\nmodule \"m\" { source = \"./d\" }\n");
  std::string dir = "d0";
  for (int i = 0; i < 20; ++i) {
    dir += "/d";
    run.file(dir + "/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\nmodule \"m\" { source = \"./d\" }\n");
  }
  run.go({"d0"});
  CHECK(run.addresses().size() == 16);
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message == "module.m nests deeper than 16 modules; not followed");
}

TEST_CASE(".tf.json files load into the same model") {
  Run run;
  run.file("m/main.tf.json", R"({
  "provider": {"aws": {"default_tags": {"tags": {"Team": "json"}}}},
  "variable": {"env": {"default": "prod"}},
  "resource": {"aws_s3_bucket": {"b": {"tags": {"Env": "${var.env}", "Name": "b"}}}}
})")
      .go({"m"});
  CHECK(run.result.errors.empty());
  CHECK(run.tags("aws_s3_bucket.b") == Strings{"Env=prod", "Name=b", "Team=json"});
}

TEST_CASE("variable object types fill optional attributes with their defaults") {
  Run run;
  run.file("m/main.tf", R"(
provider "aws" {}
variable "rules" {
  type = map(object({
    name = string
    tags = optional(map(string), { Kind = "rule" })
    note = optional(string)
  }))
  default = {
    a = { name = "a" }
    b = { name = "b", tags = { Kind = "custom" } }
  }
}
resource "aws_vpc_security_group_ingress_rule" "r" {
  for_each = var.rules
  tags     = merge({ Name = each.value.name }, each.value.tags)
}
resource "aws_sqs_queue" "q" {
  for_each = var.rules
  tags     = { Note = each.value.note, Name = each.value.name }
}
)")
      .go({"m"});
  CHECK(run.tags("aws_vpc_security_group_ingress_rule.r[\"a\"]") == Strings{"Kind=rule", "Name=a"});
  CHECK(run.tags("aws_vpc_security_group_ingress_rule.r[\"b\"]") == Strings{"Kind=custom", "Name=b"});
  // An optional attribute without a default is null: no tag.
  CHECK(run.tags("aws_sqs_queue.q[\"a\"]") == Strings{"Name=a"});
}

TEST_CASE("CDK for Terraform synth output (cdk.tf.json) loads like any .tf.json module") {
  Run run;
  run.file("cdktf.out/stacks/app/cdk.tf.json", R"({
  "//": {"metadata": {"stackName": "app", "version": "0.20.0"}},
  "provider": {"aws": [{"default_tags": [{"tags": {"Stack": "app"}}], "region": "eu-west-1"}]},
  "resource": {"aws_sqs_queue": {"queue_1A2B3C": {"//": {"metadata": {"path": "app/queue"}}, "name": "q", "tags": {"Owner": "team"}}}}
})")
      .go({"cdktf.out/stacks/app"});
  CHECK(run.result.errors.empty());
  CHECK(run.tags("aws_sqs_queue.queue_1A2B3C") == Strings{"Owner=team", "Stack=app"});
}

TEST_CASE("a broken .tf.json file is a positioned error") {
  Run run;
  run.file("m/main.tf.json", "{\"resource\": ").go({"m"});
  REQUIRE_FALSE(run.result.errors.empty());
  CHECK(run.result.errors[0].span.valid());
}

TEST_CASE("a very long chain of locals is bounded, not a stack overflow") {
  std::string tf = "provider \"aws\" {}\nlocals {\n  l0 = \"end\"\n";
  for (int i = 1; i < 5000; ++i) tf += fmt::format("  l{} = local.l{}\n", i, i - 1);
  tf += "}\nresource \"aws_sqs_queue\" \"q\" { tags = { V = local.l4999, W = local.l10 } }\n";
  Run run;
  run.file("m/main.tf", tf).go({"m"});
  const TagEntry* v = run.entry("aws_sqs_queue.q", "V");
  REQUIRE(v);
  CHECK_FALSE(v->value.has_value());
  CHECK(run.entry("aws_sqs_queue.q", "W")->value == std::optional<std::string>("end"));
}

TEST_CASE("directories that only call each other are still linted, once") {
  Run run;
  run.file("a/main.tf",
           "provider \"aws\" {}\nresource \"aws_sqs_queue\" \"a\" {}\nmodule \"b\" { source = \"../b\" }\n")
      .file("b/main.tf", "resource \"aws_sqs_queue\" \"b\" {}\nmodule \"a\" { source = \"../a\" }\n")
      .go({"a", "b"});
  CHECK(run.addresses() == Strings{"aws_sqs_queue.a", "module.b.aws_sqs_queue.b"});
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message == "module.a calls a module that calls it; not followed");
}

TEST_CASE("a module called with count = 0 is not linted on its own") {
  Run run;
  run.file("root/main.tf", "provider \"aws\" {}\nmodule \"off\" {\n  count  = 0\n  source = \"./off\"\n}\n")
      .file("root/off/main.tf", "resource \"aws_sqs_queue\" \"q\" {}\n")
      .go({"root", "root/off"});
  CHECK(run.addresses().empty());
}

TEST_CASE("the number of resources per run is bounded, and saying so is an error") {
  std::string tf;
  for (int i = 0; i < 21; ++i)
    tf += fmt::format("resource \"aws_iam_role_policy_attachment\" \"p{}\" {{\n  count = 10000\n}}\n", i);
  Run run;
  run.file("m/main.tf", tf).go({"m"});
  CHECK(run.result.resources.size() == 200000);
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message == "more than 200000 resources; the rest are not checked");
}

TEST_CASE("file() reads from the root module directory and path.module") {
  Run run;
  run.file("root/main.tf", R"(
provider "aws" {}
resource "aws_sqs_queue" "q" { tags = jsondecode(file("tags.json")) }
module "m" { source = "./m" }
)")
      .file("root/tags.json", R"({"Team": "from-file"})")
      .file("root/m/main.tf", R"(
resource "aws_sqs_queue" "r" { tags = jsondecode(file("${path.module}/t.json")) }
)")
      .file("root/m/t.json", R"({"Team": "module-file"})")
      .go({"root"});
  CHECK(run.tags("aws_sqs_queue.q") == Strings{"Team=from-file"});
  CHECK(run.tags("module.m.aws_sqs_queue.r") == Strings{"Team=module-file"});
}
