// TW002 tag-value-not-allowed: a known value matches neither `values` nor `pattern`, breaks the
// key's `value_case`, or is set at all on a key whose `values` is empty (the key is forbidden).
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {
namespace {

/// The one allowed value `value` was most likely meant to be, or "" when there is no single
/// best guess: the allowed value equal to it but for case, else the only one it abbreviates
/// (`prod` for `production`), else the only one closest within two edits.
std::string nearest_allowed(const TagSpec& spec, const std::string& value) {
  std::vector<std::string> literal;
  for (const auto& v : spec.values) {
    // Wildcards are no value to suggest, nor a listed value the key's `value_case` rejects.
    if (v.find('*') == std::string::npos && spec.allows(v)) literal.push_back(v);
  }
  const std::string folded = fold_case(value);
  auto unique = [](const std::vector<std::string>& c) { return c.size() == 1 ? c.front() : std::string(); };
  std::vector<std::string> found;
  for (const auto& v : literal) {
    if (fold_case(v) == folded) found.push_back(v);
  }
  if (!found.empty()) return unique(found);
  if (code_point_count(value) >= 3) {
    for (const auto& v : literal) {
      if (fold_case(v).starts_with(folded)) found.push_back(v);
    }
    if (!found.empty()) return unique(found);
  }
  std::size_t best = 3;
  for (const auto& v : literal) {
    std::size_t d = edit_distance(fold_case(v), folded, 2);
    if (d < best) {
      best = d;
      found.clear();
    }
    if (d == best) found.push_back(v);
  }
  return unique(found);
}

}  // namespace

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
      sink.spec_tag(*spec, e,
                    fmt::format("{} has tag `{}`, which {} forbids (it allows no value){}", r.address, e.key,
                                ctx.schema->noun(), enforcement(*spec, r)));
      continue;
    }
    std::string msg = fmt::format("{} tag `{}` has value `{}`, expected {}{}", r.address, e.key, *e.value,
                                  spec->expectation(), enforcement(*spec, r));
    std::vector<Fix> fixes;
    if (std::string near = nearest_allowed(*spec, *e.value); !near.empty()) {
      msg += fmt::format(": did you mean `{}`?", near);
      if (auto edit = tag_edit(r, e, e.value_span, *e.value, near))
        fixes.push_back(Fix{fmt::format("change the value of `{}` from `{}` to `{}`", e.key, *e.value, near), {*edit}});
    }
    sink.spec_value(*spec, e, std::move(msg), std::move(fixes));
  }
}

}  // namespace tagwarden
