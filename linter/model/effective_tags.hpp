// The evaluated, format-neutral result the rules see: for each resource, its effective tag
// set as the cloud would apply it, with the origin of every tag and what could not be known.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/model/suppression.hpp"
#include "linter/source/span.hpp"

namespace tagwarden {

/// Where a tag came from. `detail` names the specific source for people ("provider
/// aws.west", "module.net argument tags", "stack tag", "SAM Globals").
enum class OriginKind {
  kResource,             ///< the resource's own tags (Terraform `tags`, CFN `Tags`)
  kProviderDefaultTags,  ///< Terraform provider default_tags
  kEnvironment,          ///< TF_AWS_DEFAULT_TAGS_* from the environment
  kStackTag,             ///< CloudFormation / CDK stack tags
  kSamGlobals,           ///< SAM Globals section
  kFramework,            ///< added by a framework (SAM's lambda:createdBy)
  kPlan,                 ///< a Terraform plan's tags_all
};

std::string origin_kind_name(OriginKind kind);  ///< "resource", "default_tags", "stack", ...

struct Origin {
  OriginKind kind = OriginKind::kResource;
  std::string detail;
  Span span;  ///< the block or entry that supplied it (default_tags block, stack tags file)
};

struct TagEntry {
  std::string key;
  std::optional<std::string> value;  ///< nullopt: the value cannot be known statically
  std::string unknown_reason;        ///< why the value is unknown ("var.owner has no value")
  /// The value is unknown because the input has an error there (`upper(3, 4)`), reported as an
  /// Error of its own: rules neither check this value nor note it as unknown.
  bool value_error = false;
  Span key_span;    ///< where the key was written (may be outside the resource: a local)
  Span value_span;  ///< where the value was written
  /// Where the tag entry writes its value when that is an expression whose value was written
  /// elsewhere (`var.env` in `Env = var.env`, the default in value_span): value findings point
  /// here. Empty when not known (the value is written at the entry, or the format has none).
  Span entry_value_span;
  Origin origin;
  /// What the key or value assumes about the deploy, for people: "the Default of parameter
  /// `Env`" (no value was given for it; another deploy may give another). Empty: nothing.
  std::string assumed;
  /// How the tag reached the resource when that crosses files or modules: module arguments,
  /// locals, variables. Shown as SARIF related locations.
  std::vector<Related> trail;
};

/// One possible tag set of a resource. Terraform resources have one; a CloudFormation
/// resource whose tags depend on undecided conditions has one per combination (capped),
/// each naming the condition values it assumes.
struct TagSet {
  std::string condition;          ///< "" when unconditional, else e.g. "IsProd is false"
  std::vector<TagEntry> entries;  ///< effective entries; duplicates kept only where real
  bool keys_known = true;         ///< false: more keys may exist than `entries` lists
  std::string keys_unknown_reason;
  Span keys_unknown_span;
  /// The key set is unknown because of an input error, reported as an Error of its own.
  bool keys_error = false;
};

enum class Taggable { kYes, kNo, kUnknown };

/// A place whose tags the resource inherits, where one tag added reaches every resource that
/// inherits from it: a Terraform provider configuration (its default_tags), a stack's tags.
/// Findings use it to say "adding `Owner` to default_tags at providers.tf:5 fixes 156 findings".
struct InheritedLayer {
  OriginKind kind = OriginKind::kProviderDefaultTags;  ///< kProviderDefaultTags or kStackTag
  std::string detail;                                  ///< "provider aws.west (module.net)", "stack tags file"
  /// Where a tag would be added: the default_tags block, else the provider block; the stack
  /// tags file or manifest entry. Layers are told apart by this span.
  Span span;
  bool has_tags = true;  ///< false: it sets no tags yet (a provider block without default_tags)
};

struct Resource {
  std::string address;  ///< "module.net.aws_subnet.a[0]", "Stack/LogicalId"
  /// What the address is unique within, as a display path: the Terraform root module
  /// directory, the template or plan file, the CDK assembly directory. With the address it
  /// names the resource across a run (finding fingerprints, baselines).
  std::string root;
  std::string type;    ///< "aws_subnet", "AWS::S3::Bucket"
  std::string format;  ///< "terraform", "terraform-plan", "cloudformation", "sam", "cdk"
  Span span;           ///< the resource header (block or logical id)
  Span tags_span;      ///< the tags attribute / property, when present
  /// The whole resource definition, when the format gives one: a tag entry written inside it
  /// is pointed at directly; one written elsewhere (a local, default_tags) is shown as a
  /// related location of the resource's tags attribute.
  Span body_span;
  std::string file_hint;  ///< display path when `span` points nowhere (plan-only input)
  Taggable taggable = Taggable::kYes;
  int max_user_tags = 50;        ///< AWS's per-resource limit for user tags
  bool expanded = true;          ///< false: count/for_each unknown, stands for 0..n instances
  std::string cdk_path;          ///< aws:cdk:path metadata, when present
  std::vector<TagSet> variants;  ///< at least one
  std::vector<Related> related;  ///< extra context for every finding on it
  /// The layers it inherits tags from, lowest first (empty when none can be edited: a plain
  /// template without stack tags, a provider whose default_tags come from the caller).
  std::vector<InheritedLayer> inherits;
  /// Suppressions written for it (template Metadata); Terraform comments are matched to
  /// resources by position in the findings pipeline instead.
  std::vector<Suppression> suppressions;
};

}  // namespace tagwarden
