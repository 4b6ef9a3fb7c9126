// How run_rules labels findings of resources whose tags depend on undecided conditions.
#include <doctest/doctest.h>

#include "rules/rule.hpp"

using namespace tagwarden;

namespace {
TagSet variant(std::string condition, std::vector<std::string> keys) {
  TagSet t;
  t.condition = std::move(condition);
  for (auto& k : keys) {
    TagEntry e;
    e.key = k;
    e.value = "x";
    t.entries.push_back(e);
  }
  return t;
}

std::vector<std::string> reserved_messages(const Resource& r) {
  std::vector<std::string> out;
  for (const auto& f : run_rules(RuleContext{}, {r})) {
    if (f.rule_id == "TW007") out.push_back(f.message);
  }
  return out;
}
}  // namespace

TEST_CASE("a finding in every variant is reported once without a condition") {
  Resource r;
  r.address = "B";
  r.variants = {variant("IsProd is true", {"aws:x"}), variant("IsProd is false", {"aws:x", "Team"})};
  auto msgs = reserved_messages(r);
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].find("(when") == std::string::npos);
}

TEST_CASE("a finding in some variants is reported per variant, naming its condition") {
  Resource r;
  r.address = "B";
  r.variants = {variant("IsProd is true", {"aws:x"}), variant("IsProd is false", {"Team"})};
  auto msgs = reserved_messages(r);
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].find("(when IsProd is true)") != std::string::npos);
}

TEST_CASE("a resource that exists only under an undecided condition names it") {
  Resource r;
  r.address = "B";
  r.variants = {variant("HasLogs is true", {"aws:x"})};
  auto msgs = reserved_messages(r);
  REQUIRE(msgs.size() == 1);
  CHECK(msgs[0].find("(when HasLogs is true)") != std::string::npos);
}
