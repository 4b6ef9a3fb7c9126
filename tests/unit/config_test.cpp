// Specification of .tagwarden.yaml reading (linter/config/config.hpp): discovery upwards,
// resolution of paths against the file's folder, positioned errors.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "linter/config/config.hpp"
#include "linter/report/formats.hpp"

using namespace tagwarden;

namespace {

std::optional<Config> load(const std::string& text, std::vector<Error>& errors, SourceManager& sm) {
  FileId id = sm.add("conf/.tagwarden.yaml", text);
  return load_config(sm, id, "conf", "/repo/conf", {"text", "json", "sarif"}, errors);
}

}  // namespace

TEST_CASE("the nearest .tagwarden.yaml is found in the folder or a parent") {
  MemoryReader reader;
  reader.add("repo/.tagwarden.yaml", "");
  reader.add("repo/infra/prod/main.tf", "");
  CHECK(find_config(reader, "repo/infra/prod") == std::optional<std::string>("repo/.tagwarden.yaml"));
  reader.add("repo/infra/.tagwarden.yaml", "");
  CHECK(find_config(reader, "repo/infra/prod") == std::optional<std::string>("repo/infra/.tagwarden.yaml"));
  MemoryReader empty;
  empty.add("x/main.tf", "");
  CHECK_FALSE(find_config(empty, "x"));
}

TEST_CASE("schema: one file, or tag-policy levels root first with the files of one level comma-joined") {
  SourceManager sm;
  std::vector<Error> errors;
  auto one = load("schema: tags.yaml\n", errors, sm);
  REQUIRE(one);
  CHECK(one->schema == std::vector<std::string>{"conf/tags.yaml"});
  SourceManager sm2;  // one SourceManager holds one text per path
  auto levels =
      load("schema: [policies/root.json, 'policies/ou-a.json,policies/ou-b.json', account.json]\n", errors, sm2);
  REQUIRE(errors.empty());
  REQUIRE(levels);
  CHECK(levels->schema == std::vector<std::string>{"conf/policies/root.json",
                                                   "conf/policies/ou-a.json,conf/policies/ou-b.json",
                                                   "conf/account.json"});
}

TEST_CASE("every field is read; paths are relative to the file's folder, globs anchored") {
  SourceManager sm;
  std::vector<Error> errors;
  auto c = load(
      "schema: tags.yaml\n"
      "paths: [infra, ../shared]\n"
      "exclude: ['**/legacy/**']\n"
      "select: [TW00]\n"
      "extend-select: duplicate-tag-key\n"
      "ignore: [TW009]\n"
      "rule-levels: {TW003: warning}\n"
      "fail-level: none\n"
      "min-level: warning\n"
      "baseline: .baseline.json\n"
      "outputs: [{path: out.sarif, format: sarif}]\n"
      "roots:\n"
      "  - path: infra/*\n"
      "    var-files: [infra/common.tfvars]\n"
      "    vars: {owner: platform, count: 3}\n"
      "    parameters: {Env: production}\n"
      "    stack-tags: {CostCenter: CC-1}\n"
      "    stack-tag-files: tags.json\n",
      errors, sm);
  REQUIRE(errors.empty());
  REQUIRE(c);
  CHECK(c->schema == std::vector<std::string>{"conf/tags.yaml"});
  CHECK(c->paths == std::vector<std::string>{"conf/infra", "shared"});
  CHECK(c->exclude == std::vector<std::string>{"/repo/conf/**/legacy/**"});
  CHECK(c->select == std::optional<std::vector<std::string>>({"TW00"}));
  CHECK(c->extend_select == std::vector<std::string>{"duplicate-tag-key"});
  CHECK(c->fail_level == Level::kNone);
  CHECK(c->min_level == Level::kWarning);
  CHECK(c->baseline == std::optional<std::string>("conf/.baseline.json"));
  REQUIRE(c->outputs.size() == 1);
  CHECK(c->outputs[0].path == "conf/out.sarif");
  REQUIRE(c->roots.size() == 1);
  CHECK(c->roots[0].pattern == "/repo/conf/infra/*");
  CHECK(c->roots[0].inputs.var_files == std::vector<std::string>{"conf/infra/common.tfvars"});
  CHECK(c->roots[0].inputs.vars ==
        std::vector<std::pair<std::string, std::string>>{{"owner", "platform"}, {"count", "3"}});
  CHECK(c->roots[0].inputs.stack_tag_files == std::vector<std::string>{"conf/tags.json"});
}

TEST_CASE("mistakes are positioned errors and the configuration is not used") {
  SourceManager sm;
  std::vector<Error> errors;
  auto c = load("select: [TW999]\nmin-level: none\nroots:\n  - vars: {a: [1]}\n", errors, sm);
  CHECK_FALSE(c);
  REQUIRE(errors.size() == 4);
  for (const auto& e : errors) CHECK(e.span.valid());
  CHECK(errors[0].message.find("`TW999` names no rule") == 0);
  CHECK(errors[1].message.find("not a level") != std::string::npos);
}

TEST_CASE("an empty file is a configuration with every default") {
  SourceManager sm;
  std::vector<Error> errors;
  auto c = load("", errors, sm);
  CHECK(errors.empty());
  REQUIRE(c);
  CHECK(c->paths.empty());
  CHECK_FALSE(c->select);
}

TEST_CASE("each root gets the inputs of the entries that match it, then the command line's") {
  RunOptions o;
  o.working_directory = "/repo";
  o.var_files = {"cli.tfvars"};
  o.root_inputs = {RootInputsRule{"/repo/envs/*", RootInputs{{"common.tfvars"}, {}, {}, {}, {}}},
                   RootInputsRule{"/repo/envs/prod", RootInputs{{"prod.tfvars"}, {}, {}, {}, {}}}};
  CHECK(o.inputs_for("envs/prod").var_files == std::vector<std::string>{"common.tfvars", "prod.tfvars", "cli.tfvars"});
  CHECK(o.inputs_for("envs/dev").var_files == std::vector<std::string>{"common.tfvars", "cli.tfvars"});
  CHECK(o.inputs_for("other").var_files == std::vector<std::string>{"cli.tfvars"});
  CHECK(o.has_root_inputs("./envs/dev"));
  CHECK_FALSE(o.has_root_inputs("other"));
}

TEST_CASE("the shipped JSON Schema names exactly the fields and formats tagwarden reads") {
  std::ifstream in(std::string(TW_SOURCE_DIR) + "/docs/tagwarden-config.schema.json");
  REQUIRE(in);
  auto schema = nlohmann::json::parse(in);
  auto unknown_field = [](const std::vector<Error>& errors) {
    for (const auto& e : errors) {
      if (e.message.find("unknown") == 0) return true;
    }
    return false;
  };
  std::size_t fields = 0;
  for (const auto& item : schema["properties"].items()) {
    const std::string& name = item.key();
    CAPTURE(name);
    SourceManager sm;
    std::vector<Error> errors;
    load(name + ": x\n", errors, sm);
    CHECK_FALSE(unknown_field(errors));
    ++fields;
  }
  for (const auto& item : schema["properties"]["roots"]["items"]["properties"].items()) {
    const std::string& name = item.key();
    CAPTURE(name);
    SourceManager sm;
    std::vector<Error> errors;
    load("roots:\n  - {path: a, " + name + ": x}\n", errors, sm);
    CHECK_FALSE(unknown_field(errors));
  }
  // And nothing else: one field more than the schema lists is unknown to the reader too.
  SourceManager sm;
  std::vector<Error> errors;
  load("not-a-field: x\n", errors, sm);
  CHECK(unknown_field(errors));
  CHECK(fields == 12);
  std::vector<std::string> formats = schema["properties"]["outputs"]["items"]["properties"]["format"]["enum"];
  CHECK(formats == output_format_names(false));
}
