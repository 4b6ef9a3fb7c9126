// Lookups on the hcl:: AST, and the object-key rule both native-syntax parsers apply.
#include "linter/load/hcl/ast.hpp"

#include <utility>

namespace tagwarden::hcl {

const Attribute* Body::attribute(std::string_view name) const {
  for (const Attribute& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::vector<const Block*> Body::blocks_of(std::string_view type) const {
  std::vector<const Block*> out;
  for (const Block& b : blocks) {
    if (b.type == type) out.push_back(&b);
  }
  return out;
}

ExprPtr object_key(ExprPtr key) {
  if (key->kind == ExprKind::kVariable) {
    key->kind = ExprKind::kString;
    key->text = std::move(key->name);
    key->name.clear();
  } else if (key->kind == ExprKind::kParens && !key->children.empty()) {
    ExprPtr inner = std::move(key->children[0]);
    return inner;
  }
  return key;
}

}  // namespace tagwarden::hcl
