// The Terraform fixture projects under fixtures/terraform/, read from disk the way the CLI
// reads them, with the effective tags each must produce.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "linter/frontend/terraform/terraform_frontend.hpp"

using namespace tagwarden;
using Strings = std::vector<std::string>;

namespace {

struct FixtureRun {
  std::unique_ptr<Reader> reader = make_disk_reader();
  SourceManager sources;
  RunOptions options;
  FrontendResult result;

  explicit FixtureRun(const std::string& name, std::vector<std::pair<std::string, std::string>> vars = {}) {
    options.vars = std::move(vars);
    std::string root = std::string(TW_SOURCE_DIR) + "/fixtures/terraform/" + name;
    TerraformInputs inputs;
    walk(root, inputs.module_dirs);
    std::sort(inputs.module_dirs.begin(), inputs.module_dirs.end());
    LoadContext ctx{options, sources, *reader};
    result = load_terraform(ctx, inputs);
  }
  void walk(const std::string& dir, std::vector<std::string>& out) {
    bool has_tf = false;
    for (const auto& n : reader->list_dir(dir)) {
      std::string p = path_join(dir, n);
      if (reader->is_dir(p)) {
        if (n[0] != '.') walk(p, out);
      } else if (n.ends_with(".tf") || n.ends_with(".tf.json")) {
        has_tf = true;
      }
    }
    if (has_tf) out.push_back(dir);
  }
  /// address -> "Key=value" list ("?" for unknown values), plus "keys unknown" when so.
  std::map<std::string, Strings> all() const {
    std::map<std::string, Strings> out;
    for (const auto& r : result.resources) {
      Strings tags;
      for (const auto& e : r.variants.at(0).entries) tags.push_back(e.key + "=" + e.value.value_or("?"));
      if (!r.variants[0].keys_known) tags.push_back("<keys unknown>");
      if (r.taggable != Taggable::kYes) tags.push_back("<not taggable>");
      out[r.address] = tags;
    }
    return out;
  }
};

}  // namespace

TEST_CASE("fixture default_tags_merge") {
  FixtureRun run("default_tags_merge");
  CHECK(run.result.errors.empty());
  CHECK(run.all() == std::map<std::string, Strings>{
                         {"aws_s3_bucket.logs", {"Environment=production", "Name=logs", "Team=platform"}}});
}

TEST_CASE("fixture provider_alias") {
  FixtureRun run("provider_alias");
  CHECK(run.all() == std::map<std::string, Strings>{{"aws_sqs_queue.eu", {"Region=eu-west-1"}},
                                                    {"aws_sqs_queue.us", {"Billing=us", "Region=us-east-1"}}});
}

TEST_CASE("fixture ignore_tags_and_nulls") {
  FixtureRun run("ignore_tags_and_nulls");
  // Environment = null on an SDKv2 resource keeps the default (fixtures/oracle/null_*).
  CHECK(run.all() == std::map<std::string, Strings>{{"aws_instance.web", {"Environment=dev", "Name=web", "Team=platform"}}});
}

TEST_CASE("fixture unknown_values") {
  FixtureRun run("unknown_values");
  auto all = run.all();
  CHECK(all["aws_subnet.a"] == Strings{"Owner=?", "VpcId=?"});
  CHECK(all["aws_subnet.b"] == Strings{"<keys unknown>"});
  CHECK(all["aws_vpc.main"] == Strings{});
}

TEST_CASE("fixture locals_and_tfvars: auto.tfvars over terraform.tfvars, --var over both") {
  FixtureRun run("locals_and_tfvars", {{"cost_center", "CC-1234"}});
  CHECK(run.result.errors.empty());
  CHECK(run.all() == std::map<std::string, Strings>{
                         {"aws_dynamodb_table.t",
                          {"CostCenter=CC-1234", "Environment=production", "Name=table-production", "Owner=TFVARS"}}});
}

TEST_CASE("fixture modules_three_deep") {
  FixtureRun run("modules_three_deep");
  CHECK(run.result.errors.empty());
  CHECK(run.all() ==
        std::map<std::string, Strings>{
            {"module.app.aws_s3_bucket.data", {"ManagedBy=terraform", "Region=primary", "Team=payments"}},
            {"module.app.module.network.aws_vpc.this", {"ManagedBy=terraform", "Owner=payments-net", "Region=disaster-recovery"}},
            {"module.app.module.network.module.subnet.aws_subnet.this",
             {"ManagedBy=terraform", "Owner=payments-net", "Region=disaster-recovery", "Tier=private"}}});
}

TEST_CASE("fixture child_module_alone") {
  FixtureRun run("child_module_alone");
  CHECK(run.all() == std::map<std::string, Strings>{{"aws_sns_topic.t", {"Name=alone", "<keys unknown>"}}});
}

TEST_CASE("fixture for_each_map_of_objects") {
  FixtureRun run("for_each_map_of_objects");
  CHECK(run.all() == std::map<std::string, Strings>{
                         {"aws_ecr_repository.repo[\"api\"]", {"Service=api", "Team=core", "Tier=web"}},
                         {"aws_ecr_repository.repo[\"worker\"]", {"Service=worker", "Team=batch", "Tier=backend"}},
                         {"module.service[\"api\"].aws_ecs_service.this", {"Service=api", "Team=core"}},
                         {"module.service[\"worker\"].aws_ecs_service.this", {"Service=worker", "Team=batch"}}});
}

TEST_CASE("fixture count_and_dynamic_tags") {
  FixtureRun run("count_and_dynamic_tags");
  CHECK(run.all() == std::map<std::string, Strings>{
                         {"aws_autoscaling_group.workers", {"Environment=prod", "Name=worker", "Owner=ops"}},
                         {"aws_iam_role_policy_attachment.attach", {"<not taggable>"}},
                         {"aws_instance.web[0]", {"Name=web-0", "Team=platform"}},
                         {"aws_instance.web[1]", {"Name=web-1", "Team=platform"}}});
}

TEST_CASE("fixture tf_json") {
  FixtureRun run("tf_json");
  CHECK(run.result.errors.empty());
  CHECK(run.all() == std::map<std::string, Strings>{{"aws_s3_bucket.b", {"Environment=prod", "Name=b", "Team=json"}}});
}
