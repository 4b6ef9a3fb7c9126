// TW002 tag-value-not-allowed: a known value matches neither `values` nor `pattern`, breaks the
// key's `value_case`, or is set at all on a key whose `values` is empty (the key is forbidden).
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {
/// The `enforced_for` entry of a tag policy that covers `r`: AWS then rejects the noncompliant
/// tagging operation instead of only reporting it.
std::string enforcement(const TagSpec& spec, const Resource& r) {
  if (spec.enforced_for.empty()) return {};
  auto names = ResourceTypes::aws().names_for(r.type);
  for (const auto& t : spec.enforced_for) {
    if (scope_glob_match(t, names)) return fmt::format("; AWS rejects this tagging operation (enforced_for `{}`)", t);
  }
  return {};
}
}  // namespace

void check_tag_value_not_allowed(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  if (!ctx.schema) return;
  for (const auto& e : tags.entries) {
    if (!e.value) continue;  // unknown: TW008
    const TagSpec* spec = ctx.schema->match(e.key);
    if (!spec || spec->allows(*e.value) || !ctx.schema->applies(*spec, r)) continue;
    if (spec->forbidden) {
      sink.spec_tag(*spec, e, fmt::format("{} has tag `{}`, which {} forbids (it allows no value){}", r.address, e.key,
                                          ctx.schema->noun(), enforcement(*spec, r)));
      continue;
    }
    std::string msg = fmt::format("{} tag `{}` has value `{}`, expected {}{}", r.address, e.key, *e.value, spec->expectation(),
                                  enforcement(*spec, r));
    // Suggest the allowed value that differs only by case, else the nearest one.
    std::string near;
    std::size_t best = 3;
    for (const auto& v : spec->values) {
      if (v.find('*') != std::string::npos || !spec->allows(v)) continue;
      std::size_t d = fold_case(v) == fold_case(*e.value) ? 0 : edit_distance(v, *e.value, 2);
      if (d < best) best = d, near = v;
    }
    if (!near.empty()) msg += fmt::format(": did you mean `{}`?", near);
    sink.spec_tag(*spec, e, std::move(msg));
  }
}

}  // namespace tagwarden
