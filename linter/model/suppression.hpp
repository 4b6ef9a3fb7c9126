// Inline suppressions as the inputs write them: `# tagwarden:ignore TW001 -- reason` comments
// in Terraform, `"//"` properties in .tf.json, `Metadata: {tagwarden: {ignore: [...]}}` in
// CloudFormation, SAM and CDK templates. Front ends record them; the findings pipeline
// (linter/engine/findings_pipeline.hpp) matches them to findings, and the rules
// invalid-suppression, unused-suppression and expired-suppression report the ones that are
// wrong, unused or out of date.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden {

struct Suppression {
  enum class Scope {
    /// The resource it is written for: a comment inside the resource's block or on the lines
    /// right above its header (Terraform), the resource's Metadata (templates).
    kResource,
    /// Every finding in the file `span.file` (`tagwarden:ignore-file`).
    kFile,
  };
  struct RuleRef {
    std::string name;  ///< as written: an id (`TW001`) or a name (`missing-required-tag`)
    Span span;
  };

  Scope scope = Scope::kResource;
  Span span;                   ///< the directive as written (a comment, a Metadata entry)
  std::vector<RuleRef> rules;  ///< at least one when well-formed
  std::string reason;          ///< empty: none was given (the suppression then does not apply)
  std::string until;           ///< `YYYY-MM-DD` as written; empty: no expiry
  Span until_span;
  /// Why the directive cannot be read ("`until` is not a date YYYY-MM-DD"); empty when it
  /// is well-formed. A malformed directive suppresses nothing.
  std::string problem;
};

/// What became of one suppression in a run: decided by the findings pipeline, reported by the
/// rules invalid-suppression, unused-suppression and expired-suppression.
struct SuppressionOutcome {
  Suppression suppression;
  std::string address;  ///< the resource or module call it was written for, when there is one
  std::string root;     ///< that resource's root (Resource::root), else ""
  /// How many resources and module calls (instances of a count/for_each block count apart) a
  /// directive for a resource was matched to; 0: it is written where no block follows or
  /// contains it, so it can suppress nothing. Unused for file and template-wide directives.
  std::size_t attached = 0;
  std::vector<Suppression::RuleRef> unknown_rules;  ///< names that are no rule's id or name
  std::vector<Suppression::RuleRef> unused_rules;   ///< rules of which it suppressed no finding
  bool missing_reason = false;                      ///< no reason given: it does not apply
  bool expired = false;                             ///< its `until` date is before the run's date: it does not apply
};

/// Reads a `tagwarden:ignore` / `tagwarden:ignore-file` directive from a comment (`text` as
/// written, `#`, `//` or `/* */` markers included, or a `"//"` property's string). Returns
/// nullopt when the comment is not a tagwarden directive. Grammar, after the marker:
///   tagwarden:ignore[-file] RULE[,RULE]... [until=YYYY-MM-DD] [-- reason]
/// Rules are separated by commas or spaces. `span` is where `text` begins; the spans of rules
/// and of the date are computed from it when `text` is the source text (`exact_text`).
std::optional<Suppression> parse_suppression_comment(std::string_view text, Span span, bool exact_text);

/// True when `date` is a valid calendar date written `YYYY-MM-DD`.
bool is_iso_date(std::string_view date);

/// The directive as people write it, for messages: "tagwarden:ignore TW001, TW003".
std::string describe_suppression(const Suppression& s);

}  // namespace tagwarden
