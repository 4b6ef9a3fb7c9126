// Terraform JSON configuration syntax to the hcl:: AST.
#include "linter/load/hcl/tf_json.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "linter/load/hcl/hcl_parser.hpp"

namespace tagwarden::hcl {
namespace {

constexpr int kMaxDepth = 200;

/// How the strings of an attribute's value are read.
enum class StringMode { kTemplate, kExpression, kLiteral };

/// The body kinds whose nested-block names we know.
enum class BodyKind {
  kResource,
  kProvider,
  kTerraform,
  kVariable,
  kOutput,
  kModule,
  kLocals,
  kDynamic,
  kCheck,
  kOther
};

struct BlockType {
  std::string_view name;
  int labels;
  BodyKind body;
};

constexpr BlockType kTopLevel[] = {
    {"check", 1, BodyKind::kCheck},       {"data", 2, BodyKind::kResource},       {"import", 0, BodyKind::kOther},
    {"locals", 0, BodyKind::kLocals},     {"module", 1, BodyKind::kModule},       {"moved", 0, BodyKind::kOther},
    {"output", 1, BodyKind::kOutput},     {"provider", 1, BodyKind::kProvider},   {"removed", 0, BodyKind::kOther},
    {"resource", 2, BodyKind::kResource}, {"terraform", 0, BodyKind::kTerraform}, {"variable", 1, BodyKind::kVariable},
};

/// A nested block recognised in a body of `kind`: its label count and its own body kind.
std::optional<BlockType> nested_block(BodyKind kind, std::string_view name) {
  auto any = [&](std::initializer_list<std::string_view> names) {
    for (std::string_view n : names) {
      if (n == name) return true;
    }
    return false;
  };
  switch (kind) {
    case BodyKind::kResource:
      if (name == "provisioner") return BlockType{name, 1, BodyKind::kOther};
      if (name == "dynamic") return BlockType{name, 1, BodyKind::kDynamic};
      if (any({"lifecycle", "connection", "tag", "tag_specifications", "root_block_device", "ebs_block_device",
               "timeouts", "precondition", "postcondition"})) {
        return BlockType{name, 0, name == "tag_specifications" ? BodyKind::kResource : BodyKind::kOther};
      }
      break;
    case BodyKind::kProvider:
      if (any({"default_tags", "ignore_tags", "assume_role"})) return BlockType{name, 0, BodyKind::kOther};
      if (name == "dynamic") return BlockType{name, 1, BodyKind::kDynamic};
      break;
    case BodyKind::kTerraform:
      if (name == "backend") return BlockType{name, 1, BodyKind::kOther};
      if (any({"required_providers", "cloud"})) return BlockType{name, 0, BodyKind::kOther};
      break;
    case BodyKind::kVariable:
      if (name == "validation") return BlockType{name, 0, BodyKind::kOther};
      break;
    case BodyKind::kOutput:
      if (name == "precondition") return BlockType{name, 0, BodyKind::kOther};
      break;
    case BodyKind::kDynamic:
      if (name == "content") return BlockType{name, 0, BodyKind::kResource};
      break;
    case BodyKind::kCheck:
      if (name == "data") return BlockType{name, 2, BodyKind::kResource};
      if (name == "assert") return BlockType{name, 0, BodyKind::kOther};
      break;
    default:
      break;
  }
  return std::nullopt;
}

StringMode string_mode(BodyKind kind, std::string_view block_type, std::string_view attr) {
  if ((kind == BodyKind::kResource || kind == BodyKind::kModule || kind == BodyKind::kOutput) &&
      (attr == "provider" || attr == "depends_on")) {
    return StringMode::kExpression;
  }
  if (block_type == "lifecycle" && (attr == "ignore_changes" || attr == "replace_triggered_by")) {
    return StringMode::kExpression;
  }
  if (kind == BodyKind::kVariable && attr == "type") return StringMode::kExpression;
  if (kind == BodyKind::kVariable && attr == "default") return StringMode::kLiteral;
  if ((block_type == "moved" || block_type == "import" || block_type == "removed") &&
      (attr == "from" || attr == "to")) {
    return StringMode::kExpression;
  }
  return StringMode::kTemplate;
}

Span cover(const Span& a, const Span& b) {
  if (!a.valid() || !b.valid() || a.file != b.file) return a.valid() ? a : b;
  return Span{a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

class JsonConverter {
 public:
  JsonConverter(AstArena& arena, std::vector<Error>& errors, std::vector<Comment>& comments)
      : arena_(arena), errors_(errors), comments_(comments) {}

  void convert_root(const DocNode& root, Body& out) {
    if (!root.is_map()) {
      errors_.push_back(Error{root.span, {}, "a Terraform JSON file must hold an object"});
      return;
    }
    for (std::size_t i = 0; i < root.items.size() && i < root.keys.size(); ++i) {
      const std::string& key = root.keys[i];
      if (key == "//") {
        note_comment(root.items[i]);
        continue;
      }
      const BlockType* bt = nullptr;
      for (const BlockType& t : kTopLevel) {
        if (t.name == key) bt = &t;
      }
      if (bt == nullptr) {
        errors_.push_back(Error{root.key_spans[i], {}, "unsupported block type \"" + key + "\""});
        continue;
      }
      std::vector<std::string> labels;
      std::vector<Span> label_spans;
      add_blocks(key, root.key_spans[i], *bt, root.items[i], labels, label_spans, out, 0);
    }
  }

 private:
  /// Descends `remaining` label levels of `node`, then adds one block per body object.
  void add_blocks(const std::string& type, Span type_span, const BlockType& bt, const DocNode& node,
                  std::vector<std::string>& labels, std::vector<Span>& label_spans, Body& out, int depth) {
    if (depth > kMaxDepth) return;
    if (node.is_seq()) {
      for (const DocNode& item : node.items) {
        add_blocks(type, type_span, bt, item, labels, label_spans, out, depth + 1);
      }
      return;
    }
    if (!node.is_map()) {
      errors_.push_back(Error{node.span, {}, "a \"" + type + "\" block must be a JSON object"});
      return;
    }
    if (static_cast<int>(labels.size()) < bt.labels) {
      for (std::size_t i = 0; i < node.items.size() && i < node.keys.size(); ++i) {
        if (node.keys[i] == "//") {
          note_comment(node.items[i]);
          continue;
        }
        labels.push_back(node.keys[i]);
        label_spans.push_back(node.key_spans[i]);
        add_blocks(type, type_span, bt, node.items[i], labels, label_spans, out, depth + 1);
        labels.pop_back();
        label_spans.pop_back();
      }
      return;
    }
    Block b;
    b.type = type;
    b.type_span = type_span;
    b.labels = labels;
    b.label_spans = label_spans;
    b.span = cover(label_spans.empty() ? type_span : label_spans.back(), node.span);
    if (bt.body == BodyKind::kLocals) {
      convert_attributes_only(node, b.body, depth + 1);
    } else {
      convert_body(node, bt.body, type, b.body, depth + 1);
    }
    out.blocks.push_back(std::move(b));
  }

  void convert_attributes_only(const DocNode& node, Body& out, int depth) {
    for (std::size_t i = 0; i < node.items.size() && i < node.keys.size(); ++i) {
      if (node.keys[i] == "//") {
        note_comment(node.items[i]);
        continue;
      }
      out.attributes.push_back(make_attribute(node, i, StringMode::kTemplate, depth));
    }
  }

  void convert_body(const DocNode& node, BodyKind kind, const std::string& block_type, Body& out, int depth) {
    if (depth > kMaxDepth) return;
    for (std::size_t i = 0; i < node.items.size() && i < node.keys.size(); ++i) {
      const std::string& key = node.keys[i];
      if (key == "//") {
        note_comment(node.items[i]);
        continue;
      }
      const DocNode& value = node.items[i];
      std::optional<BlockType> nb = nested_block(kind, key);
      bool block_shaped = value.is_map() || (value.is_seq() && !value.items.empty() && value.items.front().is_map());
      if (nb && block_shaped) {
        std::vector<std::string> labels;
        std::vector<Span> label_spans;
        add_blocks(key, node.key_spans[i], *nb, value, labels, label_spans, out, depth + 1);
        continue;
      }
      StringMode mode = string_mode(kind, block_type, key);
      if (kind == BodyKind::kModule && key == "providers") mode = StringMode::kExpression;
      out.attributes.push_back(make_attribute(node, i, mode, depth));
    }
  }

  Attribute make_attribute(const DocNode& node, std::size_t i, StringMode mode, int depth) {
    Attribute a;
    a.name = node.keys[i];
    a.name_span = node.key_spans[i];
    a.span = cover(node.key_spans[i], node.items[i].span);
    a.expr = convert_expr(node.items[i], mode, depth + 1);
    return a;
  }

  /// A `"//"` property is a comment: its string value (or each string of an array) goes to
  /// the comment side table.
  void note_comment(const DocNode& value) {
    if (value.is_string()) comments_.push_back(Comment{value.span, value.scalar});
    if (value.is_seq()) {
      for (const DocNode& item : value.items) {
        if (item.is_string()) comments_.push_back(Comment{item.span, item.scalar});
      }
    }
  }

  Expr* make(ExprKind kind, Span span) { return arena_.node(kind, span); }

  Expr* string_expr(const std::string& s, Span span, StringMode mode) {
    switch (mode) {
      case StringMode::kExpression:
        return parse_expression_string(arena_, s, span, errors_);
      case StringMode::kLiteral: {
        auto e = make(ExprKind::kString, span);
        e->text = arena_.text(s);
        return e;
      }
      case StringMode::kTemplate:
        return parse_template_string(arena_, s, span, errors_);
    }
    return make(ExprKind::kInvalid, span);
  }

  /// JSON value to expression ("Expression Mapping" in the JSON syntax docs).
  Expr* convert_expr(const DocNode& n, StringMode mode, int depth) {
    if (depth > kMaxDepth) {
      errors_.push_back(Error{n.span, {}, "JSON value nested too deeply"});
      return make(ExprKind::kInvalid, n.span);
    }
    switch (n.kind) {
      case DocNode::Kind::kNull:
        return make(ExprKind::kNull, n.span);
      case DocNode::Kind::kBool: {
        auto e = make(ExprKind::kBool, n.span);
        e->text = arena_.text(n.scalar);
        return e;
      }
      case DocNode::Kind::kNumber: {
        auto e = make(ExprKind::kNumber, n.span);
        e->text = arena_.text(n.scalar);
        return e;
      }
      case DocNode::Kind::kString:
        return string_expr(n.scalar, n.span, mode);
      case DocNode::Kind::kSeq: {
        auto e = make(ExprKind::kTuple, n.span);
        for (const DocNode& item : n.items) e->children.push_back(arena_, convert_expr(item, mode, depth + 1));
        return e;
      }
      case DocNode::Kind::kMap: {
        auto e = make(ExprKind::kObject, n.span);
        for (std::size_t i = 0; i < n.items.size() && i < n.keys.size(); ++i) {
          // Property names are templates too; values keep the attribute's string mode.
          StringMode key_mode = mode == StringMode::kLiteral ? StringMode::kLiteral : StringMode::kTemplate;
          e->children.push_back(arena_, string_expr(n.keys[i], n.key_spans[i], key_mode));
          e->children.push_back(arena_, convert_expr(n.items[i], mode, depth + 1));
        }
        return e;
      }
    }
    return make(ExprKind::kInvalid, n.span);
  }

  AstArena& arena_;  ///< the file's: every node and string of its expressions
  std::vector<Error>& errors_;
  std::vector<Comment>& comments_;
};

}  // namespace

ParseResult parse_tf_json(FileId file, const DocNode& root) {
  ParseResult result;
  result.file = std::make_unique<File>();
  result.file->id = file;
  JsonConverter conv(*result.file->arena, result.errors, result.comments);
  conv.convert_root(root, result.file->body);
  return result;
}

}  // namespace tagwarden::hcl
