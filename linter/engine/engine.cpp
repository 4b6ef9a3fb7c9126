#include "linter/engine/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/deployments.hpp"
#include "linter/frontend/terraform/terraform_frontend.hpp"

namespace tagwarden {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

using Discovery = LoadInputs;

bool is_data_file(const std::string& name) {
  if (ends_with(name, ".tf.json")) return false;
  return name == "samconfig.toml" || ends_with(name, ".json") || ends_with(name, ".yaml") || ends_with(name, ".yml") ||
         ends_with(name, ".template");
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
  std::string unreadable;
  std::vector<std::string> names = ctx.reader.list_dir(dir, &unreadable);
  if (!unreadable.empty())
    errors.push_back(Error{Span{}, display_path(dir), unreadable + "; its files are not checked"});
  for (const auto& name : names) {
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;  // hidden, .terraform
    std::string p = path_join(dir, name);
    if (ctx.options.excluded(p)) continue;
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
  return root.is_map() && root.get("format_version") && (root.get("resource_changes") || root.get("planned_values"));
}

/// One JSON/YAML candidate, read and classified by content.
struct Slot {
  ParsedDoc doc;
  std::vector<Error> errors;
  std::vector<Deployment> deployments;  ///< a Git sync deployment file, a samconfig file
  enum { kSkip, kTemplate, kPlan, kDeployments } kind = kSkip;
};

/// Reads one candidate into the file `id` declared for it and classifies it. A file that is no
/// text (binary data) or cannot be read is not ours: skipped quietly, as other data files are.
void classify(const LoadContext& ctx, const std::string& path, FileId id, Slot& s) {
  std::string why;
  std::optional<std::string> read = read_text(ctx, path, &why);
  if (!read) return;
  ctx.sources.fill(id, std::move(*read));
  if (is_samconfig_name(path)) {
    read_samconfig(ctx.sources.file(id), id, path, s.deployments, s.errors);
    s.kind = Slot::kDeployments;
    check_utf8(ctx.sources, id, s.errors);
    return;
  }
  const std::string& text = ctx.sources.file(id).contents();
  std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  bool json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  // A cloud assembly's manifest.json that did not parse (truncated) was not taken for an
  // assembly by the walk: its error is reported here rather than lost.
  bool cdk_manifest = path_basename(path) == "manifest.json" && text.find("\"artifacts\"") != std::string::npos;
  // Cheap pre-filter: a file that mentions none of the markers cannot be an input.
  if (text.find("Resources") == std::string::npos && text.find("AWSTemplateFormatVersion") == std::string::npos &&
      text.find("format_version") == std::string::npos && text.find("template-file-path") == std::string::npos &&
      !cdk_manifest) {
    return;
  }
  DocResult d = json ? parse_json(id, text) : parse_yaml(id, text);
  if (!d.root) {
    // Broken input that claims to be a template or plan is an error; other broken data is not ours.
    if (text.find("AWSTemplateFormatVersion") != std::string::npos || text.find("AWS::") != std::string::npos ||
        text.find("resource_changes") != std::string::npos || cdk_manifest) {
      for (auto& e : d.errors) s.errors.push_back(std::move(e));
    }
    return;
  }
  s.doc = ParsedDoc{id, path, std::shared_ptr<const DocNode>(std::move(d.root))};
  if (is_terraform_plan(*s.doc.root)) {
    s.kind = Slot::kPlan;
  } else if (is_cloudformation_template(*s.doc.root)) {
    s.kind = Slot::kTemplate;
  } else if (is_git_sync_deployment(*s.doc.root)) {
    read_git_sync_deployment(*s.doc.root, path, s.deployments, s.errors);
    s.kind = Slot::kDeployments;
  }
  if (s.kind != Slot::kSkip) check_utf8(ctx.sources, id, s.errors);
}

}  // namespace

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

LoadResult load_all(const LoadContext& ctx) {
  std::vector<Error> errors;
  LoadInputs inputs = discover_inputs(ctx, errors);
  LoadResult result = load_inputs(ctx, std::move(inputs));
  result.errors.insert(result.errors.begin(), errors.begin(), errors.end());
  return result;
}

LoadResult load_inputs(const LoadContext& ctx, LoadInputs disc) {
  LoadResult result;
  result.files_seen = disc.files;

  // Parse every JSON/YAML candidate in parallel and classify it by content.
  std::sort(disc.data_files.begin(), disc.data_files.end());
  disc.data_files.erase(std::unique(disc.data_files.begin(), disc.data_files.end()), disc.data_files.end());
  std::vector<Slot> slots(disc.data_files.size());
  // File ids and display paths are decided here, in sorted order, before any worker starts.
  std::vector<FileId> ids;
  ids.reserve(slots.size());
  for (const auto& path : disc.data_files) ids.push_back(ctx.sources.declare(display_path(path)));
  parallel_for(slots.size(), ctx.options.jobs, [&](std::size_t i) {
    Slot& s = slots[i];
    const std::string& path = disc.data_files[i];
    try {
      classify(ctx, path, ids[i], s);
    } catch (const std::exception& e) {
      s = Slot{};
      s.errors.push_back(
          Error{Span{}, display_path(path),
                fmt::format("internal error while reading this file (a bug, please report it): {}", e.what()), true});
    }
  });

  TerraformInputs tf;
  tf.module_dirs.assign(disc.terraform_dirs.begin(), disc.terraform_dirs.end());
  std::vector<ParsedDoc> templates;
  std::vector<Deployment> deployments;
  for (auto& s : slots) {
    for (auto& e : s.errors) result.errors.push_back(std::move(e));
    if (s.kind == Slot::kPlan) tf.plans.push_back(std::move(s.doc));
    if (s.kind == Slot::kTemplate) templates.push_back(std::move(s.doc));
    for (auto& d : s.deployments) deployments.push_back(std::move(d));
  }

  FrontendResult all;
  if (!tf.module_dirs.empty() || !tf.plans.empty()) all.append(load_terraform(ctx, tf));
  if (!templates.empty() || !deployments.empty()) all.append(load_cloudformation(ctx, templates, deployments));
  std::sort(disc.cdk_dirs.begin(), disc.cdk_dirs.end());
  if (!disc.cdk_dirs.empty()) all.append(load_cdk(ctx, disc.cdk_dirs));

  for (auto& e : all.errors) result.errors.push_back(std::move(e));
  result.facts = std::move(all.facts);
  result.suppressions = std::move(all.suppressions);
  result.resources = std::move(all.resources);
  std::stable_sort(result.resources.begin(), result.resources.end(), [&](const Resource& a, const Resource& b) {
    std::string fa = span_path(ctx.sources, a.span, a.file_hint);
    std::string fb = span_path(ctx.sources, b.span, b.file_hint);
    if (fa != fb) return fa < fb;
    if (a.address != b.address) return a.address < b.address;
    return a.span.begin < b.span.begin;
  });
  return result;
}

}  // namespace tagwarden
