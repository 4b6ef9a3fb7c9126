// Specification of the fast HCL parser (linter/load/hcl/fast_parser.hpp): on every input it
// reads, the result is parse_hcl_tree_sitter's (AST, spans and comments); everything else it
// leaves to tree-sitter. tools/hcl_tree_diff checks the same over the shared corpus and broken
// copies of it.
#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "linter/load/hcl/ast_diff.hpp"
#include "linter/load/hcl/fast_parser.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

using namespace tagwarden;
using namespace tagwarden::hcl;

namespace {

/// "" when the fast parser reads `text` exactly as tree-sitter does, else what went wrong.
std::string read_as_tree_sitter(const std::string& text) {
  std::optional<ParseResult> fast = parse_hcl_fast(0, text);
  if (!fast) return "the fast parser gave up";
  ParseResult reference = parse_hcl_tree_sitter(0, text);
  if (!reference.errors.empty()) return "tree-sitter found a syntax error: " + reference.errors.front().message;
  if (!fast->errors.empty()) return "the fast parser reported an error";
  if (std::string d = body_difference(reference.file->body, fast->file->body, ""); !d.empty()) return d;
  return comments_difference(reference.comments, fast->comments);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_CASE("fast parser: reads what tree-sitter reads, node for node") {
  const char* inputs[] = {
      // bodies, blocks and labels
      "",
      "# only a comment\n",
      "a = 1\nb = \"x\"\n",
      "a = 1 b = 2\n",  // the grammar has no line sensitivity
      "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags = { Name = \"n\" }\n}\n",
      "resource aws_s3_bucket b {}\n",
      "locals {\n  nested { deeper { x = 1 } }\n}\n",
      "terraform {\n  required_providers {\n    null = {\n      source = \"hashicorp/null\"\n    }\n  }\n}\n",
      "true = 1\nfalse { null = null }\n",
      "block \"a\\\"b\" \"$${x}\" {}\n",
      "a = 1\r\nb = 2\r\n# crlf comment\r\n",
      // literals and collections
      "x = [null, true, false, 0, 12, 1.5, 1.5e3, 2.0E-4, 3.25e+2]\n",
      "x = [1, \"a\", [],]\n",
      "x = {a = 1, \"b\": 2, (c) = 3, d.e = 4, f = 5,}\n",
      "x = {\n  a = 1\n  b = 2\n}\n",
      "x = {}\ny = []\n",
      // strings and templates
      "x = \"a\\n\\\"b\\\\ \\t\\r \\u00e9 \\U0001F600\"\n",
      "x = \"$${x} %%{y} $$ %% $ % $$$\"\n",
      "x = \"${a}-${b.c}${lookup(m, \"k\", \"d\")}\"\n",
      "x = \"  ${ a }  \"\n",
      "x = \"caf\xc3\xa9 \xe2\x82\xac\"\n",
      "x = \"${\"nested ${inner}\"}\"\n",
      // heredocs
      "x = <<EOT\nline one\n  ${var.a} two\nEOT\n",
      "x = <<-EOT\n    indented\n      more\n    EOT\n",
      "x = <<EOT\nEOT\n",
      "x = <<EOT\n\n\nEOT\n",
      "x = <<EOT\r\n{\"a\": \"${b}\"}\r\nEOT\r\n",
      "x = <<EOT\nEOTX\n EOTY \n  EOT  \n",
      "x = <<EOT\nEO${x}\nEOT\n",
      "x = <<-EOT\n  ${a}\n    b\n  EOT\n",
      "x = <<EOT\n$${literal} %%{also} $$ \\n\nEOT\n",
      "x = <<EOT\nsome text\nEOT\ny = 2\n",
      // traversals, calls, splats
      "x = var.tags\n",
      "x = local.null\ny = a.true.false\n",
      "x = a.b[0].c[\"k\"]\n",
      "x = a.0.b\n",
      "x = a[*].b.c\n",
      "x = a.*.id[0]\n",
      "x = a[*].b[*].c\n",
      "x = f(x).y[0]\n",
      "x = merge(local.t, {A = 1})\n",
      "x = f(a, b...)\n",
      "x = f(a, b,)\n",
      "x = f()\n",
      "x = provider::aws::arn_parse(x)\n",
      "x = count.index-1\n",
      "x = f (a)\n",
      // operators
      "x = a + b * c - d / e % f\n",
      "x = (a + b) * c\n",
      "x = -a.b\n",
      "x = - -a\n",
      "x = !a && b || c\n",
      "x = a == b != c\n",
      "x = a < b && c >= d || e <= f && g > h\n",
      "x = a-b - c\n",
      "x = 1-2\n",
      "x = a ? b : c\n",
      "x = a ? b ? c : d : e\n",
      "x = a ? b : (c ? d : e)\n",
      "x = a || b ? c + d : e || f\n",
      "x = a\n  ? b\n  : c\n",
      // for expressions
      "x = [for v in var.list : upper(v)]\n",
      "x = [for i, v in var.list : v if i > 0]\n",
      "x = {for k, v in var.map : k => v}\n",
      "x = {for k, v in var.map : v.group => k... if v.enabled}\n",
      "x = [for x in y: x]\n",
      // comments in the places the converter looks
      "/* block\n comment */ a = 1 // trailing\n",
      "x = [ # first\n  1, # one\n  2 // two\n]\n",
      "x = {\n  # leading\n  a = 1 # after\n  b = 2\n  # last\n}\n",
      "x = f( # open\n  a, /* mid */ b\n  # close\n)\n",
      "x = a && # why\n  b\n",
      "x = \"${ a # c\n}\"\n",
      "r \"t\" \"n\" {\n  # tagwarden:ignore TW001\n  tags = {}\n}\n# end\n",
  };
  for (const char* in : inputs) {
    std::string text = in;
    CAPTURE(text);
    CHECK(read_as_tree_sitter(text) == "");
  }
}

TEST_CASE("fast parser: gives up on what it does not model, and parse_hcl still reads it") {
  struct Row {
    std::string in;
    std::string why;
  } rows[] = {
      {"x = \n", "a syntax error"},
      {"x = [1 2]\n", "a syntax error: no comma between tuple items"},
      {"x = \"unterminated\n", "a line break in a quoted string"},
      {"x = <<EOT\nno end\n", "an unterminated heredoc"},
      {"x = <<EOT\ntext\nEOT", "a closing marker with no line break after it (tree-sitter does not close there)"},
      {"x = \"%{ if a }y%{ endif }\"\n", "a template directive"},
      {"x = \"${~ a ~}\"\n", "strip markers"},
      {"x = \"${}\"\n", "an empty interpolation"},
      {"x = 1e3\n", "a bare exponent (blank_bare_exponents)"},
      {"x = 0x1F\n", "a hexadecimal number"},
      {"x = a ? b : c ? d : e\n", "a chained conditional, left-associative in the grammar"},
      {"x = { a = # why\n 1 }\n", "a comment inside an object element, which the converter skips"},
      {"x = { a # why\n = 1 }\n", "a comment between an object key and its `=`"},
      {"caf\xc3\xa9 = 1\n", "an identifier outside ASCII"},
      {"x = \"\xff\"\n", "invalid UTF-8 in a string"},
      {"# \xc3\n", "invalid UTF-8 in a comment"},
      {"x = \"a\\q\"\n", "an escape the grammar's scanner rejects"},
      {"{ \"a\" = 1 }\n", "a file that is one object"},
      {"for = 1\n", "a keyword as a name"},
      {"x = in\n", "a keyword as a variable"},
      {"x = a. b\n", "whitespace after a dot"},
      {"x = \"${<<EOT\ny\nEOT\n}\"\n", "a heredoc inside a template"},
      {"x = <<EOT\nEOT ${a}\nEOT\n", "a marker line where the scanner takes the `$` into the text"},
      {"x = # one\r # two\n1\n", "a carriage return inside a line comment"},
      {"x = " + repeat("(", 60) + "1" + repeat(")", 60) + "\n", "nesting deeper than 40 levels"},
      {"x = 1" + repeat(" + 1", 60) + "\n", "an operator chain deeper than 40 levels"},
  };
  for (const Row& r : rows) {
    CAPTURE(r.in);
    CAPTURE(r.why);
    CHECK_FALSE(parse_hcl_fast(0, r.in).has_value());
    // The fallback is tree-sitter's reading, errors included.
    ParseResult a = parse_hcl(0, r.in), b = parse_hcl_tree_sitter(0, r.in);
    CHECK(a.errors.size() == b.errors.size());
    CHECK(body_difference(a.file->body, b.file->body, "") == "");
  }
}

TEST_CASE("fast parser: a chained conditional keeps the grammar's left-associative reading") {
  // Read right-associatively (as HCL's specification does), `a ? b : c ? d : e` would nest the
  // second conditional in the first's else branch; parse_hcl must keep tree-sitter's tree.
  ParseResult r = parse_hcl(0, "x = a ? b : c ? d : e\n");
  REQUIRE(r.errors.empty());
  const Expr* e = r.file->body.attribute("x")->expr;
  REQUIRE(e->kind == ExprKind::kConditional);
  CHECK(e->children[0]->kind == ExprKind::kConditional);
  CHECK(e->children[2]->kind == ExprKind::kVariable);
}

TEST_CASE("fast parser: spans are tree-sitter's extents") {
  const std::string text = "x = f( a ) # c\nr \"t\" {\n  y = <<EOT\nz\nEOT\n}\n";
  std::optional<ParseResult> r = parse_hcl_fast(0, text);
  REQUIRE(r.has_value());
  const Attribute* x = r->file->body.attribute("x");
  REQUIRE(x != nullptr);
  CHECK(x->span.begin == 0);
  CHECK(x->span.end == 10);  // through `)`, not the comment
  CHECK(x->expr->span.begin == 4);
  REQUIRE(r->comments.size() == 1);
  CHECK(r->comments[0].text == "# c");
  const Block& b = r->file->body.blocks.at(0);
  CHECK(text.substr(b.span.begin, b.span.end - b.span.begin).back() == '}');
  const Attribute* y = b.body.attribute("y");
  REQUIRE(y != nullptr);
  CHECK(text.substr(y->expr->span.begin, y->expr->span.end - y->expr->span.begin) == "<<EOT\nz\nEOT");
  CHECK(y->expr->text == "z\n");
}
