// TW004 too-many-tags: more user tags than the resource type allows (50 for most; `aws:`
// keys do not count, per the AWS tagging best-practices "Tag limits" section).
#include <fmt/format.h>

#include <map>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_too_many_tags(const RuleContext&, const Resource& r, const TagSet& tags, FindingSink& sink) {
  std::map<std::string, int> by_origin;
  int count = 0;
  for (const auto& e : tags.entries) {
    if (has_aws_prefix(e.key)) continue;
    ++count;
    ++by_origin[origin_kind_name(e.origin.kind)];
  }
  if (count <= r.max_user_tags) return;
  std::string parts;
  for (const auto& [origin, n] : by_origin) {
    if (!parts.empty()) parts += ", ";
    parts += fmt::format("{} {}", n, origin);
  }
  sink.resource(fmt::format("{} has {} user tags, more than the {} AWS allows for {} ({})", r.address, count,
                            r.max_user_tags, r.type, parts));
}

}  // namespace tagwarden
