// Dry runs of a schema over an estate, for the people who write the schema: the coverage report
// (`tagwarden report`) and the comparison of two schemas (`tagwarden diff`). Each loads the
// inputs once, through the same pipeline as `check`.
#pragma once
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "linter/engine/engine.hpp"
#include "linter/report/coverage.hpp"
#include "linter/report/finding_diff.hpp"

namespace tagwarden {

struct CoverageRun {
  Coverage coverage;              ///< errors included, as "path:line:col: message"
  std::vector<Error> errors;      ///< the same errors, positioned
  std::vector<SchemaNote> notes;  ///< worth telling about the schema (unmapped policy types)
};

struct CoverageRequest {
  std::vector<std::string> schema_paths;  ///< as --schema
  std::vector<std::string> group_by;      ///< --group-by tag keys
  /// --cost-allocation-tags: the JSON `aws ce list-cost-allocation-tags` prints; "" for none.
  std::string cost_allocation_tags;
};

/// The coverage of the requested schema over `options.paths`. A schema that cannot be read
/// gives only errors; a cost-allocation file that cannot be read is an error and left out.
CoverageRun run_coverage(const RunOptions& options, const CoverageRequest& request, SourceManager& sources,
                         const Reader& reader);

/// The keys of a `aws ce list-cost-allocation-tags` response (`{"CostAllocationTags": [{"TagKey",
/// "Type", "Status"}, ...]}`) whose Status is Active; nullopt, with positioned errors, when the
/// file cannot be read as one.
std::optional<std::set<std::string>> read_active_cost_allocation_tags(const LoadContext& ctx, const std::string& path,
                                                                      std::vector<Error>& errors);

/// The findings `new_schema` adds and removes compared with `old_schema` over one load of
/// `options.paths`. When either schema cannot be read, only errors.
FindingDiff run_diff(const RunOptions& options, const std::vector<std::string>& old_schema,
                     const std::vector<std::string>& new_schema, SourceManager& sources, const Reader& reader);

}  // namespace tagwarden
