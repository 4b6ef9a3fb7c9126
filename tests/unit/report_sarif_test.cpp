// SARIF carries every rule's metadata from its embedded doc (the SARIF goldens filter the doc
// text out, so it is checked here once).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "linter/report/report.hpp"
#include "rules/rule.hpp"

using namespace tagwarden;

TEST_CASE("SARIF rules[] embed each rule's doc as help and its summary as shortDescription") {
  SourceManager sources;
  std::vector<Finding> findings;
  std::vector<Error> errors;
  ReportInput in{sources, findings, errors, RunSummary{}, "0.0.0"};
  auto sarif = nlohmann::json::parse(render_sarif(in));
  const auto& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
  REQUIRE(rules.size() == all_rules().size());
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = all_rules()[i];
    CAPTURE(rule.id);
    CHECK(rules[i]["id"] == std::string(rule.id));
    CHECK(rules[i]["name"] == std::string(rule.name));
    CHECK(rules[i]["shortDescription"]["text"] == std::string(rule.summary));
    CHECK(rules[i]["help"]["markdown"] == std::string(rule_doc(rule)));
    CHECK_FALSE(rules[i]["fullDescription"]["text"].get<std::string>().empty());
  }
}
