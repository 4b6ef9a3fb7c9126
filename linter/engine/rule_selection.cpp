#include "linter/engine/rule_selection.hpp"

#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

int selector_specificity(std::string_view selector, std::string_view rule_id) {
  // Letter case never matters (README): `tw001`, `Missing-Required-Tag`, `tw00` and `all` select
  // as their canonical spellings do, as `rules --explain` and inline suppressions accept them.
  if (ascii_iequal(selector, "ALL")) return 1;
  const Rule* rule = find_rule(rule_id);
  if (ascii_iequal(selector, rule_id) || (rule != nullptr && ascii_iequal(selector, rule->name))) return 100;
  if (!selector.empty() && ascii_istarts_with(rule_id, selector)) return 1 + static_cast<int>(selector.size());
  return 0;
}

std::optional<std::string> check_selector(std::string_view selector) {
  for (const auto& r : all_rules()) {
    if (selector_specificity(selector, r.id) > 0) return std::nullopt;
  }
  return fmt::format(
      "`{}` names no rule: give a rule id (TW001), a name (missing-required-tag), an id prefix (TW00) or ALL",
      selector);
}

ResolvedSelection::ResolvedSelection(const RuleSelection& selection) : selection_(selection) {}

bool ResolvedSelection::enabled(std::string_view rule_id) const {
  auto best = [&](const std::vector<std::string>& list) {
    int b = 0;
    for (const auto& s : list) b = std::max(b, selector_specificity(s, rule_id));
    return b;
  };
  int selected = selection_.select.empty() ? 1 : best(selection_.select);
  selected = std::max(selected, best(selection_.extend_select));
  int ignored = best(selection_.ignore);
  return selected > 0 && selected > ignored;
}

Level ResolvedSelection::level(std::string_view rule_id, Level given) const {
  int best = 0;
  Level out = given;
  for (const auto& [selector, level] : selection_.levels) {
    int s = selector_specificity(selector, rule_id);
    if (s > 0 && s >= best) {
      best = s;
      out = level;
    }
  }
  return out;
}

}  // namespace tagwarden
