#include "linter/frontend/cloudformation/metadata_suppressions.hpp"

#include <fmt/format.h>

namespace tagwarden {
namespace {

Suppression malformed(Span span, std::string problem) {
  Suppression s;
  s.span = span;
  s.problem = std::move(problem);
  return s;
}

}  // namespace

void read_metadata_suppressions(const DocNode& metadata, std::vector<Suppression>& out) {
  if (!metadata.is_map()) return;
  int at = metadata.index_of("tagwarden");
  if (at < 0) return;
  const DocNode& tw = metadata.items[static_cast<std::size_t>(at)];
  Span tw_span = metadata.key_spans[static_cast<std::size_t>(at)];
  if (!tw.is_map()) {
    out.push_back(malformed(tw_span, "`tagwarden` metadata must be a map with an `ignore` list"));
    return;
  }
  for (std::size_t i = 0; i < tw.keys.size(); ++i) {
    if (tw.keys[i] != "ignore") {
      out.push_back(malformed(
          tw.key_spans[i], fmt::format("unknown field `{}` in `tagwarden` metadata (expected `ignore`)", tw.keys[i])));
    }
  }
  const DocNode* ignore = tw.get("ignore");
  if (ignore == nullptr) return;
  if (!ignore->is_seq()) {
    out.push_back(malformed(ignore->span, "`tagwarden.ignore` must be a list of {rule, reason, until} entries"));
    return;
  }
  for (const DocNode& entry : ignore->items) {
    Suppression s;
    s.span = entry.span;
    if (!entry.is_map()) {
      out.push_back(malformed(entry.span, "a `tagwarden.ignore` entry must be a map with `rule` and `reason`"));
      continue;
    }
    // The entry's first key is a better place to point at than a YAML map's opening column.
    if (!entry.key_spans.empty()) s.span = entry.key_spans.front();
    for (std::size_t i = 0; i < entry.keys.size(); ++i) {
      const std::string& k = entry.keys[i];
      const DocNode& v = entry.items[i];
      if (k == "rule" || k == "rules") {
        std::vector<const DocNode*> names;
        if (v.is_seq()) {
          for (const DocNode& n : v.items) names.push_back(&n);
        } else {
          names.push_back(&v);
        }
        for (const DocNode* n : names) {
          if (n->is_scalar() && !n->scalar.empty()) {
            s.rules.push_back(Suppression::RuleRef{n->scalar, n->span});
          } else if (s.problem.empty()) {
            s.problem = fmt::format("`{}` must name rules by id or name", k);
          }
        }
      } else if (k == "reason") {
        if (v.is_scalar()) s.reason = v.scalar;
      } else if (k == "until") {
        s.until = v.scalar;
        s.until_span = v.span;
        if (!v.is_scalar() || !is_iso_date(v.scalar)) {
          if (s.problem.empty()) s.problem = fmt::format("`until: {}` is not a date written YYYY-MM-DD", v.scalar);
        }
      } else if (s.problem.empty()) {
        s.problem = fmt::format("unknown field `{}` (expected `rule`, `reason` and optionally `until`)", k);
      }
    }
    // Surrounding whitespace is not a reason.
    while (!s.reason.empty() && (s.reason.back() == ' ' || s.reason.back() == '\n')) s.reason.pop_back();
    while (!s.reason.empty() && s.reason.front() == ' ') s.reason.erase(0, 1);
    if (s.rules.empty() && s.problem.empty()) s.problem = "it names no rule (`rule: TW001`)";
    out.push_back(std::move(s));
  }
}

}  // namespace tagwarden
