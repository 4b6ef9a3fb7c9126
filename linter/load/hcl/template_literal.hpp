// The parts of HCL template handling shared by both native-syntax parsers (hcl_parser.hpp's
// tree-sitter converter and fast_parser.hpp): literal text decoding, templates from parts, and
// the indentation rule of `<<-` heredocs.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "linter/load/hcl/ast.hpp"

namespace tagwarden::hcl {

/// Decodes template literal text: `$${` -> `${`, `%%{` -> `%{` always; backslash escapes
/// (\n \r \t \" \\ \uNNNN \UNNNNNNNN) only in quoted templates (heredocs take backslashes
/// literally), as in the HCL native syntax specification.
std::string decode_literal(std::string_view raw, bool quoted);

/// A template's literal text `raw` (the bytes `span` of the source) as a part in `arena`:
/// decoded (decode_literal), with whitespace stripped at either end when a strip marker (`~`)
/// asks for it; null when nothing is left.
Expr* literal_part(AstArena& arena, std::string_view raw, Span span, bool quoted, bool strip_leading = false,
                   bool strip_trailing = false);

/// A template of `parts` spanning `span`: a kString (the parts' texts joined) when every part is
/// a literal (or there is none), else a kTemplate holding the parts.
Expr* make_template(AstArena& arena, const ExprList& parts, Span span);

/// `<<-` heredocs: removes the smallest indentation of the content lines from every line of the
/// literal parts. Whitespace-only lines do not count; a line starting with an interpolation
/// counts as its leading whitespace (HCL's flush heredoc rule applied to the literal parts).
void strip_heredoc_indent(AstArena& arena, ExprList& parts);

}  // namespace tagwarden::hcl
