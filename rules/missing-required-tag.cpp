// TW001 missing-required-tag: required schema keys absent from the effective tags, one finding
// per resource that lists every missing key.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_missing_required_tag(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  // With an incomplete key set the tag may still exist: TW008 says so instead.
  if (!ctx.schema || !tags.keys_known || !ctx.schema->covers(r)) return;
  std::vector<std::string> names = ResourceTypes::aws().names_for(r.type);
  std::vector<const TagSpec*> missing;
  std::map<std::string, std::string> misspelt;  // schema key -> the present key it may be a misspelling of
  for (const auto& spec : ctx.schema->tags) {
    if (!spec.required_on(names) || !ctx.schema->applies(spec, r)) continue;
    bool present = false;
    for (const auto& e : tags.entries) {
      // A case variant is TW003's finding (or fine, with `case: insensitive`), not a missing tag.
      if (e.key == spec.key || fold_case(e.key) == fold_case(spec.key)) present = true;
    }
    if (present) continue;
    missing.push_back(&spec);
    for (const auto& e : tags.entries) {
      if (edit_distance(fold_case(e.key), fold_case(spec.key), 2) <= 2) {
        misspelt.emplace(spec.key, e.key);
        break;
      }
    }
  }
  if (missing.empty()) return;
  std::sort(missing.begin(), missing.end(), [](const TagSpec* a, const TagSpec* b) { return a->key < b->key; });
  // One finding per resource and severity (a schema key may set its own `severity`).
  std::vector<std::optional<Level>> levels;
  for (const TagSpec* s : missing) {
    if (std::find(levels.begin(), levels.end(), s->severity) == levels.end()) levels.push_back(s->severity);
  }
  for (const auto& level : levels) {
    std::vector<const TagSpec*> group;
    std::vector<std::string> keys;
    for (const TagSpec* s : missing) {
      if (s->severity == level) group.push_back(s), keys.push_back(s->key);
    }
    std::string msg = keys.size() == 1
                          ? fmt::format("{} is missing required tag `{}`", r.address, keys.front())
                          : fmt::format("{} is missing required tags {}", r.address, quoted_list(keys, " and "));
    for (const auto& k : keys) {
      if (auto m = misspelt.find(k); m != misspelt.end())
        msg += fmt::format(" (it has `{}`: a misspelling of `{}`?)", m->second, k);
    }
    sink.spec_resource(group, std::move(msg));
  }
}

}  // namespace tagwarden
