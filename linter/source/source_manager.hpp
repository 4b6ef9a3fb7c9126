// The registry of every file a run touches: display path, contents and a lazily built line
// index. Loaders register files and keep FileIds; the report stage turns Spans into
// line:column here. Safe to use from several threads.
//
// Memory stays flat however many files a run reads: a unit of work (a root module, a template)
// registers the files it reads with its FileUses, and when the unit is done the engine hands
// them back (release), keeping only what the report needs of each file: the line and column of
// the offsets its findings, errors and facts point at, and the text of the lines it shows.
#pragma once
#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden {

/// 1-based line and column; the column counts Unicode code points (SARIF
/// `columnKind: unicodeCodePoints`).
struct LineCol {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  friend bool operator==(const LineCol&, const LineCol&) = default;
};

class SourceFile {
 public:
  SourceFile(std::string display_path, std::shared_ptr<const std::string> contents, bool loaded)
      : path_(std::move(display_path)), loaded_(loaded) {
    set_text(std::move(contents));
  }

  /// Path as shown to users: relative to the working directory, forward slashes.
  const std::string& path() const { return path_; }
  /// The file's text; empty before it is read and once the run released it
  /// (SourceManager::release).
  const std::string& contents() const;
  /// False for files we only refer to by name (no contents were read).
  bool loaded() const { return loaded_; }

  /// Line and column of a byte offset (clamped to the file). Once the text is released only
  /// the offsets the release retained are known; any other gives {0, 0}.
  LineCol line_col(std::uint32_t offset) const;
  /// The byte offset where 1-based `line` starts; the file's size past the end (0 once released).
  std::uint32_t line_start(std::uint32_t line) const;
  /// Text of 1-based `line` without its line break; empty past the end (and, once released,
  /// for lines the release did not retain).
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const;

 private:
  friend class SourceManager;
  /// The line index, built on first use while the text is held.
  void build_index() const;
  std::uint32_t code_points_before(const std::string& text, std::uint32_t offset) const;
  LineCol compute_line_col(const std::string& text, std::uint32_t offset) const;
  std::string_view compute_line_text(const std::string& text, std::uint32_t line) const;
  /// Keeps the positions of `offsets` and the text of the lines holding `line_offsets` (both
  /// sorted). Called under SourceManager's lock, while the text is held.
  void retain(const std::vector<std::uint32_t>& offsets, const std::vector<std::uint32_t>& line_offsets);
  /// What releases kept: sorted by offset / by line number.
  struct Kept {
    std::vector<std::pair<std::uint32_t, LineCol>> positions;
    std::vector<std::pair<std::uint32_t, std::string>> lines;
  };
  /// What retain() keeps, worked out without keeping it: the positions of `offsets` and the
  /// text of the lines holding `line_offsets` (both sorted). Needs the text, which must not be
  /// dropped meanwhile; takes no lock but the line index's own.
  Kept collect(const std::vector<std::uint32_t>& offsets, const std::vector<std::uint32_t>& line_offsets) const;
  /// Merges positions (sorted by offset) and lines (sorted by number) into what is kept.
  void keep(Kept more);
  /// Drops the text and the line index. Called under SourceManager's lock.
  void drop();
  /// Gives the file its text (and an empty line index), or drops both with null.
  void set_text(std::shared_ptr<const std::string> text);

  /// A run registers every file it sees and keeps most of them only by name, so a file is
  /// small: what exists only while the text is held, or only once a release kept something, is
  /// allocated apart.
  struct Index {
    std::mutex mu;
    std::vector<std::uint32_t> line_starts;
    std::vector<std::uint32_t> code_points_at;  ///< before each kCheckpoint-byte boundary
  };

  std::string path_;
  std::shared_ptr<const std::string> text_;  ///< null until read, and once released
  std::unique_ptr<Index> index_;             ///< with the text
  std::unique_ptr<Kept> kept_;
  int uses_ = 0;  ///< units holding the text (SourceManager's lock)
  bool loaded_;
  bool permanent_ = false;  ///< registered outside any unit, or kept whole: never released
};

/// The files one unit of work registered: their text stays loaded until the engine hands them
/// back with SourceManager::release. Not thread-safe: one unit, one thread.
struct FileUses {
  std::vector<FileId> ids;  ///< one entry per registration (duplicates allowed)
  void append(FileUses&& other);
};

/// What the report still needs of the files a unit used: positions of offsets and, for spans
/// a report shows with their source line (findings, errors), the text of those lines; or a
/// whole file's text (one with a suppression comment, one a `--fix` diff edits).
class Retain {
 public:
  /// Keeps the line and column of `span`'s begin and end.
  void position(const Span& span);
  /// As position(), and the text of the line `span` begins on.
  void with_line(const Span& span);
  /// Keeps the whole text of `file` for the rest of the run.
  void whole(FileId file);

  struct Wanted {
    std::vector<std::uint32_t> offsets;
    std::vector<std::uint32_t> line_offsets;
    bool whole = false;
  };
  /// What is wanted of each file (offsets unsorted, possibly repeated).
  const std::unordered_map<FileId, Wanted>& files() const { return files_; }

 private:
  std::unordered_map<FileId, Wanted> files_;
};

/// What a report needs of one file that a unit of work pointed into, as a run kept it: the
/// result cache (linter/engine/result_cache.hpp) stores it with the unit's output and gives it
/// back to a later run that takes the output from the cache instead of reading the file.
struct KeptFile {
  std::string path;  ///< display path
  bool loaded = false;
  std::vector<std::pair<std::uint32_t, LineCol>> positions;  ///< sorted by offset
  std::vector<std::pair<std::uint32_t, std::string>> lines;  ///< sorted by line number
  std::optional<std::string> whole;                          ///< the whole text, when kept whole
};

class SourceManager {
 public:
  /// Registers a file with its contents; returns its id. Registering the same display path
  /// twice returns the first id; its contents are not replaced, but a file that was only
  /// declared, or released, gets them. With `uses`, the unit holds the text until release();
  /// without, the file is never released.
  FileId add(std::string display_path, std::string contents, FileUses* uses = nullptr);
  /// Registers a display path before its contents are read, so ids follow an order decided
  /// before any worker starts (output never depends on thread timing). fill() gives the
  /// contents later; until then the file is not loaded().
  FileId declare(std::string display_path);
  /// Gives a declared file its contents (from any one thread; a file whose text is held is
  /// left as it is), for the unit `uses` when given (as add()).
  void fill(FileId id, std::string contents, FileUses* uses = nullptr);
  /// Registers a file known only by name (for example a plan's configuration path).
  FileId add_unloaded(std::string display_path);
  /// Makes room for `files` registrations in all, so that registering them never grows the path
  /// index under the lock while other workers wait for it.
  void reserve(std::size_t files);
  /// The id of a registered display path, if any.
  std::optional<FileId> find(const std::string& display_path) const;

  const SourceFile& file(FileId id) const;
  std::size_t size() const;

  LineCol begin_of(const Span& span) const;
  LineCol end_of(const Span& span) const;

  /// A unit is done: keeps what `retain` asks for, then drops the text of every file in `uses`
  /// that no other unit still holds. `uses` is emptied.
  void release(FileUses& uses, const Retain& retain);

  /// What a released unit kept of `file` for `wanted` (positions and lines the release kept, or
  /// the text the file still holds), for the result cache.
  KeptFile kept(FileId file, const Retain::Wanted& wanted) const;
  /// Registers what a cached unit kept of a file (as kept() gave it) and returns its id: its
  /// positions and lines are merged with what the run kept of it already; a whole text is
  /// held for the rest of the run.
  FileId restore(const KeptFile& file);

 private:
  FileId add_impl(std::string display_path, std::shared_ptr<const std::string> contents, bool loaded, FileUses* uses);
  /// Gives `f` its text when it has none; counts the unit's use, or makes it permanent.
  void hold(FileId id, std::shared_ptr<const std::string> contents, FileUses* uses);
  /// The file `id` (which must have been handed out); any thread, no lock.
  SourceFile& at(FileId id) const { return *chunks_[id >> kChunkBits][id & (kChunkSize - 1)]; }

  /// Held only for the few instructions that change the table or a file's state: it spins
  /// briefly before sleeping, because every worker registers and releases files all the time
  /// and a futex sleep per collision cost two threads a third of their speed-up.
  class Lock {
   public:
    void lock();
    void unlock() { mu_.unlock(); }

   private:
    std::mutex mu_;
  };
  mutable Lock mu_;
  /// The files by id, in chunks that never move, so that file() reads without the lock: a
  /// slot is written, under the lock, before `size_` publishes it (release), and an id only
  /// reaches a reader after that.
  static constexpr unsigned kChunkBits = 12;
  static constexpr std::size_t kChunkSize = std::size_t{1} << kChunkBits;
  static constexpr std::size_t kMaxChunks = std::size_t{1} << 12;  ///< 16.7 million files
  std::array<std::unique_ptr<std::unique_ptr<SourceFile>[]>, kMaxChunks> chunks_;
  std::atomic<std::size_t> size_{0};
  /// Keys view each file's own path (files never move: they are held by unique_ptr).
  std::unordered_map<std::string_view, FileId> by_path_;
};

/// Display path of the file a span points into, or `hint` when it points nowhere.
std::string span_path(const SourceManager& sm, const Span& span, const std::string& hint);

/// Text of a span (empty for spans without a range, or once the file is released).
std::string_view span_text(const SourceManager& sm, const Span& span);

/// Display form of a path: relative to the current directory when under it, forward slashes.
std::string display_path(const std::string& path);

}  // namespace tagwarden
