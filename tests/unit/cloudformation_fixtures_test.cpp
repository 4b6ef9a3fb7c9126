// The templates under fixtures/cloudformation/ read through the front end directly (the
// golden cases run the same inputs through the CLI).
#include <doctest/doctest.h>

#include <chrono>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

using namespace tagwarden;

namespace {

struct Fixture {
  RunOptions options;
  SourceManager sources;
  std::unique_ptr<Reader> reader = make_disk_reader();
  LoadContext ctx{options, sources, *reader};
  std::vector<Error> errors;

  std::string dir(const std::string& name) const { return std::string(TW_SOURCE_DIR) + "/fixtures/cloudformation/" + name; }

  /// Loads `file` of fixture `name`; null root and errors on a parse failure.
  ParsedDoc load(const std::string& name, const std::string& file) {
    std::string path = dir(name) + "/" + file;
    FileId id = read_source(ctx, path, errors);
    REQUIRE(id != kNoFile);
    const std::string& text = sources.file(id).contents();
    DocResult r = path.ends_with(".json") ? parse_json(id, text) : parse_yaml(id, text);
    for (auto& e : r.errors) errors.push_back(std::move(e));
    return ParsedDoc{id, path, std::shared_ptr<const DocNode>(std::move(r.root))};
  }

  FrontendResult run(const std::string& name, const std::string& file) {
    return load_cloudformation(ctx, {load(name, file)});
  }
};

const Resource& by_address(const FrontendResult& r, const std::string& address) {
  for (const auto& res : r.resources) {
    if (res.address == address) return res;
  }
  FAIL("no resource " << address);
  return r.resources.front();
}

std::string value_of(const TagSet& s, const std::string& key) {
  for (const auto& e : s.entries) {
    if (e.key == key) return e.value ? *e.value : "<unknown>";
  }
  return "<absent>";
}

}  // namespace

TEST_CASE("fixtures: the JSON and YAML intrinsic twins give the same resources and tags") {
  Fixture fy, fj;
  auto y = fy.run("intrinsics-yaml", "template.yaml");
  auto j = fj.run("intrinsics-json", "template.json");
  REQUIRE(y.resources.size() == 2);
  REQUIRE(y.resources.size() == j.resources.size());
  for (std::size_t i = 0; i < y.resources.size(); ++i) {
    const Resource& a = y.resources[i];
    const Resource& b = j.resources[i];
    CHECK(a.address == b.address);
    CHECK(a.type == b.type);
    CHECK(fy.sources.begin_of(a.span).line > 0);
    REQUIRE(a.variants.size() == b.variants.size());
    for (std::size_t v = 0; v < a.variants.size(); ++v) {
      REQUIRE(a.variants[v].entries.size() == b.variants[v].entries.size());
      for (std::size_t e = 0; e < a.variants[v].entries.size(); ++e) {
        const TagEntry& x = a.variants[v].entries[e];
        const TagEntry& z = b.variants[v].entries[e];
        CHECK(x.key == z.key);
        CHECK(x.value == z.value);
        CHECK(x.unknown_reason == z.unknown_reason);
        CHECK(x.origin.kind == z.origin.kind);
        CHECK(x.trail.size() == z.trail.size());
      }
    }
  }
  const TagSet& bucket = by_address(y, "Bucket").variants.at(0);
  CHECK(value_of(bucket, "Env") == "prod");
  CHECK(value_of(bucket, "Name") == "<unknown>");
  CHECK(value_of(bucket, "Owner") == "ops");
  CHECK(value_of(bucket, "Path") == "prod/b");
  CHECK(value_of(bucket, "Team") == "<unknown>");
  CHECK(value_of(bucket, "Arn") == "<unknown>");
  CHECK(value_of(bucket, "Literal") == "${NotAVariable}");
}

TEST_CASE("fixtures: conditions") {
  Fixture f;
  auto r = f.run("conditions", "template.yaml");
  REQUIRE(r.resources.size() == 2);  // NeverCreated's condition is false
  const Resource& data = by_address(r, "Data");
  REQUIRE(data.variants.size() == 2);
  CHECK(data.variants[0].condition == "IsProd is true");
  CHECK(value_of(data.variants[0], "Backup") == "daily");
  CHECK(value_of(data.variants[1], "Backup") == "<absent>");
  CHECK(value_of(data.variants[1], "Tier") == "bronze");
  CHECK(by_address(r, "ProdOnly").variants.at(0).condition == "IsProd is true");
}

TEST_CASE("fixtures: SAM globals and SAM's own tag") {
  Fixture f;
  auto r = f.run("sam-globals", "template.yaml");
  REQUIRE(r.resources.size() == 3);
  const TagSet& fn = by_address(r, "Handler").variants.at(0);
  CHECK(value_of(fn, "Env") == "prod");
  CHECK(value_of(fn, "Team") == "payments");
  CHECK(value_of(fn, "lambda:createdBy") == "SAM");
  CHECK(by_address(r, "Layer").taggable == Taggable::kNo);
}

TEST_CASE("fixtures: stack tags from a file and the command line") {
  Fixture f;
  f.options.stack_tag_files = {f.dir("stack-tags") + "/stack-tags.json"};
  f.options.stack_tags = {{"Project", "apollo"}};
  auto r = f.run("stack-tags", "template.yaml");
  CHECK(f.errors.empty());
  REQUIRE(r.resources.size() == 3);
  const TagSet& bucket = by_address(r, "Bucket").variants.at(0);
  CHECK(value_of(bucket, "Owner") == "bucket-owner");
  CHECK(value_of(bucket, "CostCenter") == "1234");
  CHECK(value_of(bucket, "Project") == "apollo");
  const TagSet& param = by_address(r, "Param").variants.at(0);
  CHECK(param.entries.size() == 3);
  CHECK(value_of(param, "Owner") == "stack-owner");
}

TEST_CASE("fixtures: duplicate keys, including one from an Fn::If branch") {
  Fixture f;
  auto r = f.run("duplicate-keys", "template.yaml");
  const Resource& b = by_address(r, "Bucket");
  REQUIRE(b.variants.size() == 2);
  CHECK(b.variants[0].entries.size() == 3);
  CHECK(b.variants[1].entries.size() == 2);
}

TEST_CASE("fixtures: 48 own tags + SAM's tag + stack tags exceed the limit of 50") {
  Fixture f;
  f.options.stack_tags = {{"A", "1"}, {"B", "2"}};
  auto r = f.run("tag-limit", "template.yaml");
  const Resource& fn = by_address(r, "Fn");
  CHECK(fn.max_user_tags == 50);
  CHECK(fn.variants.at(0).entries.size() == 51);
}

TEST_CASE("fixtures: forty conditions finish fast; only referenced ones are enumerated") {
  Fixture f;
  auto t0 = std::chrono::steady_clock::now();
  auto r = f.run("many-conditions", "template.yaml");
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 2000.0);
  REQUIRE(r.resources.size() == 22);
  CHECK(by_address(r, "B3").variants.size() == 2);
  // Forty conditions over one parameter: one combination per value, plus "another value".
  CHECK(by_address(r, "Wide").variants.size() == 41);
  CHECK(by_address(r, "Wider").variants.size() <= 64);
  REQUIRE(r.facts.size() == 1);
  CHECK(r.facts[0].kind == Fact::Kind::kUnexplored);
  CHECK(r.facts[0].address == "Wider");
}

TEST_CASE("fixtures: --parameter overrides a default and gives a pseudo parameter") {
  Fixture f;
  f.options.parameters = {{"Env", "prod"}, {"AWS::Region", "eu-west-1"}};
  auto r = f.run("parameter-override", "template.yaml");
  const TagSet& b = by_address(r, "Bucket").variants.at(0);
  CHECK(value_of(b, "Env") == "prod");
  CHECK(value_of(b, "Region") == "eu-west-1");
}

TEST_CASE("fixtures: a broken template gives one positioned error") {
  Fixture f;
  ParsedDoc doc = f.load("broken-template", "template.yaml");
  CHECK_FALSE(doc.root);
  REQUIRE(f.errors.size() == 1);
  CHECK(f.errors[0].span.valid());
  CHECK(f.sources.begin_of(f.errors[0].span).line >= 8);
}
