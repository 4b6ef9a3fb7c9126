// libFuzzer target: AWS Organizations tag policies and ListRequiredTags responses. The input is
// split at NUL bytes into up to four documents, each one level of the organization tree (root
// first); they go through `policy effective`, `policy lint` and --schema loading.
#include "linter/policy/schema_loader.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  SourceManager sources;
  std::vector<std::vector<FileId>> levels;
  for (std::size_t start = 0; levels.size() < 4;) {
    std::size_t nul = text.find('\0', start);
    std::string_view part = text.substr(start, nul == std::string_view::npos ? std::string_view::npos : nul - start);
    levels.push_back({sources.add("policy-" + std::to_string(levels.size()) + ".json", std::string(part))});
    if (nul == std::string_view::npos) break;
    start = nul + 1;
  }
  (void)run_policy_effective(sources, levels, {});
  (void)run_policy_lint(sources, levels, {});
  std::vector<Error> errors;
  (void)load_schema_files(sources, levels, errors);
  return 0;
}
