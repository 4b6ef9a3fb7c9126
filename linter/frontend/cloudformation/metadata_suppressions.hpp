// Suppressions written in CloudFormation, SAM and CDK templates: a resource's or the template's
// `Metadata: {tagwarden: {ignore: [{rule: TW001, reason: ..., until: YYYY-MM-DD}]}}` (CDK:
// `cfnResource.addMetadata('tagwarden', {...})`). docs/configuration.md ("Inline
// suppressions") describes the format.
#pragma once
#include <vector>

#include "linter/load/doc.hpp"
#include "linter/model/suppression.hpp"

namespace tagwarden {

/// Appends the suppressions of one `Metadata` map to `out`. A malformed entry becomes a
/// Suppression whose `problem` says what is wrong (the invalid-suppression rule reports it).
void read_metadata_suppressions(const DocNode& metadata, std::vector<Suppression>& out);

}  // namespace tagwarden
