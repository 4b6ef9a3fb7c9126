#include "linter/engine/check_cache.hpp"

#include "linter/engine/output_codec.hpp"

namespace tagwarden {

namespace {

/// What the report of `result` needs of the files it points into (as retained_spans in
/// check.cpp does for a unit's output).
Retain report_spans(const CheckResult& result, bool fix_diff) {
  Retain keep;
  for (const auto& f : result.findings) keep_for_report(keep, f, fix_diff);
  for (const auto& f : result.suppressed) keep_for_report(keep, f, fix_diff);
  for (const auto& e : result.errors) keep.with_line(e.span);
  for (const auto& n : result.schema_notes) keep.with_line(n.span);
  return keep;
}

void write_findings(OutputEncoder& e, const std::vector<Finding>& findings) {
  e.w.varint(findings.size());
  for (const auto& f : findings) e.finding(f);
}

std::vector<Finding> read_findings(OutputDecoder& d) {
  std::vector<Finding> v(d.r.count());
  for (auto& f : v) f = d.finding();
  return v;
}

void write_count_map(OutputEncoder& e, const std::map<std::string, std::size_t>& m) {
  e.w.varint(m.size());
  for (const auto& [k, n] : m) {
    e.str(k);
    e.w.varint(n);
  }
}

std::map<std::string, std::size_t> read_count_map(OutputDecoder& d) {
  std::map<std::string, std::size_t> m;
  for (std::size_t n = d.r.count(); n > 0 && d.r.ok(); --n) {
    std::string k = d.str();
    m[k] = d.r.number<std::size_t>();
  }
  return m;
}

}  // namespace

std::string whole_run_key(const LoadContext& ctx, const CheckOptions& options) {
  std::string run = run_cache_key(ctx);
  if (run.empty()) return {};
  std::string schema = schema_cache_key(ctx, options.schema_paths);
  if (schema.empty()) return {};
  // Every CheckOptions field run_check reads (fail_level only decides the exit code, after it).
  ByteWriter w;
  w.str(kCheckResultEncoding);
  w.str(run);
  w.str(schema);
  const RuleSelection& s = options.selection;
  for (const auto* list : {&s.select, &s.extend_select, &s.ignore}) {
    w.varint(list->size());
    for (const auto& x : *list) w.str(x);
  }
  w.varint(s.levels.size());
  for (const auto& [selector, level] : s.levels) {
    w.str(selector);
    w.u8(static_cast<std::uint8_t>(level));
  }
  w.u8(static_cast<std::uint8_t>(options.min_level));
  w.boolean(options.inline_suppressions);
  w.str(options.today);
  // The baseline file's text is a question the run asks (RunRecording): only its name here.
  w.str(options.baseline_path);
  w.str(options.write_baseline_path);
  w.str(options.fingerprint_root);
  w.boolean(options.fix_diff);
  return std::move(w.out());
}

std::string encode_check_result(const CheckResult& result, bool fix_diff, const SourceManager& sources) {
  OutputEncoder e;
  write_findings(e, result.findings);
  write_findings(e, result.suppressed);
  e.w.varint(result.errors.size());
  for (const auto& x : result.errors) e.error(x);
  const RunSummary& s = result.summary;
  for (std::size_t n : {s.resources_checked, s.files_seen, s.suppressed_inline, s.baseline_matched,
                        s.baseline_unmatched, s.below_min_level})
    e.w.varint(n);
  e.w.boolean(s.baseline_unmatched_known);
  e.w.boolean(s.baseline_used);
  write_count_map(e, s.left_out);
  e.w.str(result.baseline_text);  // large and used once: not in the string table
  e.w.boolean(result.schema_given);
  e.w.boolean(result.schema_loaded);
  e.strings(result.not_checked);
  e.w.varint(result.inputs_in_scope);
  e.strings(result.excluded);
  e.w.varint(result.schema_notes.size());
  for (const auto& n : result.schema_notes) {
    e.span(n.span);
    e.str(n.message);
  }
  return e.finish(report_spans(result, fix_diff), sources);
}

std::optional<CheckResult> decode_check_result(std::string_view bytes, SourceManager& sources) {
  ByteReader r(bytes);
  std::vector<std::string> table;
  std::vector<FileId> ids;
  if (!read_output_tables(r, sources, table, ids)) return std::nullopt;
  OutputDecoder d(r, ids, table);
  CheckResult out;
  out.findings = read_findings(d);
  out.suppressed = read_findings(d);
  out.errors.resize(r.count());
  for (auto& x : out.errors) x = d.error();
  RunSummary& s = out.summary;
  for (std::size_t* n : {&s.resources_checked, &s.files_seen, &s.suppressed_inline, &s.baseline_matched,
                         &s.baseline_unmatched, &s.below_min_level})
    *n = r.number<std::size_t>();
  s.baseline_unmatched_known = r.boolean();
  s.baseline_used = r.boolean();
  s.left_out = read_count_map(d);
  out.baseline_text = r.str();
  out.schema_given = r.boolean();
  out.schema_loaded = r.boolean();
  out.not_checked = d.strings();
  out.inputs_in_scope = r.number<std::size_t>();
  out.excluded = d.strings();
  out.schema_notes.resize(r.count());
  for (auto& n : out.schema_notes) {
    n.span = d.span();
    n.message = d.str();
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return out;
}

}  // namespace tagwarden
