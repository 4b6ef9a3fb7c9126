// libFuzzer target: CloudFormation/SAM templates in JSON (the JSON reader, intrinsics, conditions,
// parameters, SAM transforms and tag sets), read as the engine reads a data file.
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  tagwarden::fuzz::Run run(data, size, "template.json");
  tagwarden::fuzz::load_template(run, "template.json", tagwarden::parse_json);
  return 0;
}
