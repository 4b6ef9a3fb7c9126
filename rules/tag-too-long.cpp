// TW005 tag-too-long: keys are limited to 128 and values to 256 Unicode characters (AWS
// tagging docs, "Tag naming limits and requirements").
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {
constexpr std::size_t kMaxKey = 128;
constexpr std::size_t kMaxValue = 256;
}  // namespace

void check_tag_too_long(const RuleContext&, const Resource& r, const TagSet& tags, FindingSink& sink) {
  for (const auto& e : tags.entries) {
    std::size_t k = code_point_count(e.key);
    if (k > kMaxKey) {
      sink.tag(e, fmt::format("{} tag key `{}...` is {} characters long; AWS allows {}", r.address,
                              e.key.substr(0, 32), k, kMaxKey));
    }
    if (e.value) {
      std::size_t v = code_point_count(*e.value);
      if (v > kMaxValue) {
        sink.value(e, fmt::format("{} tag `{}` has a value {} characters long; AWS allows {}", r.address, e.key, v, kMaxValue));
      }
    }
  }
}

}  // namespace tagwarden
