// TW008 unknown-tag-value: what the schema would check cannot be known statically, so the
// other rules stay silent about it; this note says so instead of guessing.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_unknown_tag_value(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  if (!ctx.schema || !ctx.schema->covers(r)) return;
  for (const auto& e : tags.entries) {
    if (e.value || e.value_error) continue;  // an input error is reported as such
    const TagSpec* spec = ctx.schema->find(e.key);
    if (!spec) spec = ctx.schema->find_case_variant(e.key);
    if (!spec || !spec->has_value_constraint() || !ctx.schema->applies(*spec, r)) continue;
    std::string why = e.unknown_reason.empty() ? "" : fmt::format(" ({})", e.unknown_reason);
    sink.tag(e, fmt::format("{} tag `{}` has a value that cannot be determined statically{}; it was not checked",
                            r.address, e.key, why));
  }
  if (!tags.keys_known && !tags.keys_error) {
    std::vector<std::string> unverified;
    std::vector<std::string> names = ResourceTypes::aws().names_for(r.type);
    for (const auto& spec : ctx.schema->tags) {
      if (!spec.required_on(names) || !ctx.schema->applies(spec, r)) continue;
      bool present = false;
      for (const auto& e : tags.entries) present = present || fold_case(e.key) == fold_case(spec.key);
      if (!present) unverified.push_back(spec.key);
    }
    if (unverified.empty()) return;
    std::string why = tags.keys_unknown_reason.empty() ? "" : fmt::format(" ({})", tags.keys_unknown_reason);
    std::string msg =
        fmt::format("{} has tag keys that cannot be determined statically{}; required {} could not be verified",
                    r.address, why, quoted_list(unverified, " and "));
    sink.resource(std::move(msg), std::move(unverified));
  }
}

// Resources a front end could not explore: whatever a schema would check there is unknown too.
// Reported with or without a schema, since their resources are not checked at all.
void check_unknown_tag_value_facts(const RuleContext&, const std::vector<Fact>& facts, FindingSink& sink) {
  for (const auto& f : facts) {
    if (f.kind != Fact::Kind::kUnexplored) continue;
    sink.at_span(f.span, f.address, fmt::format("{} was not fully checked: {}", f.address, f.reason)).root = f.root;
  }
}

}  // namespace tagwarden
