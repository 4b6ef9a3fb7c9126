// YAML input as CloudFormation writes it: short-form tags, and the broken forms cfn-lint
// rejects must give a positioned error here too.
#include <doctest/doctest.h>

#include "linter/load/doc.hpp"

using namespace tagwarden;

TEST_CASE("a short-form tag on a map key is a positioned error, not a silently dropped call") {
  // From cfn-lint's bad/core/parse_invalid_map.yaml: inside a flow sequence,
  // `!ImportValue Fn::Sub: x` is a one-pair map whose key carries the tag.
  std::string text = "V: !Join [',', [!ImportValue Fn::Sub: \"${N}-a\"]]\n";
  auto r = parse_yaml(0, text);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "a map key cannot carry the YAML tag !ImportValue");
  CHECK(r.errors[0].span.begin == text.find("!ImportValue"));
  CHECK_FALSE(r.root);
}

TEST_CASE("short-form tags on values are kept") {
  auto r = parse_yaml(0, "V: !ImportValue {'Fn::Sub': x}\nW: !GetAtt a.b\n");
  REQUIRE(r.root);
  CHECK(r.root->get("V")->tag == "!ImportValue");
  CHECK(r.root->get("W")->tag == "!GetAtt");
  CHECK(r.root->get("W")->scalar == "a.b");
}
