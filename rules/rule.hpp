// What a rule is: stable id, name, default level, one-line summary, its embedded Markdown doc,
// and a pure check over evaluated resources. The table of all rules is in registry.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/model/facts.hpp"
#include "linter/schema/schema.hpp"

namespace tagwarden {

/// What every check sees besides the resource.
struct RuleContext {
  const Schema* schema = nullptr;  ///< null when the run has no schema (AWS rules still apply)
};

/// The resource a run-level fact is about, kept once per resource rather than per fact.
struct ObservedResource {
  std::string address;
  std::string root;
  std::string file_hint;
};

/// One tag value on one resource, as run-level rules keep it once the resource itself is gone:
/// where a finding about this entry would point (FindingSink::value's placement), without the
/// resource's own strings and without a whole Finding per value. A run keeps one of these for
/// every known value in the estate, so it is kept small (see RunFacts::finding).
struct TagValueUse {
  std::string key;
  std::string value;
  std::uint32_t resource = 0;  ///< index into RunFacts::resources
  Span primary;
  Span shared_entry;
  std::string shared_owner;  ///< Finding::shared_owner (`provider.aws` for default_tags)
  std::vector<Related> related;
  std::string assumes;  ///< what the placement appended to the message (" (this assumes ...)")
};

/// What run-level rules keep of each unit's resources (a run never holds all its resources at
/// once): filled per resource by Rule::observe, read at the end of the run by Rule::check_run.
struct RunFacts {
  std::vector<ObservedResource> resources;
  std::vector<TagValueUse> tag_values;  ///< known, non-empty values, once per resource and key

  /// Records `at` (a finding FindingSink::value placed about `key` = `value` of resource
  /// `resource`, with an empty message) as a compact use.
  void add_tag_value(std::uint32_t resource, Finding&& at);
  /// The finding `use` stands for, as FindingSink::value placed it (no rule, message `assumes`).
  Finding finding(const TagValueUse& use) const;
  void append(RunFacts&& other);
};

/// Collects findings for one resource; fills in the rule id, level, address and locations so
/// checks only say what is wrong. run_rules() labels findings with variant conditions.
class FindingSink {
 public:
  FindingSink(std::vector<Finding>& out, const Resource& resource) : out_(out), resource_(&resource) {}
  explicit FindingSink(std::vector<Finding>& out) : out_(out) {}

  void set_rule(std::string_view id, Level level) {
    rule_id_ = id;
    level_ = level;
  }
  /// Reports a problem with one tag entry (primary location chosen per STYLE.md: the entry
  /// when written inside the resource, else the tags attribute or header with the entry as a
  /// related location).
  void tag(const TagEntry& entry, std::string message, std::vector<Related> extra = {}, std::vector<Fix> fixes = {});
  /// Reports a problem with an entry's value: like tag(), but pointing at the value when it is
  /// written inside the resource, with the place the value was written (a variable default, a
  /// tfvars file) as a related location otherwise. The value is part of the fingerprint.
  void value(const TagEntry& entry, std::string message, std::vector<Fix> fixes = {});
  /// Reports a problem with the resource as a whole (its tags attribute, else its header),
  /// about `keys` (sorted) when given.
  void resource(std::string message, std::vector<std::string> keys = {});
  /// As tag() / value() / resource(), for a problem with schema key `spec`: applies the key's
  /// `severity`, appends its `description` to the message and adds where the rule comes from (a
  /// tag policy's key) as related locations.
  void spec_tag(const TagSpec& spec, const TagEntry& entry, std::string message, std::vector<Fix> fixes = {});
  void spec_value(const TagSpec& spec, const TagEntry& entry, std::string message, std::vector<Fix> fixes = {});
  /// One finding about several schema keys (sorted by key) that share a severity; `message`
  /// already says what it has to about each key (`key_notes`, parallel to `specs`), so the keys'
  /// descriptions are not appended.
  void spec_resource(const std::vector<const TagSpec*>& specs, std::string message, std::vector<std::string> key_notes);
  /// Reports with an explicit resource (for run-level rules).
  void at(const Resource& r, const TagEntry* entry, std::string message, std::vector<std::string> keys = {},
          std::vector<Related> extra = {});
  /// Like value(), with an explicit resource (for run-level rules).
  void value_at(const Resource& r, const TagEntry& entry, std::string message, std::vector<Fix> fixes = {});
  /// Reports at a place that is not a resource's tags (a module call, from a front end's fact).
  /// Returns the finding so the caller can fill in what identifies it (root, value).
  Finding& at_span(Span span, std::string address, std::string message, std::vector<Related> related = {});
  /// Reports a finding prepared earlier (RunFacts::finding) with its message, as this sink's rule.
  void prepared(Finding f, std::string message);

 private:
  Finding& place(const Resource& r, const TagEntry* entry, std::string message, std::vector<std::string> keys,
                 std::vector<Related> extra, bool about_value);
  /// The key's severity and where its rule comes from; with `describe`, its description appended
  /// to the message (spec_resource's message has it already, per key).
  void apply_spec(const TagSpec& spec, bool describe = true);

  std::vector<Finding>& out_;
  const Resource* resource_ = nullptr;
  std::string_view rule_id_;
  Level level_ = Level::kWarning;
};

struct Rule {
  std::string_view id;    ///< "TW001", never reused
  std::string_view name;  ///< "missing-required-tag"; its doc is rules/<name>.md
  Level default_level;
  std::string_view summary;  ///< one line
  /// Per resource variant; null for run-level rules.
  void (*check)(const RuleContext&, const Resource&, const TagSet&, FindingSink&) = nullptr;
  /// Run-level rules: what to keep of each resource (called once per taggable resource, as
  /// units of work finish), and the check over what every unit kept. Null for per-resource rules.
  void (*observe)(const RuleContext&, const Resource&, RunFacts&) = nullptr;
  void (*check_run)(const RuleContext&, const RunFacts&, FindingSink&) = nullptr;
  /// Over the facts front ends recorded (linter/model/facts.hpp); null when the rule reads none.
  void (*check_facts)(const RuleContext&, const std::vector<Fact>&, FindingSink&) = nullptr;
  /// How often a finding of this rule is a true problem, in GitHub code scanning's terms
  /// (SARIF `properties.precision`: very-high, high, medium, low); code scanning shows results
  /// with the highest level and precision first.
  std::string_view precision = "very-high";
  /// True when the rule only checks what a schema asks for, so a run without one skips it.
  bool needs_schema = false;
  /// Over what became of the run's inline suppressions (linter/model/suppression.hpp); null
  /// when the rule reads none. Run by the findings pipeline once suppressions are matched.
  void (*check_suppressions)(const RuleContext&, const std::vector<SuppressionOutcome>&, FindingSink&) = nullptr;
};

/// Every rule, sorted by id.
const std::vector<Rule>& all_rules();
/// The rule with this id or name, matched without regard to letter case ("tw001"), or nullptr.
const Rule* find_rule(std::string_view id_or_name);
/// The rule's Markdown doc (embedded from rules/<name>.md).
std::string_view rule_doc(const Rule& rule);

/// The rules' work on one resource (none when it is not taggable): appends its findings to
/// `out`, with findings that fire identically in every variant of the resource merged and the
/// others labelled with their variant's condition, and adds what run-level rules keep to
/// `run_facts`.
void run_resource_rules(const RuleContext& ctx, const Resource& resource, std::vector<Finding>& out,
                        RunFacts& run_facts);
/// The run-level rules over what every unit kept, and the rules over front ends' facts.
void run_run_rules(const RuleContext& ctx, const RunFacts& run_facts, const std::vector<Fact>& facts,
                   std::vector<Finding>& out);
/// run_run_rules as separate jobs, which may run at the same time (each only reads its inputs):
/// job k appends its findings to `out`; jobs 0, 1, ... in turn give run_run_rules' findings.
std::size_t run_level_job_count();
void run_run_level_job(std::size_t job, const RuleContext& ctx, const RunFacts& run_facts,
                       const std::vector<Fact>& facts, std::vector<Finding>& out);
/// Both at once, for resources that are all at hand (tests, the report command).
std::vector<Finding> run_rules(const RuleContext& ctx, const std::vector<Resource>& resources,
                               const std::vector<Fact>& facts = {});
/// Runs the rules that report on suppressions (invalid, unused, expired ones).
std::vector<Finding> run_suppression_rules(const RuleContext& ctx, const std::vector<SuppressionOutcome>& outcomes);

}  // namespace tagwarden
