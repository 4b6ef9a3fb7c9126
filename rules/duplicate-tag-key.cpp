// TW010 duplicate-tag-key: one resource with the same key twice, or two keys that differ only
// by case (AWS keys are case-sensitive, so both are kept and split cost reports). The one rule
// for two spellings of a key on one resource, also when one of them is the schema's.
#include <fmt/format.h>

#include <map>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_duplicate_tag_key(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  std::map<std::string, const TagEntry*> first;
  for (const auto& e : tags.entries) {
    auto [it, inserted] = first.emplace(fold_case(e.key), &e);
    if (inserted) continue;
    const TagEntry& prev = *it->second;
    if (prev.key == e.key) {
      std::vector<Related> first_here;
      if (prev.key_span.valid())
        first_here.push_back(Related{prev.key_span, fmt::format("`{}` is first set here", prev.key)});
      sink.tag(e, fmt::format("{} has tag `{}` twice; only one value can take effect", r.address, e.key),
               std::move(first_here));
      continue;
    }
    // Two spellings: point at the one that is not the schema's.
    const TagSpec* spec = nullptr;
    if (ctx.schema) {
      spec = ctx.schema->find(e.key);
      if (!spec) spec = ctx.schema->find(prev.key);
      if (!spec) spec = ctx.schema->find_case_variant(e.key);
    }
    const TagEntry& other = spec && e.key == spec->key ? prev : e;
    const TagEntry& kept = &other == &e ? prev : e;
    std::vector<Related> also;
    if (kept.key_span.valid()) also.push_back(Related{kept.key_span, fmt::format("`{}` is set here", kept.key)});
    std::string keep =
        spec ? fmt::format("keep only `{}`, the schema's spelling", spec->key) : std::string("keep one of them");
    sink.tag(other,
             fmt::format("{} has tag keys `{}` and `{}` that differ only by case; AWS keeps both as separate tags: {}",
                         r.address, prev.key, e.key, keep),
             std::move(also));
  }
}

}  // namespace tagwarden
