// TW005 tag-too-long: keys are limited to 128 and values to 256 Unicode characters (Tag Editor
// User Guide, Service quotas; per-service rows in data/tag_rules.tsv), or less where the
// schema's `limits` says so.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/tag_rules.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_tag_too_long(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  TagRules rules = tag_rules_for(r, ctx.schema);
  std::string_view who = rules.length_from_schema ? "the schema allows" : "AWS allows";
  for (const auto& e : tags.entries) {
    std::size_t k = code_point_count(e.key);
    if (k > rules.max_key_length) {
      sink.tag(e, fmt::format("{} tag key `{}...` is {} characters long; {} {}", r.address, e.key.substr(0, 32), k, who,
                              rules.max_key_length));
    }
    if (e.value) {
      std::size_t v = code_point_count(*e.value);
      if (v > rules.max_value_length) {
        sink.tag(e, fmt::format("{} tag `{}` has a value {} characters long; {} {}", r.address, e.key, v, who,
                                rules.max_value_length));
      }
    }
  }
}

}  // namespace tagwarden
