// A git work tree's index (the staging area), read directly: which files a commit would hold and
// their object names, without a `git` process and without a stat() per file. `--changed` uses
// it to list a monorepo's Terraform files (linter/engine/changed_files.hpp). Format: git's
// Documentation/gitformat-index.txt, versions 2, 3 and 4.
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/reader.hpp"
#include "linter/source/sha1.hpp"

namespace tagwarden {

struct GitIndexEntry {
  std::string_view path;  ///< relative to the work tree's top, forward slashes (a view into its GitIndex)
  Sha1 object{};          ///< the blob's name (SHA-1 of "blob <size>\0" + content)
};

/// The regular files of an index, in index order. The entries' paths are views into the index
/// data it holds (no string per entry: a monorepo's index has tens of thousands); moving it
/// keeps them valid, copying is not allowed.
class GitIndex {
 public:
  GitIndex(GitIndex&&) = default;
  GitIndex& operator=(GitIndex&&) = default;
  GitIndex(const GitIndex&) = delete;
  GitIndex& operator=(const GitIndex&) = delete;

  std::vector<GitIndexEntry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<GitIndexEntry>::const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  const GitIndexEntry& operator[](std::size_t i) const { return entries_[i]; }
  /// git_index_checksum() of the file this index was read from.
  const Sha1& checksum() const { return checksum_; }

 private:
  friend std::optional<GitIndex> read_git_index(FileBytes data, std::string* why);
  GitIndex() = default;
  std::optional<FileBytes> data_;       ///< the index file (versions 2 and 3 names are in it)
  std::unique_ptr<std::string> names_;  ///< version 4 names, rebuilt from the prefix-compressed ones
  std::vector<GitIndexEntry> entries_;
  Sha1 checksum_{};
};

struct GitWorkTree {
  std::string top;         ///< the work tree's top folder (absolute)
  std::string index_path;  ///< its index file
  bool sha256 = false;     ///< the repository names objects by SHA-256 (read_git_index reads SHA-1 ones)
};

/// The nearest folder at or above `dir` that holds a `.git` entry (a folder, or the file of a
/// linked work tree or submodule), not moving up into a folder of `ceilings`
/// (GIT_CEILING_DIRECTORIES, git(1)); empty when there is none.
std::string find_dot_git_dir(const Reader& reader, const std::string& dir,
                             const std::vector<std::string>& ceilings = {});

/// The work tree holding `dir` (absolute): the nearest folder at or above it with a `.git`
/// folder or a `.git` file (`gitdir: ...`, linked work trees and submodules). `index_file`
/// (GIT_INDEX_FILE, relative to `cwd`) names another index, as git does for hooks.
std::optional<GitWorkTree> find_git_work_tree(const Reader& reader, const std::string& dir,
                                              const std::string& index_file, const std::string& cwd);

/// A name for the exact content of the index file at `path`: the SHA-1 checksum git writes as
/// its last 20 bytes, read without the rest of the file (a monorepo's index is megabytes). When
/// git left it out (`index.skipHash` writes zeros), the SHA-1 of the whole file, read. nullopt
/// when the file cannot be read or is too short to be an index.
std::optional<Sha1> git_index_checksum(const Reader& reader, const std::string& path);

/// The regular files of the index file `data` (symbolic links, submodules and skip-worktree
/// entries left out), in index order. nullopt with `*why` when the index cannot be used as a whole listing:
/// unreadable, not an index, a version other than 2-4, SHA-256 object names, a split or sparse
/// index, or unresolved merge conflicts.
std::optional<GitIndex> read_git_index(FileBytes data, std::string* why);
inline std::optional<GitIndex> read_git_index(std::string data, std::string* why) {
  return read_git_index(FileBytes(std::move(data)), why);
}

}  // namespace tagwarden
