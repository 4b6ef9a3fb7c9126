#include "linter/engine/dry_run.hpp"

#include <map>
#include <string>
#include <unordered_set>
#include <vector>

#include "linter/engine/check.hpp"
#include "linter/report/report.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

std::optional<std::set<std::string>> read_active_cost_allocation_tags(const LoadContext& ctx, const std::string& path,
                                                                      std::vector<Error>& errors) {
  FileId id = read_source(ctx, path, errors);
  if (id == kNoFile) return std::nullopt;
  DocResult doc = parse_json(id, ctx.sources.file(id).contents());
  if (!doc.root) {
    for (auto& e : doc.errors) errors.push_back(std::move(e));
    return std::nullopt;
  }
  // Cost Explorer API Reference, ListCostAllocationTags and CostAllocationTag: TagKey, Type
  // (AWSGenerated | UserDefined), Status (Active | Inactive).
  const DocNode* tags = doc.root->get("CostAllocationTags");
  if (tags == nullptr || !tags->is_seq()) {
    errors.push_back(Error{doc.root->span, "",
                           "not the output of `aws ce list-cost-allocation-tags`: no \"CostAllocationTags\" list"});
    return std::nullopt;
  }
  std::set<std::string> active;
  for (const auto& t : tags->items) {
    const DocNode* key = t.get("TagKey");
    const DocNode* status = t.get("Status");
    if (key == nullptr || !key->is_string() || status == nullptr || !status->is_string()) {
      errors.push_back(Error{t.span, "", "a cost allocation tag without a TagKey or Status string"});
      continue;
    }
    if (status->scalar == "Active") active.insert(key->scalar);
  }
  return active;
}

CoverageRun run_coverage(const RunOptions& options, const CoverageRequest& request, SourceManager& sources,
                         const Reader& reader) {
  CoverageRun out;
  LoadContext ctx{options, sources, reader};
  std::optional<Schema> schema = read_schema_arguments(ctx, request.schema_paths, out.errors);
  if (schema) {
    out.notes = schema->notes;
    // Each unit of work is counted as soon as it is done, then its resources and files go (as
    // in check): a dry run over a whole estate holds counts, not every resource.
    const CoverageOptions coverage_options{options.paths, request.group_by};
    struct UnitCoverage {
      Coverage coverage;
      std::vector<Error> errors;
      std::map<std::string, std::size_t> unmapped;
    };
    LoadInputs inputs = discover_inputs(ctx, out.errors);
    auto count = [&](FrontendResult&& r) {
      UnitCoverage u;
      u.coverage = compute_coverage(*schema, r.resources, sources, coverage_options);
      for (const auto& res : r.resources)
        if (schema->beyond_policy_types(res)) ++u.unmapped[res.type];
      Retain keep;
      for (const auto& e : r.errors) keep.with_line(e.span);
      u.errors = std::move(r.errors);
      std::vector<Resource>().swap(r.resources);
      sources.release(r.uses, keep);
      return u;
    };
    std::vector<UnitCoverage> units = load_reduced(ctx, std::move(inputs), count, &out.coverage.files_seen);
    for (const auto& spec : schema->tags) out.coverage.keys.push_back(spec.key);
    std::map<std::string, std::size_t> unmapped;
    for (UnitCoverage& u : units) {
      add_unit_coverage(out.coverage, std::move(u.coverage));
      for (const auto& [type, n] : u.unmapped) unmapped[type] += n;
      for (auto& e : u.errors) out.errors.push_back(std::move(e));
    }
    sort_failing(out.coverage);
    for (auto& n : unmapped_type_notes(*schema, unmapped)) out.notes.push_back(std::move(n));
    if (!request.cost_allocation_tags.empty()) {
      if (auto active = read_active_cost_allocation_tags(ctx, request.cost_allocation_tags, out.errors)) {
        out.coverage.cost_allocation_given = true;
        std::set<std::string> inactive;
        for (const auto& spec : schema->tags)
          if ((spec.required || !spec.required_for.empty()) && !active->count(spec.key)) inactive.insert(spec.key);
        out.coverage.required_not_active.assign(inactive.begin(), inactive.end());
      }
    }
  }
  out.coverage.schema_files = request.schema_paths;
  sort_errors(out.errors, sources);
  for (const auto& e : out.errors)
    out.coverage.errors.push_back(location_string(sources, e.span, e.file_hint) + ": " + e.message);
  return out;
}

FindingDiff run_diff(const RunOptions& options, const std::vector<std::string>& old_schema,
                     const std::vector<std::string>& new_schema, SourceManager& sources, const Reader& reader) {
  FindingDiff out;
  out.old_schema = old_schema;
  out.new_schema = new_schema;
  LoadContext ctx{options, sources, reader};
  std::optional<Schema> before = read_schema_arguments(ctx, old_schema, out.errors);
  std::optional<Schema> after = read_schema_arguments(ctx, new_schema, out.errors);
  if (before && after) {
    // One load, both schemas' rules on each unit as it is done (check's streaming): a diff of
    // a whole estate holds findings, not every resource.
    LoadInputs inputs = discover_inputs(ctx, out.errors);
    RuleContext old_rules;
    old_rules.schema = &*before;
    RuleContext new_rules;
    new_rules.schema = &*after;
    StreamOptions stream;
    if (std::string o = schema_cache_key(ctx, old_schema), n = schema_cache_key(ctx, new_schema);
        !o.empty() && !n.empty())
      stream.cache_key = o + n;
    // What both schemas make of a resource is dropped as soon as its rules have run, keeping its
    // identities: an estate's diff holds what may differ, not two full sets of findings.
    stream.per_resource = [](std::vector<ResourceBlock::Rules>& rules, std::vector<std::string>& dropped) {
      drop_entries_both_make(rules[0].findings, rules[1].findings, dropped);
    };
    RuleStream run = stream_rules(ctx, std::move(inputs), {&old_rules, &new_rules}, stream);
    out.resources = run.resources_checked;
    // Per root: a module two roots call holds a resource of each, and the new schema may flag
    // one and not the other (check reports such a finding once).
    for (auto& f : run.findings) sort_findings(f, sources, true);
    diff_findings(std::move(run.findings[0]), std::move(run.findings[1]), out,
                  std::unordered_set<std::string>(run.dropped.begin(), run.dropped.end()));
    for (auto& e : run.errors) out.errors.push_back(std::move(e));
  }
  sort_errors(out.errors, sources);
  return out;
}

}  // namespace tagwarden
