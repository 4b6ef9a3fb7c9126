#include "linter/engine/changed_files.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>

#include "linter/engine/module_calls_cache.hpp"
#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/frontend/terraform/syntax.hpp"
#include "linter/source/git_index.hpp"
#include "linter/source/sha1.hpp"

namespace tagwarden {
namespace {

bool is_tf(std::string_view name) { return name.ends_with(".tf") || name.ends_with(".tf.json"); }
bool is_tfvars(std::string_view name) { return name.ends_with(".tfvars") || name.ends_with(".tfvars.json"); }
bool is_data(std::string_view name) {
  return !name.ends_with(".tf.json") &&
         (name.ends_with(".json") || name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".template"));
}

/// A Terraform file of the search root; `object` is its git object name when it was listed
/// from a git index.
struct TfFile {
  std::string path;
  std::optional<Sha1> object;
  std::vector<std::string> sources;  ///< the local module sources it calls (filled later)
};
using TfFiles = std::map<std::string, std::vector<TfFile>>;  // by directory

/// Terraform files under the search root, by directory.
void walk_tf(const LoadContext& ctx, const std::string& dir, int depth, TfFiles& out) {
  if (depth > 64) return;
  for (const auto& name : ctx.reader.list_dir(dir)) {
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;
    std::string p = path_join(dir, name);
    if (ctx.reader.is_dir(p)) {
      if (!ctx.reader.is_symlink(p)) walk_tf(ctx, p, depth + 1, out);
    } else if (is_tf(name)) {
      out[dir].push_back(TfFile{p, std::nullopt, {}});
    }
  }
}

/// The same listing from the git index of the work tree holding the search root: the files a
/// commit holds, with no stat() per file (a monorepo has thousands). The walk's rules apply:
/// no hidden names, no node_modules, at most 64 folders deep; symbolic links and submodules
/// are not in an index as files. False (nothing listed) outside a git work tree or when the
/// index cannot serve as a whole listing (git_index.hpp).
bool list_tf_from_git_index(const LoadContext& ctx, const std::string& search_root, TfFiles& out,
                            std::string& work_tree_top) {
  auto real_root = ctx.reader.real_path(search_root);
  if (!real_root) return false;
  auto env = [&](const char* name) {
    auto it = ctx.options.env.find(name);
    return it == ctx.options.env.end() ? std::string() : it->second;
  };
  auto tree = find_git_work_tree(ctx.reader, *real_root, env("GIT_INDEX_FILE"), ctx.options.working_directory);
  if (!tree || tree->sha256) return false;
  std::string err;
  auto data = ctx.reader.read(tree->index_path, &err);
  if (!data) return false;
  auto entries = read_git_index(*data, &err);
  if (!entries) return false;
  std::string prefix = path_relative(*real_root, tree->top);
  if (prefix == ".") prefix.clear();
  if (prefix.rfind("..", 0) == 0) return false;
  for (auto& e : *entries) {
    std::string_view rel(e.path);
    if (!prefix.empty()) {
      if (rel.size() <= prefix.size() || rel.compare(0, prefix.size(), prefix) != 0 || rel[prefix.size()] != '/')
        continue;
      rel.remove_prefix(prefix.size() + 1);
    }
    bool skip = false;
    int depth = 0;
    for (std::size_t at = 0; at <= rel.size() && !skip;) {
      std::size_t slash = rel.find('/', at);
      std::string_view part = rel.substr(at, slash == std::string_view::npos ? std::string_view::npos : slash - at);
      skip = part.empty() || part[0] == '.' || part == "node_modules";
      if (slash == std::string_view::npos) break;
      ++depth;
      at = slash + 1;
    }
    if (skip || depth > 64 || !is_tf(rel)) continue;
    // Index names are already normal (no ".", "..", or doubled slashes; hidden names are out).
    std::string p = search_root == "." ? std::string(rel) : search_root + "/" + std::string(rel);
    std::size_t slash = p.rfind('/');
    out[slash == std::string::npos ? std::string(".") : p.substr(0, slash)].push_back(
        TfFile{std::move(p), e.object, {}});
  }
  work_tree_top = tree->top;
  return true;
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

/// The local module sources (as written) that one file calls. With `cacheable` (a cache is in
/// use), it is set when the content read is the blob the git index names (then the result may be
/// remembered by it); without, the content is not hashed.
std::vector<std::string> local_sources(const LoadContext& ctx, const TfFile& file, bool* cacheable) {
  std::vector<std::string> out;
  if (cacheable) *cacheable = false;
  std::string err;
  auto text = ctx.reader.read(file.path, &err);
  if (!text) return out;
  if (cacheable) *cacheable = file.object && git_blob_sha1(*text) == *file.object;
  if (!may_call_local_module(*text)) return out;
  SourceManager scratch;  // the real load registers these files itself, in its own order
  FileId id = scratch.add(file.path, std::move(*text));
  hcl::ParseResult r = terraform::parse_terraform_file(id, scratch.file(id).contents(), file.path.ends_with(".json"));
  if (!r.file) {
    if (cacheable) *cacheable = false;  // syntax errors are reported by the real load; a fixed file is re-read
    return out;
  }
  for (const hcl::Block* call : terraform::blocks_of(r.file->body, "module")) {
    const hcl::Attribute* src = terraform::find_attr(call->body, "source");
    auto source = terraform::literal_string(src ? src->expr.get() : nullptr);
    if (source && terraform::is_local_source(*source)) out.push_back(*source);
  }
  return out;
}

/// The key a file's calls are remembered by: its content, and whether it is read as JSON.
ContentKey cache_key(const TfFile& f) { return ContentKey{*f.object, f.path.ends_with(".json")}; }

}  // namespace

ChangeScope scope_for_changed_files(const LoadContext& ctx, const std::vector<std::string>& changed,
                                    const std::string& search_root) {
  ChangeScope scope;
  TfFiles tf_files;
  std::string work_tree_top;
  bool from_index = list_tf_from_git_index(ctx, path_normalize(search_root), tf_files, work_tree_top);
  if (!from_index) walk_tf(ctx, path_normalize(search_root), 0, tf_files);
  // A changed file the listing does not have (outside the search root; not yet in the git
  // index) is still read where it is.
  for (const auto& f : changed) {
    std::string p = path_normalize(f);
    if (!is_tf(path_basename(p)) || !ctx.reader.is_dir(path_dirname(p))) continue;
    auto& files = tf_files[path_dirname(p)];
    bool listed = std::any_of(files.begin(), files.end(), [&](const TfFile& t) { return t.path == p; });
    if (!listed && from_index && ctx.reader.is_file(p)) files.push_back(TfFile{p, std::nullopt, {}});
  }

  // Who calls whom, among local modules. Reading is the cost (a monorepo has thousands of
  // files): files the cache knows by content are not read, the others are read in parallel and
  // parsed only when they mention a local source.
  std::optional<ModuleCallsCache> cache;
  if (from_index && !ctx.options.cache_dir.empty())
    cache.emplace(ctx.reader, module_calls_cache_file(ctx.options.cache_dir, work_tree_top));
  std::vector<std::string> dirs;
  std::vector<TfFile*> to_read;
  for (auto& [d, files] : tf_files) {
    dirs.push_back(d);
    for (auto& f : files) {
      const std::vector<std::string>* known = cache && f.object ? cache->find(cache_key(f)) : nullptr;
      if (known) {
        f.sources = *known;
      } else {
        to_read.push_back(&f);
      }
    }
  }
  std::vector<char> cacheable(to_read.size(), 0);
  parallel_for(to_read.size(), ctx.options.jobs, [&](std::size_t i) {
    bool c = false;
    to_read[i]->sources = local_sources(ctx, *to_read[i], cache ? &c : nullptr);
    cacheable[i] = c ? 1 : 0;
  });
  if (cache) {
    for (std::size_t i = 0; i < to_read.size(); ++i)
      if (cacheable[i]) cache->put(cache_key(*to_read[i]), to_read[i]->sources);
    cache->save();
  }
  std::vector<std::vector<std::string>> calls(dirs.size());
  for (std::size_t i = 0; i < dirs.size(); ++i) {
    for (const auto& f : tf_files[dirs[i]]) {
      for (const auto& source : f.sources) {
        std::string target = path_join(dirs[i], source);
        if (target != dirs[i]) calls[i].push_back(target);
      }
    }
  }
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
