// The `check` and `tags` pipelines: load every input, evaluate effective tags, run the rules,
// order findings and errors, and decide the exit code. `check` reduces each unit of work to its
// findings as soon as the unit is done (engine.hpp), so a run's memory does not grow with every
// resource it reads. The command line only turns arguments
// into CheckOptions and renders the result (linter/report/formats.hpp).
#pragma once
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/engine/engine.hpp"
#include "linter/engine/findings_pipeline.hpp"
#include "linter/engine/rule_selection.hpp"
#include "linter/engine/unit_output.hpp"
#include "linter/schema/schema.hpp"

namespace tagwarden {

struct CheckOptions {
  RunOptions run;
  /// --schema arguments: one file (schema, tag policy, ListRequiredTags response) or tag policies
  /// level by level (linter/policy/schema_loader.hpp); empty: only AWS's own rules apply.
  std::vector<std::string> schema_paths;
  Level fail_level = Level::kError;
  RuleSelection selection;          ///< --select, --ignore, --extend-select, level overrides
  Level min_level = Level::kNote;   ///< --min-level: findings below it are not shown
  bool inline_suppressions = true;  ///< false: --no-inline-suppressions
  /// The run's date (YYYY-MM-DD), given by main; suppressions whose `until` is before it have
  /// expired. Empty: none expires.
  std::string today;
  std::string baseline_path;        ///< --baseline FILE: findings in it are not reported
  std::string write_baseline_path;  ///< --write-baseline FILE: CheckResult::baseline_text is its content
  /// The folder SARIF fingerprints' roots are relative to (the source root), so they do not
  /// depend on where tagwarden runs. Empty: the working directory.
  std::string fingerprint_root;
  /// --fix: the report is the safe fixes as a diff (render_fix_diff), so the files a fix edits
  /// keep their whole text until the end of the run.
  bool fix_diff = false;
};

struct CheckResult {
  std::vector<Finding> findings;  ///< sorted (file, position, rule, address, message)
  /// Findings an inline suppression or the baseline holds back, each with `suppression` set;
  /// sorted. Reports show them only when asked (--include-suppressed).
  std::vector<Finding> suppressed;
  std::vector<Error> errors;  ///< sorted; input errors and internal errors
  RunSummary summary;
  std::string baseline_text;  ///< the baseline to write, with write_baseline_path
  bool schema_given = false;
  bool schema_loaded = false;  ///< false with schema_given: schema rules did not run
  /// With RunOptions::changed_files: the changed files that belong to nothing tagwarden reads,
  /// and how many root modules, templates and assemblies the change put in scope.
  std::vector<std::string> not_checked;
  std::size_t inputs_in_scope = 0;
  /// Changed files (or, with RunOptions::force_exclude, paths of the run) that an `exclude`
  /// glob covers: not checked.
  std::vector<std::string> excluded;
  std::vector<SchemaNote> schema_notes;  ///< worth telling, not errors (unmapped policy types)
  ResultCache::Counts cache;             ///< what the result cache did (RuleStream::cache)
  /// The whole result was taken from the result cache (check_cache.hpp): `cache` is zero.
  bool whole_run_found = false;
  bool whole_run_stored = false;  ///< the result was kept whole for the next run
};

/// Reads the schema that --schema arguments name (one file, or tag policies level by level:
/// linter/policy/schema_loader.hpp). nullopt, with positioned errors in `errors`, when it cannot
/// be used; its `notes` say what is worth telling about it.
std::optional<Schema> read_schema_arguments(const LoadContext& ctx, const std::vector<std::string>& paths,
                                            std::vector<Error>& errors);

/// What streaming a group of inputs through the rules keeps (stream_rules).
struct RuleStream {
  /// Per rule context: the resource rules' findings in resource order (file, address,
  /// position), then the run-level rules' (tag value case across the run, facts).
  std::vector<std::vector<Finding>> findings;
  std::vector<ResourceOutline> resources;  ///< what the findings pipeline needs of resources
  std::vector<Suppression> suppressions;   ///< placed by position (Terraform comments), unit order
  std::vector<Error> errors;               ///< unit order
  std::vector<Fact> facts;                 ///< unit order, a fact several units record once
  std::size_t resources_checked = 0;       ///< resources whose type can be tagged (or may be)
  std::size_t files_seen = 0;
  /// Resources per type beyond `StreamOptions::policy_schema`'s tag-policy types.
  std::map<std::string, std::size_t> beyond_policy_types;
  /// Units taken from the result cache, run, and stored (zero without a cache).
  ResultCache::Counts cache;
  /// What StreamOptions::per_resource kept of the findings it dropped, in unit order.
  std::vector<std::string> dropped;
};

struct StreamOptions {
  const Schema* policy_schema = nullptr;  ///< counts RuleStream::beyond_policy_types against it
  bool fix_diff = false;                  ///< files a fix edits keep their whole text (CheckOptions)
  /// What the rule contexts depend on (the schema files' texts: schema_cache_key), for the
  /// result cache; empty: units' outputs are not cached.
  std::string cache_key;
  /// A whole run being recorded (check_cache.hpp): the unit cache reads through its base and
  /// adds the questions of every entry it finds or stores to it.
  RunRecording* whole_run = nullptr;
  /// Destroys what the merge leaves behind off the caller's thread (thread_pool.hpp); null:
  /// destroyed in place.
  class Disposer* disposer = nullptr;
  /// Called on the worker with one resource's findings and run facts per rule context, as soon
  /// as its rules have run: may drop findings the run does not need to keep, adding to `dropped`
  /// what it keeps of them (`diff` drops those both schemas make, and keeps their identities).
  /// Called from several threads at once; what it adds is cached with the unit's output.
  std::function<void(std::vector<ResourceBlock::Rules>& rules, std::vector<std::string>& dropped)> per_resource =
      nullptr;
};

/// The result cache's key part for the schema `paths` name: their texts, read now. Empty (no
/// caching) when one is not a regular file that can be read.
std::string schema_cache_key(const LoadContext& ctx, const std::vector<std::string>& paths);

/// Loads `inputs` unit by unit (engine.hpp) and runs the resource rules of each of `contexts`
/// on a unit's resources as soon as it is done; the unit's resources are then dropped and its
/// files released but for what reports need, so a run's memory does not grow with every
/// resource it reads. The run-level rules follow once every unit is in. `check` runs one
/// context, `diff` two (the old and the new schema) over one load.
RuleStream stream_rules(const LoadContext& ctx, LoadInputs inputs, const std::vector<const RuleContext*>& contexts,
                        const StreamOptions& options);

/// Runs the whole check. Never throws for bad input: everything wrong with an input is an
/// Error in the result and the other inputs are still checked.
CheckResult run_check(const CheckOptions& options, SourceManager& sources, const Reader& reader);

/// 0: nothing at or above `fail_level`; 1: findings at or above it; 2: an input or the schema
/// could not be processed; 3: an internal error (a bug) happened on the way.
int exit_code(const CheckResult& result, Level fail_level);
/// The exit code `errors` alone call for: 3 with an internal error, else 2 with any, else 0.
int errors_exit_code(const std::vector<Error>& errors);

/// Every resource with its effective tags, sorted (by file, address, position), and the errors;
/// all of it kept (tests, and callers that want the resources themselves).
struct TagsResult {
  std::vector<Resource> resources;
  std::vector<Error> errors;
};
TagsResult run_tags(const RunOptions& options, SourceManager& sources, const Reader& reader);

/// Renders one resource of the `tags` listing (OutputFormat::append_tags_resource).
using TagsRenderer = void (*)(std::string& out, const SourceManager& sources, const Resource& resource);
/// The `tags` command's listing, in run_tags' order: per renderer asked for, each resource as it
/// rendered it, and the errors. Each resource is rendered on the worker that found it as soon as
/// its unit is done; then the unit's resources and files are released (keeping the errors'
/// positions), so a large estate's listing holds its text, not its resources.
struct TagsListing {
  std::vector<std::vector<std::string>> rendered;  ///< per renderer, one text per resource
  std::vector<Error> errors;
};
TagsListing run_tags_listing(const RunOptions& options, SourceManager& sources, const Reader& reader,
                             const std::vector<TagsRenderer>& renderers);

}  // namespace tagwarden
