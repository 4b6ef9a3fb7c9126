// TW003 tag-key-case-mismatch: a key equals a schema key only when letter case is ignored (and
// the schema key is `case: exact`, the default). When the resource also has another spelling
// of the key (`owner` next to `Owner`), the problem is two keys on one resource:
// duplicate-tag-key reports it, not this rule.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_tag_key_case_mismatch(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  if (!ctx.schema) return;
  for (const auto& e : tags.entries) {
    if (ctx.schema->find(e.key)) continue;
    const TagSpec* spec = ctx.schema->find_case_variant(e.key);
    if (!spec || spec->key_case == KeyCase::kInsensitive || !ctx.schema->applies(*spec, r)) continue;
    bool other_spelling = false;
    for (const auto& o : tags.entries)
      other_spelling = other_spelling || (&o != &e && fold_case(o.key) == fold_case(e.key));
    if (other_spelling) continue;
    std::vector<Fix> fixes;
    if (auto edit = tag_edit(r, e, e.key_span, e.key, spec->key))
      fixes.push_back(Fix{fmt::format("rename tag key `{}` to `{}`", e.key, spec->key), {*edit}});
    sink.spec_tag(*spec, e,
                  fmt::format("{} tag key `{}` differs from {}'s `{}` only by case; AWS tag keys are "
                              "case-sensitive, so cost reports count them as different tags: rename it to `{}`",
                              r.address, e.key, ctx.schema->noun(), spec->key, spec->key),
                  std::move(fixes));
  }
}

}  // namespace tagwarden
