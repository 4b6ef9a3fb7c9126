// libFuzzer target: tag schemas (YAML or JSON) through the schema loader.
#include "linter/schema/schema.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  SourceManager sources;
  FileId id = sources.add("schema.yaml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<Error> errors;
  (void)load_schema(sources, id, errors);
  return 0;
}
