// TW012 invalid-tag-entry: a tag entry CloudFormation, the SAM transform or the service will
// reject (a missing required Value, AWS::NoValue where a Value is required, an AutoScaling tag
// without PropagateAtLaunch, a value that can never be a string, a key SAM reserves). Front
// ends record these as facts (Fact::Kind::kInvalidTagEntry); this rule reports them.
#include <fmt/format.h>

#include "rules/checks.hpp"

namespace tagwarden {

void check_invalid_tag_entry(const RuleContext&, const std::vector<Fact>& facts, FindingSink& sink) {
  for (const auto& f : facts) {
    if (f.kind != Fact::Kind::kInvalidTagEntry) continue;
    sink.at_span(f.span, f.address, fmt::format("{} {}", f.address, f.reason)).root = f.root;
  }
}

}  // namespace tagwarden
