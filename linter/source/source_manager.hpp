// The registry of every file a run touches: display path, contents and a lazily built line
// index. Loaders register files and keep FileIds; the report stage turns Spans into
// line:column here. Safe to use from several threads.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden {

/// 1-based line and column; the column counts Unicode code points (SARIF
/// `columnKind: unicodeCodePoints`).
struct LineCol {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

class SourceFile {
 public:
  SourceFile(std::string display_path, std::string contents, bool loaded)
      : path_(std::move(display_path)), contents_(std::move(contents)), loaded_(loaded) {}
  /// Sets the contents of a file registered without them (SourceManager::fill).
  void fill(std::string contents) {
    contents_ = std::move(contents);
    loaded_ = true;
  }

  /// Path as shown to users: relative to the working directory, forward slashes.
  const std::string& path() const { return path_; }
  const std::string& contents() const { return contents_; }
  /// False for files we only refer to by name (no contents were read).
  bool loaded() const { return loaded_; }

  /// Line and column of a byte offset (clamped to the file).
  LineCol line_col(std::uint32_t offset) const;
  /// The byte offset where 1-based `line` starts; the file's size past the end.
  std::uint32_t line_start(std::uint32_t line) const;
  /// Text of 1-based `line` without its line break; empty past the end.
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const;

 private:
  void build_index() const;
  std::uint32_t code_points_before(std::uint32_t offset) const;
  std::string path_;
  std::string contents_;
  bool loaded_;
  mutable std::once_flag index_once_;
  mutable std::vector<std::uint32_t> line_starts_;
  mutable std::vector<std::uint32_t> code_points_at_;  ///< before each kCheckpoint-byte boundary
};

class SourceManager {
 public:
  /// Registers a file with its contents; returns its id. Registering the same display path
  /// twice returns the first id (contents are not replaced, except those of a file that was
  /// only declared).
  FileId add(std::string display_path, std::string contents);
  /// Registers a display path before its contents are read, so ids follow an order decided
  /// before any worker starts (output never depends on thread timing). fill() gives the
  /// contents later; until then the file is not loaded().
  FileId declare(std::string display_path);
  /// Gives a declared file its contents (from any one thread; a loaded file is left as it is).
  void fill(FileId id, std::string contents);
  /// Registers a file known only by name (for example a plan's configuration path).
  FileId add_unloaded(std::string display_path);
  /// The id of a registered display path, if any.
  std::optional<FileId> find(const std::string& display_path) const;

  const SourceFile& file(FileId id) const;
  std::size_t size() const;

  LineCol begin_of(const Span& span) const;
  LineCol end_of(const Span& span) const;

 private:
  FileId add_impl(std::string display_path, std::string contents, bool loaded);
  mutable std::mutex mu_;
  std::deque<std::unique_ptr<SourceFile>> files_;
  std::unordered_map<std::string, FileId> by_path_;
};

/// Display path of the file a span points into, or `hint` when it points nowhere.
std::string span_path(const SourceManager& sm, const Span& span, const std::string& hint);

/// Text of a span (empty for spans without a range).
std::string_view span_text(const SourceManager& sm, const Span& span);

/// Display form of a path: relative to the current directory when under it, forward slashes.
std::string display_path(const std::string& path);

}  // namespace tagwarden
