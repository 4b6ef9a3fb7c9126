// Where two hcl:: ASTs differ, for the tools and tests that prove two parsers equal
// (tools/hcl_tree_diff, the hcl_fuzz target, tests/unit/hcl_fast_parser_test.cpp).
#pragma once
#include <string>
#include <vector>

#include "linter/load/hcl/ast.hpp"

namespace tagwarden::hcl {

/// The first difference between two expressions (kind, span, texts, flags, children, in
/// pre-order), described with `path` and the two values; "" when identical.
std::string expr_difference(const Expr* a, const Expr* b, const std::string& path);
/// The first difference between two bodies: attributes (names, spans, expressions), then
/// blocks (headers, spans, bodies); "" when identical.
std::string body_difference(const Body& a, const Body& b, const std::string& path);
/// The first difference between two comment side tables; "" when identical.
std::string comments_difference(const std::vector<Comment>& a, const std::vector<Comment>& b);

}  // namespace tagwarden::hcl
