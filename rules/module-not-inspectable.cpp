// TW011 module-not-inspectable: module calls whose source cannot be read, one finding per
// module source (at its first call), so a source called from a thousand root modules is one
// note with the other calls counted, not a thousand.
#include <fmt/format.h>

#include <map>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "linter/model/text.hpp"
#include "rules/checks.hpp"

namespace tagwarden {

namespace {
constexpr std::size_t kMaxRelatedCalls = 10;
}

void check_module_not_inspectable(const RuleContext&, const std::vector<Fact>& facts, FindingSink& sink) {
  // Facts arrive in a deterministic order (root modules in path order, calls in file order),
  // so the first call of each source is stable.
  // Calls are grouped by source and reason, and the groups reported in the order of
  // "source\nreason" (a string made once per group, not per call).
  std::unordered_map<std::pair<std::string_view, std::string_view>, std::vector<const Fact*>, StringPairHash> groups;
  for (const auto& f : facts) {
    if (f.kind == Fact::Kind::kModuleNotInspectable) groups[{f.subject, f.reason}].push_back(&f);
  }
  std::map<std::string, const std::vector<const Fact*>*> by_source;
  for (const auto& [k, calls] : groups) by_source.emplace(fmt::format("{}\n{}", k.first, k.second), &calls);
  for (const auto& [_, group] : by_source) {
    const std::vector<const Fact*>& calls = *group;
    const Fact& first = *calls.front();
    std::string message =
        fmt::format("{} source \"{}\" is not inspectable: {}", first.address, first.subject, first.reason);
    std::vector<Related> related;
    if (calls.size() > 1) {
      message += calls.size() == 2
                     ? std::string("; 1 more call of this source is not checked either")
                     : fmt::format("; {} more calls of this source are not checked either", calls.size() - 1);
      for (std::size_t i = 1; i < calls.size() && related.size() < kMaxRelatedCalls; ++i)
        related.push_back(Related{calls[i]->span, fmt::format("{} calls the same source", calls[i]->address)});
    }
    sink.at_span(first.span, first.address, std::move(message), std::move(related)).root = first.root;
  }
}

}  // namespace tagwarden
