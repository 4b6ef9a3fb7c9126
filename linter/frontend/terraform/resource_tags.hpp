// Stage: a resource instance's effective tags. States what Terraform wrote as TagSetBuilder
// layers (TF_AWS_DEFAULT_TAGS_*, the provider's default_tags, the resource's tags or `tag`
// blocks), applies ignore_tags, and lists the other resources AWS tags through attributes of
// this one (volume_tags, block devices, launch template tag_specifications).
#pragma once
#include <string>
#include <vector>

#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/providers.hpp"
#include "linter/frontend/terraform/taggable_types.hpp"
#include "linter/model/tag_set_builder.hpp"

namespace tagwarden::terraform {

/// What tag computation needs from the module instance a resource is in.
struct TagScope {
  const RunOptions& options;          ///< env_provider_tags and env (TF_AWS_*)
  const ProviderMap& providers;       ///< the instance's provider configurations
  const ModuleDir& mod;               ///< its locals, for `trail`
  const std::vector<Related>& trail;  ///< module arguments along the call chain
  const ExprEval& eval;
  std::vector<Error>* errors;  ///< where input errors in tags go (a tags value that is not a map)
};

/// A tag as the builder takes it: an unknown or non-string value becomes an unknown value with
/// its reason. (A null value is for TagSetBuilder::set_null.)
TagEntry tag_entry(std::string key, const tf::Value& value, Span key_span, Origin origin);

/// Writes an evaluated tags map into the builder's current layer: each entry set (or set_null),
/// an unknown or non-map value or an open map (merge() with an unknown argument) marks the key
/// set unknown with the reason. A null map writes nothing.
/// A tags value Terraform rejects (not a map; a tag value that is a list or map) is an Error in
/// `errors` (when given) and an error in the tag set, not an unknown.
void apply_tag_map(TagSetBuilder& tags, const tf::Value& v, const Origin& origin, std::vector<Error>* errors = nullptr);

/// The effective tags of `block` (instance bindings `it`) whose tags attribute is `tags_attr`
/// (nullptr: none written; ignored for `tt.tag_attr == "tag"`, whose tags are `tag` and
/// `dynamic "tag"` blocks). Provider default_tags apply when `tt.default_tags` and
/// `provider_name` is an aws configuration; an unconfigured one makes the key set unknown.
/// Each entry's `trail` lists the module arguments and locals whose text holds its value (or
/// its key, when written outside `block`).
TagSet compute_tags(const TagScope& scope, const hcl::Block& block, const Iter& it, const TypeTagging& tt,
                    const std::string& provider_name, const hcl::Attribute* tags_attr);

/// A resource AWS tags through an attribute of another one.
struct ExtraTagTarget {
  std::string address;      ///< "<address> (volume_tags)"
  std::string type;         ///< what AWS tags: "aws_ebs_volume", ...
  const hcl::Block* owner;  ///< the block holding the tags (the resource or a nested block)
  const hcl::Attribute* tags;
  bool default_tags;  ///< provider default_tags apply
};

/// The extra targets of `block` (address `address`), in source order: aws_instance /
/// aws_spot_instance_request `volume_tags` and `root_block_device` / `ebs_block_device` tags,
/// aws_launch_template `tag_specifications`. Blocks without a `tags` attribute give none.
std::vector<ExtraTagTarget> extra_tag_targets(const hcl::Block& block, const std::string& address, const Iter& it,
                                              const ExprEval& eval);

}  // namespace tagwarden::terraform
