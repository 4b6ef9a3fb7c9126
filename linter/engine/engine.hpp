// The pipeline driver: discover paths, parse and classify data files in parallel, hand each
// front end its share, and collect resources, errors and front-end facts in a deterministic
// order.
#pragma once
#include <functional>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

struct LoadResult {
  std::vector<Resource> resources;  ///< sorted by address
  std::vector<Error> errors;
  std::vector<Fact> facts;          ///< recorded by front ends, in input order
  std::vector<Suppression> suppressions;  ///< placed by position (FrontendResult::suppressions)
  std::size_t files_seen = 0;
};

/// Loads everything under `ctx.options.paths`.
LoadResult load_all(const LoadContext& ctx);

}  // namespace tagwarden
