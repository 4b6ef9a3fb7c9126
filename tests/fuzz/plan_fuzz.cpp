// libFuzzer target: `terraform show -json` plan documents (the JSON reader, then the plan
// loader).
#include "linter/frontend/terraform/plan_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  DocResult d = parse_json(0, text);
  if (d.root) (void)terraform::load_plan(*d.root, "plan.json");
  return 0;
}
