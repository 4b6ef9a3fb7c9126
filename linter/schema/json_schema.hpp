// Checks a positioned JSON/YAML document against a JSON Schema, reporting each problem at the
// document's own path:line:col. Supports the keywords tagwarden's schema file uses (type, const,
// enum, properties, additionalProperties, required, items, minLength, minimum, maximum, $ref to
// #/$defs/...), plus `errorMessage`, the message to show when a subschema's own checks fail.
#pragma once
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"

namespace tagwarden {

/// Validates `doc` against `schema` (a JSON Schema document; `$ref`s resolve inside it).
/// Returns one Error per problem, in document order; empty when the document is valid.
/// An unsupported keyword in the schema is ignored (the schema file is ours and tested).
std::vector<Error> validate_json_schema(const DocNode& doc, const nlohmann::json& schema);

/// The JSON Schema for tagwarden's schema files (schema/tagwarden-schema.json, embedded).
const nlohmann::json& tagwarden_json_schema();

}  // namespace tagwarden
