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

/// Runs the Terraform part of a run unit by unit, handing each unit's result to `sink` as soon
/// as it is done: one unit per directory of `inputs.module_dirs` (linted as a root module, in
/// parallel on up to `ctx.options.jobs` threads), then one for the plans with the HCL resources
/// they replace. Returns the units that belong to the run, in the order a one-thread run lints
/// them: a directory that another directory of the run calls as a local module is linted
/// through that call, so its own unit is not among them (unless no linted root reached it).
std::vector<std::size_t> load_terraform(const LoadContext& ctx, const TerraformInputs& inputs, const UnitSink& sink);
/// All units at once: the results of the units that belong to the run, appended in order.
FrontendResult load_terraform(const LoadContext& ctx, const TerraformInputs& inputs);

}  // namespace tagwarden
