// Stage: input variables. Where a root module's variable values come from (Terraform's
// precedence of defaults, tfvars files and command-line options), how a module's `variable`
// blocks bind the values given to them, and the type conversions that shape tags.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "linter/eval/tf/value.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"

namespace tagwarden::terraform {

/// The values given to a root module's variables, lowest precedence first
/// (developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence):
/// `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars` / `*.auto.tfvars.json` in
/// lexical order, then `options.var_files` and `options.vars` in command-line order (a later
/// value replaces an earlier one). A `--var` value starting with `{` or `[` is parsed as HCL
/// (registered as the pseudo-file `--var NAME`); any other is the raw string. HCL tfvars are
/// evaluated with `eval` (no references are valid there); JSON ones are taken literally.
/// Unreadable or malformed files become errors in `errors` and the rest still count.
std::map<std::string, tf::Value> root_variable_values(const LoadContext& ctx, const ParseFn& parse,
                                                      const std::string& root_dir, const ExprEval& eval,
                                                      std::vector<Error>& errors);

/// `v` converted to the type constraint `type` as far as it matters for tags: object types get
/// their missing (or null) attributes as the `optional(type, default)` default (evaluated with
/// `eval`) or null, recursively through map/list/set element types
/// (developer.hashicorp.com/terraform/language/expressions/type-constraints). Primitive
/// conversions are left to where a value is read. Unknown, null or unconstrained values and
/// values of another shape come back unchanged.
tf::Value convert_to_type(const tf::Value& v, const hcl::Expr* type, const ExprEval& eval);

/// Binds `mod`'s `variable` blocks into `vars`, in declaration order: the given value, else the
/// `default`, else unknown ("var.x has no value" for a root, "var.x is not set by <module>" for
/// a child). `nullable = false` with a null given value takes the default. Values are then
/// converted to the declared `type`. `eval` evaluates defaults (it may read `vars`).
void bind_variables(const ModuleDir& mod, std::map<std::string, tf::Value> given, bool root,
                    const std::string& module_name, const ExprEval& eval, std::map<std::string, tf::Value>& vars);

}  // namespace tagwarden::terraform
