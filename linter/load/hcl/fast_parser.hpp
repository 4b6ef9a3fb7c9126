// A hand-written parser for HCL native syntax that reads well-formed files about ten times
// faster than tree-sitter, and gives up on anything else. It accepts only text that the
// tree-sitter grammar (hcl_parser.hpp) parses without a syntax error, and then returns exactly
// the AST, spans and comments the tree-sitter converter gives: parse_hcl uses it first and falls
// back to tree-sitter, which reports the errors. tools/hcl_tree_diff and the hcl_fuzz target
// compare both on the corpus, mutants of it and fuzzed input.
#pragma once
#include <optional>
#include <string_view>

#include "linter/load/hcl/ast.hpp"

namespace tagwarden::hcl {

/// The parse of `text`, or nullopt when the fast parser does not read it (a syntax error, or a
/// form it leaves to tree-sitter: template directives and strip markers, heredocs inside
/// templates, bare exponents such as `1e3`, hexadecimal numbers, identifiers outside ASCII,
/// invalid UTF-8, comments inside an object element, chained conditionals that tree-sitter
/// associates to the left, nesting deeper than 40 levels). Never throws on user input.
std::optional<ParseResult> parse_hcl_fast(FileId file, std::string_view text);

}  // namespace tagwarden::hcl
