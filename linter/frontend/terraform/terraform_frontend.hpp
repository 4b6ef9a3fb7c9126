// Terraform front end: HCL (.tf) and JSON (.tf.json) modules, tfvars, provider default_tags
// and ignore_tags, modules, count/for_each expansion, and `terraform show -json` plans.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

/// A JSON document the engine has already parsed and classified.
struct ParsedDoc {
  FileId file = kNoFile;
  std::string path;  ///< as given (for reading siblings); display path is in SourceManager
  std::shared_ptr<const DocNode> root;
};

struct TerraformInputs {
  /// Root module directories, sorted: every directory under the given paths that holds
  /// .tf or .tf.json files (hidden folders and .terraform/ skipped). The front end decides
  /// which of them are only called as local modules by others and so are not roots.
  std::vector<std::string> module_dirs;
  /// Plan files (`terraform show -json` output), recognised by content.
  std::vector<ParsedDoc> plans;
};

FrontendResult load_terraform(const LoadContext& ctx, const TerraformInputs& inputs);

}  // namespace tagwarden
