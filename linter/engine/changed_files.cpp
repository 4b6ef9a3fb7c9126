#include "linter/engine/changed_files.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool is_tf(const std::string& name) { return ends_with(name, ".tf") || ends_with(name, ".tf.json"); }
bool is_tfvars(const std::string& name) { return ends_with(name, ".tfvars") || ends_with(name, ".tfvars.json"); }
bool is_data(const std::string& name) {
  return !ends_with(name, ".tf.json") && (ends_with(name, ".json") || ends_with(name, ".yaml") || ends_with(name, ".yml") ||
                                          ends_with(name, ".template"));
}

/// Terraform files under the search root, by directory.
void walk_tf(const LoadContext& ctx, const std::string& dir, int depth, std::map<std::string, std::vector<std::string>>& out) {
  if (depth > 64) return;
  for (const auto& name : ctx.reader.list_dir(dir)) {
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;
    std::string p = path_join(dir, name);
    if (ctx.reader.is_dir(p)) {
      if (!ctx.reader.is_symlink(p)) walk_tf(ctx, p, depth + 1, out);
    } else if (is_tf(name)) {
      out[dir].push_back(p);
    }
  }
}

/// `source = "./x"` or `"../x"` somewhere in the text: only such files can call a local module,
/// so only they are parsed.
bool may_call_local_module(const std::string& text) {
  for (std::size_t at = text.find("source"); at != std::string::npos; at = text.find("source", at + 6)) {
    std::size_t q = text.find_first_not_of(" \t\":=", at + 6);
    if (q != std::string::npos && q > at + 6 && text[q - 1] == '"' && text.compare(q, 2, "./") == 0) return true;
    if (q != std::string::npos && q > at + 6 && text[q - 1] == '"' && text.compare(q, 3, "../") == 0) return true;
  }
  return false;
}

/// The local module directories that the files of one directory call.
std::vector<std::string> local_calls(const LoadContext& ctx, const std::string& dir, const std::vector<std::string>& files) {
  std::vector<std::string> out;
  SourceManager scratch;  // the real load registers these files itself, in its own order
  for (const auto& path : files) {
    std::string err;
    auto text = ctx.reader.read(path, &err);
    if (!text || !may_call_local_module(*text)) continue;
    FileId id = scratch.add(path, std::move(*text));
    hcl::ParseResult r = terraform::parse_terraform_file(id, scratch.file(id).contents(), ends_with(path, ".json"));
    if (!r.file) continue;  // syntax errors are reported by the real load
    for (const hcl::Block* call : terraform::blocks_of(r.file->body, "module")) {
      const hcl::Attribute* src = terraform::find_attr(call->body, "source");
      auto source = terraform::literal_string(src ? src->expr.get() : nullptr);
      if (!source || !terraform::is_local_source(*source)) continue;
      std::string target = path_join(dir, *source);
      if (target != dir) out.push_back(target);
    }
  }
  return out;
}

}  // namespace

ChangeScope scope_for_changed_files(const LoadContext& ctx, const std::vector<std::string>& changed,
                                    const std::string& search_root) {
  ChangeScope scope;
  std::map<std::string, std::vector<std::string>> tf_files;
  walk_tf(ctx, path_normalize(search_root), 0, tf_files);
  for (const auto& f : changed) {
    std::string p = path_normalize(f);
    if (is_tf(path_basename(p)) && ctx.reader.is_dir(path_dirname(p))) tf_files[path_dirname(p)];  // outside the search root
  }

  // Who calls whom, among local modules. Reading is the cost (a monorepo has thousands of
  // files); it runs in parallel and parses only files that mention a local source.
  std::vector<std::string> dirs;
  for (const auto& [d, files] : tf_files) dirs.push_back(d);
  std::vector<std::vector<std::string>> calls(dirs.size());
  parallel_for(dirs.size(), ctx.options.jobs, [&](std::size_t i) { calls[i] = local_calls(ctx, dirs[i], tf_files[dirs[i]]); });
  std::map<std::string, std::set<std::string>> callers;
  for (std::size_t i = 0; i < dirs.size(); ++i)
    for (const auto& callee : calls[i]) callers[callee].insert(dirs[i]);

  auto has_files = [&](const std::string& d) {
    auto it = tf_files.find(d);
    return it != tf_files.end() && !it->second.empty();
  };
  // The roots that evaluate directory `d`: walk callers up to directories nobody calls. As in
  // the Terraform front end, a directory reached only through a cycle is its own root.
  auto roots_of = [&](const std::string& d) {
    std::set<std::string> roots, seen{d};
    std::vector<std::string> todo{d};
    while (!todo.empty()) {
      std::string x = todo.back();
      todo.pop_back();
      auto it = callers.find(x);
      if (it == callers.end() || it->second.empty()) {
        if (has_files(x)) roots.insert(x);
        continue;
      }
      for (const auto& c : it->second)
        if (seen.insert(c).second) todo.push_back(c);
    }
    if (roots.empty() && has_files(d)) roots.insert(d);
    return roots;
  };

  std::set<std::string> var_files;
  for (const auto& v : ctx.options.var_files) var_files.insert(path_normalize(v));
  std::set<std::string> whole_roots, located_roots, data_files, cdk_dirs;
  bool every_root = false;
  for (const auto& f : changed) {
    std::string p = path_normalize(f);
    std::string name = path_basename(p), dir = path_dirname(p);
    scope.changed.insert(display_path(p));  // as findings show paths
    bool matched = false;
    if (is_tf(name)) {
      auto roots = roots_of(dir);
      located_roots.insert(roots.begin(), roots.end());
      matched = !roots.empty();
    } else if (is_tfvars(name)) {
      // A --var-file applies to every root of the run; terraform.tfvars and *.auto.tfvars to
      // the root module in their own directory (Terraform docs, "Variable Definitions (.tfvars)
      // Files"). Another .tfvars beside a root is treated as that root's.
      if (var_files.count(p)) {
        every_root = matched = true;
      } else if (has_files(dir)) {
        auto roots = roots_of(dir);
        whole_roots.insert(roots.begin(), roots.end());
        matched = !roots.empty();
      }
    } else if (is_data(name) || name == "manifest.json") {
      // A file of a cloud assembly re-checks the assembly; any other JSON/YAML is read as a
      // possible template or plan (content decides, as in a full run).
      std::string assembly;
      for (std::string d = dir; !d.empty(); d = path_dirname(d)) {
        if (is_cdk_assembly(ctx, d)) {
          assembly = d;
          break;
        }
        if (d == "." || d == "/" || path_dirname(d) == d) break;
      }
      if (!assembly.empty()) {
        cdk_dirs.insert(assembly);
        matched = true;
      } else if (ctx.reader.is_file(p)) {
        data_files.insert(p);
        matched = true;
      }
    }
    if (!matched) scope.not_checked.push_back(p);
  }
  if (every_root) {
    for (const auto& d : dirs) {
      auto it = callers.find(d);
      if ((it == callers.end() || it->second.empty()) && has_files(d)) whole_roots.insert(d);
    }
  }
  for (const auto& r : whole_roots) located_roots.erase(r);
  scope.whole.terraform_dirs = whole_roots;
  scope.whole.data_files.assign(data_files.begin(), data_files.end());
  scope.whole.cdk_dirs.assign(cdk_dirs.begin(), cdk_dirs.end());
  scope.located.terraform_dirs = located_roots;
  return scope;
}

bool finding_touches(const Finding& f, const std::set<std::string>& files, const SourceManager& sm) {
  auto in = [&](const Span& s, const std::string& hint) { return files.count(span_path(sm, s, hint)) > 0; };
  if (in(f.primary, f.file_hint)) return true;
  return std::any_of(f.related.begin(), f.related.end(), [&](const Related& r) { return in(r.span, {}); });
}

}  // namespace tagwarden
