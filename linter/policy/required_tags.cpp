#include "linter/policy/required_tags.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "linter/schema/resource_types.hpp"

namespace tagwarden {

bool is_required_tags_response(const DocNode& root) {
  return root.is_map() && root.get("RequiredTags") && !root.get("version") && !root.get("tags");
}

std::optional<Schema> schema_from_required_tags(const DocNode& root, FileId file, std::vector<Error>& errors) {
  std::size_t before = errors.size();
  auto error = [&](const Span& span, std::string msg) { errors.push_back(Error{span, {}, std::move(msg)}); };
  Schema schema;
  schema.kind = SchemaKind::kRequiredTags;
  schema.file = file;
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    if (root.keys[i] != "RequiredTags" && root.keys[i] != "NextToken") {
      error(root.key_spans[i],
            fmt::format("unknown field `{}` in a ListRequiredTags response (expected RequiredTags, NextToken)",
                        root.keys[i]));
    }
  }
  const DocNode* list = root.get("RequiredTags");
  if (!list->is_seq()) {
    error(list->span, "`RequiredTags` must be a list");
    return std::nullopt;
  }
  // ListRequiredTags API: RequiredTag = {ResourceType, CloudFormationResourceTypes, ReportingTagKeys}.
  for (const auto& entry : list->items) {
    if (!entry.is_map()) {
      error(entry.span, "each entry of `RequiredTags` must be an object with ResourceType and ReportingTagKeys");
      continue;
    }
    std::vector<std::string> types;
    for (std::size_t i = 0; i < entry.keys.size(); ++i) {
      const std::string& k = entry.keys[i];
      if (k != "ResourceType" && k != "CloudFormationResourceTypes" && k != "ReportingTagKeys") {
        error(entry.key_spans[i], fmt::format("unknown field `{}` in a RequiredTag (expected ResourceType, "
                                              "CloudFormationResourceTypes, ReportingTagKeys)",
                                              k));
      }
    }
    const DocNode* type = entry.get("ResourceType");
    if (!type || !type->is_string()) {
      error(type ? type->span : entry.span, "a RequiredTag needs a `ResourceType` string such as `ec2:instance`");
      continue;
    }
    types.push_back(type->scalar);
    if (const DocNode* cfn = entry.get("CloudFormationResourceTypes")) {
      if (!cfn->is_seq())
        error(cfn->span, "`CloudFormationResourceTypes` must be a list of strings");
      else
        for (const auto& c : cfn->items) types.push_back(c.scalar);
    }
    const DocNode* keys = entry.get("ReportingTagKeys");
    if (!keys || !keys->is_seq()) {
      error(keys ? keys->span : entry.span, "a RequiredTag needs a `ReportingTagKeys` list");
      continue;
    }
    if (ResourceTypes::aws().expand(type->scalar).empty() && !entry.get("CloudFormationResourceTypes")) {
      schema.notes.push_back(
          SchemaNote{type->span, fmt::format("resource type `{}` is unknown to tagwarden's type data; "
                                             "no resource is checked against it",
                                             type->scalar)});
    }
    for (const auto& key : keys->items) {
      if (!key.is_string() || key.scalar.empty()) {
        error(key.span, "each entry of `ReportingTagKeys` must be a tag key");
        continue;
      }
      TagSpec* spec = nullptr;
      for (auto& t : schema.tags) {
        if (t.key == key.scalar) spec = &t;
      }
      if (!spec) {
        schema.tags.emplace_back();
        spec = &schema.tags.back();
        spec->key = key.scalar;
        spec->span = key.span;
      }
      for (const auto& t : types) {
        if (std::find(spec->required_for.begin(), spec->required_for.end(), t) == spec->required_for.end())
          spec->required_for.push_back(t);
      }
      // Each finding points at the entry that requires the key on its resource's type.
      spec->typed_origin.push_back(TagSpec::TypedOrigin{
          types, Related{key.span, "required by this ListRequiredTags response (ReportingTagKeys)"}});
    }
  }
  if (errors.size() != before) return std::nullopt;
  return schema;
}

}  // namespace tagwarden
