// TW014 unused-suppression: a suppression (or one rule of it) that matched no finding in the
// run: the problem was fixed, or the suppression sits where that rule has nothing to say.
// Rules not selected for the run are not judged.
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {

void check_unused_suppression(const RuleContext&, const std::vector<SuppressionOutcome>& outcomes, FindingSink& sink) {
  for (const auto& o : outcomes) {
    for (const auto& ref : o.unused_rules) {
      std::string where = o.address.empty() ? std::string("in this file") : fmt::format("on {}", o.address);
      Finding& f = sink.at_span(ref.span, o.address,
                                fmt::format("`{}` suppresses nothing: no {} finding {}; remove it",
                                            describe_suppression(o.suppression), ref.name, where));
      f.root = o.root;
      f.value = ref.name;
    }
  }
}

}  // namespace tagwarden
