// The one converter from parsed JSON/YAML documents (DocNode) to Terraform values: tfvars.json
// files, jsondecode()/yamldecode() results and anything else read as data.
#pragma once
#include "linter/eval/tf/value.hpp"
#include "linter/load/doc.hpp"

namespace tagwarden::tf {

/// A JSON or YAML value taken literally as a Terraform value: no templates; numbers that do not
/// parse as doubles stay strings; past 256 levels the rest is unknown ("document nested too
/// deeply"). Every value keeps its node's span and every map entry its key's span; a key
/// written twice keeps the last value, and the earlier spellings in `duplicate_key_spans`.
Value value_from_doc(const DocNode& node);

/// The same, for a document that has no place in a file (a decoded string): every value and
/// key spans `at`, and a key written twice simply keeps its last value.
Value value_from_doc(const DocNode& node, Span at);

}  // namespace tagwarden::tf
