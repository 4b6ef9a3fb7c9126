// Pieces of the command line that are worth testing on their own: `--output FILE:FORMAT`
// specs, "did you mean" suggestions, and where the source root is.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tagwarden {

/// One `--output` destination: a file ("-" for standard output) and a format name.
struct OutputSpec {
  std::string path;
  std::string format;
};

/// Splits `FILE:FORMAT` at the last ':'. The part after it is the format when it is one of
/// `formats`. When it is not, but could be a format name (empty, or only letters, digits, '-'
/// and '_': `x:sarf`), it is a mistyped format: nullopt, and `*error` says so and names the
/// formats, unless the whole text is an existing path (`exists`), which is then the file. Any
/// other text after the ':' (`run:1.sarif`, `a:b/c`) is part of the file name. Without ':' the
/// text is the file. Either way a file gets `default_format`. A file whose name ends in such a
/// word takes its format explicitly: `a:b:text`, `C::sarif`.
std::optional<OutputSpec> parse_output_spec(std::string_view text, const std::vector<std::string>& formats,
                                            const std::string& default_format,
                                            const std::function<bool(const std::string&)>& exists, std::string* error);

/// The candidate closest to `word` by edit distance (ignoring letter case), when it is close
/// enough to be a likely typo; nullopt otherwise.
std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates);

/// The git top level that holds `start` (an absolute folder): the nearest folder, walking up,
/// that has a `.git` directory or file (worktrees and submodules have a file), without running
/// git. Folders listed in `ceilings` (absolute, GIT_CEILING_DIRECTORIES) are not walked into,
/// as git does. Empty when there is none.
std::string find_git_top_level(const std::string& start, const std::vector<std::string>& ceilings);

}  // namespace tagwarden
