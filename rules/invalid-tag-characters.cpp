// TW006 invalid-tag-characters: AWS's general rule allows letters, numbers and separators (any
// script) and `_ . : / = + - @` in tag keys and values; services that document their own set
// follow it instead (data/tag_rules.tsv): EC2 allows any character, DynamoDB no `@`.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/tag_rules.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {
std::optional<char32_t> first_bad(std::string_view s, const TagRules& rules) {
  for (char32_t c : utf8_decode(s)) {
    if (!rules.allows(c)) return c;
  }
  return std::nullopt;
}
}  // namespace

void check_invalid_tag_characters(const RuleContext& ctx, const Resource& r, const TagSet& tags, FindingSink& sink) {
  TagRules rules = tag_rules_for(r, ctx.schema);
  if (rules.any_character) return;
  std::string allowed = fmt::format("allowed: {}", rules.describe_charset());
  for (const auto& e : tags.entries) {
    if (auto c = first_bad(e.key, rules)) {
      sink.tag(e, fmt::format("{} tag key `{}` contains {}, which AWS does not allow in tag keys for {} ({})", r.address,
                              e.key, describe_char(*c), r.type, allowed));
    }
    if (e.value) {
      if (auto c = first_bad(*e.value, rules)) {
        sink.tag(e, fmt::format("{} tag `{}` has a value containing {}, which AWS does not allow in tag values for {} ({})",
                                r.address, e.key, describe_char(*c), r.type, allowed));
      }
    }
  }
}

}  // namespace tagwarden
