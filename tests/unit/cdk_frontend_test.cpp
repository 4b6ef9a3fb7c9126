// The CDK front end on hand-written cloud assemblies: manifests, stack tags, nested stages,
// nested stacks found through asset manifests, and locations from creation stacks.
#include <doctest/doctest.h>

#include <algorithm>

#include "linter/frontend/cdk/cdk_frontend.hpp"

using namespace tagwarden;

namespace {

struct Run {
  RunOptions options;
  SourceManager sources;
  MemoryReader reader;
  FrontendResult result;

  void load(std::vector<std::string> dirs, std::vector<std::string> paths = {"app"}) {
    options.paths = std::move(paths);
    LoadContext ctx{options, sources, reader};
    result = load_cdk(ctx, dirs);
  }
  const Resource* find(const std::string& address) const {
    auto it = std::find_if(result.resources.begin(), result.resources.end(),
                           [&](const Resource& r) { return r.address == address; });
    return it == result.resources.end() ? nullptr : &*it;
  }
  std::string file_of(const Span& s) const { return s.valid() ? sources.file(s.file).path() : ""; }
  std::uint32_t line_of(const Span& s) const { return sources.begin_of(s).line; }
};

const TagEntry* tag(const Resource& r, const std::string& key) {
  const auto& e = r.variants.at(0).entries;
  auto it = std::find_if(e.begin(), e.end(), [&](const TagEntry& t) { return t.key == key; });
  return it == e.end() ? nullptr : &*it;
}

std::string stack_artifact(const std::string& id, const std::string& template_file, const std::string& extra = "") {
  return "\"" + id + "\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {\"templateFile\": \"" +
         template_file + "\"" + extra + "}, \"displayName\": \"" + id + "\"}";
}

const char* kBucketTemplate = R"J({"Resources": {
  "LogsBucket": {"Type": "AWS::S3::Bucket",
    "Properties": {"Tags": [{"Key": "Env", "Value": "dev"}]},
    "Metadata": {"aws:cdk:path": "Shop/Logs/Resource"}},
  "Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {}}
}})J";

}  // namespace

TEST_CASE("a cloud assembly is a folder whose manifest.json has an artifacts map") {
  Run run;
  run.reader.add("a/cdk.out/manifest.json", R"J({"version": "55.0.0", "artifacts": {}})J");
  run.reader.add("b/manifest.json", R"J({"name": "not an assembly"})J");
  run.reader.add("c/manifest.json", "{ broken");
  LoadContext ctx{run.options, run.sources, run.reader};
  CHECK(is_cdk_assembly(ctx, "a/cdk.out"));
  CHECK_FALSE(is_cdk_assembly(ctx, "b"));
  CHECK_FALSE(is_cdk_assembly(ctx, "c"));
  CHECK_FALSE(is_cdk_assembly(ctx, "a"));
}

TEST_CASE("stack artifacts are evaluated with the manifest's stack tags; the resource's own value wins") {
  Run run;
  run.reader.add("app/cdk.out/manifest.json",
                 "{\"artifacts\": {" +
                     stack_artifact("Shop", "Shop.template.json", R"J(, "tags": {"Env": "prod", "Owner": "team-a"})J") +
                     ", \"Tree\": {\"type\": \"cdk:tree\", \"properties\": {\"file\": \"tree.json\"}}}}");
  run.reader.add("app/cdk.out/Shop.template.json", kBucketTemplate);
  run.load({"app/cdk.out"});
  CHECK(run.result.errors.empty());
  REQUIRE(run.result.resources.size() == 2);
  const Resource* bucket = run.find("Shop/LogsBucket");
  REQUIRE(bucket);
  CHECK(bucket->format == "cdk");
  CHECK(bucket->cdk_path == "Shop/Logs/Resource");
  REQUIRE(tag(*bucket, "Env"));
  CHECK(tag(*bucket, "Env")->value == std::optional<std::string>("dev"));
  CHECK(tag(*bucket, "Env")->origin.kind == OriginKind::kResource);
  const TagEntry* owner = tag(*bucket, "Owner");
  REQUIRE(owner);
  CHECK(owner->value == std::optional<std::string>("team-a"));
  CHECK(owner->origin.kind == OriginKind::kStackTag);
  CHECK(owner->origin.detail.find("Shop") != std::string::npos);
  CHECK(run.file_of(owner->origin.span) == "app/cdk.out/manifest.json");
  // No creation stack: the resource stays at its logical id in the template.
  CHECK(run.file_of(bucket->span) == "app/cdk.out/Shop.template.json");
  CHECK(bucket->related.empty());
}

TEST_CASE("stack tags on the command line are deployed too and win over the manifest's") {
  Run run;
  run.options.stack_tags = {{"Owner", "team-b"}, {"Extra", "1"}};
  run.reader.add(
      "app/cdk.out/manifest.json",
      "{\"artifacts\": {" + stack_artifact("Shop", "Shop.template.json", R"J(, "tags": {"Owner": "team-a"})J") + "}}");
  run.reader.add("app/cdk.out/Shop.template.json", kBucketTemplate);
  run.load({"app/cdk.out"});
  const Resource* bucket = run.find("Shop/LogsBucket");
  REQUIRE(bucket);
  CHECK(tag(*bucket, "Owner")->value == std::optional<std::string>("team-b"));
  CHECK(tag(*bucket, "Extra")->value == std::optional<std::string>("1"));
}

TEST_CASE("older assemblies: inline metadata and aws:cdk:stack-tags give locations and stack tags") {
  Run run;
  run.reader.add("app/cdk.out/manifest.json", R"J({"artifacts": {"Shop": {"type": "aws:cloudformation:stack",
    "properties": {"templateFile": "Shop.template.json"},
    "metadata": {
      "/Shop": [{"type": "aws:cdk:stack-tags", "data": [{"key": "Owner", "value": "team-a"}]}],
      "/Shop/Logs/Resource": [{"type": "aws:cdk:logicalId", "data": "LogsBucket",
         "trace": ["new Bucket (/build/src/node_modules/@aws-cdk/aws-s3/lib/bucket.js:1:2)",
                   "new Shop (/build/src/lib/shop.js:4:5)"]}]}}}})J");
  run.reader.add("app/cdk.out/Shop.template.json", R"J({"Resources": {"LogsBucket": {"Type": "AWS::S3::Bucket"}}})J");
  run.reader.add("app/lib/shop.js", "line1\nline2\nline3\n    new Bucket(this, 'Logs');\n");
  run.load({"app/cdk.out"});
  const Resource* bucket = run.find("Shop/LogsBucket");
  REQUIRE(bucket);
  // The construct path comes from the logicalId entry when the template has no aws:cdk:path.
  CHECK(bucket->cdk_path == "Shop/Logs/Resource");
  CHECK(run.file_of(bucket->span) == "app/lib/shop.js");
  CHECK(run.line_of(bucket->span) == 4);
  CHECK(run.sources.begin_of(bucket->span).column == 5);
  REQUIRE(tag(*bucket, "Owner"));
  CHECK(tag(*bucket, "Owner")->origin.kind == OriginKind::kStackTag);
}

TEST_CASE("resource locations: own frame, then the nearest ancestor's, then the template") {
  Run run;
  run.reader.add(
      "app/cdk.out/manifest.json",
      "{\"artifacts\": {" + stack_artifact("Shop", "Shop.template.json") +
          R"J(, "Shop.x": {"type": "cdk:asset-manifest", "properties": {"file": "missing.assets.json"}}}})J");
  run.reader.add("app/cdk.out/Shop.template.json", R"J({"Resources": {
    "A": {"Type": "AWS::SQS::Queue", "Metadata": {"aws:cdk:path": "Shop/Queue/Resource"}},
    "B": {"Type": "AWS::IAM::Role", "Metadata": {"aws:cdk:path": "Shop/Queue/Helper/Role"}},
    "C": {"Type": "AWS::SNS::Topic", "Metadata": {"aws:cdk:path": "Shop/Lib/Topic"}},
    "D": {"Type": "AWS::SNS::Topic", "Metadata": {"aws:cdk:path": "Shop/Gone/Topic"}}}})J");
  run.reader.add("app/cdk.out/Shop.metadata.json", R"J({
    "/Shop/Queue/Resource": [{"type": "aws:cdk:creationStack", "data": [
       "...new Queue2 in aws-cdk-lib...", "new Shop (/home/runner/work/x/x/lib/shop.js:2:5)", "...node internals..."]}],
    "/Shop/Lib/Topic": [{"type": "aws:cdk:creationStack", "data": ["...aws-cdk-lib...", "(no user code in 10 frames)"]}],
    "/Shop/Gone/Topic": [{"type": "aws:cdk:creationStack", "data": ["new Shop (/home/runner/work/x/x/lib/deleted.js:2:5)"]}]})J");
  // The manifest names the metadata file.
  std::string manifest = *run.reader.read("app/cdk.out/manifest.json", nullptr);
  manifest.replace(manifest.find("\"displayName\""), 0, "\"additionalMetadataFile\": \"Shop.metadata.json\", ");
  run.reader.add("app/cdk.out/manifest.json", manifest);
  run.reader.add("app/lib/shop.js", "// shop\n    new sqs.Queue(this, 'Queue');\n");
  run.load({"app/cdk.out"});
  CHECK(run.result.errors.empty());

  const Resource* a = run.find("Shop/A");
  REQUIRE(a);
  CHECK(run.file_of(a->span) == "app/lib/shop.js");
  CHECK(run.line_of(a->span) == 2);
  REQUIRE(a->related.size() == 1);
  CHECK(run.file_of(a->related[0].span) == "app/cdk.out/Shop.template.json");
  CHECK(run.line_of(a->related[0].span) == 2);

  // Made inside the Queue construct: located by the Queue's default child.
  const Resource* b = run.find("Shop/B");
  REQUIRE(b);
  CHECK(run.file_of(b->span) == "app/lib/shop.js");
  CHECK(b->related.at(0).message.find("Shop/Queue") != std::string::npos);

  // No user frame anywhere up the tree, and a frame naming a file that is not here: template.
  CHECK(run.file_of(run.find("Shop/C")->span) == "app/cdk.out/Shop.template.json");
  CHECK(run.file_of(run.find("Shop/D")->span) == "app/cdk.out/Shop.template.json");
  CHECK(run.find("Shop/D")->related.empty());
}

TEST_CASE("nested stages are followed, addressed by display name, with bounded depth") {
  Run run;
  run.reader.add("app/cdk.out/manifest.json", R"J({"artifacts": {
    "assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}},
    "assembly-Self": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "."}},
    "assembly-Gone": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Gone"}}}})J");
  run.reader.add("app/cdk.out/assembly-Prod/manifest.json", R"J({"artifacts": {"ProdShopA1B2": {
    "type": "aws:cloudformation:stack", "properties": {"templateFile": "ProdShopA1B2.template.json", "tags": {"Stage": "prod"}},
    "displayName": "Prod/Shop"}}})J");
  run.reader.add("app/cdk.out/assembly-Prod/ProdShopA1B2.template.json", kBucketTemplate);
  run.load({"app/cdk.out"});
  const Resource* bucket = run.find("Prod/Shop/LogsBucket");
  REQUIRE(bucket);
  CHECK(tag(*bucket, "Stage")->value == std::optional<std::string>("prod"));
  // The stage that names its own folder is read once; the missing one is an error.
  CHECK(run.result.resources.size() == 2);
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message.find("assembly-Gone") != std::string::npos);

  // A chain of stages deeper than the bound stops with an error, not a hang.
  Run deep;
  std::string dir = "app/cdk.out";
  for (int i = 0; i < 20; ++i) {
    deep.reader.add(dir + "/manifest.json",
                    R"J({"artifacts": {"s": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "d"}}}})J");
    dir += "/d";
  }
  deep.reader.add(dir + "/manifest.json", R"J({"artifacts": {}})J");
  deep.load({"app/cdk.out"});
  REQUIRE(deep.result.errors.size() == 1);
  CHECK(deep.result.errors[0].message.find("deep") != std::string::npos);
}

TEST_CASE("nested stacks are found through the asset manifest and inherit the parent's stack tags") {
  Run run;
  run.reader.add(
      "app/cdk.out/manifest.json",
      "{\"artifacts\": {" + stack_artifact("Shop", "Shop.template.json", R"J(, "tags": {"Owner": "team-a"})J") +
          R"J(, "Shop.assets": {"type": "cdk:asset-manifest", "properties": {"file": "Shop.assets.json"}}}})J");
  run.reader.add("app/cdk.out/Shop.assets.json", R"J({"files": {
    "abc123": {"source": {"path": "ShopData1234.nested.template.json", "packaging": "file"}},
    "def456": {"source": {"path": "asset.def456", "packaging": "zip"}}}})J");
  // No aws:asset:path metadata: the TemplateURL's object key names the asset.
  run.reader.add("app/cdk.out/Shop.template.json", R"J({"Resources": {"DataStack": {
    "Type": "AWS::CloudFormation::Stack",
    "Properties": {
      "TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::URLSuffix"}, "/bucket/abc123.json"]]},
      "Tags": [{"Key": "Layer", "Value": "data"}, {"Key": "Region", "Value": {"Ref": "AWS::Region"}}]}},
    "Outside": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://example.com/t.json"}}}})J");
  run.reader.add("app/cdk.out/ShopData1234.nested.template.json", R"J({"Resources": {
    "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"Tags": [{"Key": "Layer", "Value": "table"}]}},
    "Attach": {"Type": "AWS::IAM::RolePolicy", "Properties": {}}}})J");
  run.load({"app/cdk.out"});
  CHECK(run.result.errors.empty());
  const Resource* table = run.find("Shop/DataStack/Table");
  REQUIRE(table);
  CHECK(tag(*table, "Layer")->value == std::optional<std::string>("table"));  // own value wins
  const TagEntry* owner = tag(*table, "Owner");
  REQUIRE(owner);
  CHECK(owner->value == std::optional<std::string>("team-a"));
  CHECK(owner->origin.kind == OriginKind::kStackTag);
  CHECK(run.file_of(owner->origin.span) == "app/cdk.out/manifest.json");
  // A nested stack tag whose value is unknown reaches its resources as unknown.
  const TagEntry* region = tag(*table, "Region");
  REQUIRE(region);
  CHECK_FALSE(region->value.has_value());
  CHECK(region->origin.kind == OriginKind::kStackTag);
  // Not taggable: no tags passed on.
  const Resource* attach = run.find("Shop/DataStack/Attach");
  REQUIRE(attach);
  CHECK(attach->variants.at(0).entries.empty());
  // Parent, outside stack, table, attachment.
  CHECK(run.result.resources.size() == 4);
}

TEST_CASE("a nested stack template that includes itself is read once, with an error") {
  Run run;
  run.reader.add("app/cdk.out/manifest.json",
                 "{\"artifacts\": {" + stack_artifact("Loop", "Loop.template.json") + "}}");
  const char* looping = R"J({"Resources": {"Again": {"Type": "AWS::CloudFormation::Stack",
    "Metadata": {"aws:asset:path": "Loop.nested.template.json"}, "Properties": {"TemplateURL": "x"}}}})J";
  run.reader.add("app/cdk.out/Loop.template.json", looping);
  run.reader.add("app/cdk.out/Loop.nested.template.json", looping);
  run.load({"app/cdk.out"});
  CHECK(run.find("Loop/Again"));
  CHECK(run.find("Loop/Again/Again"));
  CHECK_FALSE(run.find("Loop/Again/Again/Again"));
  REQUIRE(run.result.errors.size() == 1);
  CHECK(run.result.errors[0].message.find("includes itself") != std::string::npos);
}

TEST_CASE("broken assemblies give positioned errors and the other stacks are still read") {
  Run run;
  run.reader.add("app/cdk.out/manifest.json",
                 "{\"artifacts\": {" + stack_artifact("Bad", "Bad.template.json") + ", " +
                     stack_artifact("Gone", "Gone.template.json") +
                     ", \"NoFile\": {\"type\": \"aws:cloudformation:stack\", \"properties\": {}}, " +
                     stack_artifact("Good", "Good.template.json") + "}}");
  run.reader.add("app/cdk.out/Bad.template.json", "{\"Resources\": {\n  \"X\": tru\n}}");
  run.reader.add("app/cdk.out/Good.template.json", kBucketTemplate);
  run.reader.add("other/manifest.json", "{\"artifacts\": [1, 2]}");
  run.reader.add("broken/manifest.json", "{\"artifacts\": {\n");
  run.load({"app/cdk.out", "other", "broken"});
  CHECK(run.find("Good/LogsBucket"));
  // Bad template (positioned), missing template, stack without templateFile, artifacts not a
  // map, truncated manifest (positioned).
  REQUIRE(run.result.errors.size() == 5);
  for (const auto& e : run.result.errors) CHECK_FALSE(e.message.empty());
  auto positioned =
      std::count_if(run.result.errors.begin(), run.result.errors.end(), [](const Error& e) { return e.span.valid(); });
  CHECK(positioned >= 4);
}

TEST_CASE("two apps in one linted tree each map frames onto their own files") {
  Run run;
  for (std::string app : {"svc-a", "svc-b"}) {
    std::string out = "repo/" + app + "/cdk.out/";
    run.reader.add(out + "manifest.json", "{\"artifacts\": {" +
                                              stack_artifact(app, "s.template.json", ", \"tags\": {}") +
                                              ", \"x\": {\"type\": \"cdk:tree\"}}}");
    std::string manifest = *run.reader.read(out + "manifest.json", nullptr);
    manifest.replace(manifest.find("\"displayName\""), 0, "\"additionalMetadataFile\": \"s.metadata.json\", ");
    run.reader.add(out + "manifest.json", manifest);
    run.reader.add(out + "s.template.json",
                   "{\"Resources\": {\"Q\": {\"Type\": \"AWS::SQS::Queue\", \"Metadata\": {\"aws:cdk:path\": \"" + app +
                       "/Q/Resource\"}}}}");
    run.reader.add(out + "s.metadata.json", "{\"/" + app +
                                                "/Q/Resource\": [{\"type\": \"aws:cdk:creationStack\", \"data\": "
                                                "[\"<anonymous> (/home/runner/work/app/app/bin/app.js:2:1)\"]}]}");
    run.reader.add("repo/" + app + "/bin/app.js", "// " + app + "\nnew Queue();\n");
  }
  // The user lints the whole repository; both apps were synthesised in the same CI folder, so
  // only the app's own root tells the two bin/app.js apart.
  run.load({"repo/svc-a/cdk.out", "repo/svc-b/cdk.out"}, {"repo"});
  CHECK(run.result.errors.empty());
  REQUIRE(run.find("svc-a/Q"));
  REQUIRE(run.find("svc-b/Q"));
  CHECK(run.file_of(run.find("svc-a/Q")->span) == "repo/svc-a/bin/app.js");
  CHECK(run.file_of(run.find("svc-b/Q")->span) == "repo/svc-b/bin/app.js");
}
