// The `check` and `tags` pipelines: load every input, evaluate effective tags, run the rules,
// order findings and errors, and decide the exit code. `check` reduces each unit of work to its
// findings as soon as the unit is done (engine.hpp), so a run's memory does not grow with every
// resource it reads. The command line only turns arguments
// into CheckOptions and renders the result (linter/report/formats.hpp).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/engine/engine.hpp"
#include "linter/engine/rule_selection.hpp"
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
};

/// Reads the schema that --schema arguments name (one file, or tag policies level by level:
/// linter/policy/schema_loader.hpp). nullopt, with positioned errors in `errors`, when it cannot
/// be used; its `notes` say what is worth telling about it.
std::optional<Schema> read_schema_arguments(const LoadContext& ctx, const std::vector<std::string>& paths,
                                            std::vector<Error>& errors);

/// Runs the whole check. Never throws for bad input: everything wrong with an input is an
/// Error in the result and the other inputs are still checked.
CheckResult run_check(const CheckOptions& options, SourceManager& sources, const Reader& reader);

/// 0: nothing at or above `fail_level`; 1: findings at or above it; 2: an input or the schema
/// could not be processed; 3: an internal error (a bug) happened on the way.
int exit_code(const CheckResult& result, Level fail_level);
/// The exit code `errors` alone call for: 3 with an internal error, else 2 with any, else 0.
int errors_exit_code(const std::vector<Error>& errors);

/// The `tags` command: every resource with its effective tags, sorted, and the errors.
struct TagsResult {
  std::vector<Resource> resources;
  std::vector<Error> errors;
};
TagsResult run_tags(const RunOptions& options, SourceManager& sources, const Reader& reader);

}  // namespace tagwarden
