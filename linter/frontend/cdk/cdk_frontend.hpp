// CDK front end: cloud assemblies (cdk.out): stacks, nested stacks, stages, stack tags from
// the manifest, and mapping of aws:cdk:creationStack frames onto the user's source files.
#pragma once
#include <string>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

/// True when `dir` holds a cloud assembly (`manifest.json` with an `artifacts` map).
bool is_cdk_assembly(const LoadContext& ctx, const std::string& dir);

/// Every stack of each assembly directory (nested stages followed from inside). Creation-stack
/// frames are mapped onto files under the paths the user gave (`ctx.options.paths`).
FrontendResult load_cdk(const LoadContext& ctx, const std::vector<std::string>& assembly_dirs);

}  // namespace tagwarden
