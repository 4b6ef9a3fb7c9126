// The evaluated, format-neutral result the rules see: for each resource, its effective tag
// set as the cloud would apply it, with the origin of every tag and what could not be known.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/span.hpp"

namespace tagwarden {

/// Where a tag came from. `detail` names the specific source for people ("provider
/// aws.west", "module.net argument tags", "stack tag", "SAM Globals").
enum class OriginKind {
  kResource,            ///< the resource's own tags (Terraform `tags`, CFN `Tags`)
  kProviderDefaultTags, ///< Terraform provider default_tags
  kEnvironment,         ///< TF_AWS_DEFAULT_TAGS_* from the environment
  kStackTag,            ///< CloudFormation / CDK stack tags
  kSamGlobals,          ///< SAM Globals section
  kFramework,           ///< added by a framework (SAM's lambda:createdBy)
  kPlan,                ///< a Terraform plan's tags_all
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
  Span key_span;    ///< where the key was written (may be outside the resource: a local)
  Span value_span;  ///< where the value was written
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
  std::string condition;  ///< "" when unconditional, else e.g. "IsProd is false"
  std::vector<TagEntry> entries;  ///< effective entries; duplicates kept only where real
  bool keys_known = true;         ///< false: more keys may exist than `entries` lists
  std::string keys_unknown_reason;
  Span keys_unknown_span;
};

enum class Taggable { kYes, kNo, kUnknown };

struct Resource {
  std::string address;  ///< "module.net.aws_subnet.a[0]", "Stack/LogicalId"
  std::string type;     ///< "aws_subnet", "AWS::S3::Bucket"
  std::string format;   ///< "terraform", "terraform-plan", "cloudformation", "sam", "cdk"
  Span span;            ///< the resource header (block or logical id)
  Span tags_span;       ///< the tags attribute / property, when present
  /// The whole resource definition, when the format gives one: a tag entry written inside it
  /// is pointed at directly; one written elsewhere (a local, default_tags) is shown as a
  /// related location of the resource's tags attribute.
  Span body_span;
  std::string file_hint;  ///< display path when `span` points nowhere (plan-only input)
  Taggable taggable = Taggable::kYes;
  int max_user_tags = 50;         ///< AWS's per-resource limit for user tags
  bool expanded = true;           ///< false: count/for_each unknown, stands for 0..n instances
  std::string cdk_path;           ///< aws:cdk:path metadata, when present
  std::vector<TagSet> variants;   ///< at least one
  std::vector<Related> related;   ///< extra context for every finding on it
};

}  // namespace tagwarden
