// What every input format's front end gets and gives. The engine discovers paths, then hands
// each front end its share; a front end turns it into format-neutral Resources with effective
// tag sets (linter/model/effective_tags.hpp), positioned Errors, and Facts (a module call that
// cannot be inspected, resources not explored) that rules turn into findings.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/model/facts.hpp"
#include "linter/source/reader.hpp"
#include "linter/source/result_cache.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Inputs of a root module or template: Terraform variables, CloudFormation parameters and
/// stack tags.
struct RootInputs {
  std::vector<std::string> var_files;                           ///< --var-file, in order
  std::vector<std::pair<std::string, std::string>> vars;        ///< --var NAME=VALUE, in order
  std::vector<std::pair<std::string, std::string>> parameters;  ///< --parameter NAME=VALUE
  std::vector<std::pair<std::string, std::string>> stack_tags;  ///< --stack-tag KEY=VALUE
  std::vector<std::string> stack_tag_files;                     ///< --stack-tags FILE

  /// Appends `later`'s inputs after these (later values win where one value is kept).
  void append(const RootInputs& later);
  bool empty() const;
};

/// Inputs for the roots a glob matches (a `.tagwarden.yaml` `roots` entry).
struct RootInputsRule {
  std::string pattern;  ///< glob over root paths, absolute when working_directory is set
  RootInputs inputs;
};

/// Everything a run was asked to do that front ends need. `env` is a snapshot of the
/// process environment taken by main (front ends never read the environment themselves).
struct RunOptions {
  std::vector<std::string> paths;
  /// Globs of paths not to read (absolute when working_directory is set, like `pattern`s).
  /// They apply to what a walk of `paths` finds and to changed files; to `paths` themselves
  /// only with `force_exclude` (ruff's --force-exclude: a path named on purpose is checked).
  std::vector<std::string> exclude;
  bool force_exclude = false;
  // Terraform
  std::vector<std::pair<std::string, std::string>> vars;  ///< --var NAME=VALUE, in order
  std::vector<std::string> var_files;                     ///< --var-file, in order
  bool env_provider_tags = false;                         ///< --env-provider-tags
  std::map<std::string, std::string> env;
  // CloudFormation / CDK
  /// --parameter NAME=VALUE; NAME may be scoped to one template: `path/t.yaml:NAME`.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> parameter_files;                     ///< --parameters [TEMPLATE:]FILE, in order
  std::vector<std::pair<std::string, std::string>> stack_tags;  ///< --stack-tag KEY=VALUE
  std::vector<std::string> stack_tag_files;                     ///< --stack-tags FILE
  /// Inputs of particular roots (from the config file), in order; the command line's inputs
  /// above apply to every root, after these.
  std::vector<RootInputsRule> root_inputs;
  unsigned jobs = 0;  ///< worker threads; 0: one per core
  /// The process's working directory (absolute), set by main; Terraform's path.cwd is the
  /// root module directory resolved against it. Empty: path.cwd of "." is unknown.
  std::string working_directory;
  /// Non-empty: the run checks a change (a pre-commit hook, a pull request). These are the
  /// changed files; `paths` is ignored, and the root modules, templates and cloud assemblies
  /// they belong to are found under `source_root` (linter/engine/changed_files.hpp).
  std::vector<std::string> changed_files;
  std::string source_root = ".";
  /// Where tagwarden may keep files that only save time (linter/engine/module_calls_cache.hpp,
  /// linter/source/result_cache.hpp); empty: nothing is kept (--no-cache). main sets it to a
  /// folder per version.
  std::string cache_dir;
  /// What tells this build apart from any other, for the result cache's key (main: the version,
  /// the commit, the executable's size and time); the cache is not used when empty.
  std::string build_identity;

  /// The inputs of one root (a Terraform root module directory, a template or plan file, as
  /// the front end reads it): every matching root_inputs entry in order, then the command
  /// line's (which so win).
  RootInputs inputs_for(const std::string& root_path) const;
  /// Only the matching root_inputs entries, in order (without the command line's).
  RootInputs configured_inputs_for(const std::string& root_path) const;
  /// True when root_inputs has an entry for `root_path`.
  bool has_root_inputs(const std::string& root_path) const;
  /// True when `path` (as the engine walks it) matches an `exclude` glob.
  bool excluded(const std::string& path) const;
  /// True when `path` or a folder above it matches an `exclude` glob: a walk from above would
  /// not reach it. For paths named directly (changed files, --force-exclude).
  bool excluded_here_or_above(const std::string& path) const;
};

struct LoadContext {
  const RunOptions& options;
  SourceManager& sources;
  const Reader& reader;
  /// The files the current unit of work registers (read_source adds them); null outside units:
  /// files registered then are kept for the whole run.
  FileUses* uses = nullptr;
  /// Outside units: where units' results are kept between runs (null: nowhere). A front end
  /// running units asks it first (unit_from_cache) and records the units it runs
  /// (record_unit); the consumer that set it decodes and stores the results.
  const ResultCache* cache = nullptr;
};

/// The part of the result cache's key every consumer shares: the build, every option of the run
/// and the text of every file an option names (variable files, parameter and stack tag files).
/// Empty when the run has no cache folder or no build identity, and for a run over changed
/// files (then nothing is cached).
std::string run_cache_key(const LoadContext& ctx);

struct FrontendResult {
  std::vector<Resource> resources;
  std::vector<Error> errors;
  std::vector<Fact> facts;
  /// Suppressions placed by position (Terraform comments): the findings pipeline matches
  /// them to the resources around and below them. Template Metadata goes on the resource.
  std::vector<Suppression> suppressions;
  /// The files this result's spans point into, held until the engine has reduced the result
  /// to what the report needs (SourceManager::release).
  FileUses uses;
  /// With LoadContext::cache: what the unit read, for the consumer to store with its reduced
  /// result (ResultCache::store).
  std::shared_ptr<UnitRecording> recording;
  /// With LoadContext::cache: the unit was not run; this is what the consumer stored for it,
  /// and the other fields are empty.
  std::shared_ptr<const CachedUnit> cached;

  void append(FrontendResult&& other);
};

/// Where a front end hands over the result of each unit of work (a root module, a template, a
/// plan, a CDK assembly) as soon as it is done, on the worker thread that ran it, so a run
/// never holds every resource at once. `unit` numbers the front end's units in the order a
/// one-thread run would produce them; the engine merges results in that order, so the output
/// does not depend on threads or timing. Each unit index is handed over once.
using UnitSink = std::function<void(std::size_t unit, FrontendResult&& result)>;

/// A unit of work served from `ctx.cache` (a result with `cached` set, and the front end's own
/// bytes it recorded in `*meta`), or nullopt when the cache has no valid entry for `identity`.
std::optional<FrontendResult> unit_from_cache(const LoadContext& ctx, const std::string& identity, std::string* meta);
/// Starts recording a unit about to run (null without `ctx.cache`): the unit reads through
/// `recording->reader` (unit_reader) and hands the recording on in its result.
std::shared_ptr<UnitRecording> record_unit(const LoadContext& ctx, std::string identity);
/// The reader a unit reads through: the recording's, else the run's.
inline const Reader& unit_reader(const LoadContext& ctx, const std::shared_ptr<UnitRecording>& recording) {
  return recording ? recording->reader : ctx.reader;
}

/// Reads and registers a file for the unit `ctx` belongs to (LoadContext::uses); on failure adds an Error naming it and
/// returns kNoFile. Text in UTF-16 or UTF-32 (with a byte order mark) is converted to UTF-8; a binary file is an error.
FileId read_source(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors);

/// Reads a file's text as read_source does, without registering it: nullopt with `*why` when
/// it cannot be read or is not text.
std::optional<std::string> read_text(const LoadContext& ctx, const std::string& path, std::string* why);

/// Adds an Error at the first byte of a registered file that is not well-formed UTF-8, if any
/// (its text is still used; reports escape such bytes). For files tagwarden reads as inputs.
void check_utf8(const SourceManager& sources, FileId id, std::vector<Error>& errors);

/// The folders whose files an input may refer to: for each path of the run, the repository
/// that holds it (the nearest folder at or above it with a `.git`), else the path itself (the
/// folder of a file). Real paths (symbolic links resolved).
std::vector<std::string> linted_tree_roots(const LoadContext& ctx);

/// Reads a file that an input refers to (Terraform file() and templatefile(), CDK source
/// locations): only a regular file whose real path lies inside linted_tree_roots() and holds
/// at most `max_bytes`. Anything else (/etc/shadow, a FIFO, /proc, a symbolic link out of the
/// tree) is not read: nullopt, and `*why` says why in words for an unknown's reason.
std::optional<std::string> read_referenced_file(const LoadContext& ctx, const std::string& path, std::size_t max_bytes,
                                                std::string* why);

/// What a file an input refers to is, as far as tagwarden may look (the sandbox of
/// read_referenced_file): a regular file inside the linted tree, nothing (inside the tree),
/// something else there (a directory, a FIFO, a device), or a path outside the tree that is not
/// looked at (`*why` says so).
enum class ReferencedFile { kRegular, kMissing, kNotRegular, kNotLooked };
ReferencedFile stat_referenced_file(const LoadContext& ctx, const std::string& path, std::string* why);

}  // namespace tagwarden
