// The dry-run computations: coverage of a schema over resources (worst variant wins, what counts
// as failing or unknown, groups, violations), adding up reports (`report --merge`) and pairing
// the findings of two schemas (`diff`).
#include "linter/report/coverage.hpp"

#include <doctest/doctest.h>

#include <string>
#include <unordered_set>
#include <vector>

#include "linter/report/finding_diff.hpp"

using namespace tagwarden;

namespace {

struct Fixture {
  SourceManager sm;
  Schema schema;

  Fixture() {
    std::vector<Error> errors;
    FileId id = sm.add("schema.yaml",
                       "version: 1\n"
                       "except: [\"aws_sqs_queue\"]\n"
                       "tags:\n"
                       "  CostCenter: {required: true, pattern: '^CC-[0-9]{4}$'}\n"
                       "  Owner: {required: true, pattern: '@'}\n"
                       "  Application: {values: [api, web]}\n");
    auto s = load_schema(sm, id, errors);
    REQUIRE(errors.empty());
    schema = *s;
  }
};

TagEntry tag(std::string key, std::optional<std::string> value) {
  TagEntry e;
  e.key = std::move(key);
  e.value = std::move(value);
  return e;
}

Resource resource(std::string address, std::string root, std::vector<std::vector<TagEntry>> variants,
                  std::string type = "aws_s3_bucket") {
  Resource r;
  r.address = std::move(address);
  r.type = std::move(type);
  r.format = "terraform";
  r.root = std::move(root);
  for (auto& entries : variants) {
    TagSet t;
    t.entries = std::move(entries);
    r.variants.push_back(std::move(t));
  }
  return r;
}

const TagSpec& spec(const Schema& s, const std::string& key) { return *s.find(key); }

Finding finding(std::string rule, std::string address, std::string key, std::string message) {
  Finding f;
  f.rule_id = std::move(rule);
  f.level = Level::kError;
  f.address = std::move(address);
  f.root = "envs/prod";
  f.tag_key = std::move(key);
  f.message = std::move(message);
  return f;
}

}  // namespace

TEST_CASE("a key's status over a resource's variants is the worst variant's") {
  Fixture fx;
  // One deploy (variant) has the key, the other does not: the resource lacks it, as `check`
  // reports it for that variant.
  Resource r = resource("a", "r", {{tag("CostCenter", "CC-1234")}, {}});
  CHECK(resource_key_status(fx.schema, spec(fx.schema, "CostCenter"), r) == KeyStatus::kMissing);
  // Invalid outranks missing; unknown is below both.
  Resource r2 = resource("b", "r", {{tag("CostCenter", "x")}, {}, {tag("CostCenter", std::nullopt)}});
  CHECK(resource_key_status(fx.schema, spec(fx.schema, "CostCenter"), r2) == KeyStatus::kInvalid);
  Resource r3 = resource("c", "r", {{tag("CostCenter", "CC-1234")}, {tag("CostCenter", std::nullopt)}});
  CHECK(resource_key_status(fx.schema, spec(fx.schema, "CostCenter"), r3) == KeyStatus::kUnknown);
  // Out of the schema's scope: not applicable.
  Resource r4 = resource("d", "r", {{}}, "aws_sqs_queue");
  CHECK(resource_key_status(fx.schema, spec(fx.schema, "CostCenter"), r4) == KeyStatus::kNotApplicable);
}

TEST_CASE("coverage counts resources per key, per group and per violation") {
  Fixture fx;
  std::vector<Resource> rs = {
      resource("aws_s3_bucket.ok", "teams/a",
               {{tag("CostCenter", "CC-0001"), tag("Owner", "a@example.com"), tag("Team", "a")}}),
      resource("aws_s3_bucket.bad", "teams/a", {{tag("CostCenter", "0001"), tag("Team", "a")}}),
      resource("aws_s3_bucket.case", "teams/b",
               {{tag("costcenter", "CC-0001"), tag("Owner", std::nullopt), tag("Team", "b")}}),
      resource("aws_s3_bucket.unknown", "teams/b", {{tag("CostCenter", "CC-0001"), tag("Owner", std::nullopt)}}),
      resource("aws_sqs_queue.q", "teams/a", {{}}, "aws_sqs_queue"),  // excepted: not counted
  };
  Resource untaggable = resource("aws_iam_policy.p", "teams/a", {{}}, "aws_iam_policy");
  untaggable.taggable = Taggable::kNo;
  rs.push_back(untaggable);

  Coverage c = compute_coverage(fx.schema, rs, fx.sm, CoverageOptions{{"."}, {"Team"}});
  CHECK(c.keys == std::vector<std::string>{"CostCenter", "Owner", "Application"});
  CHECK(c.resources.total == 4);
  CHECK(c.resources.compliant == 1);
  CHECK(c.resources.failing == 2);  // bad (invalid CostCenter, missing Owner) and case (costcenter)
  CHECK(c.resources.unknown == 1);  // only Owner unknown

  const KeyCounts& cc = c.resources.keys.at("CostCenter");
  CHECK(cc.compliant == 2);
  CHECK(cc.invalid == 2);
  CHECK(cc.total == 4);
  const KeyCounts& owner = c.resources.keys.at("Owner");
  CHECK(owner.compliant == 1);
  CHECK(owner.missing == 1);
  CHECK(owner.unknown == 2);
  const KeyCounts& app = c.resources.keys.at("Application");
  CHECK(app.absent == 4);  // optional and absent: not a failure
  CHECK(app.compliant + app.invalid + app.missing + app.unknown + app.absent == app.total);

  CHECK(c.groups.at("tag:Team").at("a").total == 2);
  CHECK(c.groups.at("tag:Team").at("a").compliant == 1);
  CHECK(c.groups.at("tag:Team").at("(none)").total == 1);
  CHECK(c.groups.at("folder").at("teams").total == 4);
  CHECK(c.groups.at("root").at("teams/b").failing == 1);
  CHECK(c.groups.at("type").at("aws_s3_bucket").total == 4);

  CHECK(c.violations.at({"CostCenter", "value", "0001"}) == 1);
  CHECK(c.violations.at({"CostCenter", "key_case", "costcenter"}) == 1);
  CHECK(c.violations.at({"Owner", "missing", ""}) == 1);

  REQUIRE(c.failing.size() == 2);
  CHECK(c.failing[0].address == "aws_s3_bucket.bad");
  CHECK(c.failing[0].invalid == std::vector<std::string>{"CostCenter"});
  CHECK(c.failing[0].missing == std::vector<std::string>{"Owner"});
  CHECK(c.failing[1].address == "aws_s3_bucket.case");

  // Every user key written on a taggable resource, in or out of the schema's scope.
  CHECK(c.tag_keys.size() == 4);  // CostCenter, Owner, Team, costcenter
  CHECK(c.tag_keys.at("Team") == 3);
}

TEST_CASE("folders are named relative to the PATH the root was found under") {
  Fixture fx;
  std::vector<Resource> rs = {resource("aws_s3_bucket.a", "../corpus/repo-a/envs/prod", {{}}),
                              resource("aws_s3_bucket.b", "../corpus/repo-b", {{}})};
  Coverage c = compute_coverage(fx.schema, rs, fx.sm, CoverageOptions{{"../corpus"}, {}});
  CHECK(c.groups.at("folder").at("repo-a").total == 1);
  CHECK(c.groups.at("folder").at("repo-b").total == 1);
}

TEST_CASE("reports round-trip through JSON and add up") {
  Fixture fx;
  std::vector<Resource> a = {
      resource("aws_s3_bucket.x", "a", {{tag("CostCenter", "CC-0001"), tag("Owner", "o@example.com")}})};
  std::vector<Resource> b = {resource("aws_s3_bucket.x", "b", {{tag("CostCenter", "bad")}})};
  Coverage ca = compute_coverage(fx.schema, a, fx.sm, CoverageOptions{{"."}, {}});
  Coverage cb = compute_coverage(fx.schema, b, fx.sm, CoverageOptions{{"."}, {}});

  Coverage back;
  std::string why;
  REQUIRE(coverage_from_json(render_coverage_json(ca), back, why));
  CHECK(render_coverage_json(back) == render_coverage_json(ca));

  REQUIRE(merge_coverage(back, cb, why));
  CHECK(back.reports == 2);
  CHECK(back.resources.total == 2);
  CHECK(back.resources.compliant == 1);
  CHECK(back.resources.failing == 1);
  CHECK(back.resources.keys.at("CostCenter").invalid == 1);
  CHECK(back.groups.at("root").size() == 2);
  CHECK(back.failing.size() == 1);

  Coverage other = cb;
  other.keys = {"CostCenter"};
  CHECK_FALSE(merge_coverage(back, other, why));
  CHECK(why.find("other schema keys") != std::string::npos);

  Coverage junk;
  CHECK_FALSE(coverage_from_json("{\"findings\": []}", junk, why));
  CHECK_FALSE(coverage_from_json("not json", junk, why));
}

TEST_CASE("diff pairs findings of two schemas; a reworded message is not a change") {
  std::vector<Finding> before = {
      finding("TW001", "aws_s3_bucket.a", "Owner", "missing Owner"),
      finding("TW002", "aws_s3_bucket.a", "Environment", "`prod` is not one of `production`"),
      finding("TW002", "aws_s3_bucket.b", "Environment", "`prod` is not one of `production`")};
  std::vector<Finding> after = {
      finding("TW001", "aws_s3_bucket.a", "Owner", "missing Owner"),
      finding("TW002", "aws_s3_bucket.a", "Environment", "`prod` is not one of `production` or `dev`"),
      finding("TW001", "aws_s3_bucket.b", "CostCenter", "missing CostCenter")};
  FindingDiff d;
  diff_findings(before, after, d);
  CHECK(d.unchanged == 2);
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].tag_key == "CostCenter");
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].address == "aws_s3_bucket.b");

  // Regression: the same finding twice (two variants of a resource that the new schema words
  // differently) counted one `CostCenter` as added. A key on a resource is one entry.
  FindingDiff twice;
  diff_findings({before[0]}, {before[0], before[0]}, twice);
  CHECK(twice.unchanged == 1);
  CHECK(twice.removed.empty());
  CHECK(twice.added.empty());
  // Findings about no resource stay apart by place.
  Finding module_a = finding("TW011", "", "", "module cannot be read");
  module_a.primary = Span{1, 10, 20};
  Finding module_b = module_a;
  module_b.primary = Span{1, 30, 40};
  FindingDiff places;
  diff_findings({module_a}, {module_a, module_b}, places);
  CHECK(places.unchanged == 1);
  CHECK(places.added.size() == 1);
}

TEST_CASE("diff with identities dropped ahead: each counts once as unchanged, never as added or removed") {
  // `tagwarden diff` drops, resource by resource, the findings whose every entry both schemas
  // make, handing their identities over instead (diff_entry_identities).
  Finding owner = finding("TW001", "aws_s3_bucket.a", "Owner", "missing Owner");
  Finding cost = finding("TW001", "aws_s3_bucket.b", "CostCenter", "missing CostCenter");
  Finding env = finding("TW002", "aws_s3_bucket.c", "Environment", "`prod` is not allowed");
  std::vector<std::string> owner_ids = diff_entry_identities(owner);
  REQUIRE(owner_ids.size() == 1);
  std::unordered_set<std::string> in_both(owner_ids.begin(), owner_ids.end());
  // The same identity also kept on one side (a second resource block with the same address
  // and root, had there been one) neither counts twice nor comes out as removed.
  FindingDiff d;
  diff_findings({owner, cost}, {env}, d, in_both);
  CHECK(d.unchanged == 1);
  REQUIRE(d.removed.size() == 1);
  CHECK(d.removed[0].tag_key == "CostCenter");
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].tag_key == "Environment");
  // The same as comparing everything: the dropped findings put back on both sides.
  FindingDiff whole;
  diff_findings({owner, cost}, {owner, env}, whole);
  CHECK(whole.unchanged == d.unchanged);
  CHECK(whole.added.size() == d.added.size());
  CHECK(whole.removed.size() == d.removed.size());
  // A finding about two keys is two identities, one per key.
  Finding two = finding("TW001", "aws_s3_bucket.a", "CostCenter", "missing `CostCenter` and `Owner`");
  two.tag_keys = {"CostCenter", "Owner"};
  std::vector<std::string> two_ids = diff_entry_identities(two);
  REQUIRE(two_ids.size() == 2);
  CHECK(two_ids[1] == owner_ids[0]);
  CHECK(two_ids[0] != two_ids[1]);

  // What diff drops of one resource: a finding goes only when each of its entries is made by
  // the other schema too; the comparison comes out as it would have on everything.
  std::vector<Finding> old_list = {owner, two, cost}, new_list = {owner};
  std::vector<std::string> dropped;
  drop_entries_both_make(old_list, new_list, dropped);
  CHECK(dropped == owner_ids);
  REQUIRE(old_list.size() == 2);  // `two` stays for its CostCenter entry
  CHECK(old_list[0].message == two.message);
  CHECK(old_list[1].message == cost.message);
  CHECK(new_list.empty());
  FindingDiff streamed, everything;
  diff_findings(old_list, new_list, streamed, std::unordered_set<std::string>(dropped.begin(), dropped.end()));
  diff_findings({owner, two, cost}, {owner}, everything);
  CHECK(streamed.unchanged == everything.unchanged);
  CHECK(streamed.added.size() == everything.added.size());
  CHECK(streamed.removed.size() == everything.removed.size());
}

TEST_CASE("diff of a TW001 that gains a key: the new key is added, the old one unchanged") {
  // Regression: findings were paired by their first key only, so a schema that newly required
  // Owner on a resource already missing CostCenter added nothing.
  Finding before = finding("TW001", "aws_s3_bucket.a", "CostCenter", "missing `CostCenter`");
  before.tag_keys = {"CostCenter"};
  Finding after = finding("TW001", "aws_s3_bucket.a", "CostCenter", "missing `CostCenter` and `Owner`");
  after.tag_keys = {"CostCenter", "Owner"};
  FindingDiff d;
  diff_findings({before}, {after}, d);
  CHECK(d.unchanged == 1);
  CHECK(d.removed.empty());
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].tag_key == "Owner");
  CHECK(d.added[0].tag_keys == std::vector<std::string>{"Owner"});
  CHECK(d.added[0].message == "`Owner`: missing `CostCenter` and `Owner`");

  // And back: dropping Owner removes one entry.
  FindingDiff back;
  diff_findings({after}, {before}, back);
  CHECK(back.added.empty());
  REQUIRE(back.removed.size() == 1);
  CHECK(back.removed[0].tag_key == "Owner");
}

TEST_CASE("diff entries of key-case findings are about the schema's key; values tell findings apart") {
  Finding written = finding("TW003", "aws_s3_bucket.a", "project", "`project` differs from `Project`");
  written.tag_keys = {"project"};
  written.schema_key = "Project";
  FindingDiff d;
  diff_findings({}, {written}, d);
  REQUIRE(d.added.size() == 1);
  CHECK(d.added[0].tag_key == "Project");

  // The same key with another value is another finding (CloudFormation variants).
  Finding prod = finding("TW002", "aws_s3_bucket.a", "Environment", "`prod` is not allowed");
  prod.value = "prod";
  Finding qa = prod;
  qa.value = "qa";
  qa.message = "`qa` is not allowed";
  FindingDiff v;
  diff_findings({prod}, {qa}, v);
  CHECK(v.unchanged == 0);
  CHECK(v.added.size() == 1);
  CHECK(v.removed.size() == 1);
}

TEST_CASE("findings that differ only by root: check reports one, a schema diff keeps each root's") {
  // Regression: diff sorted with sort_findings, which merged a module's finding across the roots
  // that call it; when the new schema worded the roots' findings differently, the key the old
  // run had merged away counted as added.
  SourceManager sm;
  FileId id = sm.add("main.tf", "resource \"aws_s3_bucket\" \"this\" {}\n");
  Finding a = finding("TW001", "module.s3.aws_s3_bucket.this", "CostCenter", "missing `CostCenter`");
  a.primary = Span{id, 0, 8};
  Finding b = a;
  b.root = "envs/staging";
  std::vector<Finding> merged = {a, b}, kept = {a, b};
  sort_findings(merged, sm);
  sort_findings(kept, sm, true);
  CHECK(merged.size() == 1);
  CHECK(kept.size() == 2);
}
