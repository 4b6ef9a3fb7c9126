// TW013 invalid-suppression: a suppression that cannot apply as written: it has no reason, it
// cannot be read (no rule, a bad date, an unknown Metadata field), or it names something that
// is not a rule. A suppression must say why its finding is acceptable, so one without a reason
// suppresses nothing.
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {
namespace {

std::string for_whom(const SuppressionOutcome& o) {
  return o.address.empty() ? std::string() : fmt::format(" for {}", o.address);
}

}  // namespace

void check_invalid_suppression(const RuleContext&, const std::vector<SuppressionOutcome>& outcomes, FindingSink& sink) {
  for (const auto& o : outcomes) {
    const Suppression& s = o.suppression;
    std::string what = describe_suppression(s);
    if (!s.problem.empty()) {
      Finding& f =
          sink.at_span(s.span, o.address,
                       fmt::format("`{}`{} cannot be read: {}; it suppresses nothing", what, for_whom(o), s.problem));
      f.root = o.root;
      f.value = what;
      continue;
    }
    for (const auto& ref : o.unknown_rules) {
      Finding& f =
          sink.at_span(ref.span, o.address,
                       fmt::format("`{}` in `{}`{} is not a tagwarden rule id or name (`tagwarden rules` lists them)",
                                   ref.name, what, for_whom(o)));
      f.root = o.root;
      f.value = ref.name;
    }
    if (o.missing_reason) {
      Finding& f =
          sink.at_span(s.span, o.address,
                       fmt::format("`{}`{} gives no reason, so it does not apply: say why the finding is acceptable "
                                   "(after `--` in a comment, as `reason:` in Metadata)",
                                   what, for_whom(o)));
      f.root = o.root;
      f.value = what;
    }
  }
}

}  // namespace tagwarden
