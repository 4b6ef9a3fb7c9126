#include "linter/engine/findings_pipeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "linter/engine/thread_pool.hpp"
#include "linter/model/text.hpp"
#include "linter/source/reader.hpp"
#include "rules/checks.hpp"

namespace tagwarden {
namespace {

/// Findings a run must have before their fingerprints are computed on several threads, and
/// how many one task takes.
constexpr std::size_t kMinParallelFingerprints = 512;
constexpr std::size_t kFingerprintRun = 64;

/// Keeps, in order and in place, the findings `keep` returns true for; `keep` may move a
/// finding it drops elsewhere. A run's findings are its largest array: filtering them into a
/// second array at each step doubled the end of the run's peak memory.
template <class Keep>
void keep_in_place(std::vector<Finding>& list, Keep keep) {
  std::size_t w = 0;
  for (std::size_t r = 0; r < list.size(); ++r) {
    if (!keep(list[r])) continue;
    if (w != r) list[w] = std::move(list[r]);
    ++w;
  }
  list.erase(list.begin() + static_cast<std::ptrdiff_t>(w), list.end());
}

bool is_suppression_rule(std::string_view rule_id) {
  const Rule* r = find_rule(rule_id);
  return r != nullptr && r->check_suppressions != nullptr;
}

/// The run's resources by root and address: several share one when they are instances of a
/// definition that more than one unit evaluated (a module two roots call).
class ResourceIndex {
 public:
  static constexpr std::size_t kNone = SIZE_MAX;

  explicit ResourceIndex(const std::vector<ResourceOutline>& resources) : next_(resources.size(), kNone) {
    chains_.reserve(resources.size());
    for (std::size_t i = 0; i < resources.size(); ++i) {
      auto [it, inserted] = chains_.try_emplace(Key{resources[i].root, resources[i].address}, Chain{i, i});
      if (!inserted) {
        next_[it->second.last] = i;
        it->second.last = i;
      }
    }
  }

  /// The first resource at `root` and `address`, or kNone.
  std::size_t first(std::string_view root, std::string_view address) const {
    auto it = chains_.find(Key{root, address});
    return it == chains_.end() ? kNone : it->second.first;
  }
  /// The resource after `i` at the same root and address, or kNone.
  std::size_t next(std::size_t i) const { return next_[i]; }

 private:
  using Key = std::pair<std::string_view, std::string_view>;  ///< root, address
  struct Chain {
    std::size_t first, last;
  };
  std::unordered_map<Key, Chain, StringPairHash> chains_;
  std::vector<std::size_t> next_;
};

/// Where a resource is defined, for matching suppressions by position.
Span definition_span(const ResourceOutline& r) { return r.body_span.valid() ? r.body_span : r.span; }

/// True when only blanks and line comments (`#`, `//`) lie between `from` and `to` in `text`:
/// a comment written on the lines right above a resource header.
bool only_comments_between(std::string_view text, std::size_t from, std::size_t to) {
  std::size_t i = from;
  while (i < to) {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++i;
    } else if (c == '#' || (c == '/' && i + 1 < to && text[i + 1] == '/')) {
      std::size_t nl = text.find('\n', i);
      if (nl == std::string_view::npos || nl >= to) return false;
      i = nl + 1;
    } else {
      return false;
    }
  }
  return true;
}

/// One suppression directive of the run and what it applies to.
struct Directive {
  Suppression s;
  std::set<std::size_t> resources;  ///< indices into the run's resources
  std::vector<bool> used;           ///< per rule ref
  std::vector<const Rule*> rules;   ///< per rule ref; null: no such rule
  bool applies = false;             ///< well-formed, with a reason, not expired
  bool expired = false;
};

struct SpanKey {
  FileId file;
  std::uint32_t begin, end;
  bool operator<(const SpanKey& o) const { return std::tie(file, begin, end) < std::tie(o.file, o.begin, o.end); }
};

class SuppressionMatcher {
 public:
  SuppressionMatcher(const PipelineInput& in, const ResourceIndex& index, const PipelineOptions& options)
      : in_(in), index_of_(index) {
    for (std::size_t i = 0; i < in.resources.size(); ++i) {
      const ResourceOutline& r = in.resources[i];
      for (const auto& s : r.suppressions) add(s).resources.insert(i);
      Span d = definition_span(r);
      if (d.valid()) by_file_[d.file].push_back(i);
    }
    for (const auto& s : in.placed_suppressions) {
      Directive& d = add(s);
      if (s.scope == Suppression::Scope::kResource) place(d);
    }
    for (auto& d : directives_) {
      d.used.assign(d.s.rules.size(), false);
      for (const auto& ref : d.s.rules) d.rules.push_back(find_rule(ref.name));
      d.expired = !options.today.empty() && !d.s.until.empty() && d.s.problem.empty() && d.s.until < options.today;
      d.applies = d.s.problem.empty() && !d.s.reason.empty() && !d.expired;
      if (d.s.scope == Suppression::Scope::kFile) file_scope_[d.s.span.file].push_back(&d);
      for (std::size_t r : d.resources) of_resource_[r].push_back(&d);
    }
  }

  /// The first applicable directive that suppresses `f` (every matching one is marked used).
  const Directive* match(const Finding& f) {
    if (is_suppression_rule(f.rule_id)) return nullptr;  // findings about suppressions stand
    const Directive* found = nullptr;
    auto consider = [&](Directive* d) {
      if (!d->applies) return;
      for (std::size_t i = 0; i < d->rules.size(); ++i) {
        if (d->rules[i] != nullptr && d->rules[i]->id == f.rule_id) {
          d->used[i] = true;
          if (found == nullptr) found = d;
        }
      }
    };
    std::set<FileId> files;
    if (f.primary.valid()) files.insert(f.primary.file);
    if (!f.address.empty()) {
      for (std::size_t r = index_of_.first(f.root, f.address); r != ResourceIndex::kNone; r = index_of_.next(r)) {
        if (auto d = of_resource_.find(r); d != of_resource_.end()) {
          for (Directive* x : d->second) consider(x);
        }
        const ResourceOutline& res = in_.resources[r];
        for (const Span& s : {res.span, res.body_span}) {
          if (s.valid()) files.insert(s.file);
        }
      }
    }
    for (FileId file : files) {
      if (auto it = file_scope_.find(file); it != file_scope_.end()) {
        for (Directive* d : it->second) consider(d);
      }
    }
    return found;
  }

  /// What became of every directive, for the suppression rules.
  std::vector<SuppressionOutcome> outcomes(const ResolvedSelection& selection) const {
    std::vector<SuppressionOutcome> out;
    for (const auto& d : directives_) {
      SuppressionOutcome o;
      o.suppression = d.s;
      std::set<std::pair<std::string, std::string>> owners;
      for (std::size_t r : d.resources) owners.emplace(in_.resources[r].root, in_.resources[r].address);
      o.attached = owners.size();
      if (owners.size() == 1) {
        o.root = owners.begin()->first;
        o.address = owners.begin()->second;
      } else if (!d.resources.empty()) {
        o.root = in_.resources[*d.resources.begin()].root;
      }
      if (d.s.problem.empty()) {
        for (std::size_t i = 0; i < d.rules.size(); ++i) {
          if (d.rules[i] == nullptr) {
            o.unknown_rules.push_back(d.s.rules[i]);
          } else if (d.applies && !d.used[i] && selection.enabled(d.rules[i]->id)) {
            o.unused_rules.push_back(d.s.rules[i]);
          }
        }
        o.missing_reason = d.s.reason.empty();
        o.expired = d.expired;
      }
      if (!d.s.problem.empty() || !o.unknown_rules.empty() || !o.unused_rules.empty() || o.missing_reason || o.expired)
        out.push_back(std::move(o));
    }
    return out;
  }

 private:
  Directive& add(const Suppression& s) {
    SpanKey k{s.span.file, s.span.begin, s.span.end};
    auto [it, inserted] = index_.emplace(k, directives_.size());
    if (inserted) directives_.push_back(Directive{s, {}, {}, {}, false, false});
    return directives_[it->second];
  }

  /// A comment inside a resource's definition applies to the innermost resources containing it
  /// (every instance of a count/for_each or module block shares the definition); otherwise to
  /// the resources whose header follows it with only blanks and comments in between.
  void place(Directive& d) {
    auto it = by_file_.find(d.s.span.file);
    if (it == by_file_.end() || !d.s.span.has_range) return;
    std::uint32_t best = UINT32_MAX;
    std::vector<std::size_t> inside;
    for (std::size_t r : it->second) {
      Span def = definition_span(in_.resources[r]);
      if (!span_contains(def, d.s.span)) continue;
      std::uint32_t size = def.end - def.begin;
      if (size < best) {
        best = size;
        inside.clear();
      }
      if (size == best) inside.push_back(r);
    }
    if (!inside.empty()) {
      d.resources.insert(inside.begin(), inside.end());
      return;
    }
    std::string_view text = in_.sources.file(d.s.span.file).contents();
    for (std::size_t r : it->second) {
      const Span& header = in_.resources[r].span;
      if (header.file != d.s.span.file || header.begin < d.s.span.end || header.begin > text.size()) continue;
      if (only_comments_between(text, d.s.span.end, header.begin)) d.resources.insert(r);
    }
  }

  const PipelineInput& in_;
  const ResourceIndex& index_of_;
  std::deque<Directive> directives_;
  std::map<SpanKey, std::size_t> index_;
  std::map<FileId, std::vector<std::size_t>> by_file_;
  std::map<FileId, std::vector<Directive*>> file_scope_;
  std::map<std::size_t, std::vector<Directive*>> of_resource_;
};

constexpr std::size_t kMaxRelatedResources = 10;

/// Findings of one rule about one tag entry written outside the resources (Finding::
/// shared_entry) become one finding at the entry, naming the resources it reaches: one edit
/// there fixes them all.
std::vector<Finding> group_shared_entries(std::vector<Finding> findings, const SourceManager& sources) {
  // The groups are found first, by views into the findings (which stay where they are until
  // every group is known), so that a member costs a lookup and no copy.
  struct Key {
    std::string_view rule, rest;  ///< rest: the message without the resource it names first
    FileId file;
    std::uint32_t begin, end;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      std::size_t h = std::hash<std::string_view>()(k.rule) * 31 + std::hash<std::string_view>()(k.rest);
      return h ^ ((static_cast<std::size_t>(k.file) << 40) + (static_cast<std::size_t>(k.begin) << 20) + k.end);
    }
  };
  struct Group {
    std::size_t first;      ///< its first finding
    std::string_view rest;  ///< that finding's message without its resource
    Level level;            ///< the most severe of its findings'
    std::unordered_set<std::string_view> addresses;
    std::vector<std::size_t> reaches;  ///< the first finding of each of its first addresses
  };
  std::vector<Group> groups;
  std::unordered_map<Key, std::size_t, KeyHash> index;
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const Finding& f = findings[i];
    if (!f.shared_entry.valid()) continue;
    // Messages name the resource first; the rest is what the group has in common.
    std::string_view rest = f.message;
    if (!f.address.empty() && rest.size() > f.address.size() && rest.starts_with(f.address) &&
        rest[f.address.size()] == ' ')
      rest.remove_prefix(f.address.size() + 1);
    Key key{f.rule_id, rest, f.shared_entry.file, f.shared_entry.begin, f.shared_entry.end};
    auto [it, inserted] = index.emplace(key, groups.size());
    if (inserted) groups.push_back(Group{i, rest, f.level, {}, {}});
    Group& g = groups[it->second];
    if (static_cast<int>(f.level) < static_cast<int>(g.level)) g.level = f.level;
    if (g.addresses.insert(f.address).second && g.reaches.size() < kMaxRelatedResources && f.primary.valid())
      g.reaches.push_back(i);
  }
  if (groups.empty()) return findings;
  index.clear();
  std::vector<Finding> grouped;
  grouped.reserve(groups.size());
  for (Group& g : groups) {
    // Everything the views point into is read before the group's first finding is moved.
    const std::size_t n = g.addresses.size();
    const std::string only = n == 1 ? std::string(*g.addresses.begin()) : std::string();
    std::vector<Related> reaches;
    for (std::size_t i : g.reaches)
      reaches.push_back(Related{findings[i].primary, fmt::format("reaches {}", findings[i].address)});
    std::string rest(g.rest);
    Finding f = std::move(findings[g.first]);
    f.level = g.level;
    f.message = std::move(rest);
    if (f.message.starts_with("has ")) {
      f.message = fmt::format("each of the {} resource{} this tag entry reaches {}", n, n == 1 ? "" : "s", f.message);
    } else {
      f.message += n == 1 ? fmt::format(" (this tag entry reaches {})", only)
                          : fmt::format(" (this tag entry reaches {} resources)", n);
    }
    // The entry's identity (baseline fingerprints): the folder of the module that writes it (a
    // Terraform module is a folder, so moving the entry to another file of it keeps it) and
    // what holds it (the provider configuration), never the file or line.
    f.primary = f.shared_entry;
    f.file_hint.clear();
    f.address = f.shared_owner;
    f.root = path_dirname(span_path(sources, f.shared_entry, ""));
    f.related = std::move(reaches);
    grouped.push_back(std::move(f));
  }
  keep_in_place(findings, [](const Finding& f) { return !f.shared_entry.valid(); });
  for (auto& f : grouped) findings.push_back(std::move(f));
  return findings;
}

/// Applies the baseline, one identity (tag key) at a time: a finding whose every identity is in
/// it is not reported; a finding about several keys (missing-required-tag) with only some of
/// them in it is reported about the others, and its baselined keys are counted as suppressed.
void apply_baseline(std::vector<Finding>& findings, std::vector<Finding>& suppressed, const Baseline& baseline,
                    const PipelineInput& in, const PipelineOptions& options, PipelineOutput& out) {
  std::map<std::string, std::size_t> available;
  for (const auto& fp : baseline.fingerprints) ++available[fp];
  std::map<std::string, std::size_t> current;
  auto baselined = [&](Finding f) {
    f.suppression =
        SuppressionInfo{SuppressionInfo::Kind::kExternal, fmt::format("in the baseline {}", options.baseline_path), {}};
    suppressed.push_back(std::move(f));
    ++out.baseline_matched;
  };
  Fingerprinter fingerprinter(in.sources, options.baseline_frame);
  keep_in_place(findings, [&](Finding& f) {
    std::vector<FindingIdentity> ids = fingerprinter.identities(f);
    std::vector<std::string> in_baseline, not_in_baseline;
    for (const auto& id : ids) {
      std::string fp = id.fingerprint();
      ++current[fp];
      auto a = available.find(fp);
      if (a != available.end() && a->second > 0) {
        --a->second;
        in_baseline.push_back(id.key);
      } else {
        not_in_baseline.push_back(id.key);
      }
    }
    if (not_in_baseline.empty()) {
      baselined(std::move(f));
      return false;
    }
    if (!in_baseline.empty()) {
      Finding old = f;
      if (narrow_finding(old, in_baseline) && narrow_finding(f, not_in_baseline)) {
        baselined(std::move(old));
      } else {
        // Not re-wordable: reported whole, and the entries it took stay available.
        for (const auto& id : ids) {
          if (std::find(in_baseline.begin(), in_baseline.end(), id.key) != in_baseline.end())
            ++available[id.fingerprint()];
        }
      }
    }
    return true;
  });
  std::map<std::string, std::size_t> recorded;
  for (const auto& fp : baseline.fingerprints) ++recorded[fp];
  for (const auto& [fp, n] : recorded) {
    std::size_t now = current.count(fp) ? current[fp] : 0;
    if (n > now) out.baseline_unmatched += n - now;
  }
}

/// "adding `Owner` to default_tags here fixes 156 missing-required-tag findings": one note per
/// inherited layer that would resolve two or more reported findings at once.
std::vector<Finding> layer_notes(const std::vector<Finding>& findings, const PipelineInput& in,
                                 const ResourceIndex& index) {
  struct Group {
    InheritedLayer layer;
    std::string root;
    std::set<std::string> keys;
    std::size_t findings = 0;
  };
  std::map<SpanKey, Group> groups;
  for (const auto& f : findings) {
    if (f.rule_id != "TW001" || f.tag_keys.empty()) continue;
    const std::size_t first = index.first(f.root, f.address);
    if (first == ResourceIndex::kNone) continue;
    const ResourceOutline& r = in.resources[first];
    if (!r.layer || !r.layer->span.valid()) continue;
    const InheritedLayer& layer = *r.layer;
    Group& g = groups[SpanKey{layer.span.file, layer.span.begin, layer.span.end}];
    g.layer = layer;
    if (g.root.empty()) g.root = r.root;
    g.keys.insert(f.tag_keys.begin(), f.tag_keys.end());
    ++g.findings;
  }
  std::vector<Finding> out;
  for (const auto& [_, g] : groups) {
    if (g.findings < 2) continue;
    std::vector<std::string> keys(g.keys.begin(), g.keys.end());
    Finding n;
    n.rule_id = "TW001";
    n.level = Level::kNote;
    n.primary = g.layer.span;
    n.root = g.root;
    n.address = g.layer.detail;
    n.tag_keys = keys;
    n.tag_key = keys.front();
    std::string list = quoted_list(keys, " and ");
    if (g.layer.kind == OriginKind::kStackTag) {
      n.message = fmt::format("adding {} to the stack tags here ({}) fixes {} missing-required-tag findings at once",
                              list, g.layer.detail, g.findings);
    } else if (g.layer.has_tags) {
      n.message = fmt::format("adding {} to the default_tags of {} here fixes {} missing-required-tag findings at once",
                              list, g.layer.detail, g.findings);
    } else {
      n.message =
          fmt::format("adding a default_tags block with {} to {} here fixes {} missing-required-tag findings at once",
                      list, g.layer.detail, g.findings);
    }
    out.push_back(std::move(n));
  }
  return out;
}

bool bare_word(std::string_view s) {
  if (s.empty() || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

std::optional<Fix> checked_fix(const SourceManager& sources, const Fix& fix) {
  Fix out{fix.description, {}};
  for (const Edit& e : fix.edits) {
    if (!e.span.valid() || !e.span.has_range || !sources.file(e.span.file).loaded()) return std::nullopt;
    // Quotes and backslashes would need escaping rules per format: not a safe edit.
    auto plain = [](std::string_view s) { return s.find_first_of("\"'\\\n") == std::string_view::npos; };
    if (!plain(e.expected) || !plain(e.replacement) || e.expected.empty() || e.replacement.empty()) return std::nullopt;
    std::string_view text = sources.file(e.span.file).contents();
    if (e.span.end > text.size() || e.span.begin > e.span.end) return std::nullopt;
    std::string_view at = text.substr(e.span.begin, e.span.end - e.span.begin);
    if (at == e.expected) {
      // A bare word (an HCL identifier key, a YAML plain scalar) stays a bare word.
      if (!bare_word(e.replacement)) return std::nullopt;
      out.edits.push_back(e);
      continue;
    }
    // Quoted as written. The span may cover the quotes (JSON, HCL) or only start at the
    // opening one (YAML scalars).
    bool done = false;
    for (char q : {'"', '\''}) {
      std::string quoted = q + e.expected + q;
      if (text.substr(e.span.begin, quoted.size()) == quoted && (at.size() <= quoted.size())) {
        Span s{e.span.file, e.span.begin, e.span.begin + static_cast<std::uint32_t>(quoted.size()), true};
        out.edits.push_back(Edit{s, quoted, q + e.replacement + q});
        done = true;
        break;
      }
    }
    if (!done) return std::nullopt;
  }
  if (out.edits.empty()) return std::nullopt;
  return out;
}

void check_fixes(Finding& f, const SourceManager& sources) {
  std::vector<Fix> safe;
  for (const auto& fix : f.fixes) {
    if (auto c = checked_fix(sources, fix)) safe.push_back(std::move(*c));
  }
  f.fixes = std::move(safe);
}

ResourceOutline ResourceOutline::of(const Resource& r) {
  ResourceOutline o{r.root, r.address, r.span, r.body_span, r.suppressions, std::nullopt};
  if (!r.inherits.empty()) o.layer = r.inherits.front();
  return o;
}

PipelineOutput process_findings(std::vector<Finding> findings, const PipelineInput& in,
                                const PipelineOptions& options) {
  PipelineOutput out;
  ResolvedSelection selection(options.selection);
  auto select = [&](std::vector<Finding>& list) {
    keep_in_place(list, [&](Finding& f) {
      if (!selection.enabled(f.rule_id)) return false;
      f.level = selection.level(f.rule_id, f.level);
      return true;
    });
  };
  select(findings);

  const ResourceIndex index(in.resources);
  // Inline suppressions, then the findings about them (which no inline suppression hides).
  if (options.inline_suppressions) {
    SuppressionMatcher matcher(in, index, options);
    keep_in_place(findings, [&](Finding& f) {
      const Directive* d = matcher.match(f);
      if (d == nullptr) return true;
      f.suppression = SuppressionInfo{SuppressionInfo::Kind::kInSource, d->s.reason, d->s.span};
      out.suppressed.push_back(std::move(f));
      ++out.suppressed_inline;
      return false;
    });
    findings = group_shared_entries(std::move(findings), in.sources);
    std::vector<Finding> about = run_suppression_rules(in.rule_context, matcher.outcomes(selection));
    select(about);
    for (auto& f : about) findings.push_back(std::move(f));
  } else {
    findings = group_shared_entries(std::move(findings), in.sources);
  }

  // The baseline: written from today's findings, or read; either way applied.
  Baseline written;
  const Baseline* baseline = options.baseline;
  if (options.write_baseline) {
    std::vector<FindingIdentity> entries;
    Fingerprinter fingerprinter(in.sources, options.baseline_frame);
    for (const auto& f : findings) {
      for (auto& id : fingerprinter.identities(f)) entries.push_back(std::move(id));
    }
    for (const auto& id : entries) written.fingerprints.push_back(id.fingerprint());
    written.entries = entries;
    out.baseline_text = render_baseline(std::move(entries));
    baseline = &written;
  }
  if (baseline != nullptr) apply_baseline(findings, out.suppressed, *baseline, in, options, out);

  for (auto& n : layer_notes(findings, in, index)) findings.push_back(std::move(n));

  keep_in_place(findings, [&](const Finding& f) {
    if (at_or_above(f.level, options.min_level)) return true;
    ++out.below_min_level;
    return false;
  });
  out.reported = std::move(findings);
  // In runs of neighbours, which mostly share their root (Fingerprinter keeps the last one).
  for (auto* list : {&out.reported, &out.suppressed}) {
    const std::size_t n = list->size();
    parallel_for((n + kFingerprintRun - 1) / kFingerprintRun, jobs_for_tasks(options.jobs, n, kMinParallelFingerprints),
                 [&](std::size_t run) {
                   Fingerprinter fingerprinter(in.sources, options.report_frame);
                   for (std::size_t i = run * kFingerprintRun; i < std::min(n, (run + 1) * kFingerprintRun); ++i)
                     (*list)[i].fingerprint = fingerprinter.fingerprint((*list)[i]);
                 });
  }
  return out;
}

}  // namespace tagwarden
