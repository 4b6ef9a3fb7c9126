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

/// A folder the directory walk listed, and what it found there.
struct Listed {
  std::string dir;
  int depth = 0;
  std::string unreadable;
  bool assembly = false;   ///< a CDK cloud assembly: the CDK front end owns what is inside
  std::size_t files = 0;   ///< regular files (links to them included)
  bool terraform = false;  ///< a `.tf` or `.tf.json` file among them
  /// In entry order: a data file (its path), or a subfolder to walk (its path until the
  /// folder is queued, then `folder` is its index in the walk).
  struct Found {
    std::string path;
    bool is_folder = false;
    std::size_t folder = 0;
  };
  std::vector<Found> found;
};

/// Folders a level of the walk must hold before it is listed on several threads: below that,
/// starting the threads costs more than the listings.
constexpr std::size_t kMinParallelListings = 32;

/// Lists folder `l` and sorts out its entries.
void list_folder(const LoadContext& ctx, Listed& l) {
  if (l.depth > 64) return;
  std::vector<DirEntry> entries = ctx.reader.list_entries(l.dir, &l.unreadable);
  const bool has_manifest = std::any_of(entries.begin(), entries.end(), [](const DirEntry& e) {
    return e.name == "manifest.json" && e.kind == DirEntry::Kind::kFile;
  });
  l.assembly = (has_manifest || !l.unreadable.empty()) && is_cdk_assembly(ctx, l.dir);
  if (l.assembly) return;
  for (const auto& entry : entries) {
    const std::string& name = entry.name;
    if (name.empty() || name[0] == '.' || name == "node_modules") continue;  // hidden, .terraform
    if (entry.kind == DirEntry::Kind::kOther || (entry.kind == DirEntry::Kind::kDir && entry.symlink)) continue;
    const bool folder = entry.kind == DirEntry::Kind::kDir;
    const bool terraform = !folder && (ends_with(name, ".tf") || ends_with(name, ".tf.json"));
    const bool data = !folder && !terraform && is_data_file(name);
    // A file the walk only counts needs its path just to be matched against `exclude`.
    if (!folder && !data && ctx.options.exclude.empty()) {
      ++l.files;
      l.terraform = l.terraform || terraform;
      continue;
    }
    std::string p = path_join(l.dir, name);  // no symlink loops: linked folders are not walked
    if (ctx.options.excluded(p)) continue;
    if (folder) {
      l.found.push_back(Listed::Found{std::move(p), true});
      continue;
    }
    ++l.files;
    if (terraform) {
      l.terraform = true;
    } else if (data) {
      l.found.push_back(Listed::Found{std::move(p), false});
    }
  }
}

/// Reports the walk of folder `i` (and, recursively, of its subfolders) into `out` and
/// `errors`, in the order of a depth-first walk: the listings were made level by level.
void report_walk(const std::vector<Listed>& listed, std::size_t i, Discovery& out, std::vector<Error>& errors) {
  const Listed& l = listed[i];
  if (l.depth > 64) {
    errors.push_back(Error{Span{}, display_path(l.dir), "directory nesting is too deep; not walked further"});
    return;
  }
  if (l.assembly) {
    out.cdk_dirs.push_back(l.dir);
    return;
  }
  if (!l.unreadable.empty())
    errors.push_back(Error{Span{}, display_path(l.dir), l.unreadable + "; its files are not checked"});
  out.files += l.files;
  if (l.terraform) out.terraform_dirs.insert(l.dir);
  for (const auto& f : l.found) {
    if (f.is_folder) {
      report_walk(listed, f.folder, out, errors);
    } else {
      out.data_files.push_back(f.path);
    }
  }
}

/// Lists the folders of `listed` from `begin` on, level by level, queueing the subfolders each
/// listing finds. From the first level of kMinParallelListings folders or more, the threads
/// share that level's folders and each walks its folders' whole subtrees (a forest of its own,
/// spliced in afterwards): no level waits for the one before it, and no thread for the others.
void list_levels(const LoadContext& ctx, std::vector<Listed>& listed, std::size_t begin, unsigned jobs) {
  while (begin < listed.size()) {
    const std::size_t end = listed.size();
    const std::size_t n = end - begin;
    if (jobs != 1 && n >= kMinParallelListings) {
      std::vector<std::vector<Listed>> forests(n);
      parallel_for(n, jobs, [&](std::size_t k) {
        forests[k].push_back(std::move(listed[begin + k]));
        list_levels(ctx, forests[k], 0, 1);
      });
      // A forest's first folder goes back to its place; the others go to the end, where the
      // subfolder indices that point at them are moved too.
      for (std::size_t k = 0; k < n; ++k) {
        std::vector<Listed>& forest = forests[k];
        const std::size_t base = listed.size() - 1;  // forest[j] for j >= 1 lands at base + j
        for (Listed& l : forest) {
          for (Listed::Found& f : l.found) {
            if (f.is_folder) f.folder += base;
          }
        }
        listed[begin + k] = std::move(forest[0]);
        for (std::size_t j = 1; j < forest.size(); ++j) listed.push_back(std::move(forest[j]));
      }
      return;
    }
    for (std::size_t i = begin; i < end; ++i) list_folder(ctx, listed[i]);
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t k = 0; k < listed[i].found.size(); ++k) {
        Listed::Found& f = listed[i].found[k];
        if (!f.is_folder) continue;
        Listed sub;
        sub.dir = std::move(f.path);
        sub.depth = listed[i].depth + 1;
        f.folder = listed.size();
        listed.push_back(std::move(sub));  // may move listed[i]: `f` is not used after
      }
    }
    begin = end;
  }
}

/// Walks the tree under `root` (list_levels), then reports what it found in depth-first order,
/// so what the walk finds and the order of its errors never depend on threads.
void walk(const LoadContext& ctx, const std::string& root, Discovery& out, std::vector<Error>& errors) {
  std::vector<Listed> listed(1);
  listed[0].dir = root;
  list_levels(ctx, listed, 0, ctx.options.jobs);
  report_walk(listed, 0, out, errors);
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
  bool read_first = false;  ///< a deployment file, read before the units started
};

/// A cloud assembly's manifest.json: one that did not parse (truncated) was not taken for an
/// assembly by the walk, so its error is reported here rather than lost.
bool is_cdk_manifest_text(const std::string& path, const std::string& text) {
  return path_basename(path) == "manifest.json" && text.find("\"artifacts\"") != std::string::npos;
}

/// Parses a candidate's text by content (JSON when it starts with `{` or `[`, else YAML); null
/// when it mentions none of the markers an input has.
std::optional<DocResult> parse_candidate(const std::string& path, FileId id, const std::string& text) {
  std::size_t first = text.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  bool json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  bool cdk_manifest = is_cdk_manifest_text(path, text);
  // Cheap pre-filter: a file that mentions none of the markers cannot be an input.
  if (text.find("Resources") == std::string::npos && text.find("AWSTemplateFormatVersion") == std::string::npos &&
      text.find("format_version") == std::string::npos && text.find("template-file-path") == std::string::npos &&
      !cdk_manifest) {
    return std::nullopt;
  }
  return json ? parse_json(id, text) : parse_yaml(id, text);
}

/// True when a text that did not parse claims to be a template, plan or assembly manifest: its
/// errors are then ours to report.
bool claims_to_be_input(const std::string& path, const std::string& text) {
  bool cdk_manifest = is_cdk_manifest_text(path, text);
  return text.find("AWSTemplateFormatVersion") != std::string::npos || text.find("AWS::") != std::string::npos ||
         text.find("resource_changes") != std::string::npos || cdk_manifest;
}

/// Phase one: reads a candidate that is a deployment file (a samconfig file by name, a Git
/// sync deployment file by content) into the file `id` declared for it, for the whole run:
/// templates of every unit point at its parameters and tags. False for any other file, which
/// is left for its unit (a file that cannot be read is skipped quietly, as other data files are).
bool read_deployment_file(const LoadContext& ctx, const std::string& path, FileId id, Slot& s) {
  std::string why;
  std::optional<std::string> read = read_text(ctx, path, &why);
  if (is_samconfig_name(path)) {
    s.read_first = true;
    if (!read) return true;
    ctx.sources.fill(id, std::move(*read));
    read_samconfig(ctx.sources.file(id), id, path, s.deployments, s.errors);
    s.kind = Slot::kDeployments;
    check_utf8(ctx.sources, id, s.errors);
    return true;
  }
  if (!read || read->find("template-file-path") == std::string::npos) return false;
  std::optional<DocResult> d = parse_candidate(path, id, *read);
  if (!d || !d->root || is_terraform_plan(*d->root) || is_cloudformation_template(*d->root) ||
      !is_git_sync_deployment(*d->root))
    return false;
  s.read_first = true;
  s.kind = Slot::kDeployments;
  read_git_sync_deployment(*d->root, path, s.deployments, s.errors);
  ctx.sources.fill(id, std::move(*read));
  check_utf8(ctx.sources, id, s.errors);
  return true;
}

/// Phase two: reads one candidate into the file `id` declared for it, for the unit of `ctx`,
/// and classifies it. A file that is no text (binary data) or cannot be read is not ours:
/// skipped quietly, as other data files are.
void classify(const LoadContext& ctx, const std::string& path, FileId id, Slot& s) {
  std::string why;
  std::optional<std::string> read = read_text(ctx, path, &why);
  if (!read) return;
  ctx.sources.fill(id, std::move(*read), ctx.uses);
  const std::string& text = ctx.sources.file(id).contents();
  std::optional<DocResult> d = parse_candidate(path, id, text);
  if (!d) return;
  if (!d->root) {
    // Broken input that claims to be a template or plan is an error; other broken data is not ours.
    if (claims_to_be_input(path, text)) {
      for (auto& e : d->errors) s.errors.push_back(std::move(e));
    }
    return;
  }
  s.doc = ParsedDoc{id, path, std::shared_ptr<const DocNode>(std::move(d->root))};
  if (is_terraform_plan(*s.doc.root)) {
    s.kind = Slot::kPlan;
  } else if (is_cloudformation_template(*s.doc.root)) {
    s.kind = Slot::kTemplate;
  }
  if (s.kind != Slot::kSkip) check_utf8(ctx.sources, id, s.errors);
}

/// True when the file at `path` is a CloudFormation template (read and parsed, then forgotten:
/// its unit reads it again).
bool is_template_file(const LoadContext& ctx, const std::string& path, FileId id) {
  std::string why;
  std::optional<std::string> read = read_text(ctx, path, &why);
  if (!read) return false;
  std::optional<DocResult> d = parse_candidate(path, id, *read);
  return d && d->root && !is_terraform_plan(*d->root) && is_cloudformation_template(*d->root);
}

FrontendResult internal_error(const std::string& path, const std::string& what, const std::exception& e) {
  FrontendResult r;
  r.errors.push_back(Error{Span{}, display_path(path),
                           fmt::format("internal error while {} (a bug, please report it): {}", what, e.what()), true});
  return r;
}

}  // namespace

void drop_repeated_facts(std::vector<Fact>& unit, std::set<FactPlace>& seen) {
  std::vector<FactPlace> mine;
  auto kept = unit.begin();  // facts are kept in place, in order
  for (auto it = unit.begin(); it != unit.end(); ++it) {
    FactPlace key{static_cast<int>(it->kind), it->span.file, it->span.begin, it->span.end};
    bool once = it->kind == Fact::Kind::kModuleNotInspectable && it->span.valid();
    if (once && seen.count(key)) continue;
    if (once) mine.push_back(key);
    if (kept != it) *kept = std::move(*it);
    ++kept;
  }
  unit.erase(kept, unit.end());
  seen.insert(mine.begin(), mine.end());
}

LoadInputs discover_inputs(const LoadContext& ctx, std::vector<Error>& errors) {
  LoadInputs disc;
  for (const auto& raw : ctx.options.paths) {
    std::string p = path_normalize(raw);
    if (ctx.options.force_exclude && ctx.options.excluded_here_or_above(p)) {
      disc.excluded.push_back(p);
      continue;
    }
    if (ctx.reader.is_dir(p)) {
      walk(ctx, p, disc, errors);
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
  summary.files_seen = disc.files;
  FrontendResult run_wide;  // problems with what every template is evaluated with

  std::sort(disc.data_files.begin(), disc.data_files.end());
  disc.data_files.erase(std::unique(disc.data_files.begin(), disc.data_files.end()), disc.data_files.end());
  const std::size_t n = disc.data_files.size();
  // Every file the walk saw may be registered (and modules outside it): room for them now.
  ctx.sources.reserve(ctx.sources.size() + disc.files + n);
  // File ids and display paths are decided here, in sorted order, before any worker starts.
  std::vector<FileId> ids;
  ids.reserve(n);
  for (const auto& path : disc.data_files) ids.push_back(ctx.sources.declare(display_path(path)));

  // Phase one: the deployments. Every template must know the deployments that name it before
  // it is evaluated, so deployment files are read first; they are small, and stay loaded.
  std::vector<Slot> slots(n);
  parallel_for(n, ctx.options.jobs, [&](std::size_t i) {
    try {
      read_deployment_file(ctx, disc.data_files[i], ids[i], slots[i]);
    } catch (const std::exception& e) {
      slots[i] = Slot{};
      slots[i].read_first = true;
      slots[i].errors = std::move(internal_error(disc.data_files[i], "reading this file", e).errors);
    }
  });
  // Each deployment goes to the first of its candidate paths that is a template of this run.
  // Which data files are templates is known only when their units run, so a candidate is
  // looked at now only when a later candidate is a data file of the run too.
  std::map<std::string, std::size_t> data_index;
  for (std::size_t i = 0; i < n; ++i) data_index.emplace(path_normalize(disc.data_files[i]), i);
  std::vector<Deployment> deployments;  // every deployment of the run, in file order
  for (auto& s : slots) {
    for (auto& d : s.deployments) deployments.push_back(std::move(d));
    s.deployments.clear();
  }
  std::vector<std::vector<const Deployment*>> deployed(n);
  const bool any_deployment = !deployments.empty();
  for (const Deployment& d : deployments) {
    std::vector<std::size_t> data;
    for (const auto& c : d.template_candidates) {
      if (auto it = data_index.find(c); it != data_index.end() && !slots[it->second].read_first)
        data.push_back(it->second);
    }
    auto named = std::find_if(data.begin(), data.end(), [&](std::size_t i) {
      return i == data.back() || is_template_file(ctx, disc.data_files[i], ids[i]);
    });
    if (named != data.end()) {
      deployed[*named].push_back(&d);
    } else if (auto e = missing_template_error(ctx, d)) {
      run_wide.errors.push_back(std::move(*e));
    }
  }
  std::vector<Error> template_option_errors;
  const PlainTemplateOptions template_options = plain_template_options(ctx, template_option_errors);

  // Phase two, JSON/YAML candidates: one unit each, read, classified by content and, for a
  // template, evaluated in the same task. Plans wait for the Terraform stage.
  TerraformInputs tf;
  tf.module_dirs.assign(disc.terraform_dirs.begin(), disc.terraform_dirs.end());
  std::vector<ParsedDoc> plans(n);
  FileUses plan_uses;
  std::mutex plans_mu;
  std::vector<char> is_template(n, 0);
  // A data file's unit depends on its own text and on the deployments that name it: their
  // files' texts (all of them: which deployment goes to which template depends on the others)
  // and which of them it got.
  std::string deployment_texts;
  if (ctx.cache) {
    ByteWriter w;
    for (std::size_t i = 0; i < n; ++i) {
      if (!slots[i].read_first) continue;
      w.str(disc.data_files[i]);
      w.str(ctx.sources.file(ids[i]).contents());
    }
    deployment_texts = to_hex(sha1(w.out()));
  }
  auto data_identity = [&](std::size_t i) {
    ByteWriter w;
    w.str("data");
    w.str(disc.data_files[i]);
    w.str(deployment_texts);
    for (const Deployment* d : deployed[i]) w.varint(static_cast<std::uint64_t>(d - deployments.data()));
    return std::move(w.out());
  };
  parallel_for(n, ctx.options.jobs, [&](std::size_t i) {
    const std::string& path = disc.data_files[i];
    FrontendResult unit;
    try {
      Slot& s = slots[i];
      std::string meta;
      std::optional<FrontendResult> cached;
      if (!s.read_first && ctx.cache) cached = unit_from_cache(ctx, data_identity(i), &meta);
      if (cached) {
        unit = std::move(*cached);
        is_template[i] = meta == "t" ? 1 : 0;
      } else if (!s.read_first) {
        std::shared_ptr<UnitRecording> recording = record_unit(ctx, ctx.cache ? data_identity(i) : std::string());
        LoadContext uctx{ctx.options, ctx.sources, unit_reader(ctx, recording), &unit.uses};
        classify(uctx, path, ids[i], s);
        if (s.kind == Slot::kTemplate) {
          is_template[i] = 1;
          unit.append(load_plain_template(uctx, s.doc, template_options, deployed[i]));
        } else if (s.kind == Slot::kPlan) {
          // A plan is merged with the Terraform units: its file stays loaded until then.
          plans[i] = std::move(s.doc);
          std::lock_guard<std::mutex> lock(plans_mu);
          plan_uses.append(std::move(unit.uses));
        }
        // A plan's unit is the Terraform stage's: not kept apart.
        if (recording && s.kind != Slot::kPlan) {
          recording->meta.assign(is_template[i] ? 1u : 0u, 't');
          unit.recording = std::move(recording);
        }
      }
      unit.errors.insert(unit.errors.begin(), std::make_move_iterator(s.errors.begin()),
                         std::make_move_iterator(s.errors.end()));
      s = Slot{};
    } catch (const std::exception& e) {
      unit = internal_error(path, "reading this file", e);
    }
    sink(UnitOrder{2, i}, std::move(unit));
  });
  // The command line's stack tags and parameters matter when some template or deployment does.
  if (any_deployment || std::find(is_template.begin(), is_template.end(), 1) != is_template.end()) {
    for (auto& e : template_option_errors) run_wide.errors.push_back(std::move(e));
  }
  sink(UnitOrder{0, 0}, std::move(run_wide));
  summary.order.push_back(UnitOrder{0, 0});

  for (auto& p : plans)
    if (p.root) tf.plans.push_back(std::move(p));
  if (!tf.module_dirs.empty() || !tf.plans.empty()) {
    std::vector<std::size_t> kept = load_terraform(ctx, tf, [&](std::size_t unit, FrontendResult&& r) {
      sink(UnitOrder{1, unit}, std::move(r));
    });
    for (std::size_t k : kept) summary.order.push_back(UnitOrder{1, k});
  }
  tf.plans.clear();
  ctx.sources.release(plan_uses, Retain{});  // the plans' unit has kept what the report needs
  for (std::size_t i = 0; i < n; ++i) summary.order.push_back(UnitOrder{2, i});

  std::sort(disc.cdk_dirs.begin(), disc.cdk_dirs.end());
  if (!disc.cdk_dirs.empty()) {
    FrontendResult unit;
    try {
      ByteWriter identity;
      identity.str("cdk");
      for (const auto& d : disc.cdk_dirs) identity.str(d);
      if (std::optional<FrontendResult> cached = unit_from_cache(ctx, identity.out(), nullptr)) {
        unit = std::move(*cached);
      } else {
        std::shared_ptr<UnitRecording> recording = record_unit(ctx, identity.out());
        LoadContext uctx{ctx.options, ctx.sources, unit_reader(ctx, recording), &unit.uses};
        unit.append(load_cdk(uctx, disc.cdk_dirs));
        unit.recording = std::move(recording);
      }
    } catch (const std::exception& e) {
      unit = internal_error(disc.cdk_dirs.front(), "reading this cloud assembly", e);
    }
    sink(UnitOrder{3, 0}, std::move(unit));
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
  // Everything is kept: the files stay loaded (their FileUses are never released).
  LoadResult result;
  std::vector<FrontendResult> units = load_reduced(
      ctx, std::move(inputs), [](FrontendResult&& r) { return std::move(r); }, &result.files_seen);
  std::set<FactPlace> seen_facts;
  for (FrontendResult& r : units) {
    drop_repeated_facts(r.facts, seen_facts);
    for (auto& e : r.errors) result.errors.push_back(std::move(e));
    for (auto& f : r.facts) result.facts.push_back(std::move(f));
    for (auto& s : r.suppressions) result.suppressions.push_back(std::move(s));
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
    return listing_order(paths[x], a.address, a.span.begin) < listing_order(paths[y], b.address, b.span.begin);
  });
  std::vector<Resource> sorted;
  sorted.reserve(idx.size());
  for (std::size_t i : idx) sorted.push_back(std::move(result.resources[i]));
  result.resources = std::move(sorted);
  return result;
}

}  // namespace tagwarden
