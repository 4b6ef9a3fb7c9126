// HCL native syntax (.tf, .tfvars) to the hcl:: AST, through tree-sitter-hcl (a fast parser
// takes the files it can read whole first). Syntax errors become positioned Errors and the rest
// of the file is still converted (best effort).
#pragma once
#include <string>
#include <string_view>

#include "linter/load/hcl/ast.hpp"

namespace tagwarden::hcl {

/// Limits that keep hostile inputs bounded.
struct ParseLimits {
  int max_depth = 200;                ///< expression/block nesting converted; deeper parts are kInvalid
  std::size_t max_errors = 20;        ///< syntax errors reported per file
  std::size_t max_bytes = 64u << 20;  ///< larger files are refused with an error
};

/// Parses one HCL file. Never throws on user input; the returned `file` is always present.
/// Thread-safe. A file the fast parser (fast_parser.hpp) reads whole, without a syntax error,
/// is taken from it; any other file from parse_hcl_tree_sitter: the result is the same.
ParseResult parse_hcl(FileId file, std::string_view text, const ParseLimits& limits = {});

/// parse_hcl through tree-sitter alone: the reference that also reports syntax errors and
/// converts what it can of a broken file. Each thread reuses its own tree-sitter parser.
ParseResult parse_hcl_tree_sitter(FileId file, std::string_view text, const ParseLimits& limits = {});

/// Frees the calling thread's tree-sitter parser and the node pools it keeps; the next parse
/// makes a new one. The fuzz targets call it after each input, so that everything an input
/// allocated is freed by its end: libFuzzer then runs its leak check only on a real leak.
void release_thread_parser();

/// Parses `text` as the contents of a template (what lies between the quotes of a string,
/// without backslash escapes: `$${` and `%%{` escapes, `${...}` interpolations and `%{...}`
/// directives are honoured). Every node of the result gets the span `where` (the template
/// is not located in a source file byte for byte, e.g. a string inside JSON). Returns a
/// kString when there is no interpolation or directive. Errors are appended to `errors`. The
/// nodes live in `arena`.
Expr* parse_template_string(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors);

/// Parses `text` as one HCL expression (for strings that Terraform's JSON syntax reads as
/// expressions: `provider`, `depends_on`, variable `type`, ...). Every node gets the span
/// `where`. A syntax error is appended to `errors` and yields kInvalid. The nodes live in
/// `arena`.
Expr* parse_expression_string(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors);

}  // namespace tagwarden::hcl
