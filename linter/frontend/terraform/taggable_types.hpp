// Which Terraform resource types carry AWS resource tags, through which attribute, and
// whether provider default_tags apply (data/terraform_taggable.tsv), and which SDK implements it
// (data/terraform_aws_sdk.tsv); both embedded.
#pragma once
#include <string>
#include <string_view>

#include "linter/model/effective_tags.hpp"

namespace tagwarden::terraform {

struct TypeTagging {
  Taggable taggable = Taggable::kNo;
  std::string tag_attr;       ///< "tags", or "tag" (aws_autoscaling_group's blocks); "" when kNo
  bool default_tags = false;  ///< provider default_tags apply (the type has `tags_all`)
  /// Implemented with the Terraform Plugin Framework (data/terraform_aws_sdk.tsv): a null
  /// value in its `tags` is the empty string. SDKv2 types (and types the table does not list)
  /// keep the provider default_tags value of that key instead.
  bool framework = false;
};

/// Looks a resource type up in the embedded table. Listed types are kYes; other `aws_*`
/// types and every other provider's types are kNo (tagwarden checks AWS tags only).
TypeTagging type_tagging(std::string_view type);

}  // namespace tagwarden::terraform
