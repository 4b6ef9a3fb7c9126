// Reads `terraform show -json` plan documents: one Resource per planned managed resource
// instance, with the effective tags the provider computed (`change.after.tags_all`).
#pragma once
#include <string>

#include "linter/frontend/frontend.hpp"
#include "linter/load/doc.hpp"

namespace tagwarden::terraform {

/// Turns one parsed plan document into Resources (format "terraform-plan", origin kPlan).
/// Deletes (`actions == ["delete"]`) and data sources (`mode == "data"`) are skipped. Tags
/// come from `change.after.tags_all` (falling back to `change.after.tags` for types without
/// `tags_all`); `change.after_unknown.tags_all` marks single values (`{"k": true}`) or the whole
/// map (`true`) unknown. Resources carry no span: `file_hint` is `display_path`.
/// Malformed parts become Errors naming the plan; nothing throws.
FrontendResult load_plan(const DocNode& root, const std::string& display_path);

}  // namespace tagwarden::terraform
