// TW015 expired-suppression: a suppression whose `until` date has passed. It no longer applies,
// so the findings it held back are reported again; this finding says why they came back.
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {

void check_expired_suppression(const RuleContext&, const std::vector<SuppressionOutcome>& outcomes, FindingSink& sink) {
  for (const auto& o : outcomes) {
    if (!o.expired) continue;
    const Suppression& s = o.suppression;
    Finding& f = sink.at_span(
        s.until_span.valid() ? s.until_span : s.span, o.address,
        fmt::format(
            "`{}`{} expired after {}, so its findings are reported again: fix them, or renew the date with a reason",
            describe_suppression(s), o.address.empty() ? std::string() : fmt::format(" for {}", o.address), s.until));
    f.root = o.root;
    f.value = describe_suppression(s) + " until=" + s.until;
  }
}

}  // namespace tagwarden
