// TW009 inconsistent-tag-value-case: across the run, one key carries values that differ only
// by case (`prod`, `Prod`); cost reports group tag values case-sensitively, so each spelling
// becomes its own line. Each minority spelling is reported with the majority one.
#include <fmt/format.h>

#include <map>
#include <set>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_inconsistent_tag_value_case(const RuleContext&, const std::vector<Resource>& resources, FindingSink& sink) {
  struct Use {
    const Resource* resource;
    const TagEntry* entry;
  };
  // key -> folded value -> spelling -> uses (one per resource)
  std::map<std::string, std::map<std::string, std::map<std::string, std::vector<Use>>>> seen;
  for (const auto& r : resources) {
    if (r.taggable == Taggable::kNo) continue;
    std::set<std::pair<std::string, std::string>> counted;
    for (const auto& v : r.variants) {
      for (const auto& e : v.entries) {
        if (!e.value || e.value->empty()) continue;
        if (!counted.emplace(e.key, *e.value).second) continue;
        seen[e.key][fold_case(*e.value)][*e.value].push_back(Use{&r, &e});
      }
    }
  }
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
        for (const auto& u : uses) {
          sink.value_at(
              *u.resource, *u.entry,
              fmt::format("{} tag `{}` has value `{}`, but {} resource{} in this run spell it `{}`; values that differ "
                          "only by case show up as separate groups in cost reports",
                          u.resource->address, key, spelling, best, best == 1 ? "" : "s", *majority));
        }
      }
    }
  }
}

}  // namespace tagwarden
