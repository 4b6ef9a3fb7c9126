// Robustness over the real-world CDK corpus, run by tools/corpus_cdk.sh (skipped in the normal
// test run): every listed cloud assembly is loaded by the CDK front end; counts are printed.
// Fails on an exception, on an error that names no file, or on an assembly that takes longer
// than two seconds.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "linter/frontend/cdk/cdk_frontend.hpp"

using namespace tagwarden;

TEST_CASE("cdk corpus" * doctest::skip()) {
  const char* list = std::getenv("TW_CDK_CORPUS_LIST");
  REQUIRE_MESSAGE(list != nullptr, "set TW_CDK_CORPUS_LIST to a file of assembly folders");
  std::ifstream in(list);
  REQUIRE(in.good());
  RunOptions options;
  if (const char* root = std::getenv("TW_CDK_CORPUS_ROOT")) options.paths = {root};
  SourceManager sources;
  auto reader = make_disk_reader();
  LoadContext ctx{options, sources, *reader};
  long dirs = 0, assemblies = 0, resources = 0, with_path = 0, located = 0, stack_tagged = 0, unknown_values = 0,
       unknown_keysets = 0, errors = 0, facts = 0;
  double slowest_ms = 0;
  std::string slowest, dir;
  while (std::getline(in, dir)) {
    ++dirs;
    if (!is_cdk_assembly(ctx, dir)) continue;
    ++assemblies;
    auto t0 = std::chrono::steady_clock::now();
    FrontendResult r = load_cdk(ctx, {dir});
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (ms > slowest_ms) slowest_ms = ms, slowest = dir;
    CHECK_MESSAGE(ms < 2000, dir);
    for (const auto& e : r.errors) {
      CHECK_MESSAGE((e.span.valid() || !e.file_hint.empty()), (dir + ": " + e.message));
      std::cout << "error: " << (e.span.valid() ? sources.file(e.span.file).path() : e.file_hint) << ": " << e.message
                << "\n";
    }
    errors += static_cast<long>(r.errors.size());
    facts += static_cast<long>(r.facts.size());
    for (const auto& res : r.resources) {
      ++resources;
      if (!res.cdk_path.empty()) ++with_path;
      if (!res.related.empty()) ++located;
      bool st = false;
      for (const auto& v : res.variants) {
        if (!v.keys_known) ++unknown_keysets;
        for (const auto& e : v.entries) {
          if (!e.value) ++unknown_values;
          if (e.origin.kind == OriginKind::kStackTag) st = true;
        }
      }
      if (st) ++stack_tagged;
    }
  }
  std::cout << "folders " << dirs << ", assemblies " << assemblies
            << " (stages are read from their parent too), resources " << resources << " (with cdk path " << with_path
            << ", located in user code " << located << ", with stack tags " << stack_tagged << "), unknown values "
            << unknown_values << ", unknown key sets " << unknown_keysets << ", errors " << errors << ", facts "
            << facts << ", slowest " << slowest_ms << " ms (" << slowest << ")\n";
}
