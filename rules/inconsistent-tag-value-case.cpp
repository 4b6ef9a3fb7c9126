// TW009 inconsistent-tag-value-case: across the run, one key carries values that differ only
// by case (`prod`, `Prod`); cost reports group tag values case-sensitively, so each spelling
// becomes its own line. Each minority spelling is reported with the majority one.
#include <fmt/format.h>

#include <map>
#include <set>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void observe_tag_value_case(const RuleContext&, const Resource& r, RunFacts& facts) {
  if (r.taggable == Taggable::kNo) return;
  std::set<std::pair<std::string, std::string>> counted;
  std::vector<Finding> at;
  FindingSink sink(at, r);  // locations only: check_inconsistent_tag_value_case sets rule and message
  const auto index = static_cast<std::uint32_t>(facts.resources.size());
  bool any = false;
  for (const auto& v : r.variants) {
    for (const auto& e : v.entries) {
      if (!e.value || e.value->empty()) continue;
      if (!counted.emplace(e.key, *e.value).second) continue;
      sink.value(e, {});
      facts.add_tag_value(index, std::move(at.back()));
      at.clear();
      any = true;
    }
  }
  if (any) facts.resources.push_back(ObservedResource{r.address, r.root, r.file_hint});
}

void check_inconsistent_tag_value_case(const RuleContext&, const RunFacts& facts, FindingSink& sink) {
  // key -> folded value -> spelling -> uses (one per resource)
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<const TagValueUse*>>>> seen;
  for (const auto& u : facts.tag_values) seen[u.key][fold_case(u.value)][u.value].push_back(&u);
  for (const auto& [key, groups] : seen) {
    for (const auto& [folded, spellings] : groups) {
      if (spellings.size() < 2) continue;
      // Majority: most resources; ties go to the lexicographically first spelling.
      const std::string* majority = nullptr;
      std::size_t best = 0;
      for (const auto& [spelling, uses] : spellings) {
        if (uses.size() > best) best = uses.size(), majority = &spelling;
      }
      for (const auto& [spelling, uses] : spellings) {
        if (&spelling == majority) continue;
        for (const TagValueUse* u : uses) {
          Finding f = facts.finding(*u);
          std::string message = fmt::format(
              "{} tag `{}` has value `{}`, but {} resource{} in this run spell it `{}`; values that differ "
              "only by case show up as separate groups in cost reports",
              f.address, key, spelling, best, best == 1 ? "" : "s", *majority);
          sink.prepared(std::move(f), std::move(message));
        }
      }
    }
  }
}

}  // namespace tagwarden
