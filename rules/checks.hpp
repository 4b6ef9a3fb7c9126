// The check function of every rule, one per rules/<name>.cpp; registered in registry.cpp.
#pragma once
#include "rules/rule.hpp"

namespace tagwarden {

void check_missing_required_tag(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_tag_value_not_allowed(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_tag_key_case_mismatch(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_too_many_tags(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_tag_too_long(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_invalid_tag_characters(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_reserved_tag_prefix(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_unknown_tag_value(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_unknown_tag_value_facts(const RuleContext&, const std::vector<Fact>&, FindingSink&);
void check_module_not_inspectable(const RuleContext&, const std::vector<Fact>&, FindingSink&);
void observe_tag_value_case(const RuleContext&, const Resource&, RunFacts&);
void check_inconsistent_tag_value_case(const RuleContext&, const RunFacts&, FindingSink&);
void check_invalid_tag_entry(const RuleContext&, const std::vector<Fact>&, FindingSink&);
void check_duplicate_tag_key(const RuleContext&, const Resource&, const TagSet&, FindingSink&);
void check_invalid_suppression(const RuleContext&, const std::vector<SuppressionOutcome>&, FindingSink&);
void check_unused_suppression(const RuleContext&, const std::vector<SuppressionOutcome>&, FindingSink&);
void check_expired_suppression(const RuleContext&, const std::vector<SuppressionOutcome>&, FindingSink&);

/// Helpers shared by several rules.
/// Schema keys close to `key` (edit distance <= 2, not a pure case variant) for "did you mean".
std::string suggest_key(const Schema& schema, const std::string& key);
/// An edit replacing `from` by `to` at `span` (an entry's key or value span), offered only when
/// the span is where the resource's tags are written (its tags attribute or tag entries, the
/// provider's default_tags block): a literal in a variable default or a local may be used for
/// other things than tags, so it is never rewritten. Generated inputs (CDK assemblies, plans)
/// get no edits.
std::optional<Edit> tag_edit(const Resource& r, const TagEntry& entry, const Span& span, const std::string& from,
                             const std::string& to);
/// The missing-required-tag message for `keys` of `address`: "X is missing required tags `A` and
/// `B`" followed by each key's note (Finding::key_notes).
std::string missing_required_tag_message(const std::string& address, const std::vector<std::string>& keys,
                                         const std::vector<std::string>& notes);
/// Re-words `f`, a finding about several keys, as a finding about `keep` (a non-empty subset of
/// its tag_keys): the baseline may hold some of a resource's missing keys and not others.
/// Returns false, leaving `f` as it is, when its message cannot be re-worded (a rule that does
/// not record key_notes).
bool narrow_finding(Finding& f, const std::vector<std::string>& keep);
/// Formats a list as "`a`, `b` or `c`".
std::string quoted_list(const std::vector<std::string>& items, std::string_view last_sep = " or ");

}  // namespace tagwarden
