#include "linter/load/hcl/ast_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tagwarden::hcl {

namespace {

std::string span_text(const Span& s) {
  return s.has_range ? fmt::format("{}-{}", s.begin, s.end) : std::string("whole file");
}

}  // namespace

std::string expr_difference(const Expr* a, const Expr* b, const std::string& path) {
  if ((a == nullptr) != (b == nullptr)) return path + ": present in one AST only";
  if (a == nullptr) return {};
  auto diff = [&](const char* what, std::string_view x, std::string_view y) {
    return fmt::format("{}: {} differs: {:?} / {:?}", path, what, x, y);
  };
  if (a->kind != b->kind) {
    return diff("kind", std::to_string(static_cast<int>(a->kind)), std::to_string(static_cast<int>(b->kind)));
  }
  if (!(a->span == b->span)) return diff("span", span_text(a->span), span_text(b->span));
  if (a->text != b->text) return diff("text", a->text, b->text);
  if (a->name != b->name) return diff("name", a->name, b->name);
  if (a->key_var != b->key_var) return diff("key_var", a->key_var, b->key_var);
  if (a->expand_final != b->expand_final || a->grouping != b->grouping) return path + ": flags differ";
  if (a->children.size() != b->children.size()) {
    return diff("child count", std::to_string(a->children.size()), std::to_string(b->children.size()));
  }
  for (std::size_t i = 0; i < a->children.size(); ++i) {
    std::string d = expr_difference(a->children[i], b->children[i], fmt::format("{}/{}", path, i));
    if (!d.empty()) return d;
  }
  return {};
}

std::string body_difference(const Body& a, const Body& b, const std::string& path) {
  if (a.attributes.size() != b.attributes.size()) return path + ": attribute count differs";
  for (std::size_t i = 0; i < a.attributes.size(); ++i) {
    const Attribute &x = a.attributes[i], &y = b.attributes[i];
    std::string p = fmt::format("{}/{}", path, x.name);
    if (x.name != y.name || !(x.name_span == y.name_span) || !(x.span == y.span)) {
      return p + ": attribute name or span differs";
    }
    std::string d = expr_difference(x.expr, y.expr, p);
    if (!d.empty()) return d;
  }
  if (a.blocks.size() != b.blocks.size()) return path + ": block count differs";
  for (std::size_t i = 0; i < a.blocks.size(); ++i) {
    const Block &x = a.blocks[i], &y = b.blocks[i];
    std::string p = fmt::format("{}/{}#{}", path, x.type, i);
    if (x.type != y.type || x.labels != y.labels || x.label_spans != y.label_spans || !(x.type_span == y.type_span) ||
        !(x.span == y.span)) {
      return p + ": block header or span differs";
    }
    std::string d = body_difference(x.body, y.body, p);
    if (!d.empty()) return d;
  }
  return {};
}

std::string comments_difference(const std::vector<Comment>& a, const std::vector<Comment>& b) {
  for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size() || i >= b.size()) return fmt::format("comments: {} / {}", a.size(), b.size());
    if (!(a[i].span == b[i].span) || a[i].text != b[i].text) {
      return fmt::format("comment {} differs: {} {:?} / {} {:?}", i, span_text(a[i].span), a[i].text,
                         span_text(b[i].span), b[i].text);
    }
  }
  return {};
}

}  // namespace tagwarden::hcl
