// The HCL syntax tree tagwarden evaluates: produced from native syntax by tree-sitter
// (hcl_parser.hpp) and from Terraform's JSON syntax (tf_json.hpp). It owns its strings, so the
// tree-sitter tree can be freed right after conversion; every node keeps its Span.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/span.hpp"

namespace tagwarden::hcl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

enum class ExprKind {
  kNull,         ///< null
  kBool,         ///< text: "true" / "false"
  kNumber,       ///< text: the number as written
  kString,       ///< a template with no interpolation; text: the decoded string
  kTemplate,     ///< children: parts in order (kString for literal text, any Expr for
                 ///< ${...}); directives appear as kTemplateIf / kTemplateFor parts
  kTemplateIf,   ///< children: [cond, then-template, else-template (may be absent)]
  kTemplateFor,  ///< name: value var; key_var: key var or ""; children: [collection, body-template]
  kVariable,     ///< name: the identifier (var, local, each, count, path, aws_instance, ...)
  kGetAttr,      ///< name: attribute; children: [object]
  kIndex,        ///< children: [collection, key]
  kSplat,        ///< children: [source, each] where `each` is evaluated per element with the
                 ///< element bound to the variable named "*" (a kVariable with name "*")
  kCall,         ///< name: function name ("lower", "provider::x::y"); children: args;
                 ///< expand_final: last argument followed by "..."
  kTuple,        ///< children: items
  kObject,       ///< children: key0, value0, key1, value1, ... A bare identifier key is a
                 ///< kString; a parenthesised key is the expression inside parentheses
  kConditional,  ///< children: [cond, then, else]
  kUnary,        ///< name: "!" or "-"; children: [operand]
  kBinary,       ///< name: operator ("==", "&&", "+", ...); children: [lhs, rhs]
  kForTuple,     ///< key_var, name (value var); children: [collection, value, cond or null]
  kForObject,    ///< key_var, name (value var); children: [collection, key, value, cond or
                 ///< null]; grouping: "..." after the value
  kParens,       ///< children: [inner]
  kInvalid,      ///< a syntax error was reported for this part; evaluates to unknown
};

struct Expr {
  ExprKind kind = ExprKind::kInvalid;
  Span span;
  std::string text;     ///< literal text for kBool/kNumber/kString
  std::string name;     ///< identifier, attribute, function or operator name
  std::string key_var;  ///< for-expressions and template for: the key variable, if any
  bool expand_final = false;
  bool grouping = false;
  std::vector<ExprPtr> children;  ///< may hold nullptr where documented ("cond or null")
};

/// An object element's key as HCL reads it: a bare identifier (`{ a = 1 }`, parsed as a
/// variable) is the literal string "a"; a parenthesised key (`{ (a) = 1 }`) is the expression
/// inside the parentheses; any other key is kept as it is.
ExprPtr object_key(ExprPtr key);

struct Attribute {
  std::string name;
  Span name_span;
  Span span;  ///< the whole `name = expr`
  ExprPtr expr;
};

struct Block;

struct Body {
  std::vector<Attribute> attributes;
  std::vector<Block> blocks;
  /// The attribute named `name`, or nullptr.
  const Attribute* attribute(std::string_view name) const;
  /// Every nested block of the given type, in source order.
  std::vector<const Block*> blocks_of(std::string_view type) const;
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  std::vector<Span> label_spans;
  Span type_span;
  /// The whole block, header to closing brace. In JSON syntax, where the type and labels are
  /// keys of enclosing objects that many blocks share (`"resource": {"aws_s3_bucket": {"a":
  /// {...}}}`), it starts at the innermost label's key instead, so each block has a place of its
  /// own.
  Span span;
  Body body;
};

struct File {
  FileId id = kNoFile;
  Body body;
};

/// A comment as written: `# ...`, `// ...` or `/* ... */` in native syntax (markers included),
/// or the string value of a `"//"` property in JSON syntax (decoded, no markers).
struct Comment {
  Span span;
  std::string text;
};

struct ParseResult {
  std::unique_ptr<File> file;  ///< present even when errors were found (best-effort tree)
  std::vector<Error> errors;
  /// Every comment of the file in source order: a side table, not attached to the tree.
  std::vector<Comment> comments;
};

}  // namespace tagwarden::hcl
