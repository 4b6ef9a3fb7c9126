// HCL native syntax to the hcl:: AST through tree-sitter-hcl (parse_hcl_tree_sitter; parse_hcl
// in fast_parser.cpp tries the fast parser first).
//
// The grammar hides `_expr_term`, so operands of operators and traversal chains arrive as flat
// child lists ("a", ".b", "[0]", "+", ...): `convert_term` folds such a list back into nested
// nodes. Template literal text is taken from the source bytes *between* the structural parts
// (interpolations and directives), because the grammar drops whitespace-only chunks.
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/template_literal.hpp"

#include <tree_sitter/api.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

extern "C" const TSLanguage* tree_sitter_hcl(void);

namespace tagwarden::hcl {
namespace {

// Node kinds we act on; everything else is kOther. Mapped once from the grammar's symbol
// table, so conversion compares small integers instead of strings.
enum class K : unsigned char {
  kOther,
  kConfigFile,
  kBody,
  kAttribute,
  kBlock,
  kIdentifier,
  kStringLit,
  kExpression,
  kConditional,
  kLiteralValue,
  kNumericLit,
  kBoolLit,
  kNullLit,
  kTemplateExpr,
  kQuotedTemplate,
  kHeredocTemplate,
  kHeredocIdentifier,
  kHeredocStart,
  kTemplateInterpolation,
  kTemplateDirective,
  kTemplateFor,
  kTemplateForStart,
  kTemplateForEnd,
  kTemplateIf,
  kTemplateIfIntro,
  kTemplateElseIntro,
  kTemplateIfEnd,
  kStripMarker,
  kQuotedTemplateStart,
  kQuotedTemplateEnd,
  kCollectionValue,
  kTuple,
  kObject,
  kObjectElem,
  kVariableExpr,
  kFunctionCall,
  kFunctionArguments,
  kEllipsis,
  kForExpr,
  kForTupleExpr,
  kForObjectExpr,
  kForIntro,
  kForCond,
  kOperation,
  kUnaryOperation,
  kBinaryOperation,
  kIndex,
  kNewIndex,
  kLegacyIndex,
  kGetAttr,
  kSplat,
  kAttrSplat,
  kFullSplat,
  kComment,
  kLParen,
  kRParen,
};

struct NamedKind {
  const char* name;
  K kind;
};

constexpr std::array kNamedKinds{
    NamedKind{"config_file", K::kConfigFile},
    NamedKind{"body", K::kBody},
    NamedKind{"attribute", K::kAttribute},
    NamedKind{"block", K::kBlock},
    NamedKind{"identifier", K::kIdentifier},
    NamedKind{"string_lit", K::kStringLit},
    NamedKind{"expression", K::kExpression},
    NamedKind{"conditional", K::kConditional},
    NamedKind{"literal_value", K::kLiteralValue},
    NamedKind{"numeric_lit", K::kNumericLit},
    NamedKind{"bool_lit", K::kBoolLit},
    NamedKind{"null_lit", K::kNullLit},
    NamedKind{"template_expr", K::kTemplateExpr},
    NamedKind{"quoted_template", K::kQuotedTemplate},
    NamedKind{"heredoc_template", K::kHeredocTemplate},
    NamedKind{"heredoc_identifier", K::kHeredocIdentifier},
    NamedKind{"heredoc_start", K::kHeredocStart},
    NamedKind{"template_interpolation", K::kTemplateInterpolation},
    NamedKind{"template_directive", K::kTemplateDirective},
    NamedKind{"template_for", K::kTemplateFor},
    NamedKind{"template_for_start", K::kTemplateForStart},
    NamedKind{"template_for_end", K::kTemplateForEnd},
    NamedKind{"template_if", K::kTemplateIf},
    NamedKind{"template_if_intro", K::kTemplateIfIntro},
    NamedKind{"template_else_intro", K::kTemplateElseIntro},
    NamedKind{"template_if_end", K::kTemplateIfEnd},
    NamedKind{"strip_marker", K::kStripMarker},
    NamedKind{"quoted_template_start", K::kQuotedTemplateStart},
    NamedKind{"quoted_template_end", K::kQuotedTemplateEnd},
    NamedKind{"collection_value", K::kCollectionValue},
    NamedKind{"tuple", K::kTuple},
    NamedKind{"object", K::kObject},
    NamedKind{"object_elem", K::kObjectElem},
    NamedKind{"variable_expr", K::kVariableExpr},
    NamedKind{"function_call", K::kFunctionCall},
    NamedKind{"function_arguments", K::kFunctionArguments},
    NamedKind{"ellipsis", K::kEllipsis},
    NamedKind{"for_expr", K::kForExpr},
    NamedKind{"for_tuple_expr", K::kForTupleExpr},
    NamedKind{"for_object_expr", K::kForObjectExpr},
    NamedKind{"for_intro", K::kForIntro},
    NamedKind{"for_cond", K::kForCond},
    NamedKind{"operation", K::kOperation},
    NamedKind{"unary_operation", K::kUnaryOperation},
    NamedKind{"binary_operation", K::kBinaryOperation},
    NamedKind{"index", K::kIndex},
    NamedKind{"new_index", K::kNewIndex},
    NamedKind{"legacy_index", K::kLegacyIndex},
    NamedKind{"get_attr", K::kGetAttr},
    NamedKind{"splat", K::kSplat},
    NamedKind{"attr_splat", K::kAttrSplat},
    NamedKind{"full_splat", K::kFullSplat},
    NamedKind{"comment", K::kComment},
};

class KindTable {
 public:
  KindTable() {
    const TSLanguage* lang = tree_sitter_hcl();
    std::uint32_t count = lang ? ts_language_symbol_count(lang) : 0;
    kinds_.assign(count, K::kOther);
    for (std::uint32_t s = 0; s < count; ++s) {
      auto sym = static_cast<TSSymbol>(s);
      const char* name = ts_language_symbol_name(lang, sym);
      if (name == nullptr) continue;
      TSSymbolType type = ts_language_symbol_type(lang, sym);
      if (type == TSSymbolTypeRegular) {
        for (const NamedKind& nk : kNamedKinds) {
          if (std::strcmp(nk.name, name) == 0) kinds_[s] = nk.kind;
        }
      } else if (type == TSSymbolTypeAnonymous) {
        if (std::strcmp(name, "(") == 0) kinds_[s] = K::kLParen;
        if (std::strcmp(name, ")") == 0) kinds_[s] = K::kRParen;
      }
    }
  }
  K of(TSNode n) const {
    TSSymbol s = ts_node_symbol(n);
    return s < kinds_.size() ? kinds_[s] : K::kOther;
  }

 private:
  std::vector<K> kinds_;
};

const KindTable& kinds() {
  static const KindTable table;
  return table;
}

struct ParserHolder {
  TSParser* parser = nullptr;
  void release() {
    if (parser != nullptr) ts_parser_delete(parser);
    parser = nullptr;
  }
  ~ParserHolder() { release(); }
};

thread_local ParserHolder holder;

/// The calling thread's parser (files are parsed in parallel; a TSParser is not thread-safe).
TSParser* thread_parser() {
  if (holder.parser == nullptr) {
    holder.parser = ts_parser_new();
    if (holder.parser != nullptr && !ts_parser_set_language(holder.parser, tree_sitter_hcl())) {
      ts_parser_delete(holder.parser);
      holder.parser = nullptr;
    }
  }
  return holder.parser;
}

/// A short, single-line excerpt of source text for messages.
std::string excerpt(std::string_view s) {
  std::size_t nl = s.find_first_of("\r\n");
  if (nl != std::string_view::npos) s = s.substr(0, nl);
  constexpr std::size_t kMax = 30;
  if (s.size() > kMax) {
    std::size_t cut = kMax;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return std::string(s.substr(0, cut)) + "...";
  }
  return std::string(s);
}

class Converter {
 public:
  Converter(FileId file, std::string_view text, AstArena& arena, const ParseLimits& limits, std::vector<Error>& errors,
            TSNode root)
      : file_(file),
        text_(text),
        arena_(arena),
        limits_(limits),
        errors_(errors),
        kinds_(kinds()),
        cursor_(ts_tree_cursor_new(root)) {
    scratch_.reserve(256);
  }
  ~Converter() { ts_tree_cursor_delete(&cursor_); }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;

  /// The comments met while converting, in source order, once each.
  std::vector<Comment> take_comments() {
    std::sort(comment_ranges_.begin(), comment_ranges_.end());
    comment_ranges_.erase(std::unique(comment_ranges_.begin(), comment_ranges_.end()), comment_ranges_.end());
    std::vector<Comment> out;
    out.reserve(comment_ranges_.size());
    for (auto [b, e] : comment_ranges_) {
      // A line comment's node may end with its line break: not part of the comment.
      while (e > b && e <= text_.size() && (text_[e - 1] == '\n' || text_[e - 1] == '\r')) --e;
      out.push_back(Comment{span_range(b, e), std::string(text_range(b, e))});
    }
    comment_ranges_.clear();
    return out;
  }

  void convert_file(TSNode root, File& out) {
    Frame f(*this, root);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      if (kinds_.of(c) == K::kBody) convert_body(c, out.body, 0);
    }
  }

  /// Converts template text that is not in a source file (see parse_template_string):
  /// `root` is the config_file of `x = <<MARK ... MARK`.
  Expr* first_attribute_expr(TSNode root) {
    TSNode body = find_child(root, K::kBody);
    if (ts_node_is_null(body)) return nullptr;
    TSNode attr = find_child(body, K::kAttribute);
    if (ts_node_is_null(attr)) return nullptr;
    TSNode ex = find_child(attr, K::kExpression);
    if (ts_node_is_null(ex)) return nullptr;
    return convert_expr(ex, 0);
  }

 private:
  // Children of a node live in `scratch_` for the lifetime of a Frame (comments skipped).
  struct Frame {
    Frame(Converter& c, TSNode n) : conv(c), begin(c.collect(n)), end(c.scratch_.size()) {}
    ~Frame() { conv.scratch_.resize(begin); }
    Frame(const Frame&) = delete;
    Frame& operator=(const Frame&) = delete;
    Converter& conv;
    std::size_t begin;
    std::size_t end;
  };

  std::size_t collect(TSNode n) {
    std::size_t begin = scratch_.size();
    ts_tree_cursor_reset(&cursor_, n);
    if (ts_tree_cursor_goto_first_child(&cursor_)) {
      do {
        TSNode c = ts_tree_cursor_current_node(&cursor_);
        if (kinds_.of(c) != K::kComment) {
          scratch_.push_back(c);
        } else {
          // Comments are a side table (ParseResult::comments); a node may be collected more
          // than once, take_comments() keeps each comment once.
          comment_ranges_.emplace_back(ts_node_start_byte(c), ts_node_end_byte(c));
        }
      } while (ts_tree_cursor_goto_next_sibling(&cursor_));
    }
    return begin;
  }

  TSNode find_child(TSNode n, K kind) {
    Frame f(*this, n);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      if (kinds_.of(scratch_[i]) == kind) return scratch_[i];
    }
    return TSNode{};
  }

  Span span_of(TSNode n) const { return Span{file_, ts_node_start_byte(n), ts_node_end_byte(n)}; }
  Span span_range(std::uint32_t b, std::uint32_t e) const { return Span{file_, b, e}; }
  std::string_view text_of(TSNode n) const {
    std::uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
    if (b > e || e > text_.size()) return {};
    return text_.substr(b, e - b);
  }
  std::string_view text_range(std::uint32_t b, std::uint32_t e) const {
    if (b >= e || e > text_.size()) return {};
    return text_.substr(b, e - b);
  }

  Expr* make(ExprKind kind, Span span) { return arena_.node(kind, span); }
  /// A copy of `s` in the tree's arena.
  std::string_view keep(std::string_view s) { return arena_.text(s); }
  Expr* invalid(Span span) { return make(ExprKind::kInvalid, span); }

  bool too_deep(int depth, Span span) {
    if (depth <= limits_.max_depth) return false;
    if (!depth_reported_) {
      depth_reported_ = true;
      errors_.push_back(
          Error{span, {}, "nesting too deep: more than " + std::to_string(limits_.max_depth) + " levels"});
    }
    return true;
  }

  void convert_body(TSNode n, Body& out, int depth) {
    if (too_deep(depth, span_of(n))) return;
    Frame f(*this, n);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      switch (kinds_.of(c)) {
        case K::kAttribute:
          convert_attribute(c, out, depth);
          break;
        case K::kBlock:
          convert_block(c, out, depth);
          break;
        default:
          break;  // ERROR nodes were reported by the error pass
      }
    }
  }

  void convert_attribute(TSNode n, Body& out, int depth) {
    Frame f(*this, n);
    Attribute a;
    a.span = span_of(n);
    bool have_name = false;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      K k = kinds_.of(c);
      if (k == K::kIdentifier && !have_name) {
        a.name = std::string(text_of(c));
        a.name_span = span_of(c);
        have_name = true;
      } else if (k == K::kExpression && !a.expr) {
        a.expr = convert_expr(c, depth + 1);
      }
    }
    if (!have_name) return;
    if (!a.expr) a.expr = invalid(a.span);
    out.attributes.push_back(std::move(a));
  }

  void convert_block(TSNode n, Body& out, int depth) {
    Frame f(*this, n);
    Block b;
    b.span = span_of(n);
    bool have_type = false;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      K k = kinds_.of(c);
      if (k == K::kIdentifier) {
        if (!have_type) {
          b.type = std::string(text_of(c));
          b.type_span = span_of(c);
          have_type = true;
        } else {
          b.labels.emplace_back(text_of(c));
          b.label_spans.push_back(span_of(c));
        }
      } else if (k == K::kStringLit) {
        std::string_view raw = text_of(c);
        if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"') {
          raw = raw.substr(1, raw.size() - 2);
        }
        b.labels.push_back(decode_literal(raw, true));
        b.label_spans.push_back(span_of(c));
      } else if (k == K::kBody) {
        convert_body(c, b.body, depth + 1);
      }
    }
    if (!have_type) return;
    out.blocks.push_back(std::move(b));
  }

  Expr* convert_expr(TSNode n, int depth) {
    Span sp = span_of(n);
    if (too_deep(depth, sp)) return invalid(sp);
    switch (kinds_.of(n)) {
      case K::kExpression: {
        Frame f(*this, n);
        if (f.end - f.begin == 1 && kinds_.of(scratch_[f.begin]) == K::kConditional) {
          return convert_expr(scratch_[f.begin], depth + 1);
        }
        return convert_term(f.begin, f.end, depth + 1);
      }
      case K::kConditional: {
        Frame f(*this, n);
        auto e = make(ExprKind::kConditional, sp);
        for (std::size_t i = f.begin; i < f.end; ++i) {
          if (kinds_.of(scratch_[i]) == K::kExpression) {
            e->children.push_back(arena_, convert_expr(scratch_[i], depth + 1));
          }
        }
        while (e->children.size() < 3) e->children.push_back(arena_, invalid(sp));
        return e;
      }
      case K::kLiteralValue:
      case K::kTemplateExpr:
      case K::kCollectionValue:
      case K::kForExpr:
      case K::kOperation: {
        Frame f(*this, n);
        for (std::size_t i = f.begin; i < f.end; ++i) {
          if (ts_node_is_named(scratch_[i]) && !ts_node_is_error(scratch_[i])) {
            return convert_expr(scratch_[i], depth + 1);
          }
        }
        return invalid(sp);
      }
      case K::kNumericLit: {
        auto e = make(ExprKind::kNumber, sp);
        e->text = keep(text_of(n));
        // An exponent without a fraction (`1e3`) was blanked for the grammar (see
        // blank_bare_exponents): it follows the literal in the source text.
        std::size_t end = sp.end, x = end;
        if (x < text_.size() && (text_[x] == 'e' || text_[x] == 'E')) {
          ++x;
          if (x < text_.size() && (text_[x] == '+' || text_[x] == '-')) ++x;
          std::size_t digits = x;
          while (x < text_.size() && text_[x] >= '0' && text_[x] <= '9') ++x;
          if (x > digits) {
            e->text = keep(text_.substr(sp.begin, x - sp.begin));
            e->span.end = static_cast<std::uint32_t>(x);
          }
        }
        return e;
      }
      case K::kBoolLit: {
        auto e = make(ExprKind::kBool, sp);
        e->text = keep(text_of(n));
        return e;
      }
      case K::kNullLit:
        return make(ExprKind::kNull, sp);
      case K::kStringLit:
      case K::kQuotedTemplate:
        return convert_quoted(n, depth);
      case K::kHeredocTemplate:
        return convert_heredoc(n, depth);
      case K::kVariableExpr: {
        auto e = make(ExprKind::kVariable, sp);
        e->name = keep(text_of(n));
        return e;
      }
      case K::kTuple: {
        Frame f(*this, n);
        auto e = make(ExprKind::kTuple, sp);
        for (std::size_t i = f.begin; i < f.end; ++i) {
          if (kinds_.of(scratch_[i]) == K::kExpression) {
            e->children.push_back(arena_, convert_expr(scratch_[i], depth + 1));
          }
        }
        return e;
      }
      case K::kObject:
        return convert_object(n, depth);
      case K::kFunctionCall:
        return convert_call(n, depth);
      case K::kForTupleExpr:
      case K::kForObjectExpr:
        return convert_for(n, depth);
      case K::kUnaryOperation: {
        Frame f(*this, n);
        if (f.end - f.begin < 2) return invalid(sp);
        auto e = make(ExprKind::kUnary, sp);
        e->name = keep(text_of(scratch_[f.begin]));
        e->children.push_back(arena_, convert_term(f.begin + 1, f.end, depth + 1));
        return e;
      }
      case K::kBinaryOperation: {
        Frame f(*this, n);
        std::size_t op = f.end;
        for (std::size_t i = f.begin; i < f.end; ++i) {
          TSNode c = scratch_[i];
          K k = kinds_.of(c);
          if (!ts_node_is_named(c) && k != K::kLParen && k != K::kRParen) {
            op = i;
            break;
          }
        }
        if (op == f.end || op == f.begin || op + 1 == f.end) return invalid(sp);
        auto e = make(ExprKind::kBinary, sp);
        e->name = keep(text_of(scratch_[op]));
        e->children.push_back(arena_, convert_term(f.begin, op, depth + 1));
        e->children.push_back(arena_, convert_term(op + 1, f.end, depth + 1));
        return e;
      }
      default:
        return invalid(sp);
    }
  }

  /// Folds a flat `_expr_term` child list [begin, end) of scratch_: a primary (or a
  /// parenthesised expression) followed by attribute, index and splat traversals.
  Expr* convert_term(std::size_t begin, std::size_t end, int depth) {
    if (begin >= end) return invalid(Span{file_, 0, 0});
    std::uint32_t start = ts_node_start_byte(scratch_[begin]);
    Span whole = span_range(start, ts_node_end_byte(scratch_[end - 1]));
    if (too_deep(depth, whole)) return invalid(whole);
    Expr* cur = nullptr;
    std::size_t i = begin;
    if (kinds_.of(scratch_[i]) == K::kLParen) {
      ++i;
      Expr* inner = nullptr;
      for (; i < end; ++i) {
        K k = kinds_.of(scratch_[i]);
        if (k == K::kRParen) {
          ++i;
          break;
        }
        if (k == K::kExpression && !inner) inner = convert_expr(scratch_[i], depth + 1);
      }
      cur = make(ExprKind::kParens, span_range(start, ts_node_end_byte(scratch_[i - 1])));
      cur->children.push_back(arena_, inner ? inner : invalid(whole));
    } else {
      cur = convert_expr(scratch_[i], depth + 1);
      ++i;
    }
    for (; i < end; ++i) {
      TSNode c = scratch_[i];
      std::uint32_t stop = ts_node_end_byte(c);
      switch (kinds_.of(c)) {
        case K::kGetAttr:
        case K::kIndex:
          cur = apply_traversal(cur, c, start, depth);
          break;
        case K::kSplat: {
          TSNode s = ts_node_named_child(c, 0);
          if (ts_node_is_null(s)) break;
          auto splat = make(ExprKind::kSplat, span_range(start, stop));
          auto each = make(ExprKind::kVariable, span_of(s));
          each->name = "*";
          std::uint32_t each_start = ts_node_start_byte(s);
          Frame f(*this, s);
          for (std::size_t j = f.begin; j < f.end; ++j) {
            K k = kinds_.of(scratch_[j]);
            if (k == K::kGetAttr || k == K::kIndex) {
              each = apply_traversal(each, scratch_[j], each_start, depth);
            }
          }
          splat->children.push_back(arena_, cur);
          splat->children.push_back(arena_, each);
          cur = splat;
          break;
        }
        default:
          break;
      }
    }
    return cur;
  }

  Expr* apply_traversal(Expr* cur, TSNode c, std::uint32_t start, int depth) {
    Span sp = span_range(start, ts_node_end_byte(c));
    if (kinds_.of(c) == K::kGetAttr) {
      auto e = make(ExprKind::kGetAttr, sp);
      TSNode id = find_child(c, K::kIdentifier);
      e->name = ts_node_is_null(id) ? std::string_view() : keep(text_of(id));
      e->children.push_back(arena_, cur);
      return e;
    }
    auto e = make(ExprKind::kIndex, sp);
    e->children.push_back(arena_, cur);
    TSNode inner = ts_node_named_child(c, 0);
    Expr* key = nullptr;
    if (!ts_node_is_null(inner) && kinds_.of(inner) == K::kNewIndex) {
      TSNode ex = find_child(inner, K::kExpression);
      if (!ts_node_is_null(ex)) key = convert_expr(ex, depth + 1);
    } else if (!ts_node_is_null(inner) && kinds_.of(inner) == K::kLegacyIndex) {
      // Legacy `.0` index: the digits after the dot.
      std::string_view t = text_of(inner);
      std::size_t p = t.find_first_of("0123456789");
      key = make(ExprKind::kNumber, span_of(inner));
      key->text = p == std::string_view::npos ? std::string_view("0") : keep(t.substr(p));
    }
    e->children.push_back(arena_, key ? key : invalid(sp));
    return e;
  }

  Expr* convert_object(TSNode n, int depth) {
    Frame f(*this, n);
    auto e = make(ExprKind::kObject, span_of(n));
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode el = scratch_[i];
      if (kinds_.of(el) != K::kObjectElem) continue;
      TSNode key = ts_node_child_by_field_name(el, "key", 3);
      TSNode val = ts_node_child_by_field_name(el, "val", 3);
      Expr* k = ts_node_is_null(key) ? invalid(span_of(el)) : convert_expr(key, depth + 1);
      e->children.push_back(arena_, object_key(k));
      e->children.push_back(arena_, ts_node_is_null(val) ? invalid(span_of(el)) : convert_expr(val, depth + 1));
    }
    return e;
  }

  Expr* convert_call(TSNode n, int depth) {
    Frame f(*this, n);
    auto e = make(ExprKind::kCall, span_of(n));
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      K k = kinds_.of(c);
      if (k == K::kIdentifier && e->name.empty()) {
        e->name = keep(text_of(c));
      } else if (k == K::kFunctionArguments) {
        Frame a(*this, c);
        for (std::size_t j = a.begin; j < a.end; ++j) {
          K ak = kinds_.of(scratch_[j]);
          if (ak == K::kExpression) e->children.push_back(arena_, convert_expr(scratch_[j], depth + 1));
          if (ak == K::kEllipsis) e->expand_final = true;
        }
      }
    }
    return e;
  }

  Expr* convert_for(TSNode n, int depth) {
    Frame f(*this, n);
    bool is_object = kinds_.of(n) == K::kForObjectExpr;
    auto e = make(is_object ? ExprKind::kForObject : ExprKind::kForTuple, span_of(n));
    Expr* collection = nullptr;
    Expr* cond = nullptr;
    std::vector<Expr*> values;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      TSNode c = scratch_[i];
      switch (kinds_.of(c)) {
        case K::kForIntro: {
          Frame in(*this, c);
          std::vector<std::string_view> ids;
          for (std::size_t j = in.begin; j < in.end; ++j) {
            K k = kinds_.of(scratch_[j]);
            if (k == K::kIdentifier) ids.push_back(text_of(scratch_[j]));
            if (k == K::kExpression && !collection) {
              collection = convert_expr(scratch_[j], depth + 1);
            }
          }
          if (ids.size() >= 2) {
            e->key_var = keep(ids[0]);
            e->name = keep(ids[1]);
          } else if (ids.size() == 1) {
            e->name = keep(ids[0]);
          }
          break;
        }
        case K::kExpression:
          values.push_back(convert_expr(c, depth + 1));
          break;
        case K::kEllipsis:
          e->grouping = true;
          break;
        case K::kForCond: {
          TSNode ex = find_child(c, K::kExpression);
          if (!ts_node_is_null(ex)) cond = convert_expr(ex, depth + 1);
          break;
        }
        default:
          break;
      }
    }
    Span sp = span_of(n);
    e->children.push_back(arena_, collection ? collection : invalid(sp));
    std::size_t want = is_object ? 2 : 1;
    for (std::size_t k = 0; k < want; ++k) {
      e->children.push_back(arena_, k < values.size() && values[k] ? values[k] : invalid(sp));
    }
    e->children.push_back(arena_, cond);
    return e;
  }

  // ---- templates ----

  /// Strip markers (`~`) of a directive or interpolation delimiter node: (left, right).
  std::pair<bool, bool> strip_flags(TSNode n) {
    Frame f(*this, n);
    bool left = false, right = false;
    std::size_t count = f.end - f.begin;
    if (count >= 2 && kinds_.of(scratch_[f.begin + 1]) == K::kStripMarker) left = true;
    if (count >= 3 && kinds_.of(scratch_[f.end - 2]) == K::kStripMarker) right = true;
    return {left, right};
  }

  void push_literal(ExprList& out, std::uint32_t b, std::uint32_t e, bool quoted, bool strip_leading,
                    bool strip_trailing) {
    if (b >= e) return;
    if (Expr* lit = literal_part(arena_, text_range(b, e), span_range(b, e), quoted, strip_leading, strip_trailing))
      out.push_back(arena_, lit);
  }

  /// Template parts of the children [begin, end) of scratch_ that lie in bytes [lo, hi):
  /// literals are the gaps between interpolations and directives.
  void template_parts(std::size_t begin, std::size_t end, std::uint32_t lo, std::uint32_t hi, bool quoted,
                      bool strip_lo, bool strip_hi, ExprList& out, int depth) {
    std::uint32_t pos = lo;
    bool strip_next = strip_lo;
    for (std::size_t i = begin; i < end; ++i) {
      TSNode c = scratch_[i];
      K k = kinds_.of(c);
      if (k != K::kTemplateInterpolation && k != K::kTemplateDirective) continue;
      std::uint32_t cb = ts_node_start_byte(c);
      bool left = false, right = false;
      Expr* part = nullptr;
      if (k == K::kTemplateInterpolation) {
        std::tie(left, right) = strip_flags(c);
        TSNode ex = find_child(c, K::kExpression);
        part = ts_node_is_null(ex) ? invalid(span_of(c)) : convert_expr(ex, depth + 1);
      } else {
        part = convert_directive(c, quoted, left, right, depth + 1);
      }
      push_literal(out, pos, std::max(pos, cb), quoted, strip_next, left);
      out.push_back(arena_, part);
      strip_next = right;
      pos = std::max(pos, ts_node_end_byte(c));
    }
    push_literal(out, pos, std::max(pos, hi), quoted, strip_next, strip_hi);
  }

  Expr* convert_directive(TSNode n, bool quoted, bool& left, bool& right, int depth) {
    Span sp = span_of(n);
    TSNode d = ts_node_named_child(n, 0);
    if (ts_node_is_null(d) || too_deep(depth, sp)) return invalid(sp);
    Frame f(*this, d);
    if (kinds_.of(d) == K::kTemplateIf) {
      auto e = make(ExprKind::kTemplateIf, sp);
      std::size_t intro = f.end, els = f.end, fin = f.end;
      for (std::size_t i = f.begin; i < f.end; ++i) {
        K k = kinds_.of(scratch_[i]);
        if (k == K::kTemplateIfIntro && intro == f.end) intro = i;
        if (k == K::kTemplateElseIntro && els == f.end) els = i;
        if (k == K::kTemplateIfEnd) fin = i;
      }
      if (intro == f.end) return invalid(sp);
      auto [il, ir] = strip_flags(scratch_[intro]);
      left = il;
      TSNode cond = find_child(scratch_[intro], K::kExpression);
      e->children.push_back(arena_, ts_node_is_null(cond) ? invalid(sp) : convert_expr(cond, depth + 1));
      std::size_t then_end = els != f.end ? els : fin;
      bool then_strip_hi = then_end != f.end && strip_flags(scratch_[then_end]).first;
      std::uint32_t then_hi = then_end != f.end ? ts_node_start_byte(scratch_[then_end]) : ts_node_end_byte(d);
      ExprList then_parts;
      template_parts(intro + 1, then_end, ts_node_end_byte(scratch_[intro]), then_hi, quoted, ir, then_strip_hi,
                     then_parts, depth + 1);
      e->children.push_back(arena_,
                            make_template(arena_, then_parts, span_range(ts_node_end_byte(scratch_[intro]), then_hi)));
      if (els != f.end) {
        auto [el, er] = strip_flags(scratch_[els]);
        (void)el;
        bool else_strip_hi = fin != f.end && strip_flags(scratch_[fin]).first;
        std::uint32_t else_hi = fin != f.end ? ts_node_start_byte(scratch_[fin]) : ts_node_end_byte(d);
        ExprList else_parts;
        template_parts(els + 1, fin, ts_node_end_byte(scratch_[els]), else_hi, quoted, er, else_strip_hi, else_parts,
                       depth + 1);
        e->children.push_back(arena_,
                              make_template(arena_, else_parts, span_range(ts_node_end_byte(scratch_[els]), else_hi)));
      }
      if (fin != f.end) right = strip_flags(scratch_[fin]).second;
      return e;
    }
    // template_for
    auto e = make(ExprKind::kTemplateFor, sp);
    std::size_t start = f.end, fin = f.end;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      K k = kinds_.of(scratch_[i]);
      if (k == K::kTemplateForStart && start == f.end) start = i;
      if (k == K::kTemplateForEnd) fin = i;
    }
    if (start == f.end) return invalid(sp);
    auto [sl, sr] = strip_flags(scratch_[start]);
    left = sl;
    {
      Frame s(*this, scratch_[start]);
      std::vector<std::string_view> ids;
      Expr* coll = nullptr;
      for (std::size_t j = s.begin; j < s.end; ++j) {
        K k = kinds_.of(scratch_[j]);
        if (k == K::kIdentifier) ids.push_back(text_of(scratch_[j]));
        if (k == K::kExpression && !coll) coll = convert_expr(scratch_[j], depth + 1);
      }
      if (ids.size() >= 2) {
        e->key_var = keep(ids[0]);
        e->name = keep(ids[1]);
      } else if (!ids.empty()) {
        e->name = keep(ids[0]);
      }
      e->children.push_back(arena_, coll ? coll : invalid(sp));
    }
    bool body_strip_hi = fin != f.end && strip_flags(scratch_[fin]).first;
    std::uint32_t body_hi = fin != f.end ? ts_node_start_byte(scratch_[fin]) : ts_node_end_byte(d);
    ExprList body;
    template_parts(start + 1, fin, ts_node_end_byte(scratch_[start]), body_hi, quoted, sr, body_strip_hi, body,
                   depth + 1);
    e->children.push_back(arena_, make_template(arena_, body, span_range(ts_node_end_byte(scratch_[start]), body_hi)));
    if (fin != f.end) right = strip_flags(scratch_[fin]).second;
    return e;
  }

  Expr* convert_quoted(TSNode n, int depth) {
    Span sp = span_of(n);
    Frame f(*this, n);
    std::uint32_t lo = ts_node_start_byte(n), hi = ts_node_end_byte(n);
    for (std::size_t i = f.begin; i < f.end; ++i) {
      K k = kinds_.of(scratch_[i]);
      if (k == K::kQuotedTemplateStart && i == f.begin) lo = ts_node_end_byte(scratch_[i]);
      if (k == K::kQuotedTemplateEnd) hi = ts_node_start_byte(scratch_[i]);
    }
    ExprList parts;
    template_parts(f.begin, f.end, lo, std::max(lo, hi), true, false, false, parts, depth);
    return make_template(arena_, parts, sp);
  }

  Expr* convert_heredoc(TSNode n, int depth) {
    Span sp = span_of(n);
    Frame f(*this, n);
    bool flush = false;
    std::size_t open = f.end, close = f.end;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      K k = kinds_.of(scratch_[i]);
      if (k == K::kHeredocStart) flush = text_of(scratch_[i]) == "<<-";
      if (k == K::kHeredocIdentifier) (open == f.end ? open : close) = i;
    }
    if (open == f.end) return invalid(sp);
    // Content: from the line after the opening marker to the start of the closing marker's
    // line (so it keeps the final newline, as Terraform does).
    std::uint32_t lo = ts_node_end_byte(scratch_[open]);
    while (lo < text_.size() && text_[lo] != '\n') ++lo;
    if (lo < text_.size()) ++lo;
    std::uint32_t hi = close != f.end ? ts_node_start_byte(scratch_[close]) : ts_node_end_byte(n);
    while (hi > lo && text_[hi - 1] != '\n') --hi;
    ExprList parts;
    std::size_t body_end = close != f.end ? close : f.end;
    template_parts(open + 1, body_end, lo, std::max(lo, hi), false, false, false, parts, depth);
    if (flush) strip_heredoc_indent(arena_, parts);
    return make_template(arena_, parts, sp);
  }

  FileId file_;
  std::string_view text_;
  AstArena& arena_;  ///< the tree's: every node and string
  const ParseLimits& limits_;
  std::vector<Error>& errors_;
  const KindTable& kinds_;
  TSTreeCursor cursor_;
  std::vector<TSNode> scratch_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> comment_ranges_;
  bool depth_reported_ = false;
};

/// Reports every ERROR and MISSING node (up to the limit), walking only subtrees that
/// contain errors; iterative, so deep trees cannot overflow the stack.
void report_syntax_errors(FileId file, std::string_view text, TSNode root, const ParseLimits& limits,
                          std::vector<Error>& errors) {
  if (!ts_node_has_error(root)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::size_t reported = 0;
  bool truncated = false;
  bool descend = true;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    descend = false;
    if (ts_node_is_error(n) || ts_node_is_missing(n)) {
      if (reported == limits.max_errors) {
        truncated = true;
        break;
      }
      std::uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
      std::string message;
      if (ts_node_is_missing(n)) {
        message = std::string("syntax error: missing `") + ts_node_type(n) + "`";
      } else {
        std::string_view s = b < e && e <= text.size() ? text.substr(b, e - b) : "";
        // Point at the first unexpected token rather than the whole ERROR subtree.
        TSNode first = n;
        while (ts_node_child_count(first) > 0) first = ts_node_child(first, 0);
        std::uint32_t fb = ts_node_start_byte(first), fe = ts_node_end_byte(first);
        if (fb < fe && fe <= text.size()) s = text.substr(fb, fe - fb);
        message = s.empty() ? "syntax error: unexpected end of input" : "syntax error: unexpected `" + excerpt(s) + "`";
      }
      errors.push_back(Error{Span{file, b, std::max(b, e)}, {}, std::move(message)});
      ++reported;
    } else if (ts_node_has_error(n)) {
      descend = true;
    }
    if (descend && ts_tree_cursor_goto_first_child(&cursor)) continue;
    bool moved = false;
    while (!moved) {
      if (ts_tree_cursor_goto_next_sibling(&cursor)) {
        moved = true;
      } else if (!ts_tree_cursor_goto_parent(&cursor)) {
        break;
      }
    }
    if (!moved) break;
  }
  ts_tree_cursor_delete(&cursor);
  if (truncated) {
    errors.push_back(
        Error{Span::whole_file(file),
              {},
              "too many syntax errors; only the first " + std::to_string(limits.max_errors) + " are shown"});
  }
}

/// Points every node of `e` at `where` (text parsed outside its source file).
void relocate(Expr& e, Span where) {
  std::vector<Expr*> stack{&e};
  while (!stack.empty()) {
    Expr* x = stack.back();
    stack.pop_back();
    x->span = where;
    for (Expr* c : x->children) {
      if (c != nullptr) stack.push_back(c);
    }
  }
}

struct TreeHolder {
  TSTree* tree = nullptr;
  ~TreeHolder() {
    if (tree != nullptr) ts_tree_delete(tree);
  }
};

/// Parses `src`, a small HCL body wrapped around a snippet, with this thread's parser. On
/// success fills `root` and the snippet's syntax errors (`local`); false when tree-sitter
/// could not parse at all.
bool parse_snippet(const std::string& src, TreeHolder& tree, TSNode& root, ParseLimits& limits,
                   std::vector<Error>& local) {
  TSParser* parser = thread_parser();
  if (parser == nullptr || src.size() > UINT32_MAX) return false;
  tree.tree = ts_parser_parse_string(parser, nullptr, src.data(), static_cast<std::uint32_t>(src.size()));
  if (tree.tree == nullptr) {
    ts_parser_reset(parser);
    return false;
  }
  root = ts_tree_root_node(tree.tree);
  report_syntax_errors(kNoFile, src, root, limits, local);
  return true;
}

}  // namespace

namespace {

bool ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         static_cast<unsigned char>(c) >= 0x80;
}

/// HCL numbers may have an exponent without a fraction (`1e3`, `2E-4`: HCL native syntax
/// specification, NumericLit), which the tree-sitter grammar does not accept. Writes into
/// `out` a copy of `text` in which each such exponent, where an expression is expected (not in
/// strings, heredoc text or comments), is replaced by spaces of the same length, and returns
/// true when there was one. The converter reads the exponent back from the original text, so
/// offsets and spans are unchanged.
bool blank_bare_exponents(std::string_view text, std::string& out) {
  enum class Mode { kExpr, kString, kHeredoc };
  struct Frame {
    Mode mode;
    int braces = 0;      ///< kExpr: open `{` inside this interpolation/body
    std::string marker;  ///< kHeredoc: the closing marker
  };
  std::vector<Frame> stack{{Mode::kExpr, 0, {}}};
  bool changed = false;
  bool line_start = true;
  std::size_t n = text.size();
  std::size_t i = 0;
  // In template text (strings and heredocs): `$${` and `%%{` are escapes, `${` and `%{` open an
  // interpolation or directive. False when the text at `i` is neither.
  auto template_sequence = [&](char c) {
    if ((c != '$' && c != '%') || i + 1 >= n) return false;
    if (text[i + 1] == c) {
      i += 2;
    } else if (text[i + 1] == '{') {
      stack.push_back({Mode::kExpr, 0, {}});
      i += 2;
    } else {
      return false;
    }
    return true;
  };
  while (i < n) {
    Frame& f = stack.back();
    char c = text[i];
    if (f.mode == Mode::kHeredoc) {
      if (line_start) {
        std::size_t e = text.find('\n', i);
        if (e == std::string_view::npos) e = n;
        std::string_view line = text.substr(i, e - i);
        while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
        while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r'))
          line.remove_suffix(1);
        if (line == f.marker) {
          stack.pop_back();
          i = e;
          continue;
        }
      }
      line_start = c == '\n';
      if (!template_sequence(c)) ++i;
      continue;
    }
    if (f.mode == Mode::kString) {
      if (c == '\\') {
        i += 2;
      } else if (c == '"' || c == '\n') {
        stack.pop_back();
        ++i;
      } else if (!template_sequence(c)) {
        ++i;
      }
      continue;
    }
    // Expression mode.
    line_start = false;
    if (c == '#' || (c == '/' && i + 1 < n && text[i + 1] == '/')) {
      while (i < n && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && text[i + 1] == '*') {
      std::size_t e = text.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '"') {
      stack.push_back({Mode::kString, 0, {}});
      ++i;
    } else if (c == '<' && i + 1 < n && text[i + 1] == '<') {
      std::size_t j = i + 2;
      if (j < n && text[j] == '-') ++j;
      std::size_t m = j;
      while (m < n && ident_char(text[m])) ++m;
      std::size_t eol = text.find('\n', m);
      if (m > j && eol != std::string_view::npos) {
        stack.push_back({Mode::kHeredoc, 0, std::string(text.substr(j, m - j))});
        i = eol + 1;
        line_start = true;
      } else {
        i += 2;
      }
    } else if (c == '{') {
      ++f.braces;
      ++i;
    } else if (c == '}') {
      if (f.braces == 0 && stack.size() > 1) {
        stack.pop_back();
      } else if (f.braces > 0) {
        --f.braces;
      }
      ++i;
    } else if (c >= '0' && c <= '9' && (i == 0 || (!ident_char(text[i - 1]) && text[i - 1] != '.'))) {
      std::size_t j = i;
      while (j < n && text[j] >= '0' && text[j] <= '9') ++j;
      bool fraction = j + 1 < n && text[j] == '.' && text[j + 1] >= '0' && text[j + 1] <= '9';
      if (!fraction && j < n && (text[j] == 'e' || text[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < n && (text[k] == '+' || text[k] == '-')) ++k;
        std::size_t digits = k;
        while (k < n && text[k] >= '0' && text[k] <= '9') ++k;
        if (k > digits && (k == n || !ident_char(text[k]))) {
          if (!changed) out.assign(text);
          changed = true;
          for (std::size_t x = j; x < k; ++x) out[x] = ' ';
        }
        j = k;
      }
      i = std::max(j, i + 1);
    } else {
      ++i;
    }
    if (c == '\n') line_start = true;
  }
  return changed;
}

}  // namespace

ParseResult parse_hcl_tree_sitter(FileId file, std::string_view text, const ParseLimits& limits) {
  ParseResult result;
  result.file = std::make_unique<File>();
  result.file->id = file;
  if (text.size() > limits.max_bytes || text.size() > UINT32_MAX) {
    result.errors.push_back(Error{Span::whole_file(file), {}, "file too large to parse"});
    return result;
  }
  TSParser* parser = thread_parser();
  if (parser == nullptr) {
    result.errors.push_back(Error{Span::whole_file(file), {}, "cannot create the HCL parser"});
    return result;
  }
  std::string patched;
  std::string_view parsed = blank_bare_exponents(text, patched) ? std::string_view(patched) : text;
  TreeHolder tree;
  tree.tree = ts_parser_parse_string(parser, nullptr, parsed.data(), static_cast<std::uint32_t>(parsed.size()));
  if (tree.tree == nullptr) {
    ts_parser_reset(parser);
    result.errors.push_back(Error{Span::whole_file(file), {}, "the HCL parser gave up"});
    return result;
  }
  TSNode root = ts_tree_root_node(tree.tree);
  report_syntax_errors(file, text, root, limits, result.errors);
  Converter conv(file, text, *result.file->arena, limits, result.errors, root);
  conv.convert_file(root, *result.file);
  result.comments = conv.take_comments();
  return result;
}

Expr* parse_template_string(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors) {
  auto fallback = [&] {
    Expr* e = arena.node(ExprKind::kString, where);
    e->text = arena.text(decode_literal(text, false));
    return e;
  };
  if (text.find("${") == std::string_view::npos && text.find("%{") == std::string_view::npos) {
    return fallback();
  }
  // Wrap the text as a heredoc, whose content is taken verbatim (no backslash escapes); the
  // marker is chosen so that no line of `text` can end it.
  std::string marker = "TWEOT";
  while (text.find(marker) != std::string_view::npos) marker += "X";
  std::string src = "x = <<" + marker + "\n";
  src.append(text);
  src += "\n" + marker + "\n";
  TreeHolder tree;
  TSNode root{};
  std::vector<Error> local;
  ParseLimits limits;
  if (!parse_snippet(src, tree, root, limits, local)) return fallback();
  if (!local.empty()) {
    errors.push_back(Error{
        where, {}, "syntax error in template: " + local.front().message.substr(local.front().message.find(':') + 2)});
  }
  Converter conv(kNoFile, src, arena, limits, local, root);
  Expr* e = conv.first_attribute_expr(root);
  if (e == nullptr) return fallback();
  // Drop the newline the heredoc wrapping added after the text.
  Expr* last = e;
  if (e->kind == ExprKind::kTemplate && !e->children.empty()) last = e->children.back();
  if (last->kind == ExprKind::kString && !last->text.empty() && last->text.back() == '\n') {
    last->text.remove_suffix(1);
    if (last != e && last->text.empty()) e->children.pop_back();
  }
  relocate(*e, where);
  return e;
}

Expr* parse_expression_string(AstArena& arena, std::string_view text, Span where, std::vector<Error>& errors) {
  auto invalid = [&] { return arena.node(ExprKind::kInvalid, where); };
  std::string src = "x = ";
  src.append(text);
  src += "\n";
  TreeHolder tree;
  TSNode root{};
  std::vector<Error> local;
  ParseLimits limits;
  if (!parse_snippet(src, tree, root, limits, local)) return invalid();
  if (!local.empty()) {
    errors.push_back(Error{where, {}, "syntax error in expression `" + excerpt(text) + "`"});
    return invalid();
  }
  Converter conv(kNoFile, src, arena, limits, local, root);
  Expr* e = conv.first_attribute_expr(root);
  if (e == nullptr) return invalid();
  relocate(*e, where);
  return e;
}

void release_thread_parser() { holder.release(); }

}  // namespace tagwarden::hcl
