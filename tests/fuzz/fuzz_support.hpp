// What every libFuzzer target shares: the input as one in-memory file of a run, and the run's
// context. Targets are built by the `fuzz` preset (clang, -fsanitize=fuzzer,address,undefined)
// and run by tools/fuzz.sh; docs/robustness.md lists them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

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

}  // namespace tagwarden::fuzz
