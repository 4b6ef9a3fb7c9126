// The table of every rule (STYLE.md section 3: explicit registration, stable ids) and the
// driver that runs them over evaluated resources.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "linter/model/text.hpp"
#include "linter/source/embedded.hpp"
#include "rules/checks.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

const std::vector<Rule>& all_rules() {
  static const std::vector<Rule> kRules = {
      {"TW001", "missing-required-tag", Level::kError,
       "A tag the schema requires is absent from the resource's effective tags.", check_missing_required_tag, nullptr,
       nullptr, nullptr, "very-high", true},
      {"TW002", "tag-value-not-allowed", Level::kError,
       "A tag value matches neither the schema's allowed values nor its pattern.", check_tag_value_not_allowed, nullptr,
       nullptr, nullptr, "very-high", true},
      {"TW003", "tag-key-case-mismatch", Level::kError, "A tag key differs from a schema key only by letter case.",
       check_tag_key_case_mismatch, nullptr, nullptr, nullptr, "very-high", true},
      {"TW004", "too-many-tags", Level::kError,
       "A resource has more user tags than AWS allows for it (50 for most services).", check_too_many_tags, nullptr,
       nullptr, nullptr},
      {"TW005", "tag-too-long", Level::kError, "A tag key is longer than 128 or a value longer than 256 characters.",
       check_tag_too_long, nullptr, nullptr, nullptr},
      {"TW006", "invalid-tag-characters", Level::kError,
       "A tag key or value holds characters AWS does not allow in tags.", check_invalid_tag_characters, nullptr,
       nullptr, nullptr},
      {"TW007", "reserved-tag-prefix", Level::kError, "A user tag key starts with the reserved `aws:` prefix.",
       check_reserved_tag_prefix, nullptr, nullptr, nullptr},
      {"TW008", "unknown-tag-value", Level::kNote,
       "A checked tag value, or the resource's set of tag keys, cannot be determined statically.",
       check_unknown_tag_value, nullptr, nullptr, check_unknown_tag_value_facts},
      {"TW009", "inconsistent-tag-value-case", Level::kWarning,
       "One tag key carries values that differ only by letter case across resources.", nullptr, observe_tag_value_case,
       check_inconsistent_tag_value_case, nullptr, "high"},
      {"TW010", "duplicate-tag-key", Level::kError,
       "A resource has the same tag key twice, or two keys that differ only by case.", check_duplicate_tag_key, nullptr,
       nullptr, nullptr},
      {"TW011", "module-not-inspectable", Level::kNote,
       "A Terraform module call whose source tagwarden cannot read, so its resources are not checked.", nullptr,
       nullptr, nullptr, check_module_not_inspectable},
      {"TW012", "invalid-tag-entry", Level::kError,
       "A tag entry CloudFormation, the SAM transform or the service will reject.", nullptr, nullptr, nullptr,
       check_invalid_tag_entry},
      // Findings about suppressions, made once the findings pipeline has matched them
      // (linter/engine/findings_pipeline.hpp).
      {"TW013", "invalid-suppression", Level::kError,
       "A suppression without a reason, that cannot be read, or that names no known rule.", nullptr, nullptr, nullptr,
       nullptr, "very-high", false, check_invalid_suppression},
      {"TW014", "unused-suppression", Level::kWarning, "A suppression that suppresses no finding.", nullptr, nullptr,
       nullptr, nullptr, "very-high", false, check_unused_suppression},
      {"TW015", "expired-suppression", Level::kWarning,
       "A suppression whose `until` date has passed, so its findings are reported again.", nullptr, nullptr, nullptr,
       nullptr, "very-high", false, check_expired_suppression},
  };
  return kRules;
}

const Rule* find_rule(std::string_view id_or_name) {
  // Ids and names are matched without regard to letter case: `tw001` is TW001.
  for (const auto& r : all_rules()) {
    if (ascii_iequal(r.id, id_or_name) || ascii_iequal(r.name, id_or_name)) return &r;
  }
  return nullptr;
}

std::string_view rule_doc(const Rule& rule) { return embedded_file(fmt::format("rules/{}.md", rule.name)); }

void run_resource_rules(const RuleContext& ctx, const Resource& r, std::vector<Finding>& out, RunFacts& run_facts) {
  if (r.taggable == Taggable::kNo || r.variants.empty()) return;
  // Run every variant; a finding that fires in every variant is reported once, plainly;
  // one that fires only in some is reported once per variant, naming its condition.
  using Key = std::tuple<std::string, std::uint32_t, std::uint32_t, std::uint32_t, std::string, std::string>;
  std::map<Key, std::vector<std::size_t>> seen;
  std::vector<std::vector<Finding>> per_variant(r.variants.size());
  for (std::size_t v = 0; v < r.variants.size(); ++v) {
    for (const auto& rule : all_rules()) {
      if (!rule.check) continue;
      FindingSink sink(per_variant[v], r);
      sink.set_rule(rule.id, rule.default_level);
      rule.check(ctx, r, r.variants[v], sink);
    }
  }
  std::vector<std::pair<Key, Finding>> order;
  for (std::size_t v = 0; v < per_variant.size(); ++v) {
    for (auto& f : per_variant[v]) {
      Key k{f.rule_id, f.primary.file, f.primary.begin, f.primary.end, f.tag_key, f.message};
      auto& list = seen[k];
      if (list.empty()) order.emplace_back(k, f);
      list.push_back(v);
    }
  }
  for (auto& [k, f] : order) {
    const auto& vs = seen[k];
    // Conditional when it misses some variant, or when the only variant is itself
    // conditional (a resource that exists only under an undecided condition).
    bool conditional = vs.size() < r.variants.size() || (r.variants.size() == 1 && !r.variants[0].condition.empty());
    if (conditional) {
      for (std::size_t v : vs) {
        Finding g = f;
        if (!r.variants[v].condition.empty()) g.message += fmt::format(" (when {})", r.variants[v].condition);
        out.push_back(std::move(g));
      }
    } else {
      out.push_back(std::move(f));
    }
  }
  for (const auto& rule : all_rules()) {
    if (rule.observe) rule.observe(ctx, r, run_facts);
  }
}

namespace {
/// A rule's run-level work: over run facts or over front ends' facts.
struct RunLevelJob {
  const Rule* rule;
  bool over_facts;
};
/// The run-level work of every rule, in the order its findings are reported: the run-facts
/// checks first, then the checks over front ends' facts.
std::vector<RunLevelJob> run_level_jobs() {
  std::vector<RunLevelJob> out;
  for (const auto& rule : all_rules()) {
    if (rule.check_run) out.push_back(RunLevelJob{&rule, false});
  }
  for (const auto& rule : all_rules()) {
    if (rule.check_facts) out.push_back(RunLevelJob{&rule, true});
  }
  return out;
}
const std::vector<RunLevelJob>& run_level_job_list() {
  static const std::vector<RunLevelJob> jobs = run_level_jobs();
  return jobs;
}
}  // namespace

std::size_t run_level_job_count() { return run_level_job_list().size(); }

void run_run_level_job(std::size_t job, const RuleContext& ctx, const RunFacts& run_facts,
                       const std::vector<Fact>& facts, std::vector<Finding>& out) {
  const RunLevelJob& j = run_level_job_list().at(job);
  FindingSink sink(out);
  sink.set_rule(j.rule->id, j.rule->default_level);
  if (j.over_facts) {
    j.rule->check_facts(ctx, facts, sink);
  } else {
    j.rule->check_run(ctx, run_facts, sink);
  }
}

void run_run_rules(const RuleContext& ctx, const RunFacts& run_facts, const std::vector<Fact>& facts,
                   std::vector<Finding>& out) {
  for (std::size_t k = 0; k < run_level_job_count(); ++k) run_run_level_job(k, ctx, run_facts, facts, out);
}

std::vector<Finding> run_rules(const RuleContext& ctx, const std::vector<Resource>& resources,
                               const std::vector<Fact>& facts) {
  std::vector<Finding> out;
  RunFacts run_facts;
  for (const auto& r : resources) run_resource_rules(ctx, r, out, run_facts);
  run_run_rules(ctx, run_facts, facts, out);
  return out;
}

void RunFacts::add_tag_value(std::uint32_t resource, Finding&& at) {
  TagValueUse u;
  u.key = at.tag_key;
  u.value = at.value.value_or(std::string());
  u.resource = resource;
  u.primary = at.primary;
  u.shared_entry = at.shared_entry;
  u.shared_owner = std::move(at.shared_owner);
  u.related = std::move(at.related);
  u.assumes = std::move(at.message);
  tag_values.push_back(std::move(u));
}

Finding RunFacts::finding(const TagValueUse& use) const {
  Finding f;
  const ObservedResource& r = resources.at(use.resource);
  f.address = r.address;
  f.root = r.root;
  if (!use.primary.valid()) f.file_hint = r.file_hint;
  f.tag_key = use.key;
  f.tag_keys = {use.key};
  f.value = use.value;
  f.primary = use.primary;
  f.shared_entry = use.shared_entry;
  f.shared_owner = use.shared_owner;
  f.related = use.related;
  f.message = use.assumes;
  return f;
}

void RunFacts::append(RunFacts&& other) {
  const auto offset = static_cast<std::uint32_t>(resources.size());
  resources.insert(resources.end(), std::make_move_iterator(other.resources.begin()),
                   std::make_move_iterator(other.resources.end()));
  for (auto& u : other.tag_values) {
    u.resource += offset;
    tag_values.push_back(std::move(u));
  }
  other.resources.clear();
  other.tag_values.clear();
}

std::vector<Finding> run_suppression_rules(const RuleContext& ctx, const std::vector<SuppressionOutcome>& outcomes) {
  std::vector<Finding> out;
  for (const auto& rule : all_rules()) {
    if (!rule.check_suppressions) continue;
    FindingSink sink(out);
    sink.set_rule(rule.id, rule.default_level);
    rule.check_suppressions(ctx, outcomes, sink);
  }
  return out;
}

}  // namespace tagwarden
