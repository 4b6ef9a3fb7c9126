// Rule selectors (`--select`, `--extend-select`, `--ignore`, `--rule-level` and the config's
// `select`, `extend-select`, `ignore`, `rule-levels`) all match rules through
// selector_specificity: ids, names, id prefixes and ALL, in any letter case (README).
#include <doctest/doctest.h>

#include "linter/engine/rule_selection.hpp"

using namespace tagwarden;

TEST_CASE(
    "selectors match ids, names, prefixes and ALL in any letter case (regression: `--select tw001` named no rule)") {
  CHECK(selector_specificity("tw001", "TW001") == selector_specificity("TW001", "TW001"));
  CHECK(selector_specificity("Missing-Required-Tag", "TW001") == 100);
  CHECK(selector_specificity("tw00", "TW001") == selector_specificity("TW00", "TW001"));
  CHECK(selector_specificity("all", "TW009") == 1);
  CHECK(selector_specificity("tw002", "TW001") == 0);
  CHECK(selector_specificity("tw1", "TW001") == 0);

  CHECK_FALSE(check_selector("tw001").has_value());
  CHECK_FALSE(check_selector("tw0").has_value());
  CHECK_FALSE(check_selector("TAG-TOO-LONG").has_value());
  CHECK(check_selector("tw9").has_value());

  RuleSelection s;
  s.select = {"tw00"};
  s.ignore = {"Tag-Key-Case-Mismatch"};
  s.levels = {{"tw001", Level::kNote}};
  ResolvedSelection r(s);
  CHECK(r.enabled("TW001"));
  CHECK_FALSE(r.enabled("TW003"));
  CHECK_FALSE(r.enabled("TW010"));
  CHECK(r.level("TW001", Level::kError) == Level::kNote);
}
