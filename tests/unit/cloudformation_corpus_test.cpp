// Robustness over a real-world corpus, run by tools/corpus_cloudformation.sh (skipped in the
// normal test run): every listed JSON/YAML file is parsed and, when it is a template,
// evaluated; counts are printed. Fails on an exception, on a parse error without a position,
// or on a template that takes longer than a second.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

using namespace tagwarden;

TEST_CASE("cloudformation corpus" * doctest::skip()) {
  const char* list = std::getenv("TW_CFN_CORPUS_LIST");
  REQUIRE_MESSAGE(list != nullptr, "set TW_CFN_CORPUS_LIST to a file of paths");
  std::ifstream in(list);
  REQUIRE(in.good());
  RunOptions options;
  SourceManager sources;
  auto reader = make_disk_reader();
  LoadContext ctx{options, sources, *reader};
  long files = 0, templates = 0, resources = 0, variants = 0, unknown_values = 0, unknown_keysets = 0, errors = 0,
       parse_errors = 0, facts = 0;
  double slowest_ms = 0;
  std::string slowest;
  std::string path;
  while (std::getline(in, path)) {
    ++files;
    std::vector<Error> errs;
    FileId id = read_source(ctx, path, errs);
    if (id == kNoFile) {
      ++errors;
      continue;
    }
    const std::string& text = sources.file(id).contents();
    auto t0 = std::chrono::steady_clock::now();
    DocResult r = path.ends_with(".json") ? parse_json(id, text) : parse_yaml(id, text);
    if (!r.root) {
      ++parse_errors;
      for (const auto& e : r.errors) {
        CHECK_MESSAGE(e.span.valid(), path);
        auto lc = sources.begin_of(e.span);
        std::cout << "error: " << path << ":" << lc.line << ":" << lc.column << ": " << e.message << "\n";
      }
      continue;
    }
    if (!is_cloudformation_template(*r.root)) continue;
    ++templates;
    ParsedDoc doc{id, path, std::shared_ptr<const DocNode>(std::move(r.root))};
    FrontendResult fr = evaluate_template(ctx, doc, {});
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    CHECK_MESSAGE(ms < 1000.0, path);
    if (ms > slowest_ms) {
      slowest_ms = ms;
      slowest = path;
    }
    resources += static_cast<long>(fr.resources.size());
    facts += static_cast<long>(fr.facts.size());
    for (const auto& res : fr.resources) {
      CHECK_MESSAGE(!res.variants.empty(), path);
      variants += static_cast<long>(res.variants.size());
      for (const auto& v : res.variants) {
        if (!v.keys_known) ++unknown_keysets;
        for (const auto& e : v.entries) {
          if (!e.value) ++unknown_values;
        }
      }
    }
    for (const auto& e : fr.errors) {
      ++errors;
      auto lc = sources.begin_of(e.span);
      std::cout << "error: " << path << ":" << lc.line << ":" << lc.column << ": " << e.message << "\n";
    }
  }
  std::cout << "files " << files << " templates " << templates << " resources " << resources << " tag_sets " << variants
            << " unknown_values " << unknown_values << " unknown_key_sets " << unknown_keysets << " template_errors "
            << errors << " parse_errors " << parse_errors << " facts " << facts << " slowest " << slowest_ms << " ms ("
            << slowest << ")\n";
}
