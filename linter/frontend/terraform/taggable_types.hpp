// Which Terraform resource types carry AWS resource tags, through which attribute, and
// whether provider default_tags apply: the embedded table data/terraform_taggable.tsv.
#pragma once
#include <string>
#include <string_view>

#include "linter/model/effective_tags.hpp"

namespace tagwarden::terraform {

struct TypeTagging {
  Taggable taggable = Taggable::kNo;
  std::string tag_attr;       ///< "tags", or "tag" (aws_autoscaling_group's blocks); "" when kNo
  bool default_tags = false;  ///< provider default_tags apply (the type has `tags_all`)
};

/// Looks a resource type up in the embedded table. Listed types are kYes; other `aws_*`
/// types and every other provider's types are kNo (tagwarden checks AWS tags only).
TypeTagging type_tagging(std::string_view type);

}  // namespace tagwarden::terraform
