// Stage "input variables" of the Terraform loader: tfvars precedence, binding and type
// conversion (linter/frontend/terraform/variables.hpp).
#include <doctest/doctest.h>

#include "linter/frontend/terraform/variables.hpp"
#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

TEST_CASE("variables: tfvars precedence, lowest first, then --var-file and --var in order") {
  MemoryReader reader;
  reader.add("r/terraform.tfvars", "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\ne = \"tfvars\"\n");
  reader.add("r/terraform.tfvars.json",
             R"({"b": "tfvars.json", "c": "tfvars.json", "d": "tfvars.json", "e": "tfvars.json"})");
  reader.add("r/b.auto.tfvars", "c = \"b.auto\"\nd = \"b.auto\"\ne = \"b.auto\"\n");
  reader.add("r/a.auto.tfvars.json", R"({"c": "a.auto", "d": "a.auto", "e": "a.auto"})");
  reader.add("extra.tfvars", "d = \"var-file\"\ne = \"var-file\"\n");
  reader.add("r/other.tfvars", "a = \"never read\"\n");
  SourceManager sources;
  RunOptions options;
  options.var_files = {"extra.tfvars"};
  options.vars = {{"e", "cli"}, {"m", " { K = \"v\" }"}};
  LoadContext ctx{options, sources, reader};
  std::vector<Error> errors;
  auto vals = root_variable_values(ctx, &parse_terraform_file, "r", tw_test::literal_eval(), errors);
  CHECK(errors.empty());
  CHECK(vals["a"].as_string() == "tfvars");
  CHECK(vals["b"].as_string() == "tfvars.json");
  CHECK(vals["c"].as_string() == "b.auto");  // b.auto.tfvars sorts after a.auto.tfvars.json
  CHECK(vals["d"].as_string() == "var-file");
  CHECK(vals["e"].as_string() == "cli");
  REQUIRE(vals["m"].kind() == tf::Value::Kind::kMap);
  CHECK(vals["m"].as_map().at("K").value.as_string() == "v");
}

TEST_CASE("variables: a .tfvars.json that is not an object is an error, the rest still counts") {
  MemoryReader reader;
  reader.add("r/terraform.tfvars", "a = 1\n");
  reader.add("r/terraform.tfvars.json", "[1]");
  SourceManager sources;
  RunOptions options;
  LoadContext ctx{options, sources, reader};
  std::vector<Error> errors;
  auto vals = root_variable_values(ctx, &parse_terraform_file, "r", tw_test::literal_eval(), errors);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message == "a .tfvars.json file must hold an object");
  CHECK(vals["a"].as_number() == 1);
}

TEST_CASE("variables: binding takes the given value, else the default, else unknown") {
  tw_test::Module m(R"(
variable "given" { default = "d" }
variable "defaulted" { default = "d" }
variable "missing" {}
variable "strict" {
  default  = "d"
  nullable = false
}
variable "loose" { default = "d" }
)");
  std::map<std::string, tf::Value> given = {
      {"given", tf::Value::string("g")}, {"strict", tf::Value::null()}, {"loose", tf::Value::null()}};
  std::map<std::string, tf::Value> vars;
  bind_variables(m.dir, given, false, "module.x", tw_test::literal_eval(), vars);
  CHECK(vars["given"].as_string() == "g");
  CHECK(vars["defaulted"].as_string() == "d");
  CHECK(vars["missing"].unknown_reason() == "var.missing is not set by module.x");
  CHECK(vars["strict"].as_string() == "d");  // nullable = false: null takes the default
  CHECK(vars["loose"].is_null());
  std::map<std::string, tf::Value> root_vars;
  bind_variables(m.dir, {}, true, "", tw_test::literal_eval(), root_vars);
  CHECK(root_vars["missing"].unknown_reason() == "var.missing has no value");
}

TEST_CASE("variables: object types fill missing attributes with optional defaults or null") {
  tw_test::Module m(R"(
variable "v" {
  type = map(object({
    name = string
    env  = optional(string, "dev")
    tags = optional(map(string))
  }))
}
)");
  tf::MapData inner;
  inner["name"] = tf::MapEntry{tf::Value::string("a"), {}, {}};
  tf::MapData outer;
  outer["x"] = tf::MapEntry{tf::Value::map(inner), {}, {}};
  std::map<std::string, tf::Value> vars;
  bind_variables(m.dir, {{"v", tf::Value::map(outer)}}, true, "", tw_test::literal_eval(), vars);
  const auto& x = vars["v"].as_map().at("x").value.as_map();
  CHECK(x.at("name").value.as_string() == "a");
  CHECK(x.at("env").value.as_string() == "dev");
  CHECK(x.at("tags").value.is_null());
  // Unknown values and values of another shape are left alone.
  const hcl::Expr* type = m.dir.variables[0]->body.attributes[0].expr;
  CHECK(convert_to_type(tf::Value::unknown("u"), type, tw_test::literal_eval()).is_unknown());
  CHECK(convert_to_type(tf::Value::string("s"), type, tw_test::literal_eval()).as_string() == "s");
}
