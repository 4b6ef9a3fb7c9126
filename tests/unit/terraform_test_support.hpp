// Test support for the Terraform front end: runs load_terraform over in-memory files. While
// the real HCL parser (branch `hcl`) is not in the tree, a small parser for the subset of HCL
// the tests use (blocks, attributes, strings with ${} interpolation, numbers, bools, null,
// objects, tuples, references, traversals, calls, conditionals) stands in for it.
#pragma once
#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/load/hcl/ast.hpp"

#if __has_include("linter/load/hcl/hcl_parser.hpp")
#define TW_TEST_REAL_HCL 1
#endif

namespace tw_test {

using namespace tagwarden;

class MiniHcl {
 public:
  MiniHcl(FileId file, std::string_view text) : file_(file), s_(text) {}

  hcl::ParseResult parse() {
    hcl::ParseResult r;
    r.file = std::make_unique<hcl::File>();
    r.file->id = file_;
    parse_body(r.file->body, true);
    if (!ok_) r.errors.push_back(Error{Span{file_, static_cast<std::uint32_t>(pos_), static_cast<std::uint32_t>(pos_)}, "", "mini parser: syntax error"});
    return r;
  }

 private:
  Span span(std::size_t b, std::size_t e) const {
    return Span{file_, static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
  }
  void skip_ws(bool newlines = true) {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
        ++pos_;
      } else if (c == '#' || (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '/')) {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      } else if (c == '/' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '*') {
        auto e = s_.find("*/", pos_ + 2);
        pos_ = e == std::string_view::npos ? s_.size() : e + 2;
      } else {
        break;
      }
    }
  }
  bool peek(char c) {
    skip_ws();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  bool eat(char c) {
    if (!peek(c)) return false;
    ++pos_;
    return true;
  }
  std::string ident() {
    skip_ws();
    std::size_t b = pos_;
    while (pos_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_' || s_[pos_] == '-'))
      ++pos_;
    return std::string(s_.substr(b, pos_ - b));
  }
  void parse_body(hcl::Body& body, bool top) {
    while (ok_) {
      skip_ws();
      if (pos_ >= s_.size()) {
        if (!top) ok_ = false;
        return;
      }
      if (s_[pos_] == '}') {
        if (top) ok_ = false;
        return;
      }
      std::size_t start = pos_;
      std::string name = ident();
      if (name.empty()) {
        ok_ = false;
        return;
      }
      Span name_span = span(start, pos_);
      if (eat('=')) {
        hcl::Attribute a;
        a.name = name;
        a.name_span = name_span;
        a.expr = expr();
        a.span = span(start, a.expr->span.end);
        body.attributes.push_back(std::move(a));
        continue;
      }
      hcl::Block b;
      b.type = name;
      b.type_span = name_span;
      while (ok_ && !peek('{')) {
        std::size_t lb = pos_;
        if (s_[pos_] == '"') {
          auto e = string_or_template();
          b.labels.push_back(e ? e->text : "");
        } else {
          b.labels.push_back(ident());
          if (b.labels.back().empty()) ok_ = false;
        }
        b.label_spans.push_back(span(lb, pos_));
      }
      eat('{');
      parse_body(b.body, false);
      if (!eat('}')) ok_ = false;
      b.span = span(start, pos_);
      body.blocks.push_back(std::move(b));
    }
  }
  hcl::ExprPtr make(hcl::ExprKind k, std::size_t b) {
    auto e = std::make_unique<hcl::Expr>();
    e->kind = k;
    e->span = span(b, pos_);
    return e;
  }
  hcl::ExprPtr string_or_template() {
    std::size_t b = pos_;
    ++pos_;  // opening quote
    std::vector<hcl::ExprPtr> parts;
    std::string lit;
    std::size_t lit_b = pos_;
    auto flush = [&] {
      if (lit.empty()) return;
      auto e = std::make_unique<hcl::Expr>();
      e->kind = hcl::ExprKind::kString;
      e->text = lit;
      e->span = span(lit_b, pos_);
      parts.push_back(std::move(e));
      lit.clear();
    };
    while (pos_ < s_.size() && s_[pos_] != '"') {
      if (s_[pos_] == '\\' && pos_ + 1 < s_.size()) {
        char c = s_[pos_ + 1];
        lit += c == 'n' ? '\n' : c == 't' ? '\t' : c;
        pos_ += 2;
      } else if (s_[pos_] == '$' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{') {
        flush();
        pos_ += 2;
        parts.push_back(expr());
        if (!eat('}')) ok_ = false;
        lit_b = pos_;
      } else {
        lit += s_[pos_++];
      }
    }
    flush();
    ++pos_;  // closing quote
    if (parts.size() == 1 && parts[0]->kind == hcl::ExprKind::kString) {
      auto e = make(hcl::ExprKind::kString, b);
      e->text = parts[0]->text;
      return e;
    }
    if (parts.empty()) {
      auto e = make(hcl::ExprKind::kString, b);
      return e;
    }
    auto e = make(hcl::ExprKind::kTemplate, b);
    e->children = std::move(parts);
    return e;
  }
  hcl::ExprPtr expr() {
    skip_ws();
    std::size_t b = pos_;
    auto cond = binary();
    if (eat('?')) {
      auto t = expr();
      if (!eat(':')) ok_ = false;
      auto f = expr();
      auto e = make(hcl::ExprKind::kConditional, b);
      e->children.push_back(std::move(cond));
      e->children.push_back(std::move(t));
      e->children.push_back(std::move(f));
      return e;
    }
    return cond;
  }
  hcl::ExprPtr binary() {
    skip_ws();
    std::size_t b = pos_;
    auto lhs = postfix();
    skip_ws();
    for (std::string_view op : {"==", "!="}) {
      if (s_.substr(pos_, 2) == op) {
        pos_ += 2;
        auto rhs = postfix();
        auto e = make(hcl::ExprKind::kBinary, b);
        e->name = std::string(op);
        e->children.push_back(std::move(lhs));
        e->children.push_back(std::move(rhs));
        return e;
      }
    }
    return lhs;
  }
  hcl::ExprPtr postfix() {
    skip_ws();
    std::size_t b = pos_;
    auto e = primary();
    while (ok_) {
      if (pos_ < s_.size() && s_[pos_] == '.' ) {
        ++pos_;
        auto g = std::make_unique<hcl::Expr>();
        g->kind = hcl::ExprKind::kGetAttr;
        g->name = ident();
        g->children.push_back(std::move(e));
        g->span = span(b, pos_);
        e = std::move(g);
      } else if (pos_ < s_.size() && s_[pos_] == '[') {
        ++pos_;
        auto k = expr();
        if (!eat(']')) ok_ = false;
        auto g = std::make_unique<hcl::Expr>();
        g->kind = hcl::ExprKind::kIndex;
        g->children.push_back(std::move(e));
        g->children.push_back(std::move(k));
        g->span = span(b, pos_);
        e = std::move(g);
      } else {
        break;
      }
    }
    return e;
  }
  hcl::ExprPtr primary() {
    skip_ws();
    std::size_t b = pos_;
    if (pos_ >= s_.size()) {
      ok_ = false;
      return make(hcl::ExprKind::kInvalid, b);
    }
    char c = s_[pos_];
    if (c == '"') return string_or_template();
    if (c == '(') {
      ++pos_;
      auto inner = expr();
      if (!eat(')')) ok_ = false;
      auto e = make(hcl::ExprKind::kParens, b);
      e->children.push_back(std::move(inner));
      return e;
    }
    if (c == '[') {
      ++pos_;
      auto e = make(hcl::ExprKind::kTuple, b);
      while (ok_ && !eat(']')) {
        e->children.push_back(expr());
        eat(',');
      }
      e->span = span(b, pos_);
      return e;
    }
    if (c == '{') {
      ++pos_;
      auto e = make(hcl::ExprKind::kObject, b);
      while (ok_ && !eat('}')) {
        skip_ws();
        std::size_t kb = pos_;
        hcl::ExprPtr key;
        if (s_[pos_] == '"') {
          key = string_or_template();
        } else if (s_[pos_] == '(') {
          ++pos_;
          key = expr();
          if (!eat(')')) ok_ = false;
        } else {
          std::string id = ident();
          if (id.empty()) {
            ok_ = false;
            break;
          }
          key = make(hcl::ExprKind::kString, kb);
          key->text = id;
        }
        if (!eat('=') && !eat(':')) ok_ = false;
        e->children.push_back(std::move(key));
        e->children.push_back(expr());
        eat(',');
      }
      e->span = span(b, pos_);
      return e;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-') {
      ++pos_;
      while (pos_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.')) ++pos_;
      auto e = make(hcl::ExprKind::kNumber, b);
      e->text = std::string(s_.substr(b, pos_ - b));
      return e;
    }
    std::string id = ident();
    if (id.empty()) {
      ok_ = false;
      return make(hcl::ExprKind::kInvalid, b);
    }
    if (id == "true" || id == "false") {
      auto e = make(hcl::ExprKind::kBool, b);
      e->text = id;
      return e;
    }
    if (id == "null") return make(hcl::ExprKind::kNull, b);
    if (pos_ < s_.size() && s_[pos_] == '(') {
      ++pos_;
      auto e = make(hcl::ExprKind::kCall, b);
      e->name = id;
      while (ok_ && !eat(')')) {
        e->children.push_back(expr());
        eat(',');
      }
      e->span = span(b, pos_);
      return e;
    }
    auto e = make(hcl::ExprKind::kVariable, b);
    e->name = id;
    return e;
  }

  FileId file_;
  std::string_view s_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

inline hcl::ParseResult test_parse(FileId file, std::string_view text, bool json) {
#ifdef TW_TEST_REAL_HCL
  return terraform::parse_terraform_file(file, text, json);
#else
  (void)json;
  return MiniHcl(file, text).parse();
#endif
}

/// One front-end run over in-memory files.
struct Run {
  MemoryReader reader;
  SourceManager sources;
  RunOptions options;
  FrontendResult result;

  Run& file(std::string path, std::string text) {
    reader.add(std::move(path), std::move(text));
    return *this;
  }
  Run& go(std::vector<std::string> dirs, std::vector<ParsedDoc> plans = {}) {
    options.jobs = 2;
    LoadContext ctx{options, sources, reader};
    TerraformInputs inputs{std::move(dirs), std::move(plans)};
    result = terraform::load_terraform_with(ctx, inputs, &test_parse);
    return *this;
  }
  const Resource* resource(std::string_view address) const {
    for (const auto& r : result.resources)
      if (r.address == address) return &r;
    return nullptr;
  }
  /// "Key=value" per entry, unknown values as "Key=?", sorted by key (the model's order).
  std::vector<std::string> tags(std::string_view address) const {
    std::vector<std::string> out;
    const Resource* r = resource(address);
    if (r == nullptr || r->variants.empty()) return {"<no resource>"};
    for (const auto& e : r->variants[0].entries) out.push_back(e.key + "=" + e.value.value_or("?"));
    return out;
  }
  const TagEntry* entry(std::string_view address, std::string_view key) const {
    const Resource* r = resource(address);
    if (r == nullptr) return nullptr;
    for (const auto& e : r->variants[0].entries)
      if (e.key == key) return &e;
    return nullptr;
  }
  std::string text(const Span& s) const { return std::string(span_text(sources, s)); }
  std::vector<std::string> addresses() const {
    std::vector<std::string> out;
    for (const auto& r : result.resources) out.push_back(r.address);
    return out;
  }
};

}  // namespace tw_test
