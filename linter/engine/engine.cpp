#include "linter/engine/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>

#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/terraform/terraform_frontend.hpp"

namespace tagwarden {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

using Discovery = LoadInputs;

bool is_data_file(const std::string& name) {
  if (ends_with(name, ".tf.json")) return false;
  return ends_with(name, ".json") || ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".template");
}

void walk(const LoadContext& ctx, const std::string& dir, int depth, Discovery& out, std::vector<Error>& errors) {
  if (depth > 64) {
    errors.push_back(Error{Span{}, display_path(dir), "directory nesting is too deep; not walked further"});
    return;
  }
  if (is_cdk_assembly(ctx, dir)) {
    out.cdk_dirs.push_back(dir);
    return;  // the CDK front end owns everything inside an assembly
  }
  for (const auto& name : ctx.reader.list_dir(dir)) {
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;  // hidden, .terraform
    std::string p = path_join(dir, name);
    if (ctx.reader.is_dir(p)) {
      if (ctx.reader.is_symlink(p)) continue;  // no symlink loops
      walk(ctx, p, depth + 1, out, errors);
    } else if (ctx.reader.is_file(p)) {
      ++out.files;
      if (ends_with(name, ".tf") || ends_with(name, ".tf.json")) {
        out.terraform_dirs.insert(dir);
      } else if (is_data_file(name)) {
        out.data_files.push_back(p);
      }
    }
  }
}

bool is_terraform_plan(const DocNode& root) {
  return root.is_map() && root.get("format_version") &&
         (root.get("resource_changes") || root.get("planned_values"));
}

/// One JSON/YAML candidate, read and classified by content.
struct Slot {
  ParsedDoc doc;
  std::vector<Error> errors;
  enum { kSkip, kTemplate, kPlan } kind = kSkip;
};

void classify(const LoadContext& ctx, const std::string& path, Slot& s) {
  FileId id = read_source(ctx, path, s.errors);
  if (id == kNoFile) return;
  const std::string& text = ctx.sources.file(id).contents();
  std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  bool json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  // Cheap pre-filter: a file that mentions none of the markers cannot be an input.
  if (text.find("Resources") == std::string::npos && text.find("AWSTemplateFormatVersion") == std::string::npos &&
      text.find("format_version") == std::string::npos) {
    return;
  }
  DocResult d = json ? parse_json(id, text) : parse_yaml(id, text);
  if (!d.root) {
    // Broken input that claims to be a template or plan is an error; other broken data is not ours.
    if (text.find("AWSTemplateFormatVersion") != std::string::npos || text.find("AWS::") != std::string::npos ||
        text.find("resource_changes") != std::string::npos) {
      for (auto& e : d.errors) s.errors.push_back(std::move(e));
    }
    return;
  }
  s.doc = ParsedDoc{id, path, std::shared_ptr<const DocNode>(std::move(d.root))};
  if (is_terraform_plan(*s.doc.root)) {
    s.kind = Slot::kPlan;
  } else if (is_cloudformation_template(*s.doc.root)) {
    s.kind = Slot::kTemplate;
  }
}

}  // namespace

void drop_repeated_facts(std::vector<Fact>& unit, std::set<std::tuple<int, FileId, std::uint32_t, std::uint32_t>>& seen) {
  std::vector<std::tuple<int, FileId, std::uint32_t, std::uint32_t>> mine;
  std::vector<Fact> kept;
  for (auto& f : unit) {
    auto key = std::make_tuple(static_cast<int>(f.kind), f.span.file, f.span.begin, f.span.end);
    if (f.span.valid() && seen.count(key)) continue;
    if (f.span.valid()) mine.push_back(key);
    kept.push_back(std::move(f));
  }
  seen.insert(mine.begin(), mine.end());
  unit = std::move(kept);
}

LoadInputs discover_inputs(const LoadContext& ctx, std::vector<Error>& errors) {
  LoadInputs disc;
  for (const auto& raw : ctx.options.paths) {
    std::string p = path_normalize(raw);
    if (ctx.reader.is_dir(p)) {
      walk(ctx, p, 0, disc, errors);
    } else if (ctx.reader.is_file(p)) {
      ++disc.files;
      std::string name = path_basename(p);
      if (ends_with(name, ".tf") || ends_with(name, ".tf.json")) {
        disc.terraform_dirs.insert(path_dirname(p));
      } else if (name == "manifest.json" && is_cdk_assembly(ctx, path_dirname(p))) {
        disc.cdk_dirs.push_back(path_dirname(p));
      } else {
        disc.data_files.push_back(p);
      }
    } else {
      errors.push_back(Error{Span{}, display_path(p), "no such file or directory"});
    }
  }
  return disc;
}

LoadSummary load_units(const LoadContext& ctx, LoadInputs disc, const RunSink& sink) {
  LoadSummary summary;
  FrontendResult run_wide;  // problems with what every template is evaluated with
  summary.files_seen = disc.files;

  // JSON/YAML candidates, one unit each: read, classified by content and, for a template,
  // evaluated in the same task. Plans wait for the Terraform stage.
  std::sort(disc.data_files.begin(), disc.data_files.end());
  disc.data_files.erase(std::unique(disc.data_files.begin(), disc.data_files.end()), disc.data_files.end());
  std::vector<Error> template_option_errors;
  PlainTemplateOptions template_options = plain_template_options(ctx, template_option_errors);
  std::vector<ParsedDoc> plans(disc.data_files.size());
  std::vector<char> is_template(disc.data_files.size(), 0);
  parallel_for(disc.data_files.size(), ctx.options.jobs, [&](std::size_t i) {
    const std::string& path = disc.data_files[i];
    FrontendResult unit;
    FileUses plan_uses;
    try {
      Slot s;
      LoadContext uctx{ctx.options, ctx.sources, ctx.reader, &unit.uses};
      classify(uctx, path, s);
      unit.errors = std::move(s.errors);
      if (s.kind == Slot::kTemplate) {
        is_template[i] = 1;
        FrontendResult t = load_plain_template(uctx, s.doc, template_options);
        unit.append(std::move(t));
      } else if (s.kind == Slot::kPlan) {
        // A plan is merged with the Terraform units: its file stays loaded for the whole run.
        plans[i] = std::move(s.doc);
        plan_uses = std::move(unit.uses);
      }
    } catch (const std::exception& e) {
      unit = FrontendResult{};
      unit.errors.push_back(Error{Span{}, display_path(path), fmt::format("internal error while reading this file (a bug, please report it): {}", e.what()), true});
    }
    sink(UnitOrder{2, i}, std::move(unit));
  });
  if (std::find(is_template.begin(), is_template.end(), 1) != is_template.end()) {
    for (auto& e : template_option_errors) run_wide.errors.push_back(std::move(e));
  }
  sink(UnitOrder{0, 0}, std::move(run_wide));
  summary.order.push_back(UnitOrder{0, 0});

  TerraformInputs tf;
  tf.module_dirs.assign(disc.terraform_dirs.begin(), disc.terraform_dirs.end());
  for (auto& p : plans)
    if (p.root) tf.plans.push_back(std::move(p));
  if (!tf.module_dirs.empty() || !tf.plans.empty()) {
    std::vector<std::size_t> kept =
        load_terraform(ctx, tf, [&](std::size_t unit, FrontendResult&& r) { sink(UnitOrder{1, unit}, std::move(r)); });
    for (std::size_t k : kept) summary.order.push_back(UnitOrder{1, k});
  }
  for (std::size_t i = 0; i < disc.data_files.size(); ++i) summary.order.push_back(UnitOrder{2, i});

  std::sort(disc.cdk_dirs.begin(), disc.cdk_dirs.end());
  if (!disc.cdk_dirs.empty()) {
    sink(UnitOrder{3, 0}, load_cdk(ctx, disc.cdk_dirs));
    summary.order.push_back(UnitOrder{3, 0});
  }
  return summary;
}

LoadResult load_all(const LoadContext& ctx) {
  std::vector<Error> errors;
  LoadInputs inputs = discover_inputs(ctx, errors);
  LoadResult result = load_inputs(ctx, std::move(inputs));
  result.errors.insert(result.errors.begin(), errors.begin(), errors.end());
  return result;
}

LoadResult load_inputs(const LoadContext& ctx, LoadInputs inputs) {
  std::mutex mu;
  std::map<UnitOrder, FrontendResult> units;
  LoadSummary summary = load_units(ctx, std::move(inputs), [&](UnitOrder unit, FrontendResult&& r) {
    std::lock_guard<std::mutex> lock(mu);
    units[unit] = std::move(r);
  });
  LoadResult result;
  result.files_seen = summary.files_seen;
  std::set<std::tuple<int, FileId, std::uint32_t, std::uint32_t>> seen_facts;
  for (const UnitOrder& o : summary.order) {
    FrontendResult& r = units[o];
    drop_repeated_facts(r.facts, seen_facts);
    for (auto& e : r.errors) result.errors.push_back(std::move(e));
    for (auto& f : r.facts) result.facts.push_back(std::move(f));
    for (auto& res : r.resources) result.resources.push_back(std::move(res));
  }
  std::vector<std::string> paths(result.resources.size());
  for (std::size_t i = 0; i < paths.size(); ++i)
    paths[i] = span_path(ctx.sources, result.resources[i].span, result.resources[i].file_hint);
  std::vector<std::size_t> idx(paths.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t x, std::size_t y) {
    const Resource& a = result.resources[x];
    const Resource& b = result.resources[y];
    if (paths[x] != paths[y]) return paths[x] < paths[y];
    if (a.address != b.address) return a.address < b.address;
    return a.span.begin < b.span.begin;
  });
  std::vector<Resource> sorted;
  sorted.reserve(idx.size());
  for (std::size_t i : idx) sorted.push_back(std::move(result.resources[i]));
  result.resources = std::move(sorted);
  return result;
}

}  // namespace tagwarden
