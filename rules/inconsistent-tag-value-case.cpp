// TW009 inconsistent-tag-value-case: across the run, one key carries values that differ only
// by case (`prod`, `Prod`); cost reports group tag values case-sensitively, so each spelling
// becomes its own line. Each minority spelling is reported with the majority one.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>
#include <utility>

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
  // Uses are grouped by key and folded value in one pass; only the few groups with more than
  // one spelling are sorted and reported, by key, folded value and spelling.
  const std::vector<TagValueUse>& uses = facts.tag_values;
  constexpr std::size_t kNone = SIZE_MAX;
  // Folded values, as views: a value without capitals or non-ASCII letters folds to itself.
  std::vector<std::string> refolded;
  refolded.reserve(uses.size());  // never reallocates: the views below stay valid
  std::vector<std::string_view> folded(uses.size());
  for (std::size_t i = 0; i < uses.size(); ++i) {
    const std::string& v = uses[i].value;
    const bool folds = std::any_of(
        v.begin(), v.end(), [](char c) { return (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80; });
    folded[i] = folds ? std::string_view(refolded.emplace_back(fold_case(v))) : std::string_view(v);
  }
  using Key = std::pair<std::string_view, std::string_view>;  ///< key, folded value
  struct Group {
    std::size_t first, last;  ///< its uses, chained in order by `next`
    bool mixed;               ///< spelt more than one way
  };
  std::vector<std::size_t> next(uses.size(), kNone);
  std::unordered_map<Key, Group, StringPairHash> groups;
  groups.reserve(uses.size());
  for (std::size_t i = 0; i < uses.size(); ++i) {
    auto [it, inserted] = groups.try_emplace(Key{uses[i].key, folded[i]}, Group{i, i, false});
    if (inserted) continue;
    Group& g = it->second;
    g.mixed = g.mixed || uses[i].value != uses[g.first].value;
    next[g.last] = i;
    g.last = i;
  }
  std::vector<std::pair<Key, std::size_t>> mixed;
  for (const auto& [k, g] : groups) {
    if (g.mixed) mixed.emplace_back(k, g.first);
  }
  std::sort(mixed.begin(), mixed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [k, first] : mixed) {
    std::map<std::string_view, std::vector<const TagValueUse*>> spellings;
    for (std::size_t i = first; i != kNone; i = next[i]) spellings[uses[i].value].push_back(&uses[i]);
    // Majority: most resources; ties go to the lexicographically first spelling.
    const std::string_view* majority = nullptr;
    std::size_t best = 0;
    for (const auto& [spelling, list] : spellings) {
      if (list.size() > best) best = list.size(), majority = &spelling;
    }
    for (const auto& [spelling, list] : spellings) {
      if (&spelling == majority) continue;
      for (const TagValueUse* u : list) {
        Finding f = facts.finding(*u);
        std::string message = fmt::format(
            "{} tag `{}` has value `{}`, but {} resource{} in this run spell it `{}`; values that differ "
            "only by case show up as separate groups in cost reports",
            f.address, k.first, spelling, best, best == 1 ? "" : "s", *majority);
        sink.prepared(std::move(f), std::move(message));
      }
    }
  }
}

}  // namespace tagwarden
