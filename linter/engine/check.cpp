#include "linter/engine/check.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "rules/rule.hpp"

namespace tagwarden {

namespace {

/// What the run keeps of one unit once its resources are gone.
struct UnitOutput {
  std::vector<Finding> findings;
  std::vector<Error> errors;
  std::vector<Fact> facts;
  RunFacts run_facts;
  std::size_t resources_checked = 0;
};

/// What the report needs of the files a unit's output points into: positions of every span,
/// and the source line of the spans a report shows with their line.
Retain retained_spans(const UnitOutput& u) {
  Retain keep;
  auto finding = [&](const Finding& f) {
    keep.with_line(f.primary);
    for (const auto& r : f.related) keep.position(r.span);
  };
  for (const auto& f : u.findings) finding(f);
  for (const auto& t : u.run_facts.tag_values) finding(t.at);
  for (const auto& e : u.errors) keep.with_line(e.span);
  for (const auto& f : u.facts) keep.with_line(f.span);  // a fact becomes a finding there
  return keep;
}

}  // namespace

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

  RuleContext rctx;
  rctx.schema = schema ? &*schema : nullptr;
  // A schema that was given but could not be read is an error, and checking without it would
  // report a misleadingly clean run: no rule runs then.
  bool rules_run = !out.schema_given || out.schema_loaded;

  // Each unit is reduced to its findings and what run-level rules need as soon as it is done,
  // and its files are released but for the positions and lines the report shows.
  std::mutex mu;
  std::map<UnitOrder, UnitOutput> units;
  LoadSummary loaded = load_units(ctx, [&](UnitOrder unit, FrontendResult&& r) {
    UnitOutput u;
    if (rules_run) run_resource_rules(rctx, r.resources, u.findings, u.run_facts);
    for (const auto& res : r.resources) u.resources_checked += res.taggable != Taggable::kNo ? 1 : 0;
    u.errors = std::move(r.errors);
    u.facts = std::move(r.facts);
    std::vector<Resource>().swap(r.resources);
    sources.release(r.uses, retained_spans(u));
    std::lock_guard<std::mutex> lock(mu);
    units[unit] = std::move(u);
  });

  RunFacts run_facts;
  std::vector<Fact> facts;
  std::set<std::tuple<int, FileId, std::uint32_t, std::uint32_t>> seen_facts;
  for (const UnitOrder& o : loaded.order) {
    UnitOutput& u = units[o];
    drop_repeated_facts(u.facts, seen_facts);
    for (auto& f : u.findings) out.findings.push_back(std::move(f));
    for (auto& e : u.errors) out.errors.push_back(std::move(e));
    for (auto& f : u.facts) facts.push_back(std::move(f));
    run_facts.append(std::move(u.run_facts));
    out.summary.resources_checked += u.resources_checked;
  }
  units.clear();
  for (auto& e : schema_errors) out.errors.push_back(std::move(e));
  if (rules_run) run_run_rules(rctx, run_facts, facts, out.findings);

  out.summary.files_seen = loaded.files_seen;
  sort_findings(out.findings, sources);
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
