// Every rule is four things sharing one name (STYLE.md section 3): code, doc, fixtures, a row.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rules/rule.hpp"

using namespace tagwarden;

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
}  // namespace

TEST_CASE("every rule has a unique id and name, a doc, a firing and a clean fixture") {
  std::set<std::string_view> ids, names;
  std::filesystem::path root = TW_SOURCE_DIR;
  for (const auto& rule : all_rules()) {
    CAPTURE(rule.id);
    CHECK(ids.insert(rule.id).second);
    CHECK(names.insert(rule.name).second);
    std::string_view doc = rule_doc(rule);
    REQUIRE_FALSE(doc.empty());
    CHECK(doc.find(std::string("# ") + std::string(rule.id) + " " + std::string(rule.name)) == 0);
    auto fires = root / "fixtures/rules" / std::string(rule.name) / "fires";
    auto clean = root / "fixtures/rules" / std::string(rule.name) / "clean";
    REQUIRE(std::filesystem::exists(fires / "args"));
    REQUIRE(std::filesystem::exists(clean / "args"));
    CHECK(slurp(fires / "expected.out").find("[" + std::string(rule.id) + "]") != std::string::npos);
    CHECK(slurp(clean / "expected.out").find("[" + std::string(rule.id) + "]") == std::string::npos);
  }
}

TEST_CASE("rules are listed in id order and found by id or name") {
  const auto& rules = all_rules();
  for (std::size_t i = 1; i < rules.size(); ++i) CHECK(rules[i - 1].id < rules[i].id);
  CHECK(find_rule("TW003") == find_rule("tag-key-case-mismatch"));
  CHECK(find_rule("TW999") == nullptr);
}
