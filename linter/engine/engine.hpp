// The pipeline driver: discover paths, collect the run's CloudFormation deployments, then run
// the units of work (a Terraform root module, a template with its deployments, a plan, a CDK
// assembly) in parallel, handing each unit's result on as soon as it is done so a run never
// holds every resource at once; results are merged in a fixed order, so the output does not
// depend on threads or timing.
#pragma once
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

/// What discovery found: the inputs a load reads, by kind.
struct LoadInputs {
  std::set<std::string> terraform_dirs;  ///< directories with .tf/.tf.json (roots are decided by the front end)
  std::vector<std::string> data_files;   ///< JSON/YAML candidates, classified by content
  std::vector<std::string> cdk_dirs;     ///< cloud assembly directories
  std::size_t files = 0;                 ///< files seen
  /// Paths named directly that an `exclude` glob covers and so are not read (changed files;
  /// run paths with RunOptions::force_exclude).
  std::vector<std::string> excluded;
};

/// Walks `ctx.options.paths` (errors for paths that do not exist go to `errors`).
LoadInputs discover_inputs(const LoadContext& ctx, std::vector<Error>& errors);

/// A unit's place in the run's fixed order: the stage (0 run-wide errors, 1 Terraform, 2 JSON/YAML
/// files, 3 CDK assemblies), then the front end's unit number within it.
struct UnitOrder {
  unsigned stage = 0;
  std::size_t index = 0;
  friend auto operator<=>(const UnitOrder&, const UnitOrder&) = default;
};

/// Receives each unit's result, from any worker thread, as soon as the unit is done. The files
/// in the result's `uses` are the sink's to release (SourceManager::release).
using RunSink = std::function<void(UnitOrder unit, FrontendResult&& result)>;

struct LoadSummary {
  std::size_t files_seen = 0;
  /// The units that belong to the run, in the order to merge them. The sink may also have
  /// received units that turned out not to (a directory linted as a root module that another
  /// directory calls): their results are dropped.
  std::vector<UnitOrder> order;
};

/// Runs every unit of `inputs`, handing results to `sink`, in two phases: first the
/// deployments of the run's templates are collected (samconfig files and Git sync deployment
/// files, which are small and stay loaded), then every data file, template (once per deployment
/// that names it), plan, root module and assembly is a unit of work.
LoadSummary load_units(const LoadContext& ctx, LoadInputs inputs, const RunSink& sink);

/// load_units with each unit's result reduced by `reduce` on the worker that ran it, handed
/// back in the run's fixed order; units that turned out not to belong to the run are dropped.
/// `files_seen`, when given, gets LoadSummary::files_seen.
template <class Reduce>
std::vector<std::invoke_result_t<Reduce&, FrontendResult&&>> load_reduced(const LoadContext& ctx, LoadInputs inputs,
                                                                          Reduce reduce,
                                                                          std::size_t* files_seen = nullptr) {
  using T = std::invoke_result_t<Reduce&, FrontendResult&&>;
  std::mutex mu;
  std::map<UnitOrder, T> units;
  LoadSummary summary = load_units(ctx, std::move(inputs), [&](UnitOrder unit, FrontendResult&& r) {
    T reduced = reduce(std::move(r));
    std::lock_guard<std::mutex> lock(mu);
    units[unit] = std::move(reduced);
  });
  if (files_seen != nullptr) *files_seen = summary.files_seen;
  std::vector<T> out;
  out.reserve(summary.order.size());
  for (const UnitOrder& o : summary.order) {
    auto node = units.extract(o);
    if (!node.empty()) out.push_back(std::move(node.mapped()));
  }
  return out;
}

struct LoadResult {
  std::vector<Resource> resources;  ///< sorted by file, address, position
  std::vector<Error> errors;
  std::vector<Fact> facts;                ///< recorded by front ends, in unit order
  std::vector<Suppression> suppressions;  ///< placed by position (FrontendResult::suppressions)
  std::size_t files_seen = 0;
};

/// Loads exactly `inputs` and keeps it all (the `tags` command, dry runs, tests).
LoadResult load_inputs(const LoadContext& ctx, LoadInputs inputs);
/// Loads everything under `ctx.options.paths` (discover_inputs, then load_inputs).
LoadResult load_all(const LoadContext& ctx);

/// Where a resource stands in the run's listing (load_inputs, the `tags` command): by its file's
/// display path, then address, then position in the file. Compare two with `<`.
inline std::tuple<std::string_view, std::string_view, std::uint32_t> listing_order(std::string_view path,
                                                                                   std::string_view address,
                                                                                   std::uint32_t begin) {
  return {path, address, begin};
}

/// Where a fact was recorded, what it is: the same fact recorded by several units is one.
using FactPlace = std::tuple<int, FileId, std::uint32_t, std::uint32_t>;
/// A module call that cannot be inspected is noted once per run, though every root module that
/// calls it records it: facts of `unit` about a call an earlier unit already noted are dropped;
/// `seen` carries what earlier units noted.
void drop_repeated_facts(std::vector<Fact>& unit, std::set<FactPlace>& seen);

}  // namespace tagwarden
