// Lookups on the hcl:: AST.
#include "linter/load/hcl/ast.hpp"

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

}  // namespace tagwarden::hcl
