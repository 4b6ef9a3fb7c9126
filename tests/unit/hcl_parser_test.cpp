// Specification of the HCL parser: snippet in, AST (as a compact S-expression) out.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/load/hcl/ast_diff.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

using namespace tagwarden;
using namespace tagwarden::hcl;

namespace {

std::string dump(const Expr* e) {
  if (e == nullptr) return "_";
  const std::string text(e->text), name(e->name), key_var(e->key_var);
  auto kids = [&](std::string head) {
    for (const auto& c : e->children) head += " " + dump(c);
    return "(" + head + ")";
  };
  switch (e->kind) {
    case ExprKind::kNull:
      return "null";
    case ExprKind::kBool:
      return text;
    case ExprKind::kNumber:
      return text;
    case ExprKind::kString:
      return "\"" + text + "\"";
    case ExprKind::kTemplate:
      return kids("tmpl");
    case ExprKind::kTemplateIf:
      return kids("if");
    case ExprKind::kTemplateFor:
      return kids("for " + key_var + "," + name);
    case ExprKind::kVariable:
      return name;
    case ExprKind::kGetAttr:
      return kids("." + name);
    case ExprKind::kIndex:
      return kids("[]");
    case ExprKind::kSplat:
      return kids("splat");
    case ExprKind::kCall:
      return kids("call " + name + (e->expand_final ? "..." : ""));
    case ExprKind::kTuple:
      return kids("tuple");
    case ExprKind::kObject:
      return kids("obj");
    case ExprKind::kConditional:
      return kids("?");
    case ExprKind::kUnary:
      return kids(name);
    case ExprKind::kBinary:
      return kids(name);
    case ExprKind::kForTuple:
      return kids("for[] " + key_var + "," + name);
    case ExprKind::kForObject:
      return kids("for{} " + key_var + "," + name + (e->grouping ? " ..." : ""));
    case ExprKind::kParens:
      return kids("()");
    case ExprKind::kInvalid:
      return "INVALID";
  }
  return "?";
}

/// Parses `x = <expr>` and dumps the expression.
std::string expr_of(const std::string& src, std::vector<Error>* errors = nullptr) {
  ParseResult r = parse_hcl(0, "x = " + src + "\n");
  if (errors != nullptr)
    *errors = r.errors;
  else if (!r.errors.empty())
    return "ERROR: " + r.errors.front().message;
  const Attribute* a = r.file->body.attribute("x");
  return a ? dump(a->expr) : "NO ATTRIBUTE";
}

std::size_t count_invalid(const Expr* e) {
  if (e == nullptr) return 0;
  std::size_t n = e->kind == ExprKind::kInvalid ? 1 : 0;
  for (const auto& c : e->children) n += count_invalid(c);
  return n;
}

/// Evaluates every attribute of `body` (recursively); counts evaluations and invalid nodes.
void evaluate_all(const Body& body, tf::EvalContext& ctx, std::size_t& count, std::size_t& invalid) {
  for (const Attribute& a : body.attributes) {
    invalid += count_invalid(a.expr);
    tf::Value v = tf::evaluate(*a.expr, ctx);
    (void)v.is_wholly_known();
    ++count;
  }
  for (const Block& b : body.blocks) evaluate_all(b.body, ctx, count, invalid);
}

}  // namespace

TEST_CASE("hcl: literals and collections") {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"null", "null"},
      {"true", "true"},
      {"1.5e3", "1.5e3"},
      {"\"plain\"", "\"plain\""},
      {"\"a\\n\\\"b\\\\ \\u00e9\"", "\"a\n\"b\\ \xc3\xa9\""},
      {"\"$${x} %%{y}\"", "\"${x} %{y}\""},
      {"[1, \"a\", [],]", "(tuple 1 \"a\" (tuple))"},
      {"{ a = 1, \"b\": 2, (c) = 3, d.e = 4 }", "(obj \"a\" 1 \"b\" 2 c 3 (.e d) 4)"},
      {"{\n  a = 1\n  b = 2\n}", "(obj \"a\" 1 \"b\" 2)"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(expr_of(r.in) == r.out);
  }
}

TEST_CASE("hcl: traversals, calls and operators") {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"var.tags", "(.tags var)"},
      {"a.b[0].c", "(.c ([] (.b a) 0))"},
      {"a.0", "([] a 0)"},
      {"a[*].b.c", "(splat a (.c (.b *)))"},
      {"a.*.id", "(splat a (.id *))"},
      {"merge(local.t, {A = 1})", "(call merge (.t local) (obj \"A\" 1))"},
      {"f(x...)", "(call f... x)"},
      {"provider::aws::arn_parse(x)", "(call provider::aws::arn_parse x)"},
      {"a + b * c", "(+ a (* b c))"},
      {"(a + b) * c", "(* (() (+ a b)) c)"},
      {"-a.b", "(- (.b a))"},
      {"!a && b || c", "(|| (&& (! a) b) c)"},
      {"a == \"\" ? b : c", "(? (== a \"\") b c)"},
      {"[for k, v in m : upper(v) if k != \"x\"]", "(for[] k,v m (call upper v) (!= k \"x\"))"},
      {"{for v in l : v.k => v...}", "(for{} ,v ... l (.k v) v _)"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(expr_of(r.in) == r.out);
  }
}

TEST_CASE("hcl: templates") {
  struct Row {
    const char* in;
    const char* out;
  } rows[] = {
      {"\"a-${b}-c\"", "(tmpl \"a-\" b \"-c\")"},
      {"\"${a} ${b}\"", "(tmpl a \" \" b)"},
      {"\"x ${~ a ~} y\"", "(tmpl \"x\" a \"y\")"},
      {"\"%{ if a }yes%{ else }no%{ endif }\"", "(tmpl (if a \"yes\" \"no\"))"},
      {"\"%{ for k, v in m }${k}=${v},%{ endfor }\"", "(tmpl (for k,v m (tmpl k \"=\" v \",\")))"},
      {"\"http://x/${a} # not a comment\"", "(tmpl \"http://x/\" a \" # not a comment\")"},
      {"<<EOT\n  hello\n    ${name}\n  EOT", "(tmpl \"  hello\n    \" name \"\n\")"},
      {"<<-EOT\n    hello\n      ${name}\n\n    EOT", "(tmpl \"hello\n  \" name \"\n\n\")"},
      {"<<EOT\nno \\n escapes\nEOT", "\"no \\n escapes\n\""},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CHECK(expr_of(r.in) == r.out);
  }
}

TEST_CASE("hcl: blocks, labels and spans") {
  std::string src =
      "resource \"aws_s3_bucket\" \"b\" {\n  tags = { Team = \"x\" }\n  lifecycle {\n  }\n}\n"
      "# comment\nlocals { a = 1 }\n";
  ParseResult r = parse_hcl(7, src);
  REQUIRE(r.errors.empty());
  REQUIRE(r.file->body.blocks.size() == 2);
  const Block& b = r.file->body.blocks[0];
  CHECK(b.type == "resource");
  CHECK(b.labels == std::vector<std::string>{"aws_s3_bucket", "b"});
  CHECK(src.substr(b.label_spans[1].begin, b.label_spans[1].end - b.label_spans[1].begin) == "\"b\"");
  CHECK(b.body.blocks_of("lifecycle").size() == 1);
  const Attribute* tags = b.body.attribute("tags");
  REQUIRE(tags != nullptr);
  CHECK(tags->expr->span.file == 7);
  const Expr& key = *tags->expr->children[0];
  CHECK(src.substr(key.span.begin, key.span.end - key.span.begin) == "Team");
  CHECK(r.file->body.blocks[1].body.attribute("a") != nullptr);
}

TEST_CASE("hcl: syntax errors are positioned and the rest is still converted") {
  std::string src = "a = 1\nb = = 2\nresource \"x\" \"y\" {\n  c = 3\n}\n";
  ParseResult r = parse_hcl(0, src);
  REQUIRE(!r.errors.empty());
  CHECK(r.errors[0].message.rfind("syntax error", 0) == 0);
  CHECK(r.errors[0].span.begin >= 6);
  CHECK(r.file->body.attribute("a") != nullptr);

  ParseResult m = parse_hcl(0, "x = [1, 2\n");
  REQUIRE(!m.errors.empty());
  CHECK(m.errors[0].message.find("syntax error") == 0);
}

TEST_CASE("hcl: a released thread parser is made again and reads the same") {
  // Broken text goes through tree-sitter (the fast parser only takes whole, valid files).
  const std::string src = "a = 1\nb = = 2\nresource \"x\" \"y\" {\n  tags = { Team = \"t\" }\n}\n";
  ParseResult before = parse_hcl_tree_sitter(0, src);
  release_thread_parser();
  release_thread_parser();  // twice in a row is fine
  ParseResult after = parse_hcl_tree_sitter(0, src);
  CHECK(body_difference(before.file->body, after.file->body, "") == "");
  REQUIRE(before.errors.size() == after.errors.size());
  REQUIRE(!after.errors.empty());
  for (std::size_t i = 0; i < after.errors.size(); ++i) {
    CHECK(after.errors[i].message == before.errors[i].message);
    CHECK(after.errors[i].span == before.errors[i].span);
  }
}

TEST_CASE("hcl: deep nesting is bounded, not a crash") {
  std::string deep = "x = " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  ParseResult r = parse_hcl(0, deep);
  bool reported = false;
  for (const Error& e : r.errors) reported = reported || e.message.find("too deep") != std::string::npos;
  CHECK(reported);
  std::string parens = "x = " + std::string(3000, '(') + "1" + std::string(3000, ')') + "\n";
  ParseResult p = parse_hcl(0, parens);
  CHECK(!p.errors.empty());
}

TEST_CASE("hcl: template strings outside source files") {
  std::vector<Error> errors;
  AstArena arena;
  const Expr* e = parse_template_string(arena, "pre-${var.env}-post", Span{3, 10, 20}, errors);
  CHECK(errors.empty());
  CHECK(dump(e) == "(tmpl \"pre-\" (.env var) \"-post\")");
  CHECK(e->children[1]->span == Span{3, 10, 20});
  const Expr* plain = parse_template_string(arena, "no interpolation $${x}", Span{}, errors);
  CHECK(dump(plain) == "\"no interpolation ${x}\"");
  const Expr* only = parse_template_string(arena, "${var.x}", Span{}, errors);
  CHECK(dump(only) == "(tmpl (.x var))");
}

// Robustness over the real-world corpus: every .tf file parses without a crash; they are
// valid Terraform, so syntax errors should be (nearly) absent. Skipped without the corpus.
TEST_CASE("hcl: corpus parses" * doctest::skip(std::getenv("TW_CORPUS") == nullptr)) {
  namespace fs = std::filesystem;
  fs::path root = std::getenv("TW_CORPUS");
  std::size_t files = 0, with_errors = 0, bytes = 0, evaluated = 0, invalid = 0;
  // Every reference is "not known statically": exercises the evaluator on real expressions.
  tf::EvalContext ctx;
  ctx.resolve = [](std::string_view, std::string_view, Span) -> std::optional<tf::Value> { return std::nullopt; };
  auto t0 = std::chrono::steady_clock::now();
  for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied);
       it != fs::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file() || it->path().extension() != ".tf") continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    bytes += text.size();
    ParseResult r = parse_hcl(0, text);
    ++files;
    std::size_t invalid_before = invalid;
    evaluate_all(r.file->body, ctx, evaluated, invalid);
    if (invalid > invalid_before && invalid_before < 5) {
      MESSAGE(it->path().string() << ": " << (invalid - invalid_before) << " invalid nodes");
    }
    if (!r.errors.empty()) {
      ++with_errors;
      if (with_errors <= 10) {
        MESSAGE(it->path().string() << ": " << r.errors.front().message << " at " << r.errors.front().span.begin);
      }
    }
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("corpus: " << files << " .tf files, " << bytes << " bytes, " << with_errors << " with syntax errors, "
                     << evaluated << " attributes evaluated, " << invalid << " invalid AST nodes, " << secs << " s");
  CHECK(files > 0);
  CHECK(with_errors * 1000 <= files);
  CHECK(invalid == 0);
}
