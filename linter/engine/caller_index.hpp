// Which folders of a search root hold Terraform files, and which folders call each folder as a
// local module: all that `--changed` needs to know about a whole monorepo to find the roots of a
// change (linter/engine/changed_files). One sorted text searched in place; in a git work tree it
// is saved in the user's cache folder under the git index's checksum, so the next run with the
// same index reads neither the index, nor a .tf file, nor the module-calls cache.
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/reader.hpp"
#include "linter/source/sha1.hpp"

namespace tagwarden {

/// One folder as the index records it: the names of its Terraform files (none for a folder that
/// is only called) and the folders whose files call it as a local module.
struct CallerIndexFolder {
  std::vector<std::string_view> files;  ///< views that need to last only until build() returns
  std::set<std::string> callers;
};

class CallerIndex {
 public:
  /// The index of `folders` (by path, as the caller will look them up), under `key` (one line:
  /// what the content stands for, e.g. caller_index_key()).
  static CallerIndex build(std::string_view key, const std::map<std::string, CallerIndexFolder>& folders);
  /// Reads the text of a saved index; nullopt when it is not one, is damaged, or was saved
  /// under another key.
  static std::optional<CallerIndex> read(FileBytes text, std::string_view key);

  /// The text build() made (what write_file_atomically() writes).
  std::string_view text() const { return text_.view(); }
  /// The folder holds Terraform files.
  bool has_files(std::string_view dir) const;
  /// `name` is one of the folder's Terraform files.
  bool lists(std::string_view dir, std::string_view name) const;
  /// The folders whose files call `dir` as a local module.
  std::set<std::string> callers(std::string_view dir) const;
  /// Every folder with Terraform files, in the index's order.
  std::vector<std::string> folders_with_files() const;

 private:
  explicit CallerIndex(FileBytes text) : text_(std::move(text)) {}
  /// Splits text_ into lines_; false when it is not an index saved under `key`.
  bool index_lines(std::string_view key);
  /// The record of `dir` (its line after the folder and a tab), or nullopt.
  std::optional<std::string_view> record(std::string_view dir) const;

  FileBytes text_;
  std::vector<std::string_view> lines_;  ///< one per folder, sorted by their escaped folder
};

/// The key of a caller index: the git index's content (git_index_checksum) and the search root
/// its folders are listed under (their paths start with it).
std::string caller_index_key(const Sha1& git_index_checksum, std::string_view search_root);

/// The caller index file for a work tree: `<cache_dir>/callers-<16 hex digits of its path>`.
std::string caller_index_file(const std::string& cache_dir, const std::string& work_tree_top);

}  // namespace tagwarden
