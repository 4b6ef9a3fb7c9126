// Stage "provider configurations" of the Terraform loader (linter/frontend/terraform/providers.hpp).
#include <doctest/doctest.h>

#include "linter/frontend/terraform/providers.hpp"
#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

TEST_CASE("providers: aws blocks give configurations with default_tags and ignore_tags") {
  tw_test::Module m(R"(
provider "aws" {
  default_tags { tags = { Team = "t" } }
  ignore_tags {
    keys         = ["a"]
    key_prefixes = ["kubernetes.io/"]
  }
}
provider "aws" {
  alias = "west"
}
provider "google" {}
)");
  ProviderMap p;
  build_provider_configs(m.dir, "module.net", false, tw_test::literal_eval(), p);
  REQUIRE(p.count("aws"));
  REQUIRE(p.count("aws.west"));
  CHECK(p.count("google"));
  CHECK(p["aws"]->label == "provider aws (module.net)");
  CHECK(p["aws"]->default_tags.as_map().at("Team").value.as_string() == "t");
  CHECK(p["aws"]->ignore_keys.as_list().size() == 1);
  CHECK(p["aws"]->ignore_prefixes.as_list().size() == 1);
  CHECK(p["aws.west"]->default_tags.is_null());
  CHECK_FALSE(p["aws"]->inherited_unknown);
}

TEST_CASE("providers: a root without a default aws block or with undeclared aliases inherits unknown ones") {
  tw_test::Module m(R"(
terraform {
  required_providers {
    aws = { source = "hashicorp/aws", configuration_aliases = [aws.peer] }
  }
}
)");
  ProviderMap p;
  build_provider_configs(m.dir, "", true, tw_test::literal_eval(), p);
  REQUIRE(p.count("aws"));
  CHECK(p["aws"]->inherited_unknown);
  CHECK(p["aws"]->unknown_reason == "provider default_tags are inherited from the calling module");
  REQUIRE(p.count("aws.peer"));
  CHECK(p["aws.peer"]->unknown_reason == "provider aws.peer default_tags are inherited from the calling module");
  ProviderMap child;
  build_provider_configs(m.dir, "module.x", false, tw_test::literal_eval(), child);
  CHECK(child.empty());  // a child gets its configurations from its caller
}

TEST_CASE("providers: a call passes the default configurations, overridden by its providers map") {
  tw_test::Module m(R"(
module "implicit" { source = "./x" }
module "mapped" {
  source    = "./x"
  providers = { aws = aws.west, aws.peer = aws }
}
)");
  ProviderMap caller;
  caller["aws"] = std::make_shared<ProviderConfig>();
  caller["aws.west"] = std::make_shared<ProviderConfig>();
  caller["google"] = std::make_shared<ProviderConfig>();
  ProviderMap implicit = providers_for_call(caller, *m.dir.module_calls[0]);
  CHECK(implicit.size() == 2);
  CHECK(implicit["aws"] == caller["aws"]);
  CHECK_FALSE(implicit.count("aws.west"));
  ProviderMap mapped = providers_for_call(caller, *m.dir.module_calls[1]);
  CHECK(mapped.size() == 3);
  CHECK(mapped["aws"] == caller["aws.west"]);
  CHECK(mapped["aws.peer"] == caller["aws"]);
  CHECK(mapped["google"] == caller["google"]);  // not in the map: still inherited
}

TEST_CASE("providers: a child's proxy blocks keep what the caller passed; a real block replaces it") {
  tw_test::Module m(R"(
provider "aws" {}
provider "aws" {
  alias = "other"
}
provider "aws" {
  alias  = "real"
  region = "eu-west-1"
}
)");
  CHECK(is_proxy_block(*m.dir.providers[0]));
  CHECK(is_proxy_block(*m.dir.providers[1]));
  CHECK_FALSE(is_proxy_block(*m.dir.providers[2]));
  ProviderMap p;
  auto given = std::make_shared<ProviderConfig>();
  given->label = "provider aws";
  p["aws"] = given;
  p["aws.real"] = given;
  ProviderMap implicit = p;
  build_provider_configs(m.dir, "module.c", false, tw_test::literal_eval(), implicit);
  CHECK(implicit["aws"] != given);  // not passed explicitly: an empty configuration of its own
  build_provider_configs(m.dir, "module.c", false, tw_test::literal_eval(), p, {"aws", "aws.real"});
  CHECK(p["aws"] == given);
  CHECK(p["aws.other"]->label == "provider aws.other (module.c)");  // nothing passed: its own
  CHECK(p["aws.real"] != given);
  CHECK(p["aws.real"]->region.as_string() == "eu-west-1");
}

TEST_CASE("providers: a resource uses its provider argument, else its type's prefix") {
  tw_test::Module m(R"(
resource "aws_vpc" "a" {}
resource "aws_vpc" "b" { provider = aws.west }
resource "google_storage_bucket" "c" {}
)");
  CHECK(resource_provider(*m.dir.resources[0]) == "aws");
  CHECK(resource_provider(*m.dir.resources[1]) == "aws.west");
  CHECK(resource_provider(*m.dir.resources[2]) == "google");
}
