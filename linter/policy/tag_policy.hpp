// AWS Organizations tag policies, offline: reading policy documents, combining the policies
// attached along one path of the organization tree (root, OUs, account) into the account's
// effective policy with the inheritance operators, rendering it as AWS displays it, and turning
// it into the schema tagwarden checks resources against.
//
// Semantics followed (AWS Organizations User Guide):
//  - "Tag policy syntax and examples": `tags` -> policy key -> `tag_key` (@@assign a string;
//    without it the key's case is the policy key in lowercase), `tag_value` (a list; `*` matches
//    any run of characters, at most one per value), `enforced_for` and `report_required_tag_for`
//    (lists of tag-policy resource types; `<service>:ALL_SUPPORTED` for every type of a service).
//    Policy keys are case-insensitive.
//  - "Inheritance operators" / "Inheritance examples": @@assign overwrites inherited values,
//    @@append adds to them, @@remove removes some (multi-valued settings only); a parent's
//    @@operators_allowed_for_child_policies limits the value-setting operators of every policy
//    below it and cannot be widened; several policies on one level combine the allowed
//    operators by intersection (Example 5) and are evaluated in attachment order, the first
//    attached policy's assignment winning (Example 6).
#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"
#include "linter/schema/schema.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// One tag policy document as written, parsed with positions.
struct PolicyDoc {
  FileId file = kNoFile;
  std::shared_ptr<const DocNode> root;
};

/// A problem with a policy: what AWS would reject, or what surprises authors. Reported by
/// `tagwarden policy lint`; the effective policy reports the ones found while merging.
struct PolicyProblem {
  Level level = Level::kError;
  std::string code;  ///< "key-mismatch", "too-many-wildcards", ...
  Span span;
  std::string message;
  std::vector<Related> related;
};

/// One setting of a policy key in the effective policy (operators applied).
struct EffectiveSetting {
  bool set = false;
  std::string text;                ///< tag_key
  std::vector<std::string> items;  ///< tag_value, enforced_for, report_required_tag_for
  std::vector<Span> item_spans;    ///< where each item was written
  Span span;                       ///< the operator that last changed the setting
};

struct EffectiveKey {
  std::string policy_key;  ///< as first written (root-most policy)
  Span key_span;           ///< that occurrence
  EffectiveSetting tag_key, tag_value, enforced_for, report_required_tag_for;

  /// The tag key resources must use: tag_key when assigned, else the policy key in lowercase.
  std::string tag_key_or_default() const;
};

struct EffectivePolicy {
  std::vector<EffectiveKey> keys;  ///< in first-seen order
};

/// Reads a tag policy document of `file`; nullopt (with positioned errors) when it is not
/// valid JSON. Structure problems are lint problems, not read errors.
std::optional<PolicyDoc> read_tag_policy(const SourceManager& sm, FileId file, std::vector<Error>& errors);

/// True when `root` looks like a tag policy: a `tags` map of policy keys (and no `version`).
bool is_tag_policy(const DocNode& root);

/// Combines the policies of each level (root first; within a level, attachment order) into the
/// effective policy. Problems met on the way (operators a parent forbids, same-level conflicts,
/// malformed settings) are appended to `problems`; the offending parts are left out.
EffectivePolicy merge_tag_policies(const std::vector<std::vector<PolicyDoc>>& levels,
                                   std::vector<PolicyProblem>& problems);

/// The effective policy as AWS displays it: operators stripped, policy keys sorted,
/// `{"tags": {"costcenter": {"tag_key": ..., "tag_value": [...], "enforced_for": [...],
/// "report_required_tag_for": [...]}}}` (only the settings that are set), two-space indented.
std::string render_effective_policy(const EffectivePolicy& policy);

/// The schema resources are checked against under the effective policy. `notes` gets one note
/// per resource type the policy names that maps to no Terraform or CloudFormation type.
Schema schema_from_policy(const EffectivePolicy& policy, FileId file);

/// Everything `tagwarden policy lint` reports about the policies of `levels`: per-document
/// problems (size, syntax, wildcards, resource types, key spelling) and merge problems.
/// Sorted by file and position. An unmapped resource type is reported once per run.
std::vector<PolicyProblem> lint_tag_policies(const SourceManager& sm,
                                             const std::vector<std::vector<PolicyDoc>>& levels);

/// AWS's size limit for one tag policy document, in characters ("Quotas for AWS
/// Organizations": tag policies 10,000 characters).
inline constexpr std::size_t kMaxTagPolicyChars = 10'000;

}  // namespace tagwarden
