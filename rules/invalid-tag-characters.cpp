// TW006 invalid-tag-characters: AWS allows letters, numbers and separators (any script) and
// `_ . : / = + - @` in tag keys and values.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {
std::optional<char32_t> first_bad(std::string_view s) {
  for (char32_t c : utf8_decode(s)) {
    if (!is_allowed_tag_char(c)) return c;
  }
  return std::nullopt;
}
}  // namespace

void check_invalid_tag_characters(const RuleContext&, const Resource& r, const TagSet& tags, FindingSink& sink) {
  for (const auto& e : tags.entries) {
    if (auto c = first_bad(e.key)) {
      sink.tag(e, fmt::format("{} tag key `{}` contains {}, which AWS does not allow in tag keys (allowed: letters, "
                              "numbers, spaces and _ . : / = + - @)", r.address, e.key, describe_char(*c)));
    }
    if (e.value) {
      if (auto c = first_bad(*e.value)) {
        sink.value(e, fmt::format("{} tag `{}` has a value containing {}, which AWS does not allow in tag values "
                                "(allowed: letters, numbers, spaces and _ . : / = + - @)", r.address, e.key, describe_char(*c)));
      }
    }
  }
}

}  // namespace tagwarden
