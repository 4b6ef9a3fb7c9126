// Creation-stack frames of CDK constructs (`aws:cdk:creationStack` metadata): which frames are
// in the user's own code, and where those files are in the linted tree.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/reader.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden::cdk {

/// One frame of a JavaScript stack trace as the CDK records it, e.g.
/// `new StorageStack (/home/runner/work/app/app/lib/storage.js:12:5)` or `    at /x/app.js:3:1`.
struct StackFrame {
  std::string file;          ///< as written on the synth machine (forward slashes, no file://)
  std::uint32_t line = 0;    ///< 1-based
  std::uint32_t column = 0;  ///< 1-based; 0 when the frame has none
};

/// The frame's location when it is in the user's own code; nullopt for summaries the CDK writes
/// (`...new Bucket2 in aws-cdk-lib...`, `(no user code in 10 frames ...)`), frames in
/// `node_modules`, Node internals (`node:`, `internal/`) and anything without `file:line`.
std::optional<StackFrame> parse_user_frame(std::string_view text);

/// Maps absolute paths from the synth machine onto files under the linted tree: the longest
/// path suffix of `frame_path` that names an existing file under one of `roots` (tried in
/// order at each length). Results are cached per frame path.
class FrameMapper {
 public:
  FrameMapper(const Reader& reader, std::vector<std::string> roots) : reader_(reader), roots_(std::move(roots)) {}
  /// The local path (root joined with the suffix), or nullopt when no suffix exists anywhere.
  std::optional<std::string> map(const std::string& frame_path);

 private:
  const Reader& reader_;
  std::vector<std::string> roots_;
  std::map<std::string, std::optional<std::string>> cache_;
};

/// Span of `line:column` in a registered file: from the column to the end of the line (trailing
/// blanks trimmed). nullopt when the file has no such line (it changed since the synth).
std::optional<Span> span_of_line(const SourceManager& sm, FileId file, std::uint32_t line, std::uint32_t column);

}  // namespace tagwarden::cdk
