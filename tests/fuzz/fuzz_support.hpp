// What every libFuzzer target shares: the input as one in-memory file of a run, and the run's
// context. Targets are built by the `fuzz` preset (clang, -fsanitize=fuzzer,address,undefined)
// and run by tools/fuzz.sh; docs/robustness.md lists them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/deployments.hpp"
#include "linter/frontend/frontend.hpp"

namespace tagwarden::fuzz {

/// A run over an in-memory tree holding the fuzzer's input at `path`.
struct Run {
  Run(const std::uint8_t* data, std::size_t size, const std::string& path)
      : text(reinterpret_cast<const char*>(data), size) {
    reader.add(path, text);
    options.paths = {"."};
    options.jobs = 1;
  }
  std::string text;
  MemoryReader reader;
  RunOptions options;
  SourceManager sources;
  LoadContext ctx{options, sources, reader};
};

/// The input as a CloudFormation/SAM template, read as the engine reads a data file: parsed
/// by `parse` (parse_json or parse_yaml), then loaded when it is a template.
inline void load_template(Run& run, const std::string& path,
                          DocResult (*parse)(FileId, std::string_view, const DocLimits&)) {
  FileId id = run.sources.add(path, run.text);
  DocResult d = parse(id, run.sources.file(id).contents(), DocLimits{});
  if (!d.root || !is_cloudformation_template(*d.root)) return;
  ParsedDoc doc{id, path, std::shared_ptr<const DocNode>(std::move(d.root))};
  (void)load_cloudformation(run.ctx, {doc}, {});
}

}  // namespace tagwarden::fuzz
