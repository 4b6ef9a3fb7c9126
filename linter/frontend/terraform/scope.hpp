// Stage: module instances and what their expressions see. An Instance is one instance of a
// module (the root, or `module.a[0]`) with its variables, locals, providers and module calls;
// Scope evaluates expressions in it, resolving references as Terraform does.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "linter/eval/tf/value.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/providers.hpp"

namespace tagwarden::terraform {

struct CallState;

/// One instance of a module.
struct Instance {
  const ModuleDir* mod = nullptr;
  std::string prefix;    ///< "module.a[0]." ("" for the root)
  std::string name;      ///< "module.a[0]" ("" for the root)
  std::string key_path;  ///< modules.json key: "a.b"
  std::map<std::string, tf::Value> vars;
  std::map<std::string, tf::Value> local_cache;
  std::set<std::string> local_busy;
  ProviderMap providers;
  std::vector<Related> trail;  ///< module arguments along the call chain
  std::vector<std::string> dir_chain;
  int depth = 0;
  bool expanded = true;  ///< false: this module instance stands for 0..n (unknown count/for_each)
  std::map<std::string, std::unique_ptr<CallState>> calls;  ///< module calls, created on first use
  std::optional<tf::Value> outputs_value;                   ///< this instance's outputs, as an object
};

/// The instances of one module call, made when first needed (to emit resources, or because
/// an expression reads `module.NAME`).
struct CallState {
  bool busy = false;
  bool usable = false;  ///< false: not inspectable or not followed; `reason` says why
  std::string reason;
  bool expanded = true;
  bool has_count = false;
  bool has_for_each = false;
  std::vector<std::pair<tf::Value, std::unique_ptr<Instance>>> instances;  ///< (each.key or count.index, child)
};

/// At most this many locals are evaluated at once (nested references), bounding the stack.
constexpr std::size_t kMaxLocalChain = 200;

/// Evaluates expressions in module instances of one root module.
class Scope {
 public:
  /// `module.NAME` read in an instance (the driver instantiates the call on demand).
  using ModuleValueFn = std::function<tf::Value(Instance& in, const std::string& name, Span at)>;

  /// `root_dir`: the root module directory as given (Terraform's working directory);
  /// `workspace`: terraform.workspace. Errors (a local that refers to itself) go to `errors`,
  /// once per run: `reported` holds the (file, offset) of those already reported.
  Scope(const LoadContext& ctx, std::string root_dir, std::string workspace, ModuleValueFn module_value,
        std::vector<Error>& errors, std::set<std::pair<FileId, std::uint32_t>>& reported);

  /// Evaluates `e` (nullptr: null) in `in` with the bindings `it` (nullptr: none). References:
  /// `var.*`, `local.*` (lazily, once per instance), `count.index`, `each.key`/`each.value`,
  /// dynamic-block iterators, `path.module` (relative to the root), `path.root` ("."),
  /// `path.cwd` (the root as an absolute path), `terraform.workspace`, `module.NAME`,
  /// `data.aws_default_tags` / `data.aws_region` (data_sources.hpp); anything else is unknown.
  /// `file()` and `templatefile()` read paths relative to the root directory, at most 1 MiB;
  /// `abspath()` resolves against the root directory.
  tf::Value eval(Instance& in, const hcl::Expr* e, const Iter* it);
  /// An ExprEval bound to `in`.
  ExprEval bound(Instance& in) {
    return [this, &in](const hcl::Expr* e, const Iter* it) { return eval(in, e, it); };
  }
  const std::string& root_dir() const { return root_dir_; }

 private:
  tf::Value eval_local(Instance& in, const std::string& name, Span at);
  /// `dir` relative to the root directory, as Terraform's path.module.
  std::string relative_to_root(const std::string& dir) const;

  const LoadContext& ctx_;
  std::string root_dir_;
  std::string workspace_;
  std::string terraform_cwd_;  ///< the root directory as an absolute path; "" when not known
  ModuleValueFn module_value_;
  std::vector<Error>& errors_;
  std::set<std::pair<FileId, std::uint32_t>>& reported_cycles_;
};

}  // namespace tagwarden::terraform
