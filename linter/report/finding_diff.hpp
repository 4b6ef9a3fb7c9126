// `tagwarden diff`: what a new schema or tag policy would newly flag and newly accept over the
// same estate, compared with the current one.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

struct FindingDiff {
  std::vector<std::string> old_schema, new_schema;  ///< the --old and --new arguments
  /// Entries (one per finding and key, see diff_findings) of the new schema the old one does
  /// not make, sorted.
  std::vector<Finding> added;
  std::vector<Finding> removed;  ///< entries of the old schema the new one no longer makes, sorted
  std::size_t unchanged = 0;     ///< entries both make (a reworded message counts as the same)
  std::size_t resources = 0;     ///< resources checked
  std::vector<Error> errors;     ///< input and schema errors
};

/// Compares the findings of two runs over the same resources, per resource and key: each finding
/// becomes one entry per key it is about (a TW001 listing CostCenter and Owner is two entries;
/// its message gets "`Owner`: " in front), keyed by the schema's spelling (Finding::schema_key:
/// a TW003 on `project` is about `Project`), so a schema that adds a required key adds one
/// entry per resource. Entries are the same when rule, root, address, key and value agree (and,
/// for findings about no resource, the place), whatever the message says and however many
/// variants of the resource report it: each run counts one entry per identity. `old_findings`
/// and `new_findings` must be sorted (sort_findings, by root); so are `added` and `removed`.
/// `in_both`: identities both runs made whose findings were dropped before the comparison, each
/// counted as unchanged (a diff of a whole estate drops them resource by resource, keeping only
/// findings that may differ: diff_entry_identities).
void diff_findings(std::vector<Finding> old_findings, std::vector<Finding> new_findings, FindingDiff& out,
                   const std::unordered_set<std::string>& in_both = {});

/// The identities of the entries diff_findings makes of `f` (one per key), as strings.
std::vector<std::string> diff_entry_identities(const Finding& f);

/// One resource's findings under the old and the new schema: removes from both lists the findings
/// whose every entry the other list makes too (a TW001 about two keys, one of which the other
/// schema no longer requires, stays), and appends each identity both make to `dropped` (what
/// diff_findings takes as `in_both`).
void drop_entries_both_make(std::vector<Finding>& old_findings, std::vector<Finding>& new_findings,
                            std::vector<std::string>& dropped);

/// {"old": [...], "new": [...], "added": [...], "removed": [...], "summary": {...}, "errors": [...]}
void write_diff_json(const SourceManager& sm, const FindingDiff& d, const std::function<void(std::string_view)>& out);
std::string render_diff_json(const SourceManager& sm, const FindingDiff& d);  ///< write_diff_json into one string
/// Counts by rule and key, then each added (`+`) and removed (`-`) finding at path:line:col.
std::string render_diff_text(const SourceManager& sm, const FindingDiff& d);
/// The same for a pull-request comment or $GITHUB_STEP_SUMMARY.
std::string render_diff_markdown(const SourceManager& sm, const FindingDiff& d);

}  // namespace tagwarden
