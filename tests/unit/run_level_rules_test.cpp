// Specification of the rules that compare resources across a whole run (rules/checks.hpp):
// inconsistent-tag-value-case (TW009) over the run's tag values, module-not-inspectable (TW011)
// over its module calls. Both group what they read; the order of their findings is theirs to
// keep, whatever the grouping costs.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "rules/checks.hpp"

using namespace tagwarden;

namespace {

/// A run's facts with one resource per use: uses[i] is resource i's `key` = `value`.
RunFacts tag_values(const std::vector<std::pair<std::string, std::string>>& uses) {
  RunFacts facts;
  for (const auto& [key, value] : uses) {
    TagValueUse u;
    u.key = key;
    u.value = value;
    u.resource = static_cast<std::uint32_t>(facts.resources.size());
    facts.resources.push_back(ObservedResource{"r" + std::to_string(facts.resources.size()), "root", "main.tf"});
    facts.tag_values.push_back(std::move(u));
  }
  return facts;
}

std::vector<std::string> inconsistent(const RunFacts& facts) {
  std::vector<Finding> out;
  FindingSink sink(out);
  sink.set_rule("TW009", Level::kWarning);
  check_inconsistent_tag_value_case(RuleContext{}, facts, sink);
  std::vector<std::string> messages;
  for (const auto& f : out) messages.push_back(f.message.substr(0, f.message.find(';')));
  return messages;
}

}  // namespace

TEST_CASE("TW009: each spelling but the most used one is reported, by key, folded value, spelling and resource") {
  RunFacts facts = tag_values({{"Team", "payments"},
                               {"Env", "Prod"},
                               {"Team", "Payments"},
                               {"Team", "payments"},
                               {"Env", "PROD"},
                               {"Env", "prod"},
                               {"Env", "Prod"},
                               {"Team", "PAYMENTS"},
                               {"Owner", "ops"},
                               {"Team", "ops"},
                               {"Team", "Ops"}});
  CHECK(inconsistent(facts) ==
        std::vector<std::string>{
            "r4 tag `Env` has value `PROD`, but 2 resources in this run spell it `Prod`",
            "r5 tag `Env` has value `prod`, but 2 resources in this run spell it `Prod`",
            "r9 tag `Team` has value `ops`, but 1 resource in this run spell it `Ops`",
            "r7 tag `Team` has value `PAYMENTS`, but 2 resources in this run spell it `payments`",
            "r2 tag `Team` has value `Payments`, but 2 resources in this run spell it `payments`",
        });
}

TEST_CASE("TW009: keys are compared as written, values folded beyond ASCII; one spelling is no finding") {
  RunFacts facts = tag_values({{"team", "Équipe"},
                               {"Team", "équipe"},
                               {"Team", "ÉQUIPE"},
                               {"Team", "équipe"},
                               {"Env", "prod"},
                               {"Env", "prod"}});
  CHECK(inconsistent(facts) ==
        std::vector<std::string>{"r2 tag `Team` has value `ÉQUIPE`, but 2 resources in this run spell it `équipe`"});
  CHECK(inconsistent(tag_values({})).empty());
}

TEST_CASE("TW011: one finding per source and reason, ordered by them, naming the other calls") {
  std::vector<Fact> facts;
  auto call = [&](std::string address, std::string source, std::string reason) {
    Fact f;
    f.kind = Fact::Kind::kModuleNotInspectable;
    f.address = std::move(address);
    f.subject = std::move(source);
    f.reason = std::move(reason);
    f.root = "root";
    facts.push_back(std::move(f));
  };
  call("module.b1", "git::b", "run terraform init");
  call("module.a1", "git::a", "run terraform init");
  call("module.b2", "git::b", "run terraform init");
  call("module.a2", "git::a", "not in the tree");
  call("module.ab", "git::a-b", "run terraform init");
  call("module.b3", "git::b", "run terraform init");
  Fact other;
  other.kind = Fact::Kind::kModuleCall;
  other.subject = "git::a";
  facts.push_back(other);
  std::vector<Finding> out;
  FindingSink sink(out);
  sink.set_rule("TW011", Level::kNote);
  check_module_not_inspectable(RuleContext{}, facts, sink);
  std::vector<std::string> got;
  for (const auto& f : out) got.push_back(f.address + ": " + f.message + " [" + std::to_string(f.related.size()) + "]");
  CHECK(got == std::vector<std::string>{
                   "module.a2: module.a2 source \"git::a\" is not inspectable: not in the tree [0]",
                   "module.a1: module.a1 source \"git::a\" is not inspectable: run terraform init [0]",
                   "module.ab: module.ab source \"git::a-b\" is not inspectable: run terraform init [0]",
                   "module.b1: module.b1 source \"git::b\" is not inspectable: run terraform init; 2 more calls of "
                   "this source are not checked either [2]",
               });
}
