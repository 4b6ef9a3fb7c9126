#include "linter/engine/check.hpp"

#include <algorithm>

#include "linter/engine/changed_files.hpp"
#include "linter/engine/findings_pipeline.hpp"
#include "linter/policy/schema_loader.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

std::optional<Schema> read_schema_arguments(const LoadContext& ctx, const std::vector<std::string>& paths,
                                            std::vector<Error>& errors) {
  std::vector<Error> mine;
  auto levels = read_schema_levels(ctx, paths, mine);
  std::optional<Schema> schema;
  if (mine.empty()) schema = load_schema_files(ctx.sources, levels, mine);
  // Invalid UTF-8 in a schema or policy is an error at its first bad byte (docs/robustness.md).
  for (const auto& level : levels) {
    for (FileId id : level) check_utf8(ctx.sources, id, mine);
  }
  for (auto& e : mine) errors.push_back(std::move(e));
  return schema;
}

CheckResult run_check(const CheckOptions& options, SourceManager& sources, const Reader& reader) {
  CheckResult out;
  LoadContext ctx{options.run, sources, reader};

  std::vector<Error> schema_errors;
  std::optional<Schema> schema;
  out.schema_given = !options.schema_paths.empty();
  if (out.schema_given) {
    schema = read_schema_arguments(ctx, options.schema_paths, schema_errors);
    out.schema_loaded = schema.has_value();
    if (schema) out.schema_notes = schema->notes;
  }

  RuleContext rctx;
  rctx.schema = schema ? &*schema : nullptr;
  // A schema that was given but could not be read is an error, and checking without it would
  // report a misleadingly clean run: no rule runs then.
  const bool rules_run = !out.schema_given || out.schema_loaded;
  std::vector<Resource> resources;
  std::vector<Suppression> placed;
  std::vector<Finding> raw;
  auto take = [&](LoadResult&& loaded, const std::set<std::string>* only_touching) {
    for (auto& e : loaded.errors) out.errors.push_back(std::move(e));
    out.summary.files_seen += loaded.files_seen;
    for (const auto& r : loaded.resources) out.summary.resources_checked += r.taggable != Taggable::kNo ? 1 : 0;
    for (const auto& f : loaded.facts) {
      if (f.kind == Fact::Kind::kLeftOut) ++out.summary.left_out[f.subject];
    }
    // Outside the change, suppression comments are not judged (their findings are not shown).
    for (auto& s : loaded.suppressions) {
      if (only_touching == nullptr || only_touching->count(span_path(sources, s.span, {})))
        placed.push_back(std::move(s));
    }
    if (rules_run) {
      for (auto& f : run_rules(rctx, loaded.resources, loaded.facts)) {
        if (only_touching == nullptr || finding_touches(f, *only_touching, sources)) raw.push_back(std::move(f));
      }
    }
    for (auto& r : loaded.resources) resources.push_back(std::move(r));
  };

  if (options.run.changed_files.empty()) {
    take(load_all(ctx), nullptr);
  } else {
    // A change: its roots are evaluated whole; rules see each group's resources together.
    ChangeScope scope = scope_for_changed_files(ctx, options.run.changed_files, options.run.source_root);
    out.not_checked = scope.not_checked;
    out.inputs_in_scope = scope.whole.terraform_dirs.size() + scope.whole.data_files.size() +
                          scope.whole.cdk_dirs.size() + scope.located.terraform_dirs.size();
    take(load_inputs(ctx, scope.whole), nullptr);
    take(load_inputs(ctx, scope.located), &scope.changed);
  }
  for (auto& e : schema_errors) out.errors.push_back(std::move(e));

  std::optional<Baseline> baseline;
  if (!options.baseline_path.empty() && options.write_baseline_path.empty()) {
    FileId bid = read_source(ctx, options.baseline_path, out.errors);
    if (bid != kNoFile) baseline = read_baseline(sources, bid, out.errors);
  }

  if (rules_run) {
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
    po.report_frame = FingerprintFrame{options.fingerprint_root.empty() ? "." : options.fingerprint_root,
                                       options.run.working_directory};
    PipelineInput pin{sources, resources, placed, rctx};
    PipelineOutput po_out = process_findings(std::move(raw), pin, po);
    out.findings = std::move(po_out.reported);
    out.suppressed = std::move(po_out.suppressed);
    out.baseline_text = std::move(po_out.baseline_text);
    out.summary.suppressed_inline = po_out.suppressed_inline;
    out.summary.baseline_matched = po_out.baseline_matched;
    out.summary.baseline_used = po.baseline != nullptr || po.write_baseline;
    // Entries of roots a change did not touch would count as fixed: only a full run can tell.
    out.summary.baseline_unmatched_known = options.run.changed_files.empty();
    if (out.summary.baseline_unmatched_known) out.summary.baseline_unmatched = po_out.baseline_unmatched;
    out.summary.below_min_level = po_out.below_min_level;
  }

  sort_findings(out.findings, sources);
  sort_findings(out.suppressed, sources);
  sort_errors(out.errors, sources);
  // Two groups of roots can share a module: an error in it is reported once.
  out.errors.erase(std::unique(out.errors.begin(), out.errors.end(),
                               [](const Error& a, const Error& b) {
                                 return a.span == b.span && a.file_hint == b.file_hint && a.message == b.message;
                               }),
                   out.errors.end());
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
