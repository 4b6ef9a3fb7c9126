// Text files compiled into the binary (rule docs, data tables); see tools/embed_files.cmake.
#pragma once
#include <string_view>
#include <vector>

namespace tagwarden {

struct EmbeddedFile {
  std::string_view path;  ///< relative to the source tree, e.g. "rules/missing-required-tag.md"
  std::string_view contents;
};

/// All embedded files, in the order the build listed them.
const std::vector<EmbeddedFile>& embedded_files();

/// The contents of the embedded file at `path`, or an empty view when there is none.
std::string_view embedded_file(std::string_view path);

}  // namespace tagwarden
