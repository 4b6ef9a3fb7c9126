// The HCL syntax tree tagwarden evaluates: produced from native syntax by tree-sitter
// (hcl_parser.hpp) or the fast parser (fast_parser.hpp) and from Terraform's JSON syntax
// (tf_json.hpp). Expressions live in an AstArena with their strings and child lists: a file's
// thousands of nodes are a few blocks of memory, made and freed at once, and the tree needs
// nothing of the source text once it is built. Blocks and attributes own their strings. Every
// node keeps its Span.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/span.hpp"

namespace tagwarden::hcl {

struct Expr;
class AstArena;

/// An expression's children: pointers to nodes of the same arena (null where documented), in
/// an array that lives in that arena. A copy of a list names the same array.
class ExprList {
 public:
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Expr* operator[](std::size_t i) const { return data_[i]; }
  Expr*& operator[](std::size_t i) { return data_[i]; }
  Expr* back() const { return data_[size_ - 1]; }
  Expr* const* begin() const { return data_; }
  Expr* const* end() const { return data_ + size_; }
  Expr** begin() { return data_; }
  Expr** end() { return data_ + size_; }

  /// Appends `e`, growing the array in `arena` (the node's own) when it is full.
  void push_back(AstArena& arena, Expr* e);
  void pop_back() { --size_; }

 private:
  Expr** data_ = nullptr;
  std::uint32_t size_ = 0;
  std::uint32_t capacity_ = 0;
};

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
  bool expand_final = false;
  bool grouping = false;
  Span span;
  // Strings are in the tree's arena (or are string literals: "*", "-", "!", "0").
  std::string_view text;     ///< literal text for kBool/kNumber/kString
  std::string_view name;     ///< identifier, attribute, function or operator name
  std::string_view key_var;  ///< for-expressions and template for: the key variable, if any
  ExprList children;         ///< may hold nullptr where documented ("cond or null")
};

/// The memory of one tree's expressions: nodes, child lists and strings are carved from blocks
/// that are freed together with the arena (nodes are never freed one by one, and need no
/// destructor). Not thread-safe: one tree is built on one thread.
class AstArena {
 public:
  AstArena() = default;
  AstArena(const AstArena&) = delete;
  AstArena& operator=(const AstArena&) = delete;
  ~AstArena();

  /// A new node of `kind` spanning `span`, every other member empty.
  Expr* node(ExprKind kind, Span span);
  /// A copy of `s` that lives as long as the arena.
  std::string_view text(std::string_view s);
  /// Room for `n` child pointers (uninitialised).
  Expr** pointers(std::size_t n);
  /// Bytes taken from the system so far.
  std::size_t bytes() const { return bytes_; }

 private:
  void* allocate(std::size_t size, std::size_t align);
  struct Block;
  Block* head_ = nullptr;  ///< the block being carved; each links to the one before
  char* next_ = nullptr;
  char* limit_ = nullptr;
  std::size_t bytes_ = 0;
};

/// An object element's key as HCL reads it: a bare identifier (`{ a = 1 }`, parsed as a
/// variable) is the literal string "a"; a parenthesised key (`{ (a) = 1 }`) is the expression
/// inside the parentheses; any other key is kept as it is.
Expr* object_key(Expr* key);

struct Attribute {
  std::string name;
  Span name_span;
  Span span;             ///< the whole `name = expr`
  Expr* expr = nullptr;  ///< in the file's arena
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
  /// Holds every expression of `body` (declared first: it outlives the body's pointers).
  std::unique_ptr<AstArena> arena = std::make_unique<AstArena>();
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
