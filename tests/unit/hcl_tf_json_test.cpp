// Specification of Terraform's JSON configuration syntax: .tf.json in, the same AST as the
// native syntax out.
#include <doctest/doctest.h>

#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/load/doc.hpp"
#include "linter/load/hcl/tf_json.hpp"

using namespace tagwarden;
using namespace tagwarden::hcl;

namespace {

struct Parsed {
  DocResult doc;
  ParseResult ast;
};

Parsed parse(const std::string& json) {
  Parsed p;
  p.doc = parse_json(1, json);
  REQUIRE(p.doc.root);
  p.ast = parse_tf_json(1, *p.doc.root);
  return p;
}

tf::Value eval(const Expr& e) {
  tf::EvalContext ctx;
  ctx.resolve = [](std::string_view root, std::string_view attr, Span) -> std::optional<tf::Value> {
    if (root == "var" && attr == "env") return tf::Value::string("prod");
    return std::nullopt;
  };
  return tf::evaluate(e, ctx);
}

}  // namespace

TEST_CASE("tf.json: labels nest as objects, arrays give several blocks") {
  std::string json = R"({
    "//": "generated",
    "resource": {
      "aws_s3_bucket": {
        "logs": { "bucket": "logs-${var.env}", "tags": { "Team": "data", "Env": "${var.env}" } },
        "raw": [ { "bucket": "raw" } ]
      }
    },
    "provider": { "aws": [ { "region": "eu-west-1" },
                           { "alias": "us", "default_tags": { "tags": { "Owner": "ops" } } } ] },
    "locals": { "common": { "A": "1" } },
    "variable": { "env": { "type": "string", "default": "${not_a_template}" } }
  })";
  Parsed p = parse(json);
  CHECK(p.ast.errors.empty());
  const Body& body = p.ast.file->body;
  auto resources = body.blocks_of("resource");
  REQUIRE(resources.size() == 2);
  CHECK(resources[0]->labels == std::vector<std::string>{"aws_s3_bucket", "logs"});
  CHECK(resources[1]->labels == std::vector<std::string>{"aws_s3_bucket", "raw"});
  CHECK(json.substr(resources[0]->label_spans[1].begin, 6) == "\"logs\"");

  const Attribute* bucket = resources[0]->body.attribute("bucket");
  REQUIRE(bucket != nullptr);
  CHECK(bucket->expr->kind == ExprKind::kTemplate);
  CHECK(eval(*bucket->expr).as_string() == "logs-prod");

  const Attribute* tags = resources[0]->body.attribute("tags");
  REQUIRE(tags != nullptr);
  tf::Value t = eval(*tags->expr);
  CHECK(t.as_map().at("Env").value.as_string() == "prod");
  CHECK(json.substr(t.as_map().at("Team").key_span.begin, 6) == "\"Team\"");

  auto providers = body.blocks_of("provider");
  REQUIRE(providers.size() == 2);
  auto dt = providers[1]->body.blocks_of("default_tags");
  REQUIRE(dt.size() == 1);
  CHECK(dt[0]->body.attribute("tags") != nullptr);

  auto locals = body.blocks_of("locals");
  REQUIRE(locals.size() == 1);
  CHECK(locals[0]->body.attribute("common") != nullptr);

  auto vars = body.blocks_of("variable");
  REQUIRE(vars.size() == 1);
  CHECK(vars[0]->body.attribute("type")->expr->kind == ExprKind::kVariable);
  const Expr& def = *vars[0]->body.attribute("default")->expr;
  CHECK(def.kind == ExprKind::kString);
  CHECK(def.text == "${not_a_template}");
}

TEST_CASE("tf.json: meta-argument blocks and expression strings") {
  Parsed p = parse(R"({"resource": {"aws_autoscaling_group": {"g": {
      "provider": "aws.west",
      "depends_on": ["aws_iam_role.r"],
      "lifecycle": {"ignore_changes": ["tags"]},
      "tag": [{"key": "Name", "value": "x", "propagate_at_launch": true},
              {"key": "Team", "value": "y", "propagate_at_launch": true}],
      "dynamic": {"tag": {"for_each": "${var.tags}", "content": {"key": "${tag.key}"}}}
  }}}})");
  CHECK(p.ast.errors.empty());
  const Block& g = p.ast.file->body.blocks[0];
  CHECK(g.body.attribute("provider")->expr->kind == ExprKind::kGetAttr);
  CHECK(g.body.attribute("depends_on")->expr->children[0]->kind == ExprKind::kGetAttr);
  auto lc = g.body.blocks_of("lifecycle");
  REQUIRE(lc.size() == 1);
  CHECK(lc[0]->body.attribute("ignore_changes")->expr->children[0]->kind == ExprKind::kVariable);
  CHECK(g.body.blocks_of("tag").size() == 2);
  auto dyn = g.body.blocks_of("dynamic");
  REQUIRE(dyn.size() == 1);
  CHECK(dyn[0]->labels == std::vector<std::string>{"tag"});
  CHECK(dyn[0]->body.blocks_of("content").size() == 1);
}

TEST_CASE("tf.json: errors are positioned and do not stop conversion") {
  Parsed p = parse(R"({"resourse": {}, "resource": {"a": {"b": {"x": "${"}}}, "output": 3})");
  REQUIRE(p.ast.errors.size() >= 2);
  CHECK(p.ast.errors[0].message == "unsupported block type \"resourse\"");
  CHECK(p.ast.errors[0].span.begin == 1);
  CHECK(p.ast.file->body.blocks_of("resource").size() == 1);
  Parsed q = parse("[1]");
  CHECK(q.ast.errors.size() == 1);
}
