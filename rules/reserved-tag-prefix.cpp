// TW007 reserved-tag-prefix: the `aws:` prefix (any case) is reserved for AWS's own tags and
// cannot be used in user tag keys.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

void check_reserved_tag_prefix(const RuleContext&, const Resource& r, const TagSet& tags, FindingSink& sink) {
  for (const auto& e : tags.entries) {
    if (!has_aws_prefix(e.key)) continue;
    sink.tag(e, fmt::format("{} tag key `{}` uses the reserved prefix `{}`; AWS rejects user tags whose key starts "
                            "with `aws:` in any letter case",
                            r.address, e.key, e.key.substr(0, 4)));
  }
}

}  // namespace tagwarden
