// Evaluates HCL expressions to Values, the way Terraform would where that can be known
// statically. References outside the expression (var.*, local.*, each.*, count.*, path.*,
// terraform.*, module.*, resources, data sources) are resolved through a callback; anything
// that cannot be known (resource attributes, unsupported functions) becomes an unknown Value
// with a reason, never an error and never a guess.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "linter/eval/tf/doc_value.hpp"
#include "linter/eval/tf/value.hpp"
#include "linter/load/doc.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::tf {

struct EvalContext {
  /// Resolves a root reference: `root` is the first identifier ("var", "local", "each",
  /// "count", "path", "terraform", "module", "aws_instance", ...), `attr` the attribute right
  /// after it ("" when there is none). Return nullopt for "not known statically"; the
  /// evaluator then yields an unknown naming the reference. Traversals after `root.attr`
  /// (`var.x.y[0]`) are applied by the evaluator to the returned value.
  std::function<std::optional<Value>(std::string_view root, std::string_view attr, Span span)> resolve;
  /// Reads a file for file() and templatefile(): `path` is the argument as evaluated (the
  /// caller resolves it, e.g. against the module directory). Return nullopt when it cannot
  /// be read. When unset, those functions yield unknown "file ... is not read".
  std::function<std::optional<std::string>(std::string_view path)> read_file;
  /// Terraform's working directory as an absolute path, for abspath(); empty: not known, and
  /// abspath() of a relative path is unknown.
  std::string working_directory;
  /// Upper bound on evaluation steps for one top-level call; past it the result is unknown.
  std::size_t step_budget = 200'000;
};

/// Evaluates `expr`. Never throws on user input.
Value evaluate(const hcl::Expr& expr, EvalContext& ctx);

/// Something an expression refers to outside itself: `var.x` is {"var", "x"}, `each.value`
/// is {"each", "value"}, `aws_s3_bucket.b.id` is {"aws_s3_bucket", "b"}, a bare `count`
/// is {"count", ""}.
struct Reference {
  std::string root;
  std::string attr;
  Span span;  ///< the reference as written (`var.x`)
};

/// Every reference in `expr`, in source order; for-expression, template-for and splat
/// variables are not references.
std::vector<Reference> references(const hcl::Expr& expr);

/// Names of the Terraform functions the evaluator implements (sorted), for docs and tests.
const std::vector<std::string>& supported_functions();

}  // namespace tagwarden::tf
