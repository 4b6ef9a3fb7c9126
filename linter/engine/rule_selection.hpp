// Which rules a run reports and at what level, chosen the way ruff does: `select` (default:
// every rule), `extend-select`, `ignore`, by id, name, id prefix or `ALL`; when a select and an
// ignore both name a rule, the more specific one wins (an id or name over a prefix, a longer
// prefix over a shorter one; ignore on a tie). Levels are overridden per selector.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"

namespace tagwarden {

struct RuleSelection {
  std::vector<std::string> select;         ///< empty: every rule
  std::vector<std::string> extend_select;  ///< added to `select`
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, Level>> levels;  ///< selector -> level; later entries win
};

/// How specific `selector` is about rule `id` (0: it does not name it; `ALL` 1, a prefix
/// 1 + its length, an id or a name 100), ignoring letter case. The one matching of selectors
/// to rules: `--select`, `--extend-select`, `--ignore`, `--rule-level` and their config fields.
int selector_specificity(std::string_view selector, std::string_view rule_id);
/// Checks that a selector names at least one rule; otherwise returns the message to show.
std::optional<std::string> check_selector(std::string_view selector);

/// A selection resolved against the rule table.
class ResolvedSelection {
 public:
  explicit ResolvedSelection(const RuleSelection& selection = {});
  bool enabled(std::string_view rule_id) const;
  /// The level findings of the rule are reported at: the most specific override, else `given`.
  Level level(std::string_view rule_id, Level given) const;

 private:
  RuleSelection selection_;
};

}  // namespace tagwarden
