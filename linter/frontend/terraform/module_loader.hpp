// The Terraform front end's engine room: loads module directories (files parsed in parallel),
// instantiates modules from the roots down (variables, locals, providers, count/for_each) and
// computes each resource instance's effective tags. terraform_frontend.cpp is its entry point.
#pragma once
#include <functional>
#include <string_view>

#include "linter/frontend/terraform/terraform_frontend.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::terraform {

/// Parses one registered file: HCL native syntax, or Terraform JSON syntax when `json`.
/// Must be safe to call from several threads at once.
using ParseFn = std::function<hcl::ParseResult(FileId file, std::string_view text, bool json)>;

/// The parser tagwarden ships (linter/load/hcl); see parse_bridge.cpp.
hcl::ParseResult parse_terraform_file(FileId file, std::string_view text, bool json);

/// load_terraform with the parser as a parameter, so tests can feed hand-built syntax trees.
FrontendResult load_terraform_with(const LoadContext& ctx, const TerraformInputs& inputs,
                                   const ParseFn& parse);

}  // namespace tagwarden::terraform
