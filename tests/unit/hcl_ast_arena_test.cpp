// The arena a tree's expressions live in: what it hands out stays put and intact however much
// is carved after it, and what the parsers build with it does not depend on the source text.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "linter/load/hcl/ast.hpp"
#include "linter/load/hcl/fast_parser.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

using namespace tagwarden;
using namespace tagwarden::hcl;

TEST_CASE("arena: nodes are fresh, aligned and stay where they were made") {
  AstArena arena;
  std::vector<Expr*> nodes;
  for (std::uint32_t i = 0; i < 20000; ++i) {
    Expr* e = arena.node(ExprKind::kNumber, Span{7, i, i + 1});
    REQUIRE(reinterpret_cast<std::uintptr_t>(e) % alignof(Expr) == 0);
    CHECK(e->text.empty());
    CHECK(e->name.empty());
    CHECK(e->children.empty());
    CHECK_FALSE(e->expand_final);
    e->text = arena.text(std::to_string(i));
    nodes.push_back(e);
  }
  for (std::uint32_t i = 0; i < nodes.size(); ++i) {
    REQUIRE(nodes[i]->span == Span{7, i, i + 1});
    REQUIRE(nodes[i]->text == std::to_string(i));
  }
  // Many small files' worth of nodes in blocks that grow: a few hundred KiB, not one block each.
  CHECK(arena.bytes() < 4u << 20);
}

TEST_CASE("arena: texts are copies, of any size") {
  AstArena arena;
  std::string source = "resource_name";
  std::string_view kept = arena.text(source);
  source.assign(source.size(), 'x');
  CHECK(kept == "resource_name");
  CHECK(arena.text("").empty());
  const std::string big(1u << 20, 'b');  // larger than any block the arena would pick itself
  std::string_view huge = arena.text(big);
  CHECK(huge == big);
  CHECK(arena.text("after") == "after");
  CHECK(huge == big);
}

TEST_CASE("arena: child lists keep their order as they grow") {
  AstArena arena;
  Expr* parent = arena.node(ExprKind::kTuple, Span{});
  std::vector<Expr*> made;
  for (std::uint32_t i = 0; i < 1000; ++i) {
    made.push_back(arena.node(ExprKind::kNull, Span{1, i, i}));
    parent->children.push_back(arena, made.back());
    arena.text("interleaved");  // other allocations between the pushes
  }
  REQUIRE(parent->children.size() == made.size());
  for (std::size_t i = 0; i < made.size(); ++i) REQUIRE(parent->children[i] == made[i]);
  CHECK(parent->children.back() == made.back());
  parent->children.pop_back();
  CHECK(parent->children.size() == made.size() - 1);
  // A copy names the same array: the parsers hand a template's parts over this way.
  ExprList copy = parent->children;
  CHECK(copy.size() == parent->children.size());
  CHECK(copy.begin() == parent->children.begin());
}

TEST_CASE("arena: a parsed tree needs nothing of the text it was parsed from") {
  // Both native-syntax parsers copy what they keep into the file's arena: the tree reads the
  // same after the source text is overwritten (files are released while trees may live on).
  const std::string fast_src = "x = merge(var.tags, { Name = \"web-${var.env}\", \"Team\" = lower(\"Ops\\n\") })\n";
  // A template directive: the fast parser leaves the file to tree-sitter.
  const std::string directive_src = "x = merge(var.tags, { Name = \"web-${var.env}%{if true}!%{endif}\" })\n";
  CHECK(parse_hcl_fast(0, fast_src).has_value());
  CHECK_FALSE(parse_hcl_fast(0, directive_src).has_value());
  for (const std::string& original : {fast_src, directive_src}) {
    CAPTURE(original);
    std::string text = original;
    ParseResult r = parse_hcl(0, text);
    REQUIRE(r.errors.empty());
    const Attribute* x = r.file->body.attribute("x");
    REQUIRE(x != nullptr);
    REQUIRE(x->expr != nullptr);
    text.assign(text.size(), '#');
    const Expr* call = x->expr;
    CHECK(call->kind == ExprKind::kCall);
    CHECK(call->name == "merge");
    REQUIRE(call->children.size() >= 2);
    CHECK(call->children[0]->kind == ExprKind::kGetAttr);
    CHECK(call->children[0]->name == "tags");
    CHECK(call->children[0]->children[0]->name == "var");
    const Expr* obj = call->children[1];
    REQUIRE(obj->kind == ExprKind::kObject);
    CHECK(obj->children[0]->text == "Name");
    const Expr* tmpl = obj->children[1];
    REQUIRE(tmpl->kind == ExprKind::kTemplate);
    CHECK(tmpl->children[0]->text == "web-");
    if (original == fast_src) {
      CHECK(obj->children[2]->text == "Team");
      CHECK(obj->children[3]->children[0]->text == "Ops\n");  // decoded escape
    }
  }
}
