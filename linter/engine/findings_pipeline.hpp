// What happens to findings between the rules and the report: rule selection and level
// overrides, inline suppressions (matched to resources, with the rules about bad suppressions),
// the baseline, notes on fixes that resolve many findings at once, safe-fix checks, and
// --min-level. run_check (check.hpp) calls it once every unit of work is done, with a compact
// outline of each resource; tests call it directly.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/engine/baseline.hpp"
#include "linter/engine/rule_selection.hpp"
#include "linter/model/effective_tags.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

struct PipelineOptions {
  RuleSelection selection;
  Level min_level = Level::kNote;   ///< findings below it are not shown
  bool inline_suppressions = true;  ///< false: every inline suppression is ignored (audits)
  /// The run's date, YYYY-MM-DD, given by main: suppressions whose `until` is before it have
  /// expired. Empty: none expires.
  std::string today;
  const Baseline* baseline = nullptr;  ///< findings in it are not reported
  std::string baseline_path;           ///< display path, for justifications
  bool write_baseline = false;         ///< record today's findings (and apply them as the baseline)
  FingerprintFrame baseline_frame;     ///< anchor: the baseline's folder
  FingerprintFrame report_frame;       ///< anchor: the working directory (SARIF fingerprints)
  unsigned jobs = 1;                   ///< threads for per-finding work (thread_pool.hpp)
};

/// What the pipeline needs of a resource (a run keeps this much of every resource once its
/// unit of work is done): what identifies it, where it is defined, its suppressions and the
/// first inherited tag layer (default_tags notes). A Terraform module call block has one too
/// (address `module.x`, no layer): suppression comments written for it apply to findings
/// about the call.
struct ResourceOutline {
  std::string root;
  std::string address;
  Span span;       ///< Resource::span
  Span body_span;  ///< Resource::body_span
  std::vector<Suppression> suppressions;
  std::optional<InheritedLayer> layer;  ///< Resource::inherits.front(), when any

  static ResourceOutline of(const Resource& r);
};

struct PipelineInput {
  const SourceManager& sources;
  const std::vector<ResourceOutline>& resources;
  /// Suppressions placed by position (Terraform comments); template ones are on resources.
  const std::vector<Suppression>& placed_suppressions;
  const RuleContext& rule_context;
};

struct PipelineOutput {
  std::vector<Finding> reported;    ///< unsorted
  std::vector<Finding> suppressed;  ///< each with `suppression` set; unsorted
  std::size_t suppressed_inline = 0;
  std::size_t baseline_matched = 0;
  std::size_t baseline_unmatched = 0;
  std::size_t below_min_level = 0;
  std::string baseline_text;  ///< the new baseline, with write_baseline
};

/// `findings`' fixes must have been checked (check_fixes) while their files were loaded.
PipelineOutput process_findings(std::vector<Finding> findings, const PipelineInput& in, const PipelineOptions& options);

/// The fix's edits as they apply to the source: each edit's text must be `expected`, bare or in
/// quotes (then kept), else the fix is not safe and nullopt is returned.
std::optional<Fix> checked_fix(const SourceManager& sources, const Fix& fix);
/// Keeps only the fixes of `f` that are safe (checked_fix); run_check calls it for each unit's
/// findings while the unit's files are loaded.
void check_fixes(Finding& f, const SourceManager& sources);

}  // namespace tagwarden
