// Terraform's JSON configuration syntax (.tf.json, CDK for Terraform's cdk.tf.json) to the same
// hcl:: AST as native syntax, following "JSON Configuration Syntax" (developer.hashicorp.com/
// terraform/language/syntax/json).
#pragma once
#include "linter/load/doc.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::hcl {

/// Converts a parsed .tf.json document. Block types nest their labels as object levels
/// (`"resource": {"aws_s3_bucket": {"b": {...}}}`); any level may be an array of objects
/// (several blocks). Strings are templates (`"${var.x}"`), except where Terraform reads
/// them as expressions (`provider`, `depends_on`, lifecycle `ignore_changes` and
/// `replace_triggered_by`, variable `type`, module `providers` values) or as literals
/// (variable `default`). `"//"` properties of block bodies are comments.
///
/// JSON cannot say whether an object property is an attribute or a nested block: that needs
/// provider schemas. We treat as nested blocks the meta-argument blocks (lifecycle,
/// provisioner, connection, dynamic, content, validation, precondition, postcondition) and
/// the nested blocks that matter for tags (provider default_tags / ignore_tags /
/// assume_role, resource tag / tag_specifications / root_block_device / ebs_block_device /
/// timeouts, terraform backend / required_providers / cloud); every other property is an
/// attribute (so `tags` is always the map attribute). Never throws.
ParseResult parse_tf_json(FileId file, const DocNode& root);

}  // namespace tagwarden::hcl
