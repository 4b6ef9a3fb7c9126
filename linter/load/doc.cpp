#include "linter/load/doc.hpp"

namespace tagwarden {

const DocNode* DocNode::get(std::string_view key) const {
  int i = index_of(key);
  return i < 0 ? nullptr : &items[static_cast<std::size_t>(i)];
}

int DocNode::index_of(std::string_view key) const {
  if (kind != Kind::kMap) return -1;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace tagwarden
