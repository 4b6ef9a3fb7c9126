// TW002 tag-value-not-allowed: a known value matches neither `values` nor `pattern`.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_tag_value_not_allowed(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  if (!ctx.schema) return;
  for (const auto& e : tags.entries) {
    if (!e.value) continue;  // unknown: TW008
    const TagSpec* spec = ctx.schema->find(e.key);
    if (!spec || spec->allows(*e.value)) continue;
    std::vector<std::string> expected;
    if (!spec->values.empty()) expected.push_back(fmt::format("one of {}", quoted_list(spec->values)));
    if (spec->pattern) expected.push_back(fmt::format("a match of `{}`", *spec->pattern));
    std::string msg = fmt::format("{} tag `{}` has value `{}`, expected {}", r.address, e.key, *e.value,
                                  expected.size() == 2 ? expected[0] + " or " + expected[1] : expected[0]);
    // Suggest the allowed value that differs only by case, else the nearest one.
    std::string near;
    std::size_t best = 3;
    for (const auto& v : spec->values) {
      if (v.find('*') != std::string::npos) continue;
      std::size_t d = fold_case(v) == fold_case(*e.value) ? 0 : edit_distance(v, *e.value, 2);
      if (d < best) best = d, near = v;
    }
    if (!near.empty()) msg += fmt::format(": did you mean `{}`?", near);
    sink.tag(e, std::move(msg));
  }
}

}  // namespace tagwarden
