// CloudFormation intrinsic functions and conditions, evaluated statically: both the JSON long
// form ({"Fn::Sub": ...}) and the YAML short form (!Sub) are read through one view, values
// that only exist at deploy time come out as unknown with a reason, never guessed.
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"

namespace tagwarden::cfn {

/// One intrinsic call found in a template: `name` is the long form ("Ref", "Fn::If",
/// "Condition"), `arg` its argument. For a YAML short form (`!If [...]`) the argument is the
/// tagged node itself; `arg_is_self` says so, and the tag must then be ignored on `arg`.
struct Call {
  std::string name;
  const DocNode* arg = nullptr;
  bool arg_is_self = false;
  Span span;  ///< the whole call
};

/// The intrinsic call `node` stands for, if any: a YAML tag such as `!Ref`, or a map with one
/// key that is `Ref`, `Condition` or starts with `Fn::`. Unknown short tags are reported as
/// `Fn::<Name>` so callers treat them as unknown functions.
std::optional<Call> as_call(const DocNode& node, bool ignore_tag = false);

/// A statically evaluated value.
struct Value {
  enum class Kind { kString, kList, kUnknown, kNoValue, kNull };
  Kind kind = Kind::kUnknown;
  std::string text;           ///< kString
  std::vector<Value> items;   ///< kList
  std::string reason;         ///< kUnknown: why it cannot be known statically
  std::vector<Related> trail; ///< parameters and mappings the value came through

  static Value string(std::string s) { Value v; v.kind = Kind::kString; v.text = std::move(s); return v; }
  static Value unknown(std::string why) { Value v; v.kind = Kind::kUnknown; v.reason = std::move(why); return v; }
  static Value no_value() { Value v; v.kind = Kind::kNoValue; return v; }
  bool known_string() const { return kind == Kind::kString; }
};

/// Template-wide facts the evaluator reads: parameters (with their defaults and overrides),
/// mappings, conditions and the logical ids of resources.
struct TemplateFacts {
  const DocNode* parameters = nullptr;  ///< the `Parameters` map, or null
  const DocNode* mappings = nullptr;
  const DocNode* conditions = nullptr;
  const DocNode* resources = nullptr;
  /// --parameter NAME=VALUE (also accepted for pseudo parameters such as AWS::Region).
  std::map<std::string, std::string> overrides;
};

/// The tri-state of a condition: decided true/false, or undecided from what is known.
enum class Truth { kFalse, kTrue, kUndecided };

/// Evaluates values and conditions of one template under assumed values for some named
/// conditions. Conditions that are needed but undecided are recorded in `wanted()` (the
/// first one met), so the caller can branch on it and evaluate again. Work is bounded: deep
/// nesting and runaway evaluation yield unknown values, never a crash.
class Evaluator {
 public:
  explicit Evaluator(const TemplateFacts& facts) : facts_(facts) {}

  /// Assumed values of named conditions (the combination being explored).
  void assume(std::vector<std::pair<std::string, bool>> assumptions);
  /// When true, an undecided Fn::If is not recorded for branching: it yields unknown.
  void set_no_branching(bool v) { no_branching_ = v; }
  /// The first undecided condition met since the last `assume`, if any.
  const std::optional<std::string>& wanted() const { return wanted_; }

  /// Value of `node` (intrinsics applied). `ignore_tag` skips a YAML tag on `node` itself.
  Value eval(const DocNode& node, bool ignore_tag = false);
  /// Truth of the named condition from the `Conditions` section under the assumptions.
  Truth condition(const std::string& name);
  /// Follows Fn::If (by condition) and recognises `Ref: AWS::NoValue` on a structural
  /// position (a tags list or map, a list item). Returns the chosen node, nullptr for
  /// AWS::NoValue; for any other intrinsic returns `node` with `*computed` naming it.
  const DocNode* select(const DocNode& node, std::string* computed);

 private:
  Value eval_call(const Call& call);
  Value eval_ref(const std::string& name, const Span& at);
  Value eval_sub(const Call& call);
  Value eval_find_in_map(const Call& call);
  Truth eval_condition_expr(const DocNode& node);
  Truth branch_truth(const std::string& name);
  std::string root_undecided(const std::string& name, int depth);
  bool budget();

  const TemplateFacts& facts_;
  std::vector<std::pair<std::string, bool>> assumed_;
  std::optional<std::string> wanted_;
  bool no_branching_ = false;
  int depth_ = 0;
  std::size_t steps_ = 0;
};

/// Pseudo parameters (AWS::Region, ...): always known only at deploy time unless overridden.
bool is_pseudo_parameter(std::string_view name);

/// RFC 4648 base64 (Fn::Base64 of a known string).
std::string base64(std::string_view s);

}  // namespace tagwarden::cfn
