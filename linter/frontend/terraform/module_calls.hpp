// Stage: module calls. Where a call's source is (local directories, or what `terraform init`
// recorded in .terraform/modules/modules.json), which directories of a run are only called by
// others, the root's workspace, and the value `module.NAME` has (its outputs).
#pragma once
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/scope.hpp"

namespace tagwarden::terraform {

/// modules.json key ("net", "net.sub") -> module directory, from `root_dir`'s
/// `.terraform/modules/modules.json` (`Dir` relative to the root unless absolute). Missing
/// file: empty; malformed JSON: errors, and whatever could be read.
std::map<std::string, std::string> read_modules_json(const LoadContext& ctx, const std::string& root_dir,
                                                     std::vector<Error>& errors);

/// terraform.workspace for `root_dir`: TF_WORKSPACE when set and not empty, else the name in
/// `.terraform/environment`, else "default" (developer.hashicorp.com/terraform/cli/workspaces).
std::string read_workspace(const LoadContext& ctx, const std::string& root_dir);

/// The directory of a call's `source`: local sources relative to `caller_dir`, others by
/// modules.json key (`caller_key_path` + "." + the call's name); nullopt when not installed.
std::optional<std::string> module_source_dir(const std::string& caller_dir, const std::string& caller_key_path,
                                             const hcl::Block& call, const std::string& source,
                                             const std::map<std::string, std::string>& modules_json);

/// The directories of `roots` that another directory of `roots` calls through a local source
/// (a directory calling itself does not count).
std::set<std::string> locally_called_dirs(const ModuleDirs& dirs, const std::vector<std::string>& roots);

/// One instance's outputs as an object (output name -> value evaluated with `eval`, null when
/// `value` is missing), spanning `at`.
tf::Value outputs_object(const ModuleDir& mod, const ExprEval& eval, Span at);

}  // namespace tagwarden::terraform
