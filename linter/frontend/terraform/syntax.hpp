// Reading Terraform's fixed syntax out of the HCL tree: attributes and blocks by name, the
// literals Terraform requires to be static (`source`, `alias`), provider references and
// instance keys. Pure functions of the syntax tree; every stage of the loader uses them.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/eval/tf/value.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::terraform {

/// The body's attribute named `name`, or nullptr.
const hcl::Attribute* find_attr(const hcl::Body& body, std::string_view name);
/// The body's blocks of type `type`, in source order.
std::vector<const hcl::Block*> blocks_of(const hcl::Body& body, std::string_view type);

/// A static string: `"x"` (also as a one-part template); nullopt for anything else.
std::optional<std::string> literal_string(const hcl::Expr* e);
/// A provider reference written `aws`, `aws.west` or (legacy) `"aws.west"`.
std::optional<std::string> provider_ref(const hcl::Expr* e);
/// The provider local name of a configuration name: "aws" for "aws.west".
std::string provider_base(const std::string& config_name);

/// `./x` and `../x` module sources (the only ones read from the caller's directory).
bool is_local_source(const std::string& source);
/// The address suffix of one instance: `[0]` for a number, `["k"]` for a string.
std::string instance_key(const tf::Value& key);
/// `name` ends with `suffix` and is longer than it.
bool has_suffix(std::string_view name, std::string_view suffix);

}  // namespace tagwarden::terraform
