// Changed files -> what to evaluate (a pre-commit hook, a pull request): the root modules,
// templates and cloud assemblies the files belong to, evaluated whole, and which findings
// concern the change. Kept apart from discovery so a streaming engine can reuse it.
#pragma once
#include <set>
#include <string>
#include <vector>

#include "linter/engine/engine.hpp"

namespace tagwarden {

struct ChangeScope {
  /// Inputs whose every finding concerns the change: roots whose variable files changed (every
  /// root when a `--var-file` changed, the matching roots for a configuration `roots` var file),
  /// templates whose parameters or stack tags file changed, changed templates and plans, cloud
  /// assemblies with a changed file.
  LoadInputs whole;
  /// Root modules evaluated whole because a changed .tf file is in them or in a local module
  /// they call (directly or through other local modules); only findings with a location in a
  /// changed file are reported.
  LoadInputs located;
  std::set<std::string> changed;         ///< the changed files, normalised paths
  std::vector<std::string> not_checked;  ///< changed files that belong to nothing tagwarden reads
  std::vector<std::string> excluded;     ///< changed files under an `exclude` glob, not checked
};

/// Maps `changed` (paths as given, relative to the working directory or absolute) to what to
/// evaluate. Terraform callers are found by reading every .tf/.tf.json under `search_root`
/// (hidden folders and node_modules skipped) and parsing those that call a local module, so a
/// change to a shared module re-checks every root that uses it. Changed files and roots under
/// an `exclude` glob are not checked (ChangeScope::excluded); a file that feeds roots as an
/// input (a var, parameters or stack tags file) re-checks them whole, wherever it lies.
ChangeScope scope_for_changed_files(const LoadContext& ctx, const std::vector<std::string>& changed,
                                    const std::string& search_root);

/// True when `f` has its primary location or a related location in one of `files`.
bool finding_touches(const Finding& f, const std::set<std::string>& files, const SourceManager& sm);

}  // namespace tagwarden
