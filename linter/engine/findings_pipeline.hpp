// What happens to findings between the rules and the report: rule selection and level
// overrides, inline suppressions (matched to resources, with the rules about bad suppressions),
// the baseline, notes on fixes that resolve many findings at once, safe-fix checks, and
// --min-level. run_check (check.hpp) calls it; tests call it directly.
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
};

struct PipelineInput {
  const SourceManager& sources;
  const std::vector<Resource>& resources;
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

PipelineOutput process_findings(std::vector<Finding> findings, const PipelineInput& in, const PipelineOptions& options);

/// The fix's edits as they apply to the source: each edit's text must be `expected`, bare or in
/// quotes (then kept), else the fix is not safe and nullopt is returned.
std::optional<Fix> checked_fix(const SourceManager& sources, const Fix& fix);

}  // namespace tagwarden
