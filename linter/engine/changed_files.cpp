#include "linter/engine/changed_files.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>
#include <string_view>

#include "linter/engine/caller_index.hpp"
#include "linter/engine/module_calls_cache.hpp"
#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/cdk/cdk_frontend.hpp"
#include "linter/frontend/cloudformation/parameter_values.hpp"
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
  std::string_view path;  ///< a view into its TfFiles
  std::optional<Sha1> object;
  std::vector<std::string> sources;  ///< the local module sources it calls (filled later)
};

/// The Terraform files of the search root by directory. Paths and directory names are views
/// into the git index listing them or into `owned`, neither of which moves: a monorepo's
/// thousands of files cost no string each.
struct TfFiles {
  std::optional<GitIndex> index;
  std::deque<std::string> owned;
  std::map<std::string_view, std::vector<TfFile>> by_dir;

  /// A lasting copy of `s`.
  std::string_view keep(std::string s) { return owned.emplace_back(std::move(s)); }
  /// The files of `dir`, which must be a lasting view (index, owned).
  std::vector<TfFile>& in_kept(std::string_view dir) { return by_dir[dir]; }
  /// The files of `dir`, keeping a copy of its name when it is new.
  std::vector<TfFile>& in(const std::string& dir) {
    auto it = by_dir.find(dir);
    return it != by_dir.end() ? it->second : by_dir[keep(dir)];
  }
};

/// Terraform files under the search root, by directory.
void walk_tf(const LoadContext& ctx, const std::string& dir, int depth, TfFiles& out) {
  if (depth > 64) return;
  for (const auto& entry : ctx.reader.list_entries(dir)) {
    const std::string& name = entry.name;
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;
    std::string p = path_join(dir, name);
    if (entry.kind == DirEntry::Kind::kDir) {
      if (!entry.symlink) walk_tf(ctx, p, depth + 1, out);
    } else if (is_tf(name)) {
      out.in(dir).push_back(TfFile{out.keep(std::move(p)), std::nullopt, {}});
    }
  }
}

/// The git work tree holding a search root, when its index can list the search root's files.
struct IndexedTree {
  GitWorkTree tree;
  std::string prefix;  ///< the search root relative to the work tree's top ("" at the top)
};

std::optional<IndexedTree> indexed_tree(const LoadContext& ctx, const std::string& search_root) {
  auto real_root = ctx.reader.real_path(search_root);
  if (!real_root) return std::nullopt;
  auto env = [&](const char* name) {
    auto it = ctx.options.env.find(name);
    return it == ctx.options.env.end() ? std::string() : it->second;
  };
  auto tree = find_git_work_tree(ctx.reader, *real_root, env("GIT_INDEX_FILE"), ctx.options.working_directory);
  if (!tree || tree->sha256) return std::nullopt;
  std::string prefix = path_relative(*real_root, tree->top);
  if (prefix == ".") prefix.clear();
  if (prefix.rfind("..", 0) == 0) return std::nullopt;
  return IndexedTree{std::move(*tree), std::move(prefix)};
}

/// The same listing from the git index of the work tree holding the search root: the files a
/// commit holds, with no stat() per file (a monorepo has thousands). The walk's rules apply:
/// no hidden names, no node_modules, at most 64 folders deep; symbolic links and submodules
/// are not in an index as files. False (nothing listed) when the index cannot serve as a whole
/// listing (git_index.hpp); else `*checksum` names the index read.
bool list_tf_from_git_index(const LoadContext& ctx, const std::string& search_root, const IndexedTree& where,
                            TfFiles& out, Sha1* checksum) {
  std::string err;
  auto data = ctx.reader.read_bytes(where.tree.index_path, &err);
  if (!data) return false;
  out.index = read_git_index(std::move(*data), &err);
  if (!out.index) return false;
  *checksum = out.index->checksum();
  const std::string& prefix = where.prefix;
  // Index order is path order: a folder's files mostly come one after another, so the last
  // folder's list is reused without a map lookup.
  std::string_view last_dir;
  std::vector<TfFile>* last_files = nullptr;
  for (const auto& e : *out.index) {
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
    std::string_view p = search_root == "." ? rel : out.keep(search_root + "/" + std::string(rel));
    std::size_t slash = p.rfind('/');
    std::string_view dir = slash == std::string_view::npos ? std::string_view(".") : p.substr(0, slash);
    if (!last_files || dir != last_dir) {
      last_files = &out.in_kept(dir);
      last_dir = dir;
    }
    last_files->push_back(TfFile{p, e.object, {}});
  }
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

/// How a file's local module sources were found.
struct SourcesRead {
  bool verified = false;  ///< the content read is the blob the git index names (hashed only with a cache)
  bool parsed = true;     ///< false: the file called for a parse and had syntax errors
};

/// The local module sources (as written) that one file calls. With `hash` (a cache is in use),
/// the content is checked against the blob the git index names (SourcesRead::verified).
std::vector<std::string> local_sources(const LoadContext& ctx, const TfFile& file, bool hash, SourcesRead& how) {
  std::vector<std::string> out;
  how = SourcesRead{};
  std::string err;
  std::string path(file.path);
  auto text = ctx.reader.read(path, &err);
  if (!text) return out;
  how.verified = hash && file.object && git_blob_sha1(*text) == *file.object;
  if (!may_call_local_module(*text)) return out;
  SourceManager scratch;  // the real load registers these files itself, in its own order
  FileId id = scratch.add(path, std::move(*text));
  hcl::ParseResult r = terraform::parse_terraform_file(id, scratch.file(id).contents(), path.ends_with(".json"));
  if (!r.file) {
    how.parsed = false;
    return out;
  }
  for (const hcl::Block* call : terraform::blocks_of(r.file->body, "module")) {
    const hcl::Attribute* src = terraform::find_attr(call->body, "source");
    auto source = terraform::literal_string(src ? src->expr : nullptr);
    if (source && terraform::is_local_source(*source)) out.push_back(*source);
  }
  return out;
}

/// The key a file's calls are remembered by: its content, and whether it is read as JSON.
ContentKey cache_key(const TfFile& f) { return ContentKey{*f.object, f.path.ends_with(".json")}; }

/// What one changed file feeds as an input of other files.
struct FedInputs {
  std::set<std::string> terraform_dirs, data_files, cdk_dirs;
  bool empty() const { return terraform_dirs.empty() && data_files.empty() && cdk_dirs.empty(); }
};

/// The roots, templates and assemblies that `path` is an input of, as the front ends apply
/// inputs (RunOptions::inputs_for): a --var-file feeds every Terraform root, a `roots` entry's
/// var file the roots its pattern matches; a --parameters FILE or --stack-tags FILE every
/// template and assembly (TEMPLATE:FILE only that template), a `roots` entry's stack tag file
/// the templates its pattern matches. Paths are compared absolute (the configuration's are
/// relative to its own folder, the command line's and the changed files to the working one).
template <typename TfRoots, typename DataInputs>
FedInputs inputs_fed_by(const LoadContext& ctx, const std::string& path, TfRoots&& tf_roots, DataInputs&& data_inputs) {
  const RunOptions& o = ctx.options;
  auto same = [&](const std::string& a, const std::string& b) {
    return path_join(o.working_directory, a) == path_join(o.working_directory, b);
  };
  auto names = [&](const std::vector<std::string>& files) {
    return std::any_of(files.begin(), files.end(), [&](const std::string& f) { return same(f, path); });
  };
  FedInputs out;
  // Every root only when some var file could feed one (the roots are listed when first needed).
  if (!o.var_files.empty() || !o.root_inputs.empty()) {
    for (const auto& root : tf_roots()) {
      if (names(o.var_files) || names(o.configured_inputs_for(root).var_files)) out.terraform_dirs.insert(root);
    }
  }
  bool every_template = names(o.stack_tag_files);
  for (const auto& arg : o.parameter_files) {
    auto [scope, file] = split_template_scope(arg);
    if (!same(file, path)) continue;
    if (scope.empty()) {
      every_template = true;
    } else if (!o.excluded_here_or_above(scope) && ctx.reader.is_file(scope)) {
      out.data_files.insert(scope);
    }
  }
  bool in_roots = std::any_of(o.root_inputs.begin(), o.root_inputs.end(),
                              [&](const RootInputsRule& r) { return names(r.inputs.stack_tag_files); });
  if (every_template || in_roots) {
    const LoadInputs& all = data_inputs();
    for (const auto& t : all.data_files) {
      if (every_template || names(o.configured_inputs_for(t).stack_tag_files)) out.data_files.insert(t);
    }
    if (every_template) out.cdk_dirs.insert(all.cdk_dirs.begin(), all.cdk_dirs.end());
  }
  return out;
}

/// The caller index of the Terraform files under `root`: in a git work tree with a cache folder,
/// the one saved for this exact git index when there is one (the warm pre-commit run reads
/// nothing else); otherwise built from the git index (or a walk outside git) and each file's
/// local module calls, and saved when every file's calls are those of the blob the index names.
/// `from_index` says whether the listing is the git index's.
CallerIndex base_callers(const LoadContext& ctx, const std::string& root, bool& from_index) {
  std::optional<IndexedTree> where = indexed_tree(ctx, root);
  const bool use_cache = where && !ctx.options.cache_dir.empty();
  std::string index_file;
  if (use_cache) {
    index_file = caller_index_file(ctx.options.cache_dir, where->tree.top);
    std::string err;
    auto sum = git_index_checksum(ctx.reader, where->tree.index_path);
    auto saved = sum ? ctx.reader.read_bytes(index_file, &err) : std::nullopt;
    if (saved) {
      if (auto index = CallerIndex::read(std::move(*saved), caller_index_key(*sum, root))) {
        from_index = true;
        return std::move(*index);
      }
    }
  }
  TfFiles tf_files;
  Sha1 checksum{};
  from_index = where && list_tf_from_git_index(ctx, root, *where, tf_files, &checksum);
  if (!from_index) walk_tf(ctx, root, 0, tf_files);

  // Who calls whom, among local modules. Reading is the cost (a monorepo has thousands of
  // files): files the cache knows by content are not read, the others are read in parallel and
  // parsed only when they mention a local source.
  std::optional<ModuleCallsCache> cache;
  if (from_index && use_cache)
    cache.emplace(ctx.reader, module_calls_cache_file(ctx.options.cache_dir, where->tree.top));
  std::vector<TfFile*> to_read;
  for (auto& [d, files] : tf_files.by_dir) {
    for (auto& f : files) {
      if (!cache || !f.object || !cache->find(cache_key(f), f.sources)) to_read.push_back(&f);
    }
  }
  std::vector<SourcesRead> how(to_read.size());
  // A few files (the ones changed since the cache was filled) are read faster than threads start.
  constexpr std::size_t kMinParallelReads = 32;
  parallel_for(to_read.size(), jobs_for_tasks(ctx.options.jobs, to_read.size(), kMinParallelReads), [&](std::size_t i) {
    to_read[i]->sources = local_sources(ctx, *to_read[i], cache.has_value(), how[i]);
  });
  // The index is saved when it is the blobs' (not a work tree file that differs from its blob).
  bool pure = cache.has_value();
  if (cache) {
    for (std::size_t i = 0; i < to_read.size(); ++i) {
      pure = pure && how[i].verified;
      if (how[i].verified && how[i].parsed) cache->put(cache_key(*to_read[i]), to_read[i]->sources);
    }
    cache->save();
  }
  std::map<std::string, CallerIndexFolder> folders;
  for (const auto& [dv, files] : tf_files.by_dir) {
    if (files.empty()) continue;
    std::string d(dv);
    auto& names = folders[d].files;
    names.reserve(files.size());
    for (const auto& f : files) {
      std::size_t slash = f.path.rfind('/');  // a file name holds none
      names.push_back(slash == std::string_view::npos ? f.path : f.path.substr(slash + 1));
    }
    for (const auto& f : files) {
      for (const auto& source : f.sources) {
        std::string target = path_join(d, source);
        if (target != d) folders[target].callers.insert(d);
      }
    }
  }
  std::string key = from_index ? caller_index_key(checksum, root) : std::string();
  CallerIndex index = CallerIndex::build(key, folders);
  if (pure) write_file_atomically(index_file, index.text());
  return index;
}

/// Who calls whom among the Terraform folders of the search root: its caller index, and the
/// changed files the git index does not list yet (read where they are).
struct CallGraph {
  CallerIndex index;
  std::set<std::string> extra_dirs;                            ///< folders of such files
  std::map<std::string, std::set<std::string>> extra_callers;  ///< folder -> such files' folders calling it

  bool has_files(const std::string& d) const { return extra_dirs.count(d) > 0 || index.has_files(d); }
  std::set<std::string> callers(const std::string& d) const {
    std::set<std::string> out = index.callers(d);
    if (auto it = extra_callers.find(d); it != extra_callers.end()) out.insert(it->second.begin(), it->second.end());
    return out;
  }
};

}  // namespace

ChangeScope scope_for_changed_files(const LoadContext& ctx, const std::vector<std::string>& changed,
                                    const std::string& search_root) {
  ChangeScope scope;
  const std::string root = path_normalize(search_root);
  bool from_index = false;
  CallGraph graph{base_callers(ctx, root, from_index), {}, {}};
  // A changed file the listing does not have (outside the search root; not yet in the git
  // index) is still read where it is.
  std::set<std::string> extra_files;
  for (const auto& f : changed) {
    std::string p = path_normalize(f);
    std::string dir = path_dirname(p), name = path_basename(p);
    if (!from_index || !is_tf(name) || !ctx.reader.is_dir(dir)) continue;
    if (graph.index.lists(dir, name) || extra_files.count(p) || !ctx.reader.is_file(p)) continue;
    extra_files.insert(p);
    SourcesRead how;
    std::vector<std::string> sources = local_sources(ctx, TfFile{p, std::nullopt, {}}, false, how);
    graph.extra_dirs.insert(dir);
    for (const auto& source : sources) {
      std::string target = path_join(dir, source);
      if (target != dir) graph.extra_callers[target].insert(dir);
    }
  }

  // The roots that evaluate directory `d`: walk callers up to directories nobody calls. As in
  // the Terraform front end, a directory reached only through a cycle is its own root.
  auto roots_of = [&](const std::string& d) {
    std::set<std::string> roots, seen{d};
    std::vector<std::string> todo{d};
    while (!todo.empty()) {
      std::string x = todo.back();
      todo.pop_back();
      std::set<std::string> callers = graph.callers(x);
      if (callers.empty()) {
        if (graph.has_files(x)) roots.insert(x);
        continue;
      }
      for (const auto& c : callers)
        if (seen.insert(c).second) todo.push_back(c);
    }
    if (roots.empty() && graph.has_files(d)) roots.insert(d);
    return roots;
  };

  // Roots as a full run finds them: directories nobody calls, not under an `exclude` glob (a
  // walk never enters those). Listed once, when a changed var file needs them.
  std::optional<std::vector<std::string>> all_tf_roots;
  auto tf_roots = [&]() -> const std::vector<std::string>& {
    if (!all_tf_roots) {
      std::set<std::string> dirs = graph.extra_dirs;
      for (auto& d : graph.index.folders_with_files()) dirs.insert(std::move(d));
      all_tf_roots.emplace();
      for (const auto& d : dirs)
        if (graph.callers(d).empty() && !ctx.options.excluded_here_or_above(d)) all_tf_roots->push_back(d);
    }
    return *all_tf_roots;
  };
  // Every template and cloud assembly under the search root, for a changed file that feeds
  // them all (a --parameters or --stack-tags file): listed once, when first needed.
  std::optional<LoadInputs> all_data;
  auto data_inputs = [&]() -> const LoadInputs& {
    if (!all_data) {
      RunOptions walk_options = ctx.options;
      walk_options.paths = {search_root};
      walk_options.force_exclude = false;
      LoadContext walk_ctx{walk_options, ctx.sources, ctx.reader, ctx.uses};
      std::vector<Error> ignored;  // the search root exists; unreadable folders are not this run's inputs
      all_data = discover_inputs(walk_ctx, ignored);
    }
    return *all_data;
  };

  std::set<std::string> whole_roots, located_roots, data_files, cdk_dirs;
  for (const auto& f : changed) {
    std::string p = path_normalize(f);
    std::string name = path_basename(p), dir = path_dirname(p);
    scope.changed.insert(display_path(p));  // as findings show paths
    // A file that feeds roots (a var file, parameters or stack tags given on the command line
    // or in the configuration's `roots`) re-checks them whole, wherever it lies.
    FedInputs fed = inputs_fed_by(ctx, p, tf_roots, data_inputs);
    if (!fed.empty()) {
      whole_roots.insert(fed.terraform_dirs.begin(), fed.terraform_dirs.end());
      data_files.insert(fed.data_files.begin(), fed.data_files.end());
      cdk_dirs.insert(fed.cdk_dirs.begin(), fed.cdk_dirs.end());
      continue;
    }
    // A changed file under an `exclude` glob is not checked, as a full run would not read it
    // (ruff's --force-exclude, which its pre-commit hook passes).
    if (ctx.options.excluded_here_or_above(p)) {
      scope.excluded.push_back(p);
      continue;
    }
    bool matched = false;
    auto add_roots = [&](const std::string& d, std::set<std::string>& to) {
      for (const auto& r : roots_of(d)) {
        if (ctx.options.excluded_here_or_above(r)) continue;
        to.insert(r);
        matched = true;
      }
    };
    if (is_tf(name)) {
      add_roots(dir, located_roots);
    } else if (is_tfvars(name)) {
      // terraform.tfvars and *.auto.tfvars apply to the root module in their own directory
      // (Terraform docs, "Variable Definitions (.tfvars) Files"). Another .tfvars beside a
      // root is treated as that root's.
      if (graph.has_files(dir)) add_roots(dir, whole_roots);
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
