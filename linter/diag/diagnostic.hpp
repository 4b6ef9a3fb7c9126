// The one diagnostics layer behind every output format. A Finding means a rule fired; an
// Error means tagwarden could not do its job on some input (unreadable file, syntax error,
// bad schema). They are kept apart everywhere (STYLE.md section 4).
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden {

enum class Level { kError, kWarning, kNote, kNone };

std::string_view level_name(Level level);  ///< "error", "warning", "note", "none"
std::optional<Level> parse_level(std::string_view s);
/// True when `level` is at least as severe as `threshold` (kNone as threshold: never).
bool at_or_above(Level level, Level threshold);

/// A secondary location with a short explanation ("inherited from provider aws.west
/// default_tags", "value set by module argument").
struct Related {
  Span span;
  std::string message;
};

/// One replacement in a source file. It is applied only when the text at `span` is
/// `expected`, bare or in the quotes it was written with (the same quotes are kept): a fix
/// never rewrites an expression it does not understand.
struct Edit {
  Span span;
  std::string expected;
  std::string replacement;
};

/// A safe change that resolves a finding (SARIF `fixes`, `check --fix`).
struct Fix {
  std::string description;  ///< "rename `costcenter` to `CostCenter`"
  std::vector<Edit> edits;
};

/// Why a finding is not reported: an inline suppression (SARIF `inSource`) or the baseline
/// (SARIF `external`).
struct SuppressionInfo {
  enum class Kind { kInSource, kExternal };
  Kind kind = Kind::kInSource;
  std::string justification;  ///< the suppression's reason, or "in the baseline FILE"
  Span span;                  ///< the directive, for inline suppressions
};

struct Finding {
  std::string rule_id;  ///< "TW001"
  Level level = Level::kWarning;
  std::string message;
  Span primary;           ///< the tag entry, else the tags attribute, else the resource header
  std::string file_hint;  ///< display path when `primary` has no file (plan-only resources)
  std::string address;    ///< logical location: the resource address
  std::string root;       ///< the resource's root module, template or stack (Resource::root)
  std::string tag_key;    ///< the key concerned, if any (the first of `tag_keys`)
  /// Every key concerned, sorted as the rule lists them: one for most findings, all missing
  /// keys for missing-required-tag. Part of the fingerprint.
  std::vector<std::string> tag_keys;
  /// Parallel to `tag_keys` when set (missing-required-tag): what the message says about each
  /// key after the key list (a likely misspelling, the schema's description), so the findings
  /// pipeline can re-word a finding about fewer of its keys (narrow_finding, rules/checks.hpp).
  std::vector<std::string> key_notes;
  /// The schema key a finding about one written tag is judged against, as the schema spells it
  /// (`Project` for a TW003 on `project`; set by FindingSink::spec_tag/spec_value). Empty when
  /// the finding is not about one schema key; `tag_keys` are then schema keys already (TW001).
  std::string schema_key;
  /// The value concerned, for findings about a tag's value (part of the fingerprint, so a
  /// changed value is a new finding).
  std::optional<std::string> value;
  std::vector<Related> related;
  std::vector<Fix> fixes;
  /// The tag entry concerned, when it is written outside the resource (a Terraform provider's
  /// default_tags, a local, a module argument, a variable default): the findings pipeline
  /// reports the findings of one rule about one such entry once, there, for every resource it
  /// reaches.
  Span shared_entry;
  /// What holds the shared entry, when it has a Terraform address (`provider.aws.west` for a
  /// provider's default_tags): with the entry's module folder, the grouped finding's identity.
  std::string shared_owner;
  std::optional<SuppressionInfo> suppression;  ///< set on findings that are not reported
  /// Stable identity (linter/engine/baseline.hpp), for SARIF partialFingerprints; set by the
  /// findings pipeline.
  std::string fingerprint;
};

struct Error {
  Span span;              ///< where; may be a whole-file span or point nowhere
  std::string file_hint;  ///< display path when `span` has no file
  std::string message;
  /// A bug in tagwarden rather than a problem with the input (a task that threw): the run
  /// goes on and exits 3.
  bool internal = false;
};

/// What a run covered, for every report's summary.
struct RunSummary {
  std::size_t resources_checked = 0;  ///< resources whose type can be tagged (or may be)
  std::size_t files_seen = 0;         ///< files under the given paths
  std::size_t suppressed_inline = 0;  ///< findings an inline suppression applies to
  std::size_t baseline_matched = 0;   ///< findings found in the baseline, so not reported
  /// Baseline entries no finding matched any more: debt that was fixed (or moved out of the
  /// run's paths). Only with a baseline.
  std::size_t baseline_unmatched = 0;
  bool baseline_unmatched_known = true;  ///< false: a run over a change cannot tell
  bool baseline_used = false;            ///< a baseline was read (or written and applied)
  std::size_t below_min_level = 0;       ///< findings hidden by --min-level
  /// Resources left out of the check on purpose (a CloudFormation resource whose `Condition`
  /// is false in every combination of parameter values explored), counted per reason.
  std::map<std::string, std::size_t> left_out;
};

/// Deterministic order: file, position, rule, address, message. Equal findings are reported
/// once; findings that differ only by root (a module two root modules call) are equal unless
/// `by_root` (a schema diff compares resources per root).
void sort_findings(std::vector<Finding>& findings, const class SourceManager& sm, bool by_root = false);
void sort_errors(std::vector<Error>& errors, const class SourceManager& sm);

}  // namespace tagwarden
