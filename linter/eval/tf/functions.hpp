// Terraform's built-in functions over tf::Value (internal to the evaluator). try() and can()
// need lazy arguments and live in evaluator.cpp; everything else is here.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "linter/eval/tf/value.hpp"

namespace tagwarden::tf {

/// What a function may ask of the evaluator running it.
class FunctionEnv {
 public:
  virtual ~FunctionEnv() = default;
  /// Records a definite evaluation error (try()/can() see it) and returns the error value.
  virtual Value error(std::string reason, Span span) = 0;
  /// Charges `steps` to the step budget; false once the budget is spent.
  virtual bool charge(std::size_t steps) = 0;
  /// The value to return once charge() has failed (the evaluator reports the spent budget
  /// once, for the whole expression).
  virtual Value budget_error(Span span) = 0;
};

/// Calls the built-in `name` with evaluated arguments. Unknown arguments (and errors) propagate
/// (see docs/terraform-functions.md); a function that is not implemented yields an unknown with
/// reason "function NAME is not evaluated"; wrong arguments are errors. Never throws.
Value call_function(std::string_view name, std::vector<Value>& args, Span span, FunctionEnv& env);

/// Deep equality of two known values (Terraform's `==`: types must match).
bool values_equal(const Value& a, const Value& b);

/// Terraform's conversions of primitives, nullopt when not convertible.
std::optional<double> to_number(const Value& v);
std::optional<bool> to_bool(const Value& v);

/// Every name call_function implements, sorted (try and can are added by the evaluator).
const std::vector<std::string>& builtin_function_names();

}  // namespace tagwarden::tf
