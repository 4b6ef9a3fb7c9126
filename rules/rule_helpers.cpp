// Helpers shared by several rules: key suggestions and list formatting.
#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

std::string suggest_key(const Schema& schema, const std::string& key) {
  std::string best;
  std::size_t best_d = 3;
  for (const auto& spec : schema.tags) {
    if (fold_case(spec.key) == fold_case(key)) continue;
    std::size_t d = edit_distance(fold_case(spec.key), fold_case(key), 2);
    if (d < best_d) {
      best_d = d;
      best = spec.key;
    }
  }
  return best;
}

std::optional<Edit> tag_edit(const Resource& r, const TagEntry& entry, const Span& span, const std::string& from,
                             const std::string& to) {
  if (!span.valid() || !span.has_range) return std::nullopt;
  // Generated inputs (CDK cloud assemblies, Terraform plans) are not where the fix belongs.
  if (r.format == "cdk" || r.format == "terraform-plan") return std::nullopt;
  bool in_tags = span_contains(r.tags_span, span) || span_contains(entry.origin.span, span);
  // Templates: a tag's Key and Value nodes are the resource's own tag entries (YAML spans do
  // not cover whole maps, so containment cannot tell there).
  bool template_entry = !r.body_span.valid() && entry.origin.kind == OriginKind::kResource &&
                        entry.origin.span.valid() && span.file == entry.origin.span.file;
  if (!in_tags && !template_entry) return std::nullopt;
  return Edit{span, from, to};
}

std::string quoted_list(const std::vector<std::string>& items, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += (i + 1 == items.size()) ? std::string(last_sep) : std::string(", ");
    out += fmt::format("`{}`", items[i]);
  }
  return out;
}

}  // namespace tagwarden
