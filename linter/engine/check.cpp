#include "linter/engine/check.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include "linter/engine/changed_files.hpp"
#include "linter/policy/schema_loader.hpp"
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
  out.schema_given = !options.schema_paths.empty();
  if (out.schema_given) {
    auto levels = read_schema_levels(ctx, options.schema_paths, schema_errors);
    if (schema_errors.empty()) schema = load_schema_files(sources, levels, schema_errors);
    out.schema_loaded = schema.has_value();
    if (schema) out.schema_notes = schema->notes;
  }

  RuleContext rctx;
  rctx.schema = schema ? &*schema : nullptr;
  // A schema that was given but could not be read is an error, and checking without it would
  // report a misleadingly clean run: no rule runs then.
  const bool rules_run = !out.schema_given || out.schema_loaded;

  // Loads one group of inputs. Each unit is reduced to its findings and what run-level rules
  // need as soon as it is done, and its files are released but for the positions and lines the
  // report shows. Run-level rules see the group's units together; with `only_touching`, only
  // findings with a location in one of those files are kept.
  auto take = [&](LoadInputs inputs, const std::set<std::string>* only_touching) {
    std::mutex mu;
    std::map<UnitOrder, UnitOutput> units;
    LoadSummary loaded = load_units(ctx, std::move(inputs), [&](UnitOrder unit, FrontendResult&& r) {
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

    std::vector<Finding> findings;
    RunFacts run_facts;
    std::vector<Fact> facts;
    std::set<std::tuple<int, FileId, std::uint32_t, std::uint32_t>> seen_facts;
    for (const UnitOrder& o : loaded.order) {
      UnitOutput& u = units[o];
      drop_repeated_facts(u.facts, seen_facts);
      for (auto& f : u.findings) findings.push_back(std::move(f));
      for (auto& e : u.errors) out.errors.push_back(std::move(e));
      for (auto& f : u.facts) facts.push_back(std::move(f));
      run_facts.append(std::move(u.run_facts));
      out.summary.resources_checked += u.resources_checked;
    }
    units.clear();
    out.summary.files_seen += loaded.files_seen;
    for (const auto& f : facts) {
      if (f.kind == Fact::Kind::kLeftOut) ++out.summary.left_out[f.subject];
    }
    if (!rules_run) return;
    run_run_rules(rctx, run_facts, facts, findings);
    for (auto& f : findings) {
      if (only_touching == nullptr || finding_touches(f, *only_touching, sources)) out.findings.push_back(std::move(f));
    }
  };

  if (options.run.changed_files.empty()) {
    take(discover_inputs(ctx, out.errors), nullptr);
  } else {
    // A change: its roots are evaluated whole; rules see each group's resources together.
    ChangeScope scope = scope_for_changed_files(ctx, options.run.changed_files, options.run.source_root);
    out.not_checked = scope.not_checked;
    out.inputs_in_scope = scope.whole.terraform_dirs.size() + scope.whole.data_files.size() + scope.whole.cdk_dirs.size() +
                          scope.located.terraform_dirs.size();
    take(std::move(scope.whole), nullptr);
    take(std::move(scope.located), &scope.changed);
  }
  for (auto& e : schema_errors) out.errors.push_back(std::move(e));

  sort_findings(out.findings, sources);
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
