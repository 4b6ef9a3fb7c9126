// Which CloudFormation and SAM resource types take tags, in which property and shape, and
// their tag count limit: data/cfn_taggable.tsv (generated, embedded) plus the SAM rules.
#pragma once
#include <string>
#include <string_view>

#include "linter/model/effective_tags.hpp"

namespace tagwarden::cfn {

/// How a type's tag property is written.
enum class TagShape {
  kNone,  ///< no tag property
  kList,  ///< [{Key, Value}, ...]
  kMap,   ///< {Key: Value, ...}
  kAsg,   ///< AutoScaling group: [{Key, Value, PropagateAtLaunch}, ...]
};

struct TypeInfo {
  Taggable taggable = Taggable::kUnknown;
  TagShape shape = TagShape::kNone;
  std::string property;  ///< "Tags", "UserPoolTags", ...; empty when unknown or none
  int max_items = 50;    ///< the schema's maxItems for the tag property, else AWS's 50
  /// The resource provider schema requires `Value` (and, for the AutoScaling group,
  /// `PropagateAtLaunch`) in every tag entry (data/cfn_tag_required.tsv); false when unknown.
  bool value_required = false;
  bool propagate_required = false;
};

/// Facts about `type`. Types missing from the data are `Taggable::kUnknown` (their tags, if
/// a `Tags` property is present, are still read as a list); `Custom::*` and
/// `AWS::CloudFormation::CustomResource` are not taggable; `AWS::Serverless::*` types take a
/// string map `Tags`, except LayerVersion and Connector, which take none.
TypeInfo type_info(std::string_view type);

}  // namespace tagwarden::cfn
