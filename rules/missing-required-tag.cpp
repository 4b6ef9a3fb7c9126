// TW001 missing-required-tag: required schema keys absent from the effective tags, one finding
// per resource that lists every missing key.
#include <fmt/format.h>

#include <algorithm>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_missing_required_tag(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  // With an incomplete key set the tag may still exist: TW008 says so instead.
  if (!ctx.schema || !tags.keys_known) return;
  std::vector<std::string> missing;
  std::vector<std::string> misspelt;  // "it has `Ownr`: a misspelling of `Owner`?"
  for (const auto& spec : ctx.schema->tags) {
    if (!spec.required) continue;
    bool present = false;
    for (const auto& e : tags.entries) {
      // A case variant is TW003's finding, not a missing tag.
      if (e.key == spec.key || fold_case(e.key) == fold_case(spec.key)) present = true;
    }
    if (present) continue;
    missing.push_back(spec.key);
    for (const auto& e : tags.entries) {
      if (edit_distance(fold_case(e.key), fold_case(spec.key), 2) <= 2) {
        misspelt.push_back(fmt::format("it has `{}`: a misspelling of `{}`?", e.key, spec.key));
        break;
      }
    }
  }
  if (missing.empty()) return;
  std::sort(missing.begin(), missing.end());
  std::string msg = missing.size() == 1
                        ? fmt::format("{} is missing required tag `{}`", r.address, missing.front())
                        : fmt::format("{} is missing required tags {}", r.address, quoted_list(missing, " and "));
  for (const auto& m : misspelt) msg += fmt::format(" ({})", m);
  sink.resource(std::move(msg), std::move(missing));
}

}  // namespace tagwarden
