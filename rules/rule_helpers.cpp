// Helpers shared by several rules: key suggestions and list formatting.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

std::string suggest_key(const Schema& schema, const std::string& key) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& spec : schema.tags) {
    if (fold_case(spec.key) == fold_case(key)) continue;
    std::size_t d = edit_distance(fold_case(spec.key), fold_case(key), 2);
    if (d < best_d) {
      best_d = d;
      best = spec.key;
    }
  }
  return best;
}

std::string quoted_list(const std::vector<std::string>& items, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += (i + 1 == items.size()) ? std::string(last_sep) : std::string(", ");
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

}  // namespace tagwarden
