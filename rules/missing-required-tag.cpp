// TW001 missing-required-tag: a required schema key is absent from the effective tags.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_missing_required_tag(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  // With an incomplete key set the tag may still exist: TW008 says so instead.
  if (!ctx.schema || !tags.keys_known || !ctx.schema->covers(r)) return;
  std::vector<std::string> names = ResourceTypes::aws().names_for(r.type);
  for (const auto& spec : ctx.schema->tags) {
    if (!spec.required_on(names) || !ctx.schema->applies(spec, r)) continue;
    bool present = false;
    std::string near;
    for (const auto& e : tags.entries) {
      if (e.key == spec.key) present = true;
      // A case variant is TW003's finding (or fine, with `case: insensitive`), not a missing tag.
      if (fold_case(e.key) == fold_case(spec.key)) present = true;
    }
    if (present) continue;
    for (const auto& e : tags.entries) {
      if (edit_distance(fold_case(e.key), fold_case(spec.key), 2) <= 2) {
        near = e.key;
        break;
      }
    }
    std::string msg = fmt::format("{} is missing required tag `{}`", r.address, spec.key);
    if (!near.empty()) msg += fmt::format(" (it has `{}`: a misspelling?)", near);
    sink.spec_resource(spec, std::move(msg));
  }
}

}  // namespace tagwarden
