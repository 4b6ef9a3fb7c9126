#include "linter/load/doc.hpp"

#include <algorithm>

namespace tagwarden {

const DocNode* DocNode::get(std::string_view key) const {
  int i = index_of(key);
  return i < 0 ? nullptr : &items[static_cast<std::size_t>(i)];
}

int DocNode::index_of(std::string_view key) const {
  if (kind != Kind::kMap) return -1;
  if (!key_order_.empty() && key_order_.size() == keys.size()) {
    auto it = std::lower_bound(key_order_.begin(), key_order_.end(), key,
                               [&](std::uint32_t i, std::string_view k) { return keys[i] < k; });
    if (it == key_order_.end() || keys[*it] != key) return -1;
    return static_cast<int>(*it);
  }
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == key) return static_cast<int>(i);
  }
  return -1;
}

void DocNode::index_keys() {
  constexpr std::size_t kIndexFrom = 16;  // below this a linear scan is as fast
  if (kind != Kind::kMap || keys.size() < kIndexFrom) return;
  key_order_.resize(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) key_order_[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(key_order_.begin(), key_order_.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return keys[a] < keys[b]; });
}

}  // namespace tagwarden
