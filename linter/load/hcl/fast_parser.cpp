// The fast path of parse_hcl: a recursive-descent reading of the tree-sitter HCL grammar
// (grammars/, tree-sitter-hcl's grammar.js and external scanner), not of HashiCorp's
// specification. Where the two differ the grammar is followed, because the result must be
// the tree-sitter converter's (hcl_parser.cpp) node for node: newlines are whitespace, so an
// expression may continue on the next line and `a = 1 b = 2` is two attributes; identifiers
// may contain `-` and `::`; a comma between object elements is optional. Every span is the
// extent tree-sitter gives the node: first to last token, comments and whitespace around it
// left out. Whatever the grammar would reject, or this parser does not model exactly, makes
// it give up (GiveUp) and the caller parses the file with tree-sitter instead.
#include "linter/load/hcl/fast_parser.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/template_literal.hpp"
#include "linter/model/text.hpp"

namespace tagwarden::hcl {
namespace {

/// Thrown inside the parser when the file is left to tree-sitter; caught at the entry point.
struct GiveUp {};

/// Nesting levels (blocks, expressions, operators of one chain) read before giving up. The
/// converter counts two to four of its levels for each of these and reports an error past
/// ParseLimits::max_depth (200): a file this parser accepts never gets near that.
constexpr int kMaxNesting = 40;
constexpr int kConverterLevelsPerLevel = 4;

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_continue(char c) { return is_ident_start(c) || is_digit(c) || c == '-'; }
bool is_ascii(char c) { return static_cast<unsigned char>(c) < 0x80; }
/// iswspace in the C locale, without the line break.
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
bool is_space(char c) { return is_blank(c) || c == '\n'; }
/// Words the grammar has as tokens: where one could be read as a keyword or an identifier, the
/// parser gives up rather than guess which tree-sitter's lexer picks.
bool is_keyword(std::string_view s) {
  return s == "true" || s == "false" || s == "null" || s == "for" || s == "in" || s == "if" || s == "else" ||
         s == "endif" || s == "endfor";
}

class FastParser {
 public:
  FastParser(FileId file, std::string_view text, AstArena& arena) : file_(file), t_(text), arena_(&arena) {}

  void parse_file(File& out) {
    skip_trivia();
    if (peek() == '{') give_up();  // a .tfvars file written as one object: tree-sitter's config_file object
    parse_body(out.body, 0, true);
  }

  std::vector<Comment> take_comments() { return std::move(comments_); }

 private:
  [[noreturn]] static void give_up() { throw GiveUp{}; }

  char peek(std::size_t ahead = 0) const { return pos_ + ahead < t_.size() ? t_[pos_ + ahead] : '\0'; }
  bool at_end() const { return pos_ >= t_.size(); }
  Span span(std::size_t b, std::size_t e) const {
    return Span{file_, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
  }
  Expr* make(ExprKind kind, std::size_t b, std::size_t e) const { return arena_->node(kind, span(b, e)); }
  /// A copy of `s` in the tree's arena.
  std::string_view keep(std::string_view s) const { return arena_->text(s); }

  /// Ends the token that ends at pos_: remembers where (a node's span ends at its last token)
  /// and moves to the next token.
  void end_token() {
    prev_end_ = pos_;
    skip_trivia();
  }
  void take(std::size_t len) {
    pos_ += len;
    end_token();
  }
  void expect(char c) {
    if (peek() != c) give_up();
    take(1);
  }
  /// The keyword `word` starts at pos_ as a token of its own.
  bool at_keyword(std::string_view word) const {
    if (t_.compare(pos_, word.size(), word) != 0) return false;
    char next = peek(word.size());
    return !is_ident_continue(next) && next != ':' && is_ascii(next);
  }

  /// Whitespace and comments. Comments go to the side table, as the converter collects them,
  /// except inside an object element's `key =`, which the converter never looks into.
  void skip_trivia() {
    while (pos_ < t_.size()) {
      char c = t_[pos_];
      if (is_space(c)) {
        ++pos_;
      } else if (c == '#' || (c == '/' && peek(1) == '/')) {
        std::size_t eol = t_.find('\n', pos_);
        if (eol == std::string_view::npos) eol = t_.size();
        std::size_t end = eol;
        while (end > pos_ && t_[end - 1] == '\r') --end;
        // A carriage return inside the line: where the grammar's `.*` stops is not modelled.
        if (t_.substr(pos_, end - pos_).find('\r') != std::string_view::npos) give_up();
        comment(pos_, end);
        pos_ = eol;
      } else if (c == '/' && peek(1) == '*') {
        std::size_t close = t_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) give_up();
        comment(pos_, close + 2);
        pos_ = close + 2;
      } else {
        return;
      }
    }
  }
  void comment(std::size_t b, std::size_t e) {
    if (in_element_key_ > 0) give_up();
    std::string_view text = t_.substr(b, e - b);
    if (text.find('\0') != std::string_view::npos || utf8_invalid_offset(text) != std::string_view::npos) give_up();
    comments_.push_back(Comment{span(b, e), std::string(text)});
  }

  /// An identifier at pos_ (tree-sitter's token: a letter or `_`, then letters, digits, `_`,
  /// `-` and `::`), consumed without the trivia after it. Only ASCII identifiers are read.
  std::string_view identifier() {
    std::size_t b = pos_;
    if (!is_ident_start(peek())) give_up();
    ++pos_;
    for (;;) {
      char c = peek();
      if (is_ident_continue(c)) {
        ++pos_;
      } else if (c == ':' && peek(1) == ':') {
        pos_ += 2;
      } else if (!is_ascii(c)) {
        give_up();
      } else {
        break;
      }
    }
    return t_.substr(b, pos_ - b);
  }
  std::string_view plain_identifier() {
    std::string_view id = identifier();
    if (is_keyword(id)) give_up();
    return id;
  }
  /// An identifier where the grammar expects a name (an attribute or block name, an attribute
  /// after a dot): tree-sitter reads `null`, `true` and `false` as names there (`local.null`,
  /// the null provider in `required_providers`; checked on the corpus by tools/hcl_tree_diff).
  /// The other keywords are left to it.
  std::string_view name_identifier() {
    std::string_view id = identifier();
    if (is_keyword(id) && id != "null" && id != "true" && id != "false") give_up();
    return id;
  }

  // ---- bodies

  void parse_body(Body& out, int depth, bool top) {
    if (depth > kMaxNesting) give_up();
    for (;;) {
      if (at_end()) {
        if (top) return;
        give_up();
      }
      if (peek() == '}') {
        if (top) give_up();
        return;
      }
      std::size_t b = pos_;
      std::string_view name = name_identifier();
      std::size_t name_end = pos_;
      end_token();
      if (peek() == '=' && peek(1) != '=' && peek(1) != '>') {
        take(1);
        Attribute a;
        a.name = std::string(name);
        a.name_span = span(b, name_end);
        a.expr = parse_expression(depth + 1);
        a.span = span(b, prev_end_);
        out.attributes.push_back(std::move(a));
        continue;
      }
      Block block;
      block.type = std::string(name);
      block.type_span = span(b, name_end);
      while (peek() != '{') {
        std::size_t lb = pos_;
        if (peek() == '"') {
          block.labels.push_back(decode_literal(string_label(), true));
        } else {
          block.labels.emplace_back(plain_identifier());
        }
        block.label_spans.push_back(span(lb, pos_));
        end_token();
      }
      take(1);
      parse_body(block.body, depth + 1, false);
      take(1);  // `}`
      block.span = span(b, prev_end_);
      out.blocks.push_back(std::move(block));
    }
  }

  /// A block label in quotes (the grammar's string_lit: literal text only), consumed up to and
  /// including the closing quote; returns the text between the quotes as written.
  std::string_view string_label() {
    std::size_t open = pos_++;
    while (peek() != '"') {
      if (at_end() || ((peek() == '$' || peek() == '%') && peek(1) == '{')) give_up();
      quoted_text_step();
    }
    ++pos_;
    return t_.substr(open + 1, pos_ - open - 2);
  }

  // ---- expressions

  /// The grammar's `expression`: a conditional or an operand.
  Expr* parse_expression(int depth) {
    if (depth > kMaxNesting) give_up();
    std::size_t b = pos_;
    Expr* e = parse_binary(0, depth);
    if (peek() != '?') return e;
    take(1);
    Expr* then = parse_expression(depth + 1);
    if (peek() != ':' || peek(1) == ':') give_up();
    take(1);
    Expr* otherwise = parse_expression(depth + 1);
    // The grammar's conditional is left-associative: `a ? b : c ? d : e` is `(a ? b : c) ? d : e`
    // there. Left to tree-sitter rather than rebuilt.
    if (otherwise->kind == ExprKind::kConditional) give_up();
    auto c = make(ExprKind::kConditional, b, prev_end_);
    c->children.push_back(*arena_, e);
    c->children.push_back(*arena_, then);
    c->children.push_back(*arena_, otherwise);
    return c;
  }

  /// The binary operator at pos_: its precedence (the grammar's PREC table) and length; 0
  /// when there is none.
  int binary_operator(std::size_t& len) const {
    char c = peek(), d = peek(1);
    len = 1;
    switch (c) {
      case '*':
      case '/':
        return 6;
      case '%':
        if (d == '{') give_up();
        return 6;
      case '+':
      case '-':
        return 5;
      case '>':
        if (d == '=') len = 2;
        return 4;
      case '<':
        if (d == '<') give_up();
        if (d == '=') len = 2;
        return 4;
      case '=':
        if (d != '=') return 0;
        len = 2;
        return 3;
      case '!':
        if (d != '=') return 0;
        len = 2;
        return 3;
      case '&':
        if (d != '&') give_up();
        len = 2;
        return 2;
      case '|':
        if (d != '|') give_up();
        len = 2;
        return 1;
      default:
        return 0;
    }
  }

  /// Operators by precedence climbing: left-associative within a level, as the grammar's
  /// prec.left rules read them.
  Expr* parse_binary(int min_precedence, int depth) {
    std::size_t b = pos_;
    Expr* lhs = parse_unary(depth);
    int level = depth;
    for (;;) {
      std::size_t len = 0;
      int precedence = binary_operator(len);
      if (precedence == 0 || precedence < min_precedence) return lhs;
      if (++level > kMaxNesting) give_up();  // each operator of a chain nests the ones before it
      std::string_view op = t_.substr(pos_, len);
      take(len);
      Expr* rhs = parse_binary(precedence + 1, level);
      auto e = make(ExprKind::kBinary, b, prev_end_);
      e->name = keep(op);
      e->children.push_back(*arena_, lhs);
      e->children.push_back(*arena_, rhs);
      lhs = e;
    }
  }

  Expr* parse_unary(int depth) {
    char c = peek();
    if (c != '-' && c != '!') return parse_term(depth);
    if (c == '!' && peek(1) == '=') give_up();
    std::size_t b = pos_;
    take(1);
    Expr* operand = parse_unary(depth + 1);
    auto e = make(ExprKind::kUnary, b, prev_end_);
    e->name = c == '-' ? "-" : "!";
    e->children.push_back(*arena_, operand);
    return e;
  }

  /// The grammar's `_expr_term`: a primary followed by attribute, index and splat traversals.
  Expr* parse_term(int depth) {
    if (depth > kMaxNesting) give_up();
    std::size_t start = pos_;
    Expr* cur = nullptr;
    char c = peek();
    if (c == '(') {
      take(1);
      Expr* inner = parse_expression(depth + 1);
      expect(')');
      cur = make(ExprKind::kParens, start, prev_end_);
      cur->children.push_back(*arena_, inner);
    } else if (c == '"') {
      cur = parse_quoted(depth);
    } else if (c == '<' && peek(1) == '<') {
      cur = parse_heredoc(depth);
    } else if (c == '[') {
      cur = parse_bracket(depth);
    } else if (c == '{') {
      cur = parse_brace(depth);
    } else if (is_digit(c)) {
      cur = parse_number();
    } else {
      std::string_view id = identifier();
      std::size_t end = pos_;
      end_token();
      if (id == "true" || id == "false") {
        cur = make(ExprKind::kBool, start, end);
        cur->text = keep(id);
      } else if (id == "null") {
        cur = make(ExprKind::kNull, start, end);
      } else if (is_keyword(id)) {
        give_up();
      } else if (peek() == '(') {
        cur = parse_call(id, start, depth);
      } else {
        cur = make(ExprKind::kVariable, start, end);
        cur->name = keep(id);
      }
    }
    for (;;) {
      c = peek();
      if (c == '.' && peek(1) == '*') {
        cur = parse_splat(cur, start, 2, depth);
      } else if (c == '[' && peek(1) == '*' && peek(2) == ']') {
        cur = parse_splat(cur, start, 3, depth);
      } else if (c == '.' && peek(1) == '.') {
        return cur;  // `...` after a function's last argument or a for-object's value
      } else if (c == '.' || c == '[') {
        cur = parse_traversal(cur, start, depth);
      } else {
        return cur;
      }
    }
  }

  /// One `.name`, `.0` (legacy index) or `[key]` applied to `cur`, whose term starts at `start`.
  Expr* parse_traversal(Expr* cur, std::size_t start, int depth) {
    if (peek() == '[') {
      take(1);
      Expr* key = parse_expression(depth + 1);
      expect(']');
      auto e = make(ExprKind::kIndex, start, prev_end_);
      e->children.push_back(*arena_, cur);
      e->children.push_back(*arena_, key);
      return e;
    }
    std::size_t dot = pos_++;
    if (is_digit(peek())) {
      std::size_t digits = pos_;
      while (is_digit(peek())) ++pos_;
      if (is_ident_continue(peek()) || !is_ascii(peek())) give_up();
      auto key = make(ExprKind::kNumber, dot, pos_);
      key->text = keep(t_.substr(digits, pos_ - digits));
      auto e = make(ExprKind::kIndex, start, pos_);
      e->children.push_back(*arena_, cur);
      e->children.push_back(*arena_, key);
      end_token();
      return e;
    }
    // No whitespace after the dot: not modelled.
    std::string_view name = name_identifier();
    auto e = make(ExprKind::kGetAttr, start, pos_);
    e->name = keep(name);
    e->children.push_back(*arena_, cur);
    end_token();
    return e;
  }

  /// `.*` or `[*]` (`len` bytes) and the attribute and index traversals after it, which the
  /// grammar's splat takes in: they apply to each element (the variable "*").
  Expr* parse_splat(Expr* source, std::size_t start, std::size_t len, int depth) {
    std::size_t splat_start = pos_;
    take(len);
    auto each = make(ExprKind::kVariable, splat_start, splat_start);
    each->name = "*";
    Expr* star = each;
    for (;;) {
      char c = peek();
      bool traversal =
          (c == '.' && peek(1) != '*' && peek(1) != '.') || (c == '[' && !(peek(1) == '*' && peek(2) == ']'));
      if (!traversal) break;
      each = parse_traversal(each, splat_start, depth);
    }
    // The variable's span is the whole splat node's, as the converter gives it.
    star->span.end = static_cast<std::uint32_t>(prev_end_);
    auto e = make(ExprKind::kSplat, start, prev_end_);
    e->children.push_back(*arena_, source);
    e->children.push_back(*arena_, each);
    return e;
  }

  Expr* parse_number() {
    std::size_t b = pos_;
    while (is_digit(peek())) ++pos_;
    if (peek() == '.') {
      if (!is_digit(peek(1))) give_up();
      ++pos_;
      while (is_digit(peek())) ++pos_;
      if (peek() == 'e' || peek() == 'E') {
        std::size_t k = pos_ + 1;
        if (k < t_.size() && (t_[k] == '+' || t_[k] == '-')) ++k;
        if (k >= t_.size() || !is_digit(t_[k])) give_up();
        pos_ = k;
        while (is_digit(peek())) ++pos_;
      }
    }
    // A bare exponent (`1e3`), hexadecimal (`0x1F`) or a number running into a name or a dot:
    // forms tree-sitter reads with help (blank_bare_exponents) or rejects.
    char next = peek();
    if ((is_ident_continue(next) && next != '-') || next == '.' || !is_ascii(next)) give_up();
    auto e = make(ExprKind::kNumber, b, pos_);
    e->text = keep(t_.substr(b, pos_ - b));
    end_token();
    return e;
  }

  /// Takes `...` when it comes next.
  bool take_ellipsis() {
    if (peek() != '.' || peek(1) != '.' || peek(2) != '.') return false;
    take(3);
    return true;
  }

  /// Comma-separated expressions into `items` up to `close` (not taken), a comma after the last
  /// one allowed; with `expand`, `...` may follow the last one (a call's final argument) and
  /// sets it.
  void comma_list(char close, ExprList& items, int depth, bool* expand) {
    if (peek() == close) return;
    for (;;) {
      items.push_back(*arena_, parse_expression(depth + 1));
      if (expand != nullptr && take_ellipsis()) {
        *expand = true;
        return;
      }
      if (peek() != ',') return;
      take(1);
      if (peek() == close) return;
    }
  }

  Expr* parse_call(std::string_view name, std::size_t start, int depth) {
    take(1);  // `(`
    auto e = make(ExprKind::kCall, start, start);
    e->name = keep(name);
    comma_list(')', e->children, depth, &e->expand_final);
    expect(')');
    e->span.end = static_cast<std::uint32_t>(prev_end_);
    return e;
  }

  /// `[...]`: a tuple or a for expression.
  Expr* parse_bracket(int depth) {
    std::size_t b = pos_;
    take(1);
    if (at_keyword("for")) return parse_for(b, false, depth);
    auto e = make(ExprKind::kTuple, b, b);
    comma_list(']', e->children, depth, nullptr);
    expect(']');
    e->span.end = static_cast<std::uint32_t>(prev_end_);
    return e;
  }

  /// `{...}`: an object or a for expression.
  Expr* parse_brace(int depth) {
    std::size_t b = pos_;
    take(1);
    if (at_keyword("for")) return parse_for(b, true, depth);
    auto e = make(ExprKind::kObject, b, b);
    while (peek() != '}') {
      if (at_end()) give_up();
      ++in_element_key_;
      Expr* key = parse_expression(depth + 1);
      if ((peek() == '=' && peek(1) != '=' && peek(1) != '>') || (peek() == ':' && peek(1) != ':')) {
        take(1);  // the trivia after `=` is still the element's own
      } else {
        give_up();
      }
      --in_element_key_;
      Expr* value = parse_expression(depth + 1);
      e->children.push_back(*arena_, object_key(key));
      e->children.push_back(*arena_, value);
      if (peek() == ',') take(1);
    }
    take(1);
    e->span.end = static_cast<std::uint32_t>(prev_end_);
    return e;
  }

  /// `[for k, v in coll : value if cond]` or `{for k, v in coll : key => value... if cond}`,
  /// from the keyword on; `b` is where the bracket opened.
  Expr* parse_for(std::size_t b, bool object, int depth) {
    take(3);
    auto e = make(object ? ExprKind::kForObject : ExprKind::kForTuple, b, b);
    std::string_view first = plain_identifier();
    end_token();
    if (peek() == ',') {
      take(1);
      e->key_var = keep(first);
      e->name = keep(plain_identifier());
      end_token();
    } else {
      e->name = keep(first);
    }
    if (!at_keyword("in")) give_up();
    take(2);
    e->children.push_back(*arena_, parse_expression(depth + 1));
    if (peek() != ':' || peek(1) == ':') give_up();
    take(1);
    e->children.push_back(*arena_, parse_expression(depth + 1));
    if (object) {
      if (peek() != '=' || peek(1) != '>') give_up();
      take(2);
      e->children.push_back(*arena_, parse_expression(depth + 1));
      e->grouping = take_ellipsis();
    }
    Expr* cond = nullptr;
    if (at_keyword("if")) {
      take(2);
      cond = parse_expression(depth + 1);
    }
    e->children.push_back(*arena_, cond);
    expect(object ? '}' : ']');
    e->span.end = static_cast<std::uint32_t>(prev_end_);
    return e;
  }

  // ---- templates

  /// One character of literal template text at pos_ (not a line break): a byte, or a whole
  /// UTF-8 sequence. NUL and invalid UTF-8 are left to tree-sitter.
  void literal_step() {
    char c = t_[pos_];
    if (is_ascii(c)) {
      if (c == '\0') give_up();
      ++pos_;
      return;
    }
    char32_t cp = 0;
    bool valid = true;
    std::size_t n = utf8_next(t_, pos_, &cp, &valid);
    if (!valid) give_up();
    pos_ += n;
  }

  /// `$` or `%` in template text, not starting an interpolation or directive: the grammar's
  /// scanner takes `$${` / `%%{` (an escape) or `$$` / `%%` as one chunk, else the one character.
  void marker_step() {
    char c = t_[pos_];
    if (peek(1) == c) {
      pos_ += peek(2) == '{' ? 3u : 2u;
    } else {
      ++pos_;
    }
  }

  /// One step of quoted template text at pos_ (not the closing quote, an interpolation or a
  /// directive): the escapes the grammar's scanner accepts; a line break is left to tree-sitter.
  void quoted_text_step() {
    char c = t_[pos_];
    if (c == '\n') give_up();
    if (c == '$' || c == '%') {
      marker_step();
      return;
    }
    if (c != '\\') {
      literal_step();
      return;
    }
    char e = peek(1);
    std::size_t digits = e == 'u' ? 4 : e == 'U' ? 8 : 0;
    if (digits == 0) {
      if (e != '"' && e != 'n' && e != 'r' && e != 't' && e != '\\') give_up();
      pos_ += 2;
      return;
    }
    for (std::size_t k = 0; k < digits; ++k) {
      char h = peek(2 + k);
      if (!is_digit(h) && !((h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) give_up();
    }
    pos_ += 2 + digits;
  }

  /// Literal text [b, e) of a template as a part, as the converter's push_literal makes it.
  void push_literal(ExprList& parts, std::size_t b, std::size_t e, bool quoted) const {
    if (b >= e) return;
    if (Expr* lit = literal_part(*arena_, t_.substr(b, e - b), span(b, e), quoted)) parts.push_back(*arena_, lit);
  }

  /// `${ expr }` at pos_, consumed through the closing brace (template text follows it).
  Expr* parse_interpolation(int depth) {
    pos_ += 2;
    skip_trivia();
    if (peek() == '~' || peek() == '}') give_up();  // strip markers, an empty interpolation
    ++in_template_;
    Expr* e = parse_expression(depth + 1);
    --in_template_;
    if (peek() != '}') give_up();
    ++pos_;
    return e;
  }

  Expr* parse_quoted(int depth) {
    std::size_t open = pos_++;
    ExprList parts;
    std::size_t literal = pos_;
    for (;;) {
      if (at_end()) give_up();
      char c = t_[pos_];
      if (c == '"') break;
      if (c == '%' && peek(1) == '{') give_up();  // template directives are left to tree-sitter
      if (c == '$' && peek(1) == '{') {
        push_literal(parts, literal, pos_, true);
        parts.push_back(*arena_, parse_interpolation(depth));
        literal = pos_;
        continue;
      }
      quoted_text_step();
    }
    push_literal(parts, literal, pos_, true);
    ++pos_;
    Expr* e = make_template(*arena_, parts, span(open, pos_));
    end_token();
    return e;
  }

  /// `<<MARK` or `<<-MARK`, its lines and the closing marker. The closing marker is what the
  /// grammar's scanner takes for one: the first word of a line (after whitespace) that is the
  /// marker followed by nothing but whitespace up to a line break.
  Expr* parse_heredoc(int depth) {
    if (in_template_ > 0) give_up();  // the scanner's nested contexts are not modelled
    std::size_t start = pos_;
    pos_ += 2;
    bool flush = peek() == '-';
    if (flush) ++pos_;
    std::size_t id = pos_;
    while (is_ident_continue(peek())) ++pos_;
    if (pos_ == id) give_up();
    std::string_view marker = t_.substr(id, pos_ - id);
    while (is_blank(peek())) ++pos_;
    if (peek() != '\n') give_up();
    ++pos_;
    ExprList parts;
    std::size_t literal = pos_;
    std::size_t close = 0, hi = 0;
    bool line_start = true;
    for (;;) {
      if (at_end()) give_up();
      if (line_start) {
        line_start = false;
        std::size_t j = pos_;
        while (j < t_.size() && is_blank(t_[j])) ++j;
        if (j < t_.size() && !is_ascii(t_[j])) give_up();
        if (t_.compare(j, marker.size(), marker) == 0) {
          std::size_t k = j + marker.size();
          while (k < t_.size() && is_blank(t_[k])) ++k;
          if (k >= t_.size()) give_up();  // a marker without a line break after it does not close
          if (t_[k] == '\n') {
            close = j;
            hi = pos_;
            break;
          }
          // The scanner takes the character after it into the text too: that must not start
          // an interpolation or directive.
          if (t_[k] == '$' || t_[k] == '%') give_up();
        }
      }
      char c = t_[pos_];
      if (c == '\n') {
        ++pos_;
        line_start = true;
      } else if (c == '%' && peek(1) == '{') {
        give_up();
      } else if (c == '$' && peek(1) == '{') {
        push_literal(parts, literal, pos_, false);
        parts.push_back(*arena_, parse_interpolation(depth));
        literal = pos_;
      } else if (c == '$' || c == '%') {
        marker_step();
      } else {
        literal_step();
      }
    }
    push_literal(parts, literal, std::max(literal, hi), false);
    if (flush) strip_heredoc_indent(*arena_, parts);
    pos_ = close + marker.size();
    Expr* e = make_template(*arena_, parts, span(start, pos_));
    end_token();
    return e;
  }

  FileId file_;
  std::string_view t_;
  AstArena* arena_;  ///< the file's: every node and string of the tree
  std::size_t pos_ = 0;
  std::size_t prev_end_ = 0;  ///< end of the last token consumed
  int in_element_key_ = 0;    ///< inside an object element's `key =`
  int in_template_ = 0;       ///< inside an interpolation
  std::vector<Comment> comments_;
};

}  // namespace

std::optional<ParseResult> parse_hcl_fast(FileId file, std::string_view text) {
  if (text.size() > UINT32_MAX) return std::nullopt;
  ParseResult result;
  result.file = std::make_unique<File>();
  result.file->id = file;
  try {
    FastParser parser(file, text, *result.file->arena);
    parser.parse_file(*result.file);
    result.comments = parser.take_comments();
  } catch (const GiveUp&) {
    return std::nullopt;
  }
  return result;
}

ParseResult parse_hcl(FileId file, std::string_view text, const ParseLimits& limits) {
  const bool fast_within_limits =
      text.size() <= limits.max_bytes && limits.max_depth >= kMaxNesting * kConverterLevelsPerLevel;
  if (fast_within_limits) {
    if (std::optional<ParseResult> fast = parse_hcl_fast(file, text)) return std::move(*fast);
  }
  return parse_hcl_tree_sitter(file, text, limits);
}

}  // namespace tagwarden::hcl
