// Source positions: every value the loaders hand on carries a Span (file id + byte range).
// Byte offsets become line:column only in the report stage, through SourceManager.
#pragma once
#include <cstdint>
#include <limits>

namespace tagwarden {

using FileId = std::uint32_t;
inline constexpr FileId kNoFile = std::numeric_limits<FileId>::max();

/// A byte range [begin, end) in one registered file. A span with `file == kNoFile` points
/// nowhere (a value made up by the engine, e.g. a command-line variable). A span whose
/// `has_range` is false names a whole file without a position (e.g. a plan address).
struct Span {
  FileId file = kNoFile;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  bool has_range = true;

  bool valid() const { return file != kNoFile; }
  static Span whole_file(FileId f) { return Span{f, 0, 0, false}; }
  friend bool operator==(const Span&, const Span&) = default;
};

/// True when `inner` lies inside `outer` (same file, contained byte range).
inline bool span_contains(const Span& outer, const Span& inner) {
  return outer.valid() && inner.valid() && outer.file == inner.file && outer.has_range && inner.has_range &&
         inner.begin >= outer.begin && inner.end <= outer.end;
}

}  // namespace tagwarden
