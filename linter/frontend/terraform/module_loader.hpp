// The Terraform front end's driver: loads the module directories of a run, decides which are
// roots, instantiates each root's modules from the root down and emits one Resource per
// resource instance with its effective tags; then merges plans. The stages it drives each have
// their own header: module_dir (read/parse/collect), variables (tfvars precedence, binding,
// type conversion), providers, expansion (count/for_each), scope (instances and references),
// module_calls (sources, outputs), resource_tags (tag layers through TagSetBuilder).
#pragma once
#include <string_view>
#include <vector>

#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/terraform_frontend.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::terraform {

/// The parser tagwarden ships (linter/load/hcl); see parse_bridge.cpp.
hcl::ParseResult parse_terraform_file(FileId file, std::string_view text, bool json);

/// load_terraform with the parser as a parameter, so tests can feed hand-built syntax trees.
std::vector<std::size_t> load_terraform_units(const LoadContext& ctx, const TerraformInputs& inputs,
                                              const ParseFn& parse, const UnitSink& sink);
FrontendResult load_terraform_with(const LoadContext& ctx, const TerraformInputs& inputs, const ParseFn& parse);

}  // namespace tagwarden::terraform
