#include "linter/frontend/terraform/terraform_frontend.hpp"

#include "linter/frontend/terraform/module_loader.hpp"

namespace tagwarden {

std::vector<std::size_t> load_terraform(const LoadContext& ctx, const TerraformInputs& inputs, const UnitSink& sink) {
  return terraform::load_terraform_units(ctx, inputs, &terraform::parse_terraform_file, sink);
}

FrontendResult load_terraform(const LoadContext& ctx, const TerraformInputs& inputs) {
  return terraform::load_terraform_with(ctx, inputs, &terraform::parse_terraform_file);
}

}  // namespace tagwarden
