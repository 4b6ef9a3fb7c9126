// Stage: count and for_each expansion (developer.hashicorp.com/terraform/language/
// meta-arguments/count, .../for_each). Turns a resource or module block's meta-arguments into
// its instances, each with the `count.index` / `each.*` bindings it is evaluated with.
#pragma once
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "linter/eval/tf/value.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::terraform {

/// count.index / each.key / each.value and dynamic-block iterators in effect.
struct Iter {
  std::optional<tf::Value> count_index;
  std::optional<tf::Value> each_key;
  std::optional<tf::Value> each_value;
  std::map<std::string, tf::Value> iterators;  ///< dynamic block iterator name -> {key, value}
};

/// Evaluates an expression of the module instance being loaded, with `it`'s bindings (nullptr:
/// none). Every stage that needs a value gets one of these from the driver.
using ExprEval = std::function<tf::Value(const hcl::Expr* e, const Iter* it)>;

/// At most this many instances per block; past it the block is not expanded.
constexpr std::size_t kMaxInstances = 10'000;

struct Expansion {
  /// (address suffix, bindings) per instance: `[0]`, `["logs"]`, or "" for a block without
  /// count/for_each. Empty when count is 0, for_each is empty or null.
  std::vector<std::pair<std::string, Iter>> instances;
  /// false: count/for_each is not known (or over kMaxInstances, or has unknown keys or
  /// elements): `instances` holds one instance standing for 0..n, its index/each unknown with
  /// the reason.
  bool expanded = true;
};

/// Expands `body`'s `count` or `for_each` (count wins when both are written). A map binds
/// `each.key`/`each.value` to its keys and values; a list or set of strings binds both to
/// the element (duplicates once, in sorted order).
Expansion expand_instances(const hcl::Body& body, const ExprEval& eval);

}  // namespace tagwarden::terraform
