// File access behind a small interface, so loaders and the engine can be fed in-memory
// files by tests. The real implementation reads the local file system.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tagwarden {

/// The largest file tagwarden reads; a bigger one is an error naming it, and is never read
/// into memory.
inline constexpr std::size_t kMaxFileBytes = 64u << 20;

/// A whole file's bytes, read-only, for a big input read once and used in place. Held in a
/// std::string, or (DiskReader) a private read-only mapping of the file with all its pages made
/// at once: this machine's kind of VM makes each page fault costly, and reading a 2 MB git
/// index into a growing buffer took 530 of them. Moving keeps `view()` where it was.
class FileBytes {
 public:
  explicit FileBytes(std::string text) : text_(std::make_unique<std::string>(std::move(text))) {}
  /// Takes over the mapping of `size` bytes at `map` (munmap'ed when destroyed).
  static FileBytes adopt_mapping(char* map, std::size_t size);
  FileBytes(FileBytes&& o) noexcept;
  FileBytes& operator=(FileBytes&& o) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  std::string_view view() const { return text_ ? std::string_view(*text_) : std::string_view(map_, size_); }

 private:
  FileBytes() = default;
  std::unique_ptr<std::string> text_;
  char* map_ = nullptr;
  std::size_t size_ = 0;
};

/// What a file's inode says about its content without reading it: equal stamps mean the
/// content did not change, unless the file was written again within the same clock tick as the
/// stamp was taken (the result cache checks the content then: linter/engine/result_cache.hpp).
struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;
  std::uint64_t inode = 0;
  std::uint64_t device = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

/// A directory entry and what it is, as listing it tells.
struct DirEntry {
  enum class Kind { kFile, kDir, kOther };
  std::string name;
  Kind kind = Kind::kOther;  ///< a symbolic link's target's kind (kOther when it dangles)
  bool symlink = false;
};

class Reader {
 public:
  virtual ~Reader() = default;
  /// Reads a whole regular file of at most kMaxFileBytes. On failure (no such file, a FIFO,
  /// a device, a directory, too large, unreadable) returns nullopt and sets `*error` to a short
  /// reason. Never blocks on a special file.
  virtual std::optional<std::string> read(const std::string& path, std::string* error) const = 0;
  /// The same for a big file used in place that is only ever replaced by a rename, never
  /// rewritten in place (DiskReader maps it: see there); by default read() into a FileBytes.
  virtual std::optional<FileBytes> read_bytes(const std::string& path, std::string* error) const;
  /// The last `n` bytes of a regular file (all of it when shorter), without reading the rest (the
  /// checksum a git index ends with); the same refusals as read(). By default read() and cut.
  virtual std::optional<std::string> read_tail(const std::string& path, std::size_t n, std::string* error) const;
  virtual bool is_file(const std::string& path) const = 0;
  virtual bool is_dir(const std::string& path) const = 0;
  /// Entries of a directory (names only, sorted); empty when it is not one. When it is one but
  /// cannot be listed (no permission, an I/O error), `*error` gets a short reason. Symlinked
  /// directories are reported as such through `is_symlink` so walkers can avoid loops.
  virtual std::vector<std::string> list_dir(const std::string& path, std::string* error = nullptr) const = 0;
  virtual bool is_symlink(const std::string& path) const = 0;
  /// list_dir() with each entry's kind (is_file / is_dir) and whether it is a symbolic link.
  /// Walks use it: the local file system tells the kind while listing, without a `stat` per
  /// entry (a monorepo's walk was one of a run's longest single-threaded parts).
  virtual std::vector<DirEntry> list_entries(const std::string& path, std::string* error = nullptr) const;
  /// The absolute path with every symbolic link resolved, or nullopt when it does not exist.
  virtual std::optional<std::string> real_path(const std::string& path) const = 0;
  /// The stamp of the file `path` names (links followed), or nullopt when there is none or the
  /// reader cannot tell (the default: then only the content tells whether it changed).
  virtual std::optional<FileStamp> stamp(const std::string& path) const;
};

/// The local file system.
std::unique_ptr<Reader> make_disk_reader();

/// An in-memory tree for tests: paths use forward slashes, directories are implied.
class MemoryReader final : public Reader {
 public:
  void add(std::string path, std::string contents) { files_[std::move(path)] = std::move(contents); }
  std::optional<std::string> read(const std::string& path, std::string* error) const override;
  bool is_file(const std::string& path) const override;
  bool is_dir(const std::string& path) const override;
  std::vector<std::string> list_dir(const std::string& path, std::string* error = nullptr) const override;
  bool is_symlink(const std::string&) const override { return false; }
  /// The tree's root is "/": "a/b" is "/a/b".
  std::optional<std::string> real_path(const std::string& path) const override;

 private:
  std::map<std::string, std::string> files_;
};

/// Replaces `path` (and makes its folder) with `text`, atomically: written to a temporary file
/// beside it and renamed into place, so a reader sees the old or the new file, never a part
/// (readers map cache files: Reader::read_bytes). False on failure, which callers ignore: a cache
/// only saves time.
bool write_file_atomically(const std::string& path, std::string_view text);
/// As above, with the text in pieces, written one after the other.
bool write_file_atomically(const std::string& path, const std::vector<std::string_view>& pieces);

/// Joins two path pieces with one '/', and normalises "a/./b", "a//b" and "a/x/../b".
std::string path_join(const std::string& a, const std::string& b);
/// Lexically normalised path with forward slashes ("./x" -> "x", "a/../b" -> "b").
std::string path_normalize(const std::string& p);
/// The directory part of a path ("a/b/c.tf" -> "a/b", "c.tf" -> ".").
std::string path_dirname(const std::string& p);
/// The last component of a path.
std::string path_basename(const std::string& p);
/// `path` relative to `base` ("a/b/c", "a" -> "b/c"; "x", "a" -> "../x"). Both are normalised
/// first and must be both absolute or both relative to the same folder.
std::string path_relative(const std::string& path, const std::string& base);
/// Matches a forward-slash path against a glob: `*` and `?` within one path component, `**`
/// as a whole component for any number of components (`**/test/**`, `envs/*/main.tf`).
bool path_glob_match(std::string_view pattern, std::string_view path);

}  // namespace tagwarden
