// TW003 tag-key-case-mismatch: a key equals a schema key only when letter case is ignored (and
// the schema key is `case: exact`, the default).
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {

void check_tag_key_case_mismatch(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  if (!ctx.schema) return;
  for (const auto& e : tags.entries) {
    if (ctx.schema->find(e.key)) continue;
    const TagSpec* spec = ctx.schema->find_case_variant(e.key);
    if (!spec || spec->key_case == KeyCase::kInsensitive || !ctx.schema->applies(*spec, r)) continue;
    sink.spec_tag(*spec, e, fmt::format("{} tag key `{}` differs from {}'s `{}` only by case; AWS tag keys are "
                                        "case-sensitive, so cost reports count them as different tags: rename it to `{}`",
                                        r.address, e.key, ctx.schema->noun(), spec->key, spec->key));
  }
}

}  // namespace tagwarden
