// The pipeline driver: discover paths, parse and classify data files in parallel, hand each
// front end its share, and collect resources, errors and front-end findings in a
// deterministic order.
#pragma once
#include <functional>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

struct LoadResult {
  std::vector<Resource> resources;  ///< sorted by address
  std::vector<Error> errors;
  std::vector<Finding> findings;    ///< emitted by front ends (TW008 caps, TW011)
  std::size_t files_seen = 0;
};

/// Loads everything under `ctx.options.paths`.
LoadResult load_all(const LoadContext& ctx);

/// Runs `fn(i)` for i in [0, n) on up to `jobs` threads (0: hardware threads).
void parallel_for(std::size_t n, unsigned jobs, const std::function<void(std::size_t)>& fn);

}  // namespace tagwarden
