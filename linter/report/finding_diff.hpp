// `tagwarden diff`: what a new schema or tag policy would newly flag and newly accept over the
// same estate, compared with the current one.
#pragma once
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

struct FindingDiff {
  std::vector<std::string> old_schema, new_schema;  ///< the --old and --new arguments
  std::vector<Finding> added;                       ///< findings of the new schema the old one does not make (sorted)
  std::vector<Finding> removed;                     ///< findings of the old schema the new one no longer makes (sorted)
  std::size_t unchanged = 0;                        ///< findings both make (a reworded message counts as the same)
  std::size_t resources = 0;                        ///< resources checked
  std::vector<Error> errors;                        ///< input and schema errors
};

/// Pairs the findings of two runs over the same resources. Two findings are the same when rule,
/// root, address, key, location and message agree; what is left unpaired is then paired ignoring
/// the message (a schema that rewords a value list still flags the same tag). `old_findings` and
/// `new_findings` must be sorted (sort_findings); so are `added` and `removed`.
void diff_findings(const std::vector<Finding>& old_findings, const std::vector<Finding>& new_findings,
                   FindingDiff& out);

/// {"old": [...], "new": [...], "added": [...], "removed": [...], "summary": {...}, "errors": [...]}
std::string render_diff_json(const SourceManager& sm, const FindingDiff& d);
/// Counts by rule and key, then each added (`+`) and removed (`-`) finding at path:line:col.
std::string render_diff_text(const SourceManager& sm, const FindingDiff& d);
/// The same for a pull-request comment or $GITHUB_STEP_SUMMARY.
std::string render_diff_markdown(const SourceManager& sm, const FindingDiff& d);

}  // namespace tagwarden
