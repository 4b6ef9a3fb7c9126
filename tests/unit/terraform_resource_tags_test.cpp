// Stage "tag computation" of the Terraform loader: layers handed to TagSetBuilder, ignore_tags,
// `tag` blocks and the extra tag targets (linter/frontend/terraform/resource_tags.hpp).
#include <doctest/doctest.h>

#include "linter/frontend/terraform/resource_tags.hpp"
#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

namespace {

std::vector<std::string> keys(const TagSet& s) {
  std::vector<std::string> out;
  for (const auto& e : s.entries) out.push_back(e.key + "=" + e.value.value_or("?"));
  return out;
}

struct Fixture {
  tw_test::Module m;
  RunOptions options;
  ProviderMap providers;
  std::vector<Related> trail;
  ExprEval eval = tw_test::literal_eval();
  explicit Fixture(const std::string& text) : m(text) { build_provider_configs(m.dir, "", false, eval, providers); }
  TagSet tags(std::size_t resource = 0) {
    const hcl::Block& b = *m.dir.resources[resource];
    TypeTagging tt = type_tagging(b.labels[0]);
    TagScope scope{options, providers, m.dir, trail, eval, nullptr};
    const hcl::Attribute* attr = tt.tag_attr == "tag" ? nullptr : find_attr_tags(b);
    return compute_tags(scope, b, Iter{}, tt, resource_provider(b), attr);
  }
  static const hcl::Attribute* find_attr_tags(const hcl::Block& b) {
    for (const auto& a : b.body.attributes)
      if (a.name == "tags") return &a;
    return nullptr;
  }
};

}  // namespace

TEST_CASE("resource_tags: default_tags under resource tags, ignore_tags removes keys") {
  Fixture f(R"(
provider "aws" {
  default_tags { tags = { Team = "t", Env = "dev", "aws:x" = "1" } }
  ignore_tags {
    keys         = ["Drop"]
    key_prefixes = ["aws:"]
  }
}
resource "aws_s3_bucket" "b" {
  tags = { Env = "prod", Drop = "x" }
}
)");
  TagSet s = f.tags();
  CHECK(keys(s) == std::vector<std::string>{"Env=prod", "Team=t"});
  CHECK(s.keys_known);
  CHECK(s.entries[1].origin.kind == OriginKind::kProviderDefaultTags);
  CHECK(s.entries[1].origin.detail == "provider aws");
}

TEST_CASE("resource_tags: TF_AWS_DEFAULT_TAGS_* sit under the provider block's default_tags") {
  Fixture f(R"(
provider "aws" {
  default_tags { tags = { Team = "block" } }
}
resource "aws_vpc" "v" {}
)");
  f.options.env_provider_tags = true;
  f.options.env = {{"TF_AWS_DEFAULT_TAGS_Team", "env"},
                   {"TF_AWS_DEFAULT_TAGS_Owner", "o"},
                   {"TF_AWS_IGNORE_TAGS_KEYS", "Gone,"},
                   {"TF_AWS_DEFAULT_TAGS_Gone", "g"}};
  TagSet s = f.tags();
  CHECK(keys(s) == std::vector<std::string>{"Owner=o", "Team=block"});
  CHECK(s.entries[0].origin.kind == OriginKind::kEnvironment);
  CHECK(s.entries[0].origin.detail == "TF_AWS_DEFAULT_TAGS_Owner");
}

TEST_CASE("resource_tags: an unconfigured alias or an unknown map makes the key set unknown") {
  Fixture f(R"(
provider "aws" {}
resource "aws_vpc" "a" {
  provider = aws.nowhere
  tags     = { Name = "a" }
}
resource "aws_vpc" "b" {
  tags = merge({ Name = "b" }, var.extra)
}
)");
  TagSet a = f.tags(0);
  CHECK_FALSE(a.keys_known);
  CHECK(a.keys_unknown_reason == "provider aws.nowhere is not configured");
  CHECK(keys(a) == std::vector<std::string>{"Name=a"});
  TagSet b = f.tags(1);
  CHECK_FALSE(b.keys_known);
  CHECK(b.keys_unknown_reason.rfind("tags merge a map whose keys are not known", 0) == 0);
}

TEST_CASE("resource_tags: autoscaling groups read tag blocks and dynamic tag blocks, no default_tags") {
  Fixture f(R"(
provider "aws" {
  default_tags { tags = { Team = "t" } }
}
resource "aws_autoscaling_group" "g" {
  tag {
    key                 = "Name"
    value               = "web"
    propagate_at_launch = true
  }
  dynamic "tag" {
    for_each = { Env = "prod" }
    iterator = t
    content {
      key                 = t.key
      value               = t.value
      propagate_at_launch = true
    }
  }
}
)");
  // The literal evaluator resolves no iterators: the dynamic block's key is unknown.
  TagSet s = f.tags();
  CHECK(keys(s) == std::vector<std::string>{"Name=web"});
  CHECK_FALSE(s.keys_known);
}

TEST_CASE("resource_tags: extra targets of instances and launch templates") {
  tw_test::Module m(R"(
resource "aws_instance" "i" {
  volume_tags = { A = "1" }
  root_block_device { tags = { B = "2" } }
  ebs_block_device {
    device_name = "/dev/sdf"
    tags        = { C = "3" }
  }
  ebs_block_device { device_name = "/dev/sdg" }
}
resource "aws_launch_template" "lt" {
  tag_specifications {
    resource_type = "volume"
    tags          = { D = "4" }
  }
  tag_specifications {
    resource_type = "elastic-gpu"
    tags          = { E = "5" }
  }
}
)");
  auto i = extra_tag_targets(*m.dir.resources[0], "aws_instance.i", Iter{}, tw_test::literal_eval());
  REQUIRE(i.size() == 3);
  CHECK(i[0].address == "aws_instance.i (volume_tags)");
  CHECK_FALSE(i[0].default_tags);
  CHECK(i[1].address == "aws_instance.i (root_block_device)");
  CHECK(i[1].default_tags);
  CHECK(i[2].address == "aws_instance.i (ebs_block_device /dev/sdf)");
  CHECK(i[2].type == "aws_ebs_volume");
  auto lt = extra_tag_targets(*m.dir.resources[1], "aws_launch_template.lt", Iter{}, tw_test::literal_eval());
  REQUIRE(lt.size() == 2);
  CHECK(lt[0].type == "aws_ebs_volume");
  CHECK(lt[1].type == "aws_launch_template (elastic-gpu)");
  CHECK_FALSE(lt[0].default_tags);
}
