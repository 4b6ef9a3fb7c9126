// TW010 duplicate-tag-key: one resource with the same key twice, or two keys that differ only
// by case (AWS keys are case-sensitive, so both are kept and split cost reports).
#include <fmt/format.h>

#include <map>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_duplicate_tag_key(const RuleContext&, const Resource& r, const TagSet& tags, FindingSink& sink) {
  std::map<std::string, const TagEntry*> first;
  for (const auto& e : tags.entries) {
    auto [it, inserted] = first.emplace(fold_case(e.key), &e);
    if (inserted) continue;
    const TagEntry& prev = *it->second;
    std::vector<Related> first_here;
    if (prev.key_span.valid()) first_here.push_back(Related{prev.key_span, fmt::format("`{}` is first set here", prev.key)});
    if (prev.key == e.key) {
      sink.tag(e, fmt::format("{} has tag `{}` twice; only one value can take effect", r.address, e.key),
               std::move(first_here));
    } else {
      sink.tag(e, fmt::format("{} has tag keys `{}` and `{}` that differ only by case; AWS keeps both as separate tags",
                              r.address, prev.key, e.key),
               std::move(first_here));
    }
  }
}

}  // namespace tagwarden
