// libFuzzer target: the whole `check` pipeline over one file whose kind the first byte picks
// (.tf, .tf.json, .json, .yaml, a plan), then every report format. This is
// where invalid UTF-8 reaches the JSON and SARIF writers.
#include "linter/engine/check.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/report/formats.hpp"
#include "tests/fuzz/fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  if (size == 0) return 0;
  static const char* const kNames[] = {"main.tf", "main.tf.json", "template.json", "template.yaml", "plan.json"};
  const char* name = kNames[data[0] % 5];
  fuzz::Run run(data + 1, size - 1, name);
  CheckOptions options;
  options.run = run.options;
  CheckResult result = run_check(options, run.sources, run.reader);
  ReportInput in{run.sources, result.findings, result.errors, result.summary, "fuzz"};
  for (const auto& f : output_formats()) {
    if (f.write_check) f.write_check(in, [](std::string_view) {});
  }
  hcl::release_thread_parser();  // see there: keeps the leak check for real leaks
  return 0;
}
