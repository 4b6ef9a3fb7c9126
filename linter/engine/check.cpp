#include "linter/engine/check.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "linter/engine/changed_files.hpp"
#include "linter/engine/check_cache.hpp"
#include "linter/engine/findings_pipeline.hpp"
#include "linter/engine/output_codec.hpp"
#include "linter/engine/thread_pool.hpp"
#include "linter/engine/unit_output.hpp"
#include "linter/policy/schema_loader.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

namespace {

/// The order rules see resources in, whatever the units' timing: by file, address, position.
/// Blocks stay where they are; the order is a permutation. Files are ranked by path once, so
/// that comparing two blocks compares numbers rather than long paths.
std::vector<std::size_t> block_order(const std::vector<ResourceBlock>& blocks, const SourceManager& sources) {
  auto path_of = [&](const ResourceBlock& b) {
    return b.file != kNoFile ? std::string_view(sources.file(b.file).path()) : std::string_view(b.file_hint);
  };
  // One representative block per file (and per file hint), sorted by path; equal paths share a rank.
  std::vector<std::size_t> first_of_file(sources.size(), SIZE_MAX);
  std::vector<std::size_t> firsts;
  std::map<std::string_view, std::size_t> hints;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const ResourceBlock& b = blocks[i];
    std::size_t& first =
        b.file != kNoFile ? first_of_file[b.file] : hints.try_emplace(b.file_hint, SIZE_MAX).first->second;
    if (first == SIZE_MAX) {
      first = i;
      firsts.push_back(i);
    }
  }
  std::sort(firsts.begin(), firsts.end(),
            [&](std::size_t x, std::size_t y) { return path_of(blocks[x]) < path_of(blocks[y]); });
  std::vector<std::uint32_t> rank_of_first(blocks.size(), 0);
  std::uint32_t rank = 0;
  for (std::size_t k = 0; k < firsts.size(); ++k) {
    if (k > 0 && path_of(blocks[firsts[k]]) != path_of(blocks[firsts[k - 1]])) ++rank;
    rank_of_first[firsts[k]] = rank;
  }
  std::vector<std::uint32_t> ranks(blocks.size());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const ResourceBlock& b = blocks[i];
    ranks[i] = rank_of_first[b.file != kNoFile ? first_of_file[b.file] : hints.at(b.file_hint)];
  }
  std::vector<std::size_t> order(blocks.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const ResourceBlock& a = blocks[x];
    const ResourceBlock& b = blocks[y];
    if (ranks[x] != ranks[y]) return ranks[x] < ranks[y];
    if (a.outline.address != b.outline.address) return a.outline.address < b.outline.address;
    return a.outline.span.begin < b.outline.span.begin;
  });
  return order;
}

/// A result cache entry whose checksum held but whose payload did not decode: a bug.
Error unreadable_cache_entry() {
  return Error{Span{}, "",
               "internal error: a result cache entry could not be read (a bug, please report it; --no-cache runs "
               "without the cache)",
               true};
}

/// Moves `from`'s items to the end of `to` (taking the whole array when `to` is empty).
template <class T>
void append_moved(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to = std::move(from);
  } else {
    to.insert(to.end(), std::make_move_iterator(from.begin()), std::make_move_iterator(from.end()));
  }
}

/// What the report and the findings pipeline need of the files a unit's output points into:
/// positions of every span it reports, the source line of those shown with their line, and the
/// whole text of a file with suppression comments (matched to resources by the text between
/// them) or, for a --fix diff, with a fix.
Retain retained_spans(const UnitOutput& u, bool fix_diff) {
  Retain keep;
  for (const auto& e : u.errors) keep.with_line(e.span);
  for (const auto& f : u.facts) keep.with_line(f.span);  // a fact becomes a finding there
  auto suppression = [&](const Suppression& s) {
    keep.with_line(s.span);  // findings about suppressions are shown there
    if (s.span.valid()) keep.whole(s.span.file);
  };
  for (const auto& s : u.suppressions) suppression(s);
  for (const auto& b : u.resources) {
    for (const auto& rules : b.rules) {
      for (const auto& f : rules.findings) keep_for_report(keep, f, fix_diff);
      for (const auto& t : rules.run_facts.tag_values) {
        keep.with_line(t.primary);
        keep.with_line(t.shared_entry);
        for (const auto& r : t.related) keep.position(r.span);
      }
    }
    for (const auto& s : b.outline.suppressions) suppression(s);
    if (b.outline.layer) keep.with_line(b.outline.layer->span);  // a default_tags note is shown there
  }
  return keep;
}

}  // namespace

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

std::string schema_cache_key(const LoadContext& ctx, const std::vector<std::string>& paths) {
  ByteWriter w;
  w.str("schema");
  for (const auto& arg : paths) w.str(arg);
  for (const auto& level : policy_levels(paths)) {
    w.varint(level.size());
    for (const auto& path : level) {
      std::string why;
      std::optional<std::string> text = ctx.reader.read(path, &why);
      if (!text) return {};
      w.str(*text);
    }
  }
  return std::move(w.out());
}

RuleStream stream_rules(const LoadContext& ctx, LoadInputs inputs, const std::vector<const RuleContext*>& contexts,
                        const StreamOptions& options) {
  SourceManager& sources = ctx.sources;
  // Units' outputs are kept in the result cache when the caller said what the rules depend on
  // and the run has a cache folder.
  std::optional<ResultCache> cache;
  if (std::string run_key = run_cache_key(ctx); !run_key.empty() && !options.cache_key.empty()) {
    ByteWriter key;
    key.str(run_key);
    key.str(kUnitOutputEncoding);
    key.str(options.cache_key);
    key.varint(contexts.size());
    key.boolean(options.policy_schema != nullptr);
    key.boolean(options.fix_diff);
    const Reader& base = options.whole_run ? options.whole_run->base() : ctx.reader;
    cache.emplace(base, path_join(ctx.options.cache_dir, "results"), ctx.options.working_directory, key.out());
    if (options.whole_run) cache->collect_into(options.whole_run);
  }
  LoadContext run_ctx{ctx.options, ctx.sources, ctx.reader, ctx.uses, cache ? &*cache : nullptr};

  // Reduces one unit of work to its findings, errors, facts and an outline of its resources as
  // soon as it is done; its files are then released but for what the report needs.
  auto reduce = [&](FrontendResult&& r) {
    if (r.cached) {
      std::optional<UnitOutput> u = decode_unit_output(r.cached->payload, contexts.size(), sources);
      if (u) return std::move(*u);
      UnitOutput broken;
      broken.errors.push_back(unreadable_cache_entry());
      return broken;
    }
    UnitOutput u;
    // Suppression comments are matched to the resources of their own file by position.
    std::set<FileId> commented;
    for (const auto& sup : r.suppressions) commented.insert(sup.span.file);
    for (const auto& res : r.resources) {
      u.resources_checked += res.taggable != Taggable::kNo ? 1 : 0;
      if (options.policy_schema && options.policy_schema->beyond_policy_types(res)) ++u.beyond_policy_types[res.type];
      ResourceBlock b;
      b.rules.resize(contexts.size());
      for (std::size_t c = 0; c < contexts.size(); ++c) {
        ResourceBlock::Rules& rules = b.rules[c];
        run_resource_rules(*contexts[c], res, rules.findings, rules.run_facts);
        // Fixes are checked against the text while the unit still holds it.
        for (auto& f : rules.findings) check_fixes(f, sources);
      }
      if (options.per_resource) options.per_resource(b.rules, u.dropped);
      bool any = false;
      for (auto& rules : b.rules) {
        rules.findings.shrink_to_fit();
        rules.run_facts.tag_values.shrink_to_fit();
        any = any || !rules.findings.empty() || !rules.run_facts.tag_values.empty();
      }
      // Most of an estate's resources (those that cannot be tagged, those with nothing wrong)
      // leave nothing for the report: a resource is kept only with findings, with values
      // run-level rules compare, or with suppressions that may name it.
      if (!any && res.suppressions.empty() && commented.count(res.span.file) == 0) continue;
      if (res.span.valid()) {
        b.file = res.span.file;
      } else {
        b.file_hint = res.file_hint;
      }
      b.outline = ResourceOutline::of(res);
      u.resources.push_back(std::move(b));
    }
    u.resources.shrink_to_fit();
    std::vector<Resource>().swap(r.resources);
    u.errors = std::move(r.errors);
    u.facts = std::move(r.facts);
    u.suppressions = std::move(r.suppressions);
    Retain keep = retained_spans(u, options.fix_diff);
    sources.release(r.uses, keep);
    if (r.recording && cache) cache->store(*r.recording, encode_unit_output(u, keep, sources));
    return u;
  };

  // Without the caller's disposer, what the merge leaves is destroyed in place (one job).
  Disposer in_place(1);
  Disposer& disposer = options.disposer != nullptr ? *options.disposer : in_place;
  RuleStream out;
  std::vector<UnitOutput> units = load_reduced(run_ctx, std::move(inputs), reduce, &out.files_seen);
  if (cache) out.cache = cache->counts();
  std::vector<ResourceBlock> blocks;
  std::set<FactPlace> seen_facts;
  std::size_t kept = 0, n_errors = 0, n_facts = 0, n_suppressions = 0;
  for (const auto& u : units) {
    kept += u.resources.size();
    n_errors += u.errors.size();
    n_facts += u.facts.size();
    n_suppressions += u.suppressions.size();
  }
  blocks.reserve(kept);
  out.errors.reserve(n_errors);
  out.facts.reserve(n_facts);
  out.suppressions.reserve(n_suppressions);
  for (UnitOutput& u : units) {
    drop_repeated_facts(u.facts, seen_facts);
    for (auto& b : u.resources) blocks.push_back(std::move(b));
    for (auto& e : u.errors) out.errors.push_back(std::move(e));
    for (auto& f : u.facts) out.facts.push_back(std::move(f));
    for (auto& sup : u.suppressions) out.suppressions.push_back(std::move(sup));
    out.resources_checked += u.resources_checked;
    for (const auto& [type, n] : u.beyond_policy_types) out.beyond_policy_types[type] += n;
    append_moved(out.dropped, u.dropped);
  }
  // What moving left behind (the arrays and the moved-from items) is freed while the merge goes
  // on; before the disposer, each unit's was freed as soon as it was moved on.
  disposer.dispose(std::move(units));

  std::vector<RunFacts> run_facts(contexts.size());
  out.findings.resize(contexts.size());
  for (std::size_t c = 0; c < contexts.size(); ++c) {
    std::size_t n_findings = 0, n_observed = 0, n_values = 0;
    for (const auto& b : blocks) {
      n_findings += b.rules[c].findings.size();
      n_observed += b.rules[c].run_facts.resources.size();
      n_values += b.rules[c].run_facts.tag_values.size();
    }
    out.findings[c].reserve(n_findings);
    run_facts[c].resources.reserve(n_observed);
    run_facts[c].tag_values.reserve(n_values);
  }
  out.resources.reserve(blocks.size());
  for (std::size_t i : block_order(blocks, sources)) {
    ResourceBlock& b = blocks[i];
    for (std::size_t c = 0; c < contexts.size(); ++c) {
      for (auto& f : b.rules[c].findings) out.findings[c].push_back(std::move(f));
      run_facts[c].append(std::move(b.rules[c].run_facts));
    }
    out.resources.push_back(std::move(b.outline));
  }
  disposer.dispose(std::move(blocks));
  // Module call blocks take suppression comments too (for findings about the call).
  for (const auto& f : out.facts) {
    if (f.kind == Fact::Kind::kModuleCall)
      out.resources.push_back(ResourceOutline{f.root, f.address, f.span, f.span, {}, {}});
  }
  // Run-level rules only read what they are given: they run side by side (TW009 and TW011 take
  // milliseconds each over a large estate), their findings appended in run_run_rules' order.
  // A small run's rules take less than starting a thread.
  constexpr std::size_t kMinParallelRunFacts = 4096;
  const std::size_t n_run_jobs = run_level_job_count();
  for (std::size_t c = 0; c < contexts.size(); ++c) {
    std::vector<std::vector<Finding>> found(n_run_jobs);
    const std::size_t size = run_facts[c].resources.size() + run_facts[c].tag_values.size() + out.facts.size();
    parallel_for(n_run_jobs, jobs_for_tasks(ctx.options.jobs, size, kMinParallelRunFacts),
                 [&](std::size_t k) { run_run_level_job(k, *contexts[c], run_facts[c], out.facts, found[k]); });
    for (auto& list : found) append_moved(out.findings[c], list);
  }
  disposer.dispose(std::move(run_facts));
  return out;
}

namespace {
constexpr const char* kWholeRunIdentity = "check";
}  // namespace

CheckResult run_check(const CheckOptions& options, SourceManager& sources, const Reader& reader) {
  // A run over a tree where nothing it looked at changed is the run before it, taken whole
  // from the result cache (check_cache.hpp); otherwise every question it asks is recorded so
  // that the next one can be.
  std::optional<ResultCache> runs;
  std::optional<RunRecording> recording;
  if (std::string key = whole_run_key(LoadContext{options.run, sources, reader}, options); !key.empty()) {
    runs.emplace(reader, path_join(options.run.cache_dir, "results/runs"), options.run.working_directory, key);
    // The entry's questions (every file and folder the run looked at) are asked in parallel.
    const unsigned jobs = options.run.jobs;
    // A question that cannot be asked (it threw) makes the entry a miss: the run goes on uncached.
    ResultCache::ParallelFor parallel = [jobs](std::size_t n, const std::function<void(std::size_t)>& fn) {
      try {
        parallel_for(n, jobs, fn);
        return true;
      } catch (const std::exception&) {
        return false;
      }
    };
    if (std::optional<CachedUnit> hit = runs->find_alone(kWholeRunIdentity, parallel)) {
      std::optional<CheckResult> r = decode_check_result(hit->payload, sources);
      if (!r) {
        r.emplace();
        r->errors.push_back(unreadable_cache_entry());
      }
      r->whole_run_found = true;
      return std::move(*r);
    }
    recording.emplace(reader);
  }
  CheckResult out;
  LoadContext ctx{options.run, sources, recording ? recording->reader() : reader};
  // Declared before everything it is handed: it waits for its thread when run_check returns.
  Disposer disposer(options.run.jobs);

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
  const std::string cache_key = schema_cache_key(ctx, options.schema_paths);
  // A schema that was given but could not be read is an error, and checking without it would
  // report a misleadingly clean run: no rule runs then.
  const bool rules_run = !out.schema_given || out.schema_loaded;
  // Types a requirement named by tag-policy type cannot reach are noted, not skipped silently.
  const bool policy_scoped = schema && schema->policy_scoped_requirement() != nullptr;
  std::map<std::string, std::size_t> unmapped_types;
  std::vector<ResourceOutline> resources;
  std::vector<Suppression> placed;
  std::vector<Finding> raw;

  // Loads one group of inputs unit by unit. Run-level rules see the group's units together;
  // with `only_touching`, only findings with a location in one of those files are kept.
  auto take = [&](LoadInputs inputs, const std::set<std::string>* only_touching) {
    std::vector<const RuleContext*> contexts;
    if (rules_run) contexts.push_back(&rctx);
    RuleStream run = stream_rules(ctx, std::move(inputs), contexts,
                                  StreamOptions{policy_scoped ? &*schema : nullptr, options.fix_diff, cache_key,
                                                recording ? &*recording : nullptr, &disposer});
    for (auto& e : run.errors) out.errors.push_back(std::move(e));
    out.cache.hits += run.cache.hits;
    out.cache.misses += run.cache.misses;
    out.cache.stored += run.cache.stored;
    out.summary.resources_checked += run.resources_checked;
    out.summary.files_seen += run.files_seen;
    for (const auto& [type, n] : run.beyond_policy_types) unmapped_types[type] += n;
    for (const auto& f : run.facts) {
      if (f.kind == Fact::Kind::kLeftOut) ++out.summary.left_out[f.subject];
    }
    // Outside the change, suppression comments are not judged (their findings are not shown).
    for (auto& sup : run.suppressions) {
      if (only_touching == nullptr || only_touching->count(span_path(sources, sup.span, {})))
        placed.push_back(std::move(sup));
    }
    append_moved(resources, run.resources);
    if (!rules_run) return;
    std::vector<Finding>& findings = run.findings.front();
    if (only_touching != nullptr) {
      findings.erase(std::remove_if(findings.begin(), findings.end(),
                                    [&](const Finding& f) { return !finding_touches(f, *only_touching, sources); }),
                     findings.end());
    }
    append_moved(raw, findings);
    disposer.dispose(std::move(run));  // the run's facts and what moving left behind
  };

  if (options.run.changed_files.empty()) {
    LoadInputs inputs = discover_inputs(ctx, out.errors);
    out.excluded = inputs.excluded;
    take(std::move(inputs), nullptr);
  } else {
    // A change: its roots are evaluated whole; rules see each group's resources together.
    ChangeScope scope = scope_for_changed_files(ctx, options.run.changed_files, options.run.source_root);
    out.not_checked = scope.not_checked;
    out.excluded = scope.excluded;
    out.inputs_in_scope = scope.whole.terraform_dirs.size() + scope.whole.data_files.size() +
                          scope.whole.cdk_dirs.size() + scope.located.terraform_dirs.size();
    take(std::move(scope.whole), nullptr);
    take(std::move(scope.located), &scope.changed);
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
    po.jobs = options.run.jobs;
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

  if (schema) {
    for (auto& n : unmapped_type_notes(*schema, unmapped_types)) out.schema_notes.push_back(std::move(n));
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
  // A run with an internal error is not kept: the next one runs again.
  if (recording && errors_exit_code(out.errors) != 3)
    out.whole_run_stored =
        runs->store_run(kWholeRunIdentity, *recording, encode_check_result(out, options.fix_diff, sources));
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

TagsListing run_tags_listing(const RunOptions& options, SourceManager& sources, const Reader& reader,
                             const std::vector<TagsRenderer>& renderers) {
  LoadContext ctx{options, sources, reader};
  TagsListing out;
  LoadInputs inputs = discover_inputs(ctx, out.errors);
  // What the listing keeps of a resource: where it sorts (listing_order) and its texts.
  struct Item {
    std::string path, address;
    std::uint32_t begin = 0;
    std::vector<std::string> rendered;
  };
  struct Unit {
    std::vector<Item> items;
    std::vector<Error> errors;
  };
  auto reduce = [&](FrontendResult&& r) {
    Unit u;
    u.items.reserve(r.resources.size());
    std::string scratch;  // rendered here, then copied at its size: a listing is mostly text
    for (const Resource& res : r.resources) {
      Item item{span_path(sources, res.span, res.file_hint), res.address, res.span.begin, {}};
      item.rendered.reserve(renderers.size());
      for (TagsRenderer render : renderers) {
        scratch.clear();
        render(scratch, sources, res);
        item.rendered.emplace_back(scratch);
      }
      u.items.push_back(std::move(item));
    }
    Retain keep;
    for (const auto& e : r.errors) keep.position(e.span);
    u.errors = std::move(r.errors);
    sources.release(r.uses, keep);
    return u;
  };
  std::vector<Unit> units = load_reduced(ctx, std::move(inputs), reduce);
  std::vector<Item> items;
  for (Unit& u : units) {
    for (auto& item : u.items) items.push_back(std::move(item));
    for (auto& e : u.errors) out.errors.push_back(std::move(e));
  }
  std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return listing_order(a.path, a.address, a.begin) < listing_order(b.path, b.address, b.begin);
  });
  out.rendered.resize(renderers.size());
  for (std::size_t k = 0; k < renderers.size(); ++k) {
    out.rendered[k].reserve(items.size());
    for (auto& item : items) out.rendered[k].push_back(std::move(item.rendered[k]));
  }
  sort_errors(out.errors, sources);
  return out;
}

}  // namespace tagwarden
