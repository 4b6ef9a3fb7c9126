// The dry-run coverage report (`tagwarden report`): how an estate stands against a schema, per
// key, per resource type, root module or stack, top-level folder and any tag, with the most
// common violations and the failing resources. A Coverage is plain data (no spans), so reports
// of several runs can be read back from JSON and merged (`report --merge`).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/schema/key_status.hpp"
#include "linter/schema/schema.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Resources by how one schema key stands on them (key_status, worst variant first).
/// compliant + invalid + missing + unknown + absent == total.
struct KeyCounts {
  std::size_t compliant = 0;
  std::size_t invalid = 0;  ///< value not allowed, or the key written with other letter case
  std::size_t missing = 0;  ///< required and absent
  std::size_t unknown = 0;  ///< cannot be decided statically
  std::size_t absent = 0;   ///< optional and absent
  std::size_t total = 0;    ///< resources the key applies to

  void add(KeyStatus s);
  void add(const KeyCounts& other);
};

/// Resources by their overall standing: failing when a key is invalid or missing, else unknown
/// when a key is unknown, else compliant.
struct ResourceCounts {
  std::size_t total = 0;
  std::size_t compliant = 0;
  std::size_t failing = 0;
  std::size_t unknown = 0;
  std::map<std::string, KeyCounts> keys;  ///< per schema key

  void add(const ResourceCounts& other);
};

/// One resource that fails the schema, with the keys by status.
struct FailingResource {
  std::string root;  ///< Resource::root: with the address, unique across a run
  std::string address;
  std::string type;
  std::string file;
  std::uint32_t line = 0;  ///< 0 when not known
  std::vector<std::string> missing, invalid, unknown;
};

/// A kind of violation and how many resources have it: a key missing, a value not allowed
/// (`value` holds it), a key written with other letter case (`value` holds the spelling).
struct ViolationKey {
  std::string key;
  std::string kind;  ///< "missing", "value", "key_case"
  std::string value;
  auto operator<=>(const ViolationKey&) const = default;
};

struct Coverage {
  std::vector<std::string> schema_files;  ///< as given
  std::vector<std::string> keys;          ///< schema keys in schema order
  ResourceCounts resources;               ///< every resource at least one key applies to
  /// Dimension ("type", "root", "folder", "tag:Team") -> group -> counts.
  std::map<std::string, std::map<std::string, ResourceCounts>> groups;
  std::map<ViolationKey, std::size_t> violations;
  std::vector<FailingResource> failing;  ///< sorted by root, address, file, line
  /// Distinct user tag keys (not `aws:`) written on resources, with how many carry each.
  std::map<std::string, std::size_t> tag_keys;
  /// With --cost-allocation-tags: the schema keys required somewhere that the billing account
  /// has not activated for cost allocation (sorted).
  bool cost_allocation_given = false;
  std::vector<std::string> required_not_active;
  std::vector<std::string> errors;  ///< input and schema errors, "path:line:col: message"
  std::size_t files_seen = 0;
  std::size_t reports = 1;  ///< how many runs this report combines
};

struct CoverageOptions {
  std::vector<std::string> paths;     ///< the run's PATHs: folders are named relative to them
  std::vector<std::string> group_by;  ///< tag keys to group by (exact key)
};

/// AWS Billing: at most 500 user-defined tag keys can be active for cost allocation at once
/// ("Quotas and restrictions", AWS Billing User Guide, Cost allocation tags).
constexpr std::size_t kCostAllocationKeyQuota = 500;

/// The coverage of `schema` over `resources` (errors are added by the caller). Resources that
/// cannot be tagged, that the schema does not cover, or that no key applies to are not counted.
Coverage compute_coverage(const Schema& schema, const std::vector<Resource>& resources, const SourceManager& sources,
                          const CoverageOptions& options);

/// Adds the coverage of one unit of work (same schema) into a run's: counts add up, failing
/// resources are appended as they come (sort_failing orders them once every unit is in).
void add_unit_coverage(Coverage& into, Coverage&& unit);
/// Orders failing resources by root, address, file, line.
void sort_failing(Coverage& c);

/// The status of `spec` over all variants of `r`: the worst one (invalid, missing, unknown,
/// absent, compliant); kNotApplicable when it applies to none.
KeyStatus resource_key_status(const Schema& schema, const TagSpec& spec, const Resource& r);

/// Adds `other` into `into`. False (with a message in `why`) when they were made with
/// different schema keys and cannot be added up.
bool merge_coverage(Coverage& into, const Coverage& other, std::string& why);

/// Names a report's paths after the repository it came from before a merge: roots, top-level
/// folders, failing resources' roots and files, and errors get `label/` in front (absolute
/// paths are left alone), and the report's totals become the group `label` of the dimension
/// "report" (unless it already has that dimension, as a merge of merges does).
void label_coverage(Coverage& c, const std::string& label);

/// Reads back what render_coverage_json wrote. False (with a message in `why`) when `text` is
/// not such a report.
bool coverage_from_json(const std::string& text, Coverage& out, std::string& why);

std::string render_coverage_json(const Coverage& c);
/// Tables for a terminal: per key, the groups, the most common violations, the failing resources.
std::string render_coverage_text(const Coverage& c);
/// The same for a pull-request comment or $GITHUB_STEP_SUMMARY (under GitHub's 1 MiB limit).
std::string render_coverage_markdown(const Coverage& c);

}  // namespace tagwarden
