// STUB: replaced by the Terraform front end.
#include "linter/frontend/terraform/terraform_frontend.hpp"

namespace tagwarden {
FrontendResult load_terraform(const LoadContext&, const TerraformInputs&) { return {}; }
}  // namespace tagwarden
