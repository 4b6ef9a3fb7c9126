// The JSON that `aws resourcegroupstaggingapi list-required-tags` returns (the ListRequiredTags
// API of the Resource Groups Tagging API), read as a schema: each ReportingTagKeys entry is a
// key required on the ResourceType and CloudFormationResourceTypes of its RequiredTag. This is
// what the Terraform provider's tag_policy_compliance and the CloudFormation tagging hook
// check, so a team can export it once and check offline.
#pragma once
#include <optional>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"
#include "linter/schema/schema.hpp"

namespace tagwarden {

/// True when `root` looks like a ListRequiredTags response (a `RequiredTags` list).
bool is_required_tags_response(const DocNode& root);

/// Builds the schema; problems with the document's shape are positioned errors.
std::optional<Schema> schema_from_required_tags(const DocNode& root, FileId file, std::vector<Error>& errors);

}  // namespace tagwarden
