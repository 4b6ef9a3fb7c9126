#include "linter/engine/check.hpp"

#include <algorithm>

#include "linter/engine/findings_pipeline.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

CheckResult run_check(const CheckOptions& options, SourceManager& sources, const Reader& reader) {
  CheckResult out;
  LoadContext ctx{options.run, sources, reader};

  std::vector<Error> schema_errors;
  std::optional<Schema> schema;
  out.schema_given = !options.schema_path.empty();
  if (out.schema_given) {
    FileId sid = read_source(ctx, options.schema_path, schema_errors);
    if (sid != kNoFile) schema = load_schema(sources, sid, schema_errors);
    out.schema_loaded = schema.has_value();
  }

  LoadResult loaded = load_all(ctx);
  out.errors = std::move(loaded.errors);
  for (auto& e : schema_errors) out.errors.push_back(std::move(e));

  std::optional<Baseline> baseline;
  if (!options.baseline_path.empty() && options.write_baseline_path.empty()) {
    FileId bid = read_source(ctx, options.baseline_path, out.errors);
    if (bid != kNoFile) baseline = read_baseline(sources, bid, out.errors);
  }

  RuleContext rctx;
  rctx.schema = schema ? &*schema : nullptr;
  // A schema that was given but could not be read is an error, and checking without it would
  // report a misleadingly clean run: no rule runs then.
  if (!out.schema_given || out.schema_loaded) {
    PipelineOptions po;
    po.selection = options.selection;
    po.min_level = options.min_level;
    po.inline_suppressions = options.inline_suppressions;
    po.today = options.today;
    po.baseline = baseline ? &*baseline : nullptr;
    po.write_baseline = !options.write_baseline_path.empty();
    const std::string& bpath = po.write_baseline ? options.write_baseline_path : options.baseline_path;
    po.baseline_path = display_path(bpath);
    po.baseline_frame = FingerprintFrame{path_dirname(bpath), options.run.working_directory};
    po.report_frame = FingerprintFrame{".", options.run.working_directory};
    PipelineInput pin{sources, loaded.resources, loaded.suppressions, rctx};
    PipelineOutput po_out = process_findings(run_rules(rctx, loaded.resources, loaded.facts), pin, po);
    out.findings = std::move(po_out.reported);
    out.suppressed = std::move(po_out.suppressed);
    out.baseline_text = std::move(po_out.baseline_text);
    out.summary.suppressed_inline = po_out.suppressed_inline;
    out.summary.baseline_matched = po_out.baseline_matched;
    out.summary.baseline_unmatched = po_out.baseline_unmatched;
    out.summary.baseline_used = po.baseline != nullptr || po.write_baseline;
    out.summary.below_min_level = po_out.below_min_level;
  }

  out.summary.files_seen = loaded.files_seen;
  for (const auto& r : loaded.resources) out.summary.resources_checked += r.taggable != Taggable::kNo ? 1 : 0;
  sort_findings(out.findings, sources);
  sort_findings(out.suppressed, sources);
  sort_errors(out.errors, sources);
  return out;
}

int errors_exit_code(const std::vector<Error>& errors) {
  if (std::any_of(errors.begin(), errors.end(), [](const Error& e) { return e.internal; })) return 3;
  return errors.empty() ? 0 : 2;
}

int exit_code(const CheckResult& result, Level fail_level) {
  if (int code = errors_exit_code(result.errors); code != 0) return code;
  for (const auto& f : result.findings) {
    if (at_or_above(f.level, fail_level)) return 1;
  }
  return 0;
}

TagsResult run_tags(const RunOptions& options, SourceManager& sources, const Reader& reader) {
  LoadContext ctx{options, sources, reader};
  LoadResult loaded = load_all(ctx);
  TagsResult out{std::move(loaded.resources), std::move(loaded.errors)};
  sort_errors(out.errors, sources);
  return out;
}

}  // namespace tagwarden
