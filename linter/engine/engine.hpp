// The pipeline driver: discover paths, parse and classify data files in parallel, hand each
// front end its share, and collect resources, errors and front-end facts in a deterministic
// order.
#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

struct LoadResult {
  std::vector<Resource> resources;  ///< sorted by address
  std::vector<Error> errors;
  std::vector<Fact> facts;                ///< recorded by front ends, in input order
  std::vector<Suppression> suppressions;  ///< placed by position (FrontendResult::suppressions)
  std::size_t files_seen = 0;
};

/// What discovery found: the inputs a load reads, by kind.
struct LoadInputs {
  std::set<std::string> terraform_dirs;  ///< directories with .tf/.tf.json (roots are decided by the front end)
  std::vector<std::string> data_files;   ///< JSON/YAML candidates, classified by content
  std::vector<std::string> cdk_dirs;     ///< cloud assembly directories
  std::size_t files = 0;                 ///< files seen
};

/// Walks `ctx.options.paths` (errors for paths that do not exist go to `errors`).
LoadInputs discover_inputs(const LoadContext& ctx, std::vector<Error>& errors);
/// Loads exactly `inputs`: parses and classifies data files, runs every front end.
LoadResult load_inputs(const LoadContext& ctx, LoadInputs inputs);
/// Loads everything under `ctx.options.paths` (discover_inputs, then load_inputs).
LoadResult load_all(const LoadContext& ctx);

}  // namespace tagwarden
