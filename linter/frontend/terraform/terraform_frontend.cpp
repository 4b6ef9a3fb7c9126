#include "linter/frontend/terraform/terraform_frontend.hpp"

#include "linter/frontend/terraform/module_loader.hpp"

namespace tagwarden {

FrontendResult load_terraform(const LoadContext& ctx, const TerraformInputs& inputs) {
  return terraform::load_terraform_with(ctx, inputs, &terraform::parse_terraform_file);
}

}  // namespace tagwarden
