// TW014 unused-suppression: a suppression (or one rule of it) that matched no finding in the
// run: the problem was fixed, or the suppression sits where that rule has nothing to say.
// Rules not selected for the run are not judged.
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {

void check_unused_suppression(const RuleContext&, const std::vector<SuppressionOutcome>& outcomes, FindingSink& sink) {
  for (const auto& o : outcomes) {
    for (const auto& ref : o.unused_rules) {
      // Say precisely why it matched nothing: where it applies had no such finding, or it
      // applies nowhere (not next to a resource or module block).
      std::string why;
      if (o.suppression.scope == Suppression::Scope::kFile) {
        why = fmt::format("no {} finding in this file; remove it", ref.name);
      } else if (o.attached == 0) {
        why =
            "it is not attached to a resource or module block (write it on the lines right above the block's "
            "header or inside the block); move or remove it";
      } else if (!o.address.empty()) {
        why = fmt::format("no {} finding on {}; remove it", ref.name, o.address);
      } else {
        why = fmt::format("no {} finding on any of the {} resources or module calls this block defines; remove it",
                          ref.name, o.attached);
      }
      Finding& f = sink.at_span(ref.span, o.address,
                                fmt::format("`{}` suppresses nothing: {}", describe_suppression(o.suppression), why));
      f.root = o.root;
      f.value = ref.name;
    }
  }
}

}  // namespace tagwarden
