// libFuzzer target: CloudFormation/SAM templates in JSON (the JSON reader, intrinsics, conditions,
// parameters, SAM transforms and tag sets), read as the engine reads a data file.
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/deployments.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  fuzz::Run run(data, size, "template.json");
  FileId id = run.sources.add("template.json", run.text);
  DocResult d = parse_json(id, run.sources.file(id).contents());
  if (!d.root || !is_cloudformation_template(*d.root)) return 0;
  ParsedDoc doc{id, "template.json", std::shared_ptr<const DocNode>(std::move(d.root))};
  (void)load_cloudformation(run.ctx, {doc}, {});
  return 0;
}
