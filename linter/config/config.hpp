// The project configuration file, `.tagwarden.yaml`: found in the working directory or one of
// its parents (or named with --config), read with positioned errors. Paths in it are relative
// to its own folder. The command line turns it and the flags into CheckOptions, flags winning.
// docs/configuration.md describes every field; docs/tagwarden-config.schema.json is its JSON
// Schema.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/source/reader.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

inline constexpr const char* kConfigFileName = ".tagwarden.yaml";

/// A report to write (the `outputs` list): a file and its format.
struct ConfigOutput {
  std::string path;    ///< resolved (see Config)
  std::string format;  ///< a name of linter/report/formats.hpp
  Span span;
};

/// What the file says. File paths are resolved against the file's folder as given (relative to
/// the working directory, so reports show them relative); `exclude` and `roots` globs against
/// the folder as RunOptions globs are anchored (absolute, see RunOptions::working_directory).
struct Config {
  std::string file;  ///< display path of the file
  /// Schema levels as --schema takes them: one per item, root first; an item may name several
  /// files of one level joined by commas (each resolved against the file's folder).
  std::vector<std::string> schema;
  std::vector<std::string> paths;
  std::vector<std::string> exclude;  ///< globs, resolved like paths
  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extend_select;
  std::vector<std::string> ignore;
  std::vector<std::pair<std::string, Level>> rule_levels;  ///< selector -> level, in file order
  std::optional<Level> fail_level;
  std::optional<Level> min_level;
  std::optional<std::string> baseline;
  std::vector<ConfigOutput> outputs;
  std::vector<RootInputsRule> roots;  ///< patterns resolved like paths
};

/// The nearest `.tagwarden.yaml` in `start_dir` or a parent folder (`start_dir` absolute).
std::optional<std::string> find_config(const Reader& reader, const std::string& start_dir);

/// Reads a config file registered in `sources`; `dir` is its folder for file paths, `glob_dir`
/// the same folder for globs. `format_names` are the output formats `outputs` may name. Errors
/// are positioned; nullopt when any was found (a run must not go ahead with half a
/// configuration).
std::optional<Config> load_config(const SourceManager& sources, FileId file, const std::string& dir,
                                  const std::string& glob_dir, const std::vector<std::string>& format_names,
                                  std::vector<Error>& errors);

}  // namespace tagwarden
