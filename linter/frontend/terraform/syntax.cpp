#include "linter/frontend/terraform/syntax.hpp"

#include <fmt/format.h>

namespace tagwarden::terraform {

const hcl::Attribute* find_attr(const hcl::Body& body, std::string_view name) {
  for (const auto& a : body.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<const hcl::Block*> blocks_of(const hcl::Body& body, std::string_view type) {
  std::vector<const hcl::Block*> out;
  for (const auto& b : body.blocks)
    if (b.type == type) out.push_back(&b);
  return out;
}

std::optional<std::string> literal_string(const hcl::Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == hcl::ExprKind::kString) return std::string(e->text);
  if (e->kind == hcl::ExprKind::kTemplate && e->children.size() == 1 && e->children[0] &&
      e->children[0]->kind == hcl::ExprKind::kString)
    return std::string(e->children[0]->text);
  return std::nullopt;
}

std::optional<std::string> provider_ref(const hcl::Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == hcl::ExprKind::kVariable) return std::string(e->name);
  if (e->kind == hcl::ExprKind::kGetAttr && e->children.size() == 1 && e->children[0] &&
      e->children[0]->kind == hcl::ExprKind::kVariable)
    return fmt::format("{}.{}", e->children[0]->name, e->name);
  if (auto s = literal_string(e)) return s;  // legacy quoted form "aws.west"
  return std::nullopt;
}

std::string provider_base(const std::string& config_name) { return config_name.substr(0, config_name.find('.')); }

bool is_local_source(const std::string& source) { return source.rfind("./", 0) == 0 || source.rfind("../", 0) == 0; }

std::string instance_key(const tf::Value& key) {
  if (key.kind() == tf::Value::Kind::kNumber) return fmt::format("[{}]", key.to_string().value_or("?"));
  return fmt::format("[\"{}\"]", key.to_string().value_or("?"));
}

bool has_suffix(std::string_view name, std::string_view suffix) {
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace tagwarden::terraform
