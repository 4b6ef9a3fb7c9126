// What a run keeps of one unit of work once its resources are gone (check's and diff's
// streaming, linter/engine/check.cpp), and its encoding for the result cache
// (linter/source/result_cache.hpp): a later run over unchanged files decodes it instead of
// running the unit again, and gets the same report.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/engine/findings_pipeline.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

/// What the run keeps of one resource once its unit of work is done: what the findings
/// pipeline needs of it, its findings and what run-level rules keep of it. Its file (the
/// resource's, else `file_hint` for a plan-only resource) orders it as the `tags` command does:
/// path, address, position.
struct ResourceBlock {
  FileId file = kNoFile;
  std::string file_hint;
  ResourceOutline outline;
  /// Per rule context (stream_rules): its findings and what its run-level rules keep.
  struct Rules {
    std::vector<Finding> findings;
    RunFacts run_facts;
  };
  std::vector<Rules> rules;
};

/// What the run keeps of one unit of work once its resources are gone.
struct UnitOutput {
  std::vector<ResourceBlock> resources;
  std::vector<Error> errors;
  std::vector<Fact> facts;
  std::vector<Suppression> suppressions;
  std::size_t resources_checked = 0;
  std::map<std::string, std::size_t> beyond_policy_types;  ///< covered types without a tag-policy type
  /// What StreamOptions::per_resource kept of the findings it dropped (`diff`: the identities
  /// both schemas make), in resource order.
  std::vector<std::string> dropped;
};

/// Raised when the encoding changes: entries of another encoding are never read.
inline constexpr std::string_view kUnitOutputEncoding = "unit-output-3";

/// Encodes `u` with what the report needs of the files it points into: `retained` (what the
/// unit's release kept), read back from `sources` after the release.
std::string encode_unit_output(const UnitOutput& u, const Retain& retained, const SourceManager& sources);
/// Decodes what encode_unit_output wrote, registering its files with `sources` (restore):
/// nullopt when the bytes are malformed or hold another number of rule contexts.
std::optional<UnitOutput> decode_unit_output(std::string_view bytes, std::size_t contexts, SourceManager& sources);

}  // namespace tagwarden
