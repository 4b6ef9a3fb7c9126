// Robustness: random token soup and truncated inputs must parse and evaluate without a crash,
// a hang or an exception (a cheap, deterministic stand-in for the fuzz target).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

using namespace tagwarden;

namespace {

void evaluate_body(const hcl::Body& body, tf::EvalContext& ctx) {
  for (const hcl::Attribute& a : body.attributes) {
    (void)tf::evaluate(*a.expr, ctx);
    (void)tf::references(*a.expr);
  }
  for (const hcl::Block& b : body.blocks) evaluate_body(b.body, ctx);
}

}  // namespace

TEST_CASE("hcl robustness: random token soup") {
  const char* tokens[] = {
      "x",
      " = ",
      "\"",
      "${",
      "}",
      "%{",
      " if ",
      " for ",
      " in ",
      " endif ",
      " endfor ",
      "[",
      "]",
      "{",
      "}",
      "(",
      ")",
      ",",
      ":",
      "?",
      "=>",
      "...",
      ".",
      "*",
      "[*]",
      "+",
      "-",
      "!",
      "&&",
      "==",
      "1",
      "1.5",
      "true",
      "null",
      "var",
      ".tags",
      "merge(",
      "lookup(",
      "format(\"%s\", ",
      "range(",
      "<<EOT\n",
      "\nEOT\n",
      "<<-EOT\n",
      "~",
      "\\",
      "\n",
      "#",
      "/*",
      "*/",
      "resource",
      " \"a\" ",
      "tags",
      "upper(",
      "regex(\"(\", ",
      "[for k, v in ",
      " : ",
      "{for ",
      " => ",
      " if ",
  };
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, std::size(tokens) - 1);
  std::uniform_int_distribution<int> len(1, 60);
  tf::EvalContext ctx;
  ctx.step_budget = 20'000;
  ctx.resolve = [](std::string_view root, std::string_view, Span) -> std::optional<tf::Value> {
    if (root == "var") return tf::Value::map({{"tags", tf::MapEntry{tf::Value::list({}), {}, {}}}});
    return std::nullopt;
  };
  std::size_t parsed = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string src = "x = ";
    int n = len(rng);
    for (int i = 0; i < n; ++i) src += tokens[pick(rng)];
    hcl::ParseResult r = hcl::parse_hcl(0, src);
    REQUIRE(r.file != nullptr);
    for (const Error& e : r.errors) {
      CHECK(e.span.end <= src.size());
      CHECK(!e.message.empty());
    }
    evaluate_body(r.file->body, ctx);
    ++parsed;
  }
  CHECK(parsed == 3000);
}

TEST_CASE("hcl robustness: every prefix of a real file") {
  std::string src =
      "locals {\n  common = merge(var.tags, { Team = \"a-${var.env}\" })\n}\n"
      "resource \"aws_s3_bucket\" \"b\" {\n  tags = { for k, v in local.common : k => upper(v) }\n"
      "  policy = <<-EOT\n    %{ for s in var.list ~}\n    ${s}\n    %{ endfor }\n  EOT\n}\n";
  tf::EvalContext ctx;
  for (std::size_t cut = 0; cut <= src.size(); ++cut) {
    hcl::ParseResult r = hcl::parse_hcl(0, src.substr(0, cut));
    REQUIRE(r.file != nullptr);
    evaluate_body(r.file->body, ctx);
  }
  hcl::ParseResult whole = hcl::parse_hcl(0, src);
  CHECK(whole.errors.empty());
}
