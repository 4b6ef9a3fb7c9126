// libFuzzer target: a cdk.out cloud assembly's manifest.json (artifacts, nested assemblies,
// stack templates and metadata), next to a small valid template it may name.
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  fuzz::Run run(data, size, "cdk.out/manifest.json");
  run.reader.add(
      "cdk.out/Stack.template.json",
      R"({"Resources": {"B": {"Type": "AWS::S3::Bucket", "Properties": {"Tags": [{"Key": "k", "Value": "v"}]}}}})");
  if (!is_cdk_assembly(run.ctx, "cdk.out")) return 0;
  (void)load_cdk(run.ctx, {"cdk.out"});
  return 0;
}
