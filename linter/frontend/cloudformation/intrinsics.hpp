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
  std::string text;          ///< kString
  std::vector<Value> items;  ///< kList
  std::string reason;        ///< kUnknown: why it cannot be known statically
  /// kUnknown: strings the value is known to differ from (a parameter assumed to hold a value
  /// other than its Default and the literals it is compared with), so Fn::Equals can decide.
  std::vector<std::string> not_any_of;
  std::vector<Related> trail;  ///< parameters and mappings the value came through
  /// Parameters whose Default the value was computed from (no value was given for them).
  std::vector<std::string> defaults;

  static Value string(std::string s) {
    Value v;
    v.kind = Kind::kString;
    v.text = std::move(s);
    return v;
  }
  static Value unknown(std::string why) {
    Value v;
    v.kind = Kind::kUnknown;
    v.reason = std::move(why);
    return v;
  }
  static Value no_value() {
    Value v;
    v.kind = Kind::kNoValue;
    return v;
  }
  bool known_string() const { return kind == Kind::kString; }
};

/// Template-wide facts the evaluator reads: parameters (with their defaults and overrides),
/// mappings, conditions and the logical ids of resources.
struct TemplateFacts {
  const DocNode* parameters = nullptr;  ///< the `Parameters` map, or null
  const DocNode* mappings = nullptr;
  const DocNode* conditions = nullptr;
  const DocNode* resources = nullptr;
  /// Given parameter values (--parameter, parameter files, deployment files), also for
  /// pseudo parameters such as AWS::Region.
  std::map<std::string, std::string> overrides;
  /// Per parameter, the string literals `Conditions` compare it with in `Fn::Equals`
  /// (collect_compared_literals fills it): the values worth distinguishing when a condition
  /// needs a parameter that was given no value.
  std::map<std::string, std::vector<std::string>, std::less<>> compared;
};

/// Fills `facts.compared` from `facts.conditions`.
void collect_compared_literals(TemplateFacts& facts);

/// One assumption of a combination being explored: a named condition is true or false, or a
/// parameter given no value holds `value` (nullopt: a value other than all of `domain()`'s).
struct Assumption {
  std::string name;
  bool is_parameter = false;
  bool truth = false;                ///< conditions
  std::optional<std::string> value;  ///< parameters
};

/// What the evaluator needs decided before it can go on: a condition, or a parameter.
struct Choice {
  std::string name;
  bool is_parameter = false;
};

/// The tri-state of a condition: decided true/false, or undecided from what is known.
enum class Truth { kFalse, kTrue, kUndecided };

/// Evaluates values and conditions of one template under assumptions (the combination being
/// explored). A parameter given no value is not a constant: in a condition it is one of its
/// possible values (`domain()`), which the caller explores one by one; in a tag value it is
/// its Default (the value records that), unless the combination fixes it. What is needed
/// but undecided is recorded in `wanted()` (the first one met), so the caller can branch on it
/// and evaluate again. Work is bounded: deep nesting and runaway evaluation yield unknown
/// values, never a crash.
class Evaluator {
 public:
  explicit Evaluator(const TemplateFacts& facts) : facts_(facts) {}

  /// The combination being explored; also forgets what was wanted and decided.
  void assume(std::vector<Assumption> assumptions);
  /// When true, an undecided Fn::If is not recorded for branching: it yields unknown.
  void set_no_branching(bool v) {
    no_branching_ = v;
    conditions_.clear();
  }
  /// The first undecided condition or parameter met since the last `assume`, if any.
  const std::optional<Choice>& wanted() const { return wanted_; }
  /// The values worth distinguishing for a parameter given no value: its AllowedValues when
  /// declared (its Default first), else its Default and the literals conditions compare it
  /// with; then nullopt ("another value") unless AllowedValues are declared.
  std::vector<std::optional<std::string>> domain(const std::string& parameter) const;
  /// What the evaluation since the last `assume` decided, for people, in order of first use:
  /// "IsProd is true", "Env is staging".
  const std::vector<std::string>& decisions() const { return decisions_; }
  const std::vector<Assumption>& assumptions() const { return assumed_; }
  /// True when every parameter assumption of the combination is the parameter's Default (the
  /// combination is what a deploy without parameter values gives).
  bool with_defaults() const;
  /// True when a given parameter value was read since the last `assume`.
  bool used_given_values() const { return used_overrides_; }
  /// Evaluation steps taken so far (bounded: past the budget, values are unknown).
  std::size_t steps() const { return steps_; }

  /// Value of `node` (intrinsics applied). `ignore_tag` skips a YAML tag on `node` itself.
  Value eval(const DocNode& node, bool ignore_tag = false);
  /// Truth of the named condition from the `Conditions` section under the assumptions.
  Truth condition(const std::string& name);
  /// As condition(), for a condition that decides something (a resource's `Condition`):
  /// recorded in decisions(), and when undecided, wanted() names what to branch on.
  Truth decide(const std::string& name);
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
  void decided(std::string what);
  const DocNode* parameter(const std::string& name) const;
  const Assumption* assumed_parameter(const std::string& name) const;

  const TemplateFacts& facts_;
  std::vector<Assumption> assumed_;
  std::optional<Choice> wanted_;
  std::vector<std::string> decisions_;
  bool no_branching_ = false;
  bool used_overrides_ = false;
  std::size_t assumption_reads_ = 0;  ///< assumptions read since the last `assume`
  int depth_ = 0;
  int in_condition_ = 0;  ///< > 0 while evaluating the operands of a condition function
  std::size_t steps_ = 0;
  /// Each condition's truth under the current combination, worked out once: conditions that
  /// name each other (`!Or [..., !Condition Next, ...]` down a chain) would otherwise be
  /// evaluated once per path through the chain, exponentially. `reads` is how many assumptions
  /// the evaluation read (branch_truth counts them). A condition still being evaluated when it
  /// is named again is a cycle, which CloudFormation rejects: undecided.
  struct ConditionMemo {
    Truth truth = Truth::kUndecided;
    std::size_t reads = 0;
    bool done = false;
  };
  std::map<std::string, ConditionMemo, std::less<>> conditions_;
};

/// Pseudo parameters (AWS::Region, ...): always known only at deploy time unless overridden.
bool is_pseudo_parameter(std::string_view name);

/// RFC 4648 base64 (Fn::Base64 of a known string).
std::string base64(std::string_view s);

}  // namespace tagwarden::cfn
