// Stage "count/for_each expansion" of the Terraform loader (linter/frontend/terraform/expansion.hpp).
#include <doctest/doctest.h>

#include <fmt/format.h>

#include "tests/unit/terraform_stages_support.hpp"

using namespace tagwarden;
using namespace tagwarden::terraform;

namespace {

std::vector<std::string> suffixes(const Expansion& ex) {
  std::vector<std::string> out;
  for (const auto& [s, it] : ex.instances) out.push_back(s);
  return out;
}

Expansion expand(const std::string& body) {
  tw_test::Module m(fmt::format("resource \"aws_vpc\" \"v\" {{\n{}\n}}\n", body));
  return expand_instances(m.block().body, tw_test::literal_eval());
}

}  // namespace

TEST_CASE("expansion: no meta-argument is one instance without a suffix") {
  Expansion ex = expand("");
  CHECK(ex.expanded);
  CHECK(suffixes(ex) == std::vector<std::string>{""});
}

TEST_CASE("expansion: count gives [0]..[n-1] with count.index") {
  tw_test::Module m("resource \"aws_vpc\" \"v\" {\n count = 3\n}\n");
  Expansion ex = expand_instances(m.block().body, tw_test::literal_eval());
  CHECK(suffixes(ex) == std::vector<std::string>{"[0]", "[1]", "[2]"});
  REQUIRE(ex.instances[2].second.count_index);
  CHECK(ex.instances[2].second.count_index->as_number() == 2);
  CHECK(suffixes(expand("count = 0")).empty());
}

TEST_CASE("expansion: for_each over a map binds key and value, over a set both to the element") {
  Expansion ex = expand(R"(for_each = { b = "x", a = "y" })");
  CHECK(suffixes(ex) == std::vector<std::string>{"[\"a\"]", "[\"b\"]"});
  CHECK(ex.instances[0].second.each_value->as_string() == "y");
  Expansion set = expand(R"(for_each = toset(["z", "y", "z"]))");
  CHECK(suffixes(set) == std::vector<std::string>{"[\"y\"]", "[\"z\"]"});
  CHECK(set.instances[0].second.each_key->as_string() == "y");
  CHECK(set.instances[0].second.each_value->as_string() == "y");
  CHECK(suffixes(expand("for_each = null")).empty());
}

TEST_CASE("expansion: an unknown or unusable count/for_each is one unexpanded instance with the reason") {
  Expansion ex = expand("count = var.n");
  CHECK_FALSE(ex.expanded);
  REQUIRE(ex.instances.size() == 1);
  CHECK(ex.instances[0].first.empty());
  CHECK(ex.instances[0].second.count_index->is_unknown());
  CHECK(ex.instances[0].second.count_index->unknown_reason().rfind("count is not known: ", 0) == 0);
  CHECK_FALSE(expand("count = -1").expanded);
  CHECK_FALSE(expand("count = 10001").expanded);
  Expansion fe = expand("for_each = var.m");
  CHECK_FALSE(fe.expanded);
  CHECK(fe.instances[0].second.each_key->is_unknown());
  CHECK(fe.instances[0].second.each_value->is_unknown());
  CHECK_FALSE(expand(R"(for_each = "x")").expanded);
  CHECK_FALSE(expand(R"(for_each = [var.x])").expanded);
  CHECK_FALSE(expand(R"(for_each = merge({a = 1}, var.m))").expanded);
}
