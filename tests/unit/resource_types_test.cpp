// The AWS resource-type table (linter/schema/resource_types.hpp) is searched in place: types by
// name with binary search ignoring ASCII case, CloudFormation and Terraform types through sorted
// indexes. These check every row of the embedded table against its own text, unknown names, and
// the case and order rules of the lookups.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "linter/source/embedded.hpp"

using namespace tagwarden;

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return out;
}

bool contains(const std::vector<std::string>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

}  // namespace

TEST_CASE("resource types: every row of the embedded table is found by its name and by its types") {
  const ResourceTypes& types = ResourceTypes::aws();
  std::size_t rows = 0;
  for (std::string_view line : split_view(embedded_file("data/aws_resource_types.tsv"), '\n')) {
    if (line.empty() || line.front() == '#') continue;
    auto cols = split_view(line, '\t');
    REQUIRE(cols.size() == 7);
    ++rows;
    CAPTURE(line);
    const PolicyType* t = types.find(cols[0]);
    REQUIRE(t);
    CHECK(t->name == cols[0]);
    CHECK(types.find(upper(cols[0])) == t);  // AWS's page writes lowercase, the provider camelCase
    CHECK(t->basic_reporting == (cols[3] == "yes"));
    CHECK(t->enforceable == (cols[4] == "yes"));
    std::string_view service = cols[0].substr(0, cols[0].find(':'));
    CHECK(types.has_service(service));
    CHECK(types.has_service(upper(service)));
    for (const auto& list : {cols[1], cols[2]}) {
      if (list == "-") continue;
      for (std::string_view type : split_view(list, ',')) {
        CAPTURE(type);
        CHECK(types.has_policy_type(type));
        auto names = types.names_for(type);
        CHECK(names.front() == type);
        CHECK(contains(names, cols[0]));
      }
    }
  }
  CHECK(rows == types.all().size());
  CHECK(std::is_sorted(types.all().begin(), types.all().end(),
                       [](const PolicyType& a, const PolicyType& b) { return fold_case(a.name) < fold_case(b.name); }));
}

TEST_CASE("resource types: unknown names and types are not found") {
  const ResourceTypes& types = ResourceTypes::aws();
  CHECK(types.find("ec2:no-such-type") == nullptr);
  CHECK(types.find("") == nullptr);
  CHECK(types.find("s3:bucke") == nullptr);  // a prefix of a name is not the name
  CHECK(types.find("s3:bucket2") == nullptr);
  CHECK_FALSE(types.has_service("no-such-service"));
  CHECK_FALSE(types.has_service("s3:bucket"));  // a type is not a service
  CHECK_FALSE(types.has_service("s"));
  CHECK_FALSE(types.has_policy_type("aws_no_such_type"));
  CHECK_FALSE(types.has_policy_type("AWS::No::Such"));
  CHECK(types.names_for("aws_no_such_type") == std::vector<std::string>{"aws_no_such_type"});
  CHECK(types.expand("nosuchservice:*").empty());
  CHECK(types.all_supported("nosuchservice") == nullptr);
}

TEST_CASE("resource types: a table out of order is sorted ignoring case; types keep table order") {
  std::string tsv =
      "# name\tcfn\tterraform\tbasic\tenforce\trequired\tiac\n"
      "Svc:Zeta\tAWS::Svc::Z\taws_svc_z,aws_svc_shared\tyes\tno\tno\tno\n"
      "svc:alpha\tAWS::Svc::A\taws_svc_shared\tno\tyes\tno\tno\n"
      "svc:ALL_SUPPORTED\t-\t-\tno\tyes\tno\tno\n"
      "svc-two:thing\t-\taws_svc_two\t-\tno\tno\tno\n"
      "lonely\t-\t-\tyes\tno\tno\tno\n";
  ResourceTypes rt = ResourceTypes::parse(tsv);
  std::vector<std::string> order;
  for (const auto& t : rt.all()) order.push_back(t.name);
  CHECK(order == std::vector<std::string>{"lonely", "svc-two:thing", "svc:ALL_SUPPORTED", "svc:alpha", "Svc:Zeta"});
  REQUIRE(rt.find("SVC:ZETA"));
  CHECK(rt.find("svc:zeta")->name == "Svc:Zeta");
  CHECK(rt.has_service("svc"));
  CHECK(rt.has_service("SVC-TWO"));
  CHECK(rt.has_service("lonely"));  // a name without a colon is its own service
  CHECK_FALSE(rt.has_service("svc-"));
  CHECK(rt.all_supported("SVC")->name == "svc:ALL_SUPPORTED");
  std::vector<std::string> expanded;
  for (const PolicyType* t : rt.expand("svc:*")) expanded.push_back(t->name);
  CHECK(expanded == std::vector<std::string>{"svc:alpha", "Svc:Zeta"});
  // A Terraform type covered by two tag-policy types answers to both, in table order.
  CHECK(rt.names_for("aws_svc_shared") ==
        std::vector<std::string>{"aws_svc_shared", "svc:alpha", "AWS::Svc::A", "Svc:Zeta", "AWS::Svc::Z", "aws_svc_z"});
  CHECK(rt.names_for("AWS::Svc::Z") ==
        std::vector<std::string>{"AWS::Svc::Z", "Svc:Zeta", "aws_svc_z", "aws_svc_shared"});
  CHECK_FALSE(rt.has_policy_type("aws_svc_sha"));  // types are matched exactly
  CHECK_FALSE(rt.has_policy_type("AWS::SVC::Z"));
  // A moved table keeps its indexes (they point into its types).
  ResourceTypes moved = std::move(rt);
  CHECK(moved.names_for("aws_svc_two") == std::vector<std::string>{"aws_svc_two", "svc-two:thing"});
}
