#include "linter/frontend/cloudformation/intrinsics.hpp"
#include "linter/model/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace tagwarden::cfn {
namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxSteps = 1'000'000;

// Pseudo parameters (CloudFormation User Guide, "Get AWS values using pseudo parameters").
constexpr std::string_view kPseudo[] = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::Partition", "AWS::Region",
                                        "AWS::StackId",   "AWS::StackName",        "AWS::URLSuffix"};

void append_trail(Value& to, const Value& from) {
  for (const auto& r : from.trail) to.trail.push_back(r);
  for (const auto& d : from.defaults) {
    if (std::find(to.defaults.begin(), to.defaults.end(), d) == to.defaults.end()) to.defaults.push_back(d);
  }
}

// Fn::Equals [Ref P, "literal"] (either order) anywhere under `node`: the literal is recorded.
void collect_literals(const DocNode& node, std::map<std::string, std::vector<std::string>, std::less<>>& out,
                      int depth) {
  if (depth > kMaxDepth) return;
  if (auto call = as_call(node);
      call && call->name == "Fn::Equals" && call->arg->is_seq() && call->arg->items.size() == 2) {
    for (std::size_t i = 0; i < 2; ++i) {
      const DocNode& a = call->arg->items[i];
      const DocNode& b = call->arg->items[1 - i];
      auto ref = as_call(a);
      if (!ref || ref->name != "Ref" || !ref->arg->is_scalar() || !b.is_scalar() || as_call(b)) continue;
      auto& lits = out[ref->arg->scalar];
      if (std::find(lits.begin(), lits.end(), b.scalar) == lits.end()) lits.push_back(b.scalar);
    }
  }
  for (const auto& item : node.items) collect_literals(item, out, depth + 1);
}

// CommaDelimitedList: "an array of literal strings separated by commas"; CloudFormation trims
// the whitespace around each member (User Guide, Parameters section, `CommaDelimitedList`).
Value split_list(std::string_view s) {
  Value v;
  v.kind = Value::Kind::kList;
  for (std::string_view part : split_view(s, ',')) {
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    v.items.push_back(Value::string(std::string(part)));
  }
  return v;
}

bool is_list_type(std::string_view type) { return type == "CommaDelimitedList" || type.starts_with("List<"); }

struct DepthGuard {
  explicit DepthGuard(int& d) : d_(d) { ++d_; }
  ~DepthGuard() { --d_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
  int& d_;
};

}  // namespace

void collect_compared_literals(TemplateFacts& facts) {
  facts.compared.clear();
  if (facts.conditions) collect_literals(*facts.conditions, facts.compared, 0);
}

bool is_pseudo_parameter(std::string_view name) {
  return std::find(std::begin(kPseudo), std::end(kPseudo), name) != std::end(kPseudo);
}

std::string base64(std::string_view s) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((s.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < s.size(); i += 3) {
    unsigned n = (static_cast<unsigned>(static_cast<unsigned char>(s[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(s[i + 1])) << 8) |
                 static_cast<unsigned>(static_cast<unsigned char>(s[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == s.size()) {
    unsigned n = static_cast<unsigned>(static_cast<unsigned char>(s[i])) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == s.size()) {
    unsigned n = (static_cast<unsigned>(static_cast<unsigned char>(s[i])) << 16) |
                 (static_cast<unsigned>(static_cast<unsigned char>(s[i + 1])) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<Call> as_call(const DocNode& node, bool ignore_tag) {
  if (!ignore_tag && node.tag.size() > 1 && node.tag[0] == '!' && node.tag[1] != '!') {
    std::string short_name = node.tag.substr(1);
    Call c;
    c.name = (short_name == "Ref" || short_name == "Condition") ? short_name : "Fn::" + short_name;
    c.arg = &node;
    c.arg_is_self = true;
    c.span = node.span;
    return c;
  }
  if (node.is_map() && node.keys.size() == 1) {
    const std::string& k = node.keys[0];
    if (k == "Ref" || k == "Condition" || k.starts_with("Fn::")) {
      return Call{k, &node.items[0], false, node.span};
    }
  }
  return std::nullopt;
}

void Evaluator::assume(std::vector<Assumption> assumptions) {
  assumed_ = std::move(assumptions);
  conditions_.clear();
  wanted_.reset();
  decisions_.clear();
  used_overrides_ = false;
  assumption_reads_ = 0;
}

void Evaluator::decided(std::string what) {
  if (std::find(decisions_.begin(), decisions_.end(), what) == decisions_.end()) decisions_.push_back(std::move(what));
}

const DocNode* Evaluator::parameter(const std::string& name) const {
  return facts_.parameters && facts_.parameters->is_map() ? facts_.parameters->get(name) : nullptr;
}

const Assumption* Evaluator::assumed_parameter(const std::string& name) const {
  for (const auto& a : assumed_) {
    if (a.is_parameter && a.name == name) return &a;
  }
  return nullptr;
}

std::vector<std::optional<std::string>> Evaluator::domain(const std::string& name) const {
  std::vector<std::optional<std::string>> out;
  auto add = [&](const std::string& v) {
    if (std::find(out.begin(), out.end(), std::optional<std::string>(v)) == out.end()) out.emplace_back(v);
  };
  const DocNode* p = parameter(name);
  const DocNode* def = p && p->is_map() ? p->get("Default") : nullptr;
  if (def && def->is_scalar() && def->kind != DocNode::Kind::kNull) add(def->scalar);
  // AllowedValues: "An array containing the list of values allowed for the parameter" (User
  // Guide, Parameters section): with them, no other value can be given.
  const DocNode* allowed = p && p->is_map() ? p->get("AllowedValues") : nullptr;
  if (allowed && allowed->is_seq() && !allowed->items.empty()) {
    for (const auto& v : allowed->items) {
      if (v.is_scalar() && v.kind != DocNode::Kind::kNull) add(v.scalar);
    }
    return out;
  }
  if (auto it = facts_.compared.find(name); it != facts_.compared.end()) {
    for (const auto& v : it->second) add(v);
  }
  out.emplace_back(std::nullopt);
  return out;
}

bool Evaluator::with_defaults() const {
  for (const auto& a : assumed_) {
    if (!a.is_parameter) return false;
    const DocNode* p = parameter(a.name);
    const DocNode* def = p && p->is_map() ? p->get("Default") : nullptr;
    if (!a.value || !def || !def->is_scalar() || def->scalar != *a.value) return false;
  }
  return true;
}

bool Evaluator::budget() { return ++steps_ <= kMaxSteps && depth_ < kMaxDepth; }

Value Evaluator::eval(const DocNode& node, bool ignore_tag) {
  if (!budget()) return Value::unknown("expression too deep or too large to evaluate");
  DepthGuard guard(depth_);
  if (auto call = as_call(node, ignore_tag)) return eval_call(*call);
  switch (node.kind) {
    case DocNode::Kind::kNull: {
      Value v;
      v.kind = Value::Kind::kNull;
      return v;
    }
    case DocNode::Kind::kBool:
    case DocNode::Kind::kNumber:
    case DocNode::Kind::kString:
      return Value::string(node.scalar);
    case DocNode::Kind::kSeq: {
      Value v;
      v.kind = Value::Kind::kList;
      for (const auto& item : node.items) {
        Value iv = eval(item);
        // AWS::NoValue inside a list removes the element (User Guide, Fn::If / AWS::NoValue).
        if (iv.kind == Value::Kind::kNoValue) continue;
        append_trail(v, iv);
        v.items.push_back(std::move(iv));
      }
      return v;
    }
    case DocNode::Kind::kMap:
      return Value::unknown("a map where a single value is expected");
  }
  return Value::unknown("unsupported value");
}

Value Evaluator::eval_call(const Call& call) {
  const DocNode& arg = *call.arg;
  const bool self = call.arg_is_self;
  const std::string& n = call.name;
  if (n == "Ref") {
    if (!arg.is_scalar()) return Value::unknown("Ref needs a name");
    return eval_ref(arg.scalar, call.span);
  }
  if (n == "Fn::Sub") return eval_sub(call);
  if (n == "Fn::FindInMap") return eval_find_in_map(call);
  if (n == "Fn::If") {
    if (!arg.is_seq() || arg.items.size() != 3 || !arg.items[0].is_scalar())
      return Value::unknown("Fn::If needs [condition, value if true, value if false]");
    const std::string& cond = arg.items[0].scalar;
    Truth t = branch_truth(cond);
    if (t == Truth::kUndecided)
      return Value::unknown(fmt::format("depends on condition {}, which cannot be decided", cond));
    return eval(arg.items[t == Truth::kTrue ? 1 : 2]);
  }
  if (n == "Fn::Join") {
    if (!arg.is_seq() || arg.items.size() != 2) return Value::unknown("Fn::Join needs [delimiter, list]");
    Value delim = eval(arg.items[0]);
    Value list = eval(arg.items[1]);
    if (!delim.known_string())
      return delim.kind == Value::Kind::kUnknown ? delim : Value::unknown("Fn::Join delimiter is not a string");
    if (list.kind == Value::Kind::kUnknown) return list;
    if (list.kind != Value::Kind::kList) return Value::unknown("Fn::Join needs a list");
    Value out = Value::string("");
    for (std::size_t i = 0; i < list.items.size(); ++i) {
      const Value& item = list.items[i];
      if (item.kind == Value::Kind::kUnknown) return item;
      if (!item.known_string()) return Value::unknown("Fn::Join list holds a non-string item");
      if (i) out.text += delim.text;
      out.text += item.text;
    }
    append_trail(out, delim);
    append_trail(out, list);
    return out;
  }
  if (n == "Fn::Select") {
    if (!arg.is_seq() || arg.items.size() != 2) return Value::unknown("Fn::Select needs [index, list]");
    Value idx = eval(arg.items[0]);
    Value list = eval(arg.items[1]);
    if (idx.kind == Value::Kind::kUnknown) return idx;
    if (list.kind == Value::Kind::kUnknown) return list;
    std::size_t i = 0;
    if (!idx.known_string() || std::from_chars(idx.text.data(), idx.text.data() + idx.text.size(), i).ec != std::errc{})
      return Value::unknown("Fn::Select index is not a number");
    if (list.kind != Value::Kind::kList) return Value::unknown("Fn::Select needs a list");
    if (i >= list.items.size()) return Value::unknown(fmt::format("Fn::Select index {} is out of range", i));
    Value out = list.items[i];
    append_trail(out, list);
    return out;
  }
  if (n == "Fn::Split") {
    if (!arg.is_seq() || arg.items.size() != 2) return Value::unknown("Fn::Split needs [delimiter, string]");
    Value delim = eval(arg.items[0]);
    Value src = eval(arg.items[1]);
    if (src.kind == Value::Kind::kUnknown) return src;
    if (!delim.known_string() || delim.text.empty() || !src.known_string())
      return Value::unknown("Fn::Split needs a delimiter and a string");
    Value out;
    out.kind = Value::Kind::kList;
    std::size_t start = 0;
    while (true) {
      std::size_t at = src.text.find(delim.text, start);
      out.items.push_back(
          Value::string(src.text.substr(start, at == std::string::npos ? std::string::npos : at - start)));
      if (at == std::string::npos) break;
      start = at + delim.text.size();
    }
    append_trail(out, src);
    return out;
  }
  if (n == "Fn::Base64") {
    Value v = eval(arg, self);
    if (!v.known_string()) return v.kind == Value::Kind::kUnknown ? v : Value::unknown("Fn::Base64 needs a string");
    Value out = Value::string(base64(v.text));
    append_trail(out, v);
    return out;
  }
  if (n == "Fn::GetAtt") {
    std::string what = arg.is_scalar() ? arg.scalar
                       : (arg.is_seq() && arg.items.size() == 2 && arg.items[0].is_scalar() && arg.items[1].is_scalar())
                           ? arg.items[0].scalar + "." + arg.items[1].scalar
                           : std::string("an attribute");
    return Value::unknown(fmt::format("Fn::GetAtt {} is known only after deployment", what));
  }
  if (n == "Fn::ImportValue") return Value::unknown("Fn::ImportValue reads another stack's export at deployment");
  if (n == "Fn::GetAZs") {
    // The argument is a region name, or "" for the stack's region (Template Reference, Fn::GetAZs).
    if (arg.kind == DocNode::Kind::kNull || arg.is_seq() || (arg.is_map() && !as_call(arg)))
      return Value::unknown("Fn::GetAZs needs a region name or \"\", not this value; CloudFormation will reject it");
    return Value::unknown("Fn::GetAZs depends on the account and region");
  }
  if (n == "Fn::Cidr") return Value::unknown("Fn::Cidr is not evaluated statically");
  if (n == "Condition" || n == "Fn::Equals" || n == "Fn::And" || n == "Fn::Or" || n == "Fn::Not")
    return Value::unknown(fmt::format("{} is a condition function, not a value", n));
  return Value::unknown(fmt::format("{} is not evaluated statically", n));
}

Value Evaluator::eval_ref(const std::string& name, const Span& at) {
  (void)at;
  // AWS::NoValue "removes the corresponding resource property when specified as a return
  // value in the Fn::If intrinsic function" (User Guide, pseudo parameters).
  if (name == "AWS::NoValue") return Value::no_value();
  const DocNode* param = parameter(name);
  std::string type;
  if (param && param->is_map()) {
    if (const DocNode* t = param->get("Type"); t && t->is_scalar()) type = t->scalar;
  }
  if (auto it = facts_.overrides.find(name); it != facts_.overrides.end()) {
    used_overrides_ = true;
    Value v = is_list_type(type) ? split_list(it->second) : Value::string(it->second);
    v.trail.push_back(Related{Span{}, fmt::format("value of {} given for the deployment", name)});
    return v;
  }
  if (is_pseudo_parameter(name))
    return Value::unknown(
        fmt::format("pseudo parameter {} is known only at deployment (give --parameter {}=VALUE)", name, name));
  if (param) {
    if (type.starts_with("AWS::SSM::Parameter::Value"))
      return Value::unknown(fmt::format("parameter {} is read from SSM Parameter Store at deployment", name));
    const DocNode* def = param->is_map() ? param->get("Default") : nullptr;
    // A parameter given no value is one of its possible values (domain()): the combination
    // being explored may fix it; a condition that needs it makes the caller explore each.
    if (const Assumption* a = assumed_parameter(name)) {
      ++assumption_reads_;
      if (!in_condition_)
        decided(a->value ? fmt::format("{} is {}", name, *a->value) : fmt::format("{} is another value", name));
      if (!a->value) {
        Value v = Value::unknown(fmt::format("parameter {} is given another value at deployment", name));
        for (auto& d : domain(name)) {
          if (d) v.not_any_of.push_back(*d);
        }
        return v;
      }
      Value v = is_list_type(type) ? split_list(*a->value) : Value::string(*a->value);
      bool is_default = def && def->is_scalar() && def->scalar == *a->value;
      v.trail.push_back(Related{def && is_default ? def->span : param->span,
                                fmt::format("{} of parameter {}", is_default ? "Default" : "a possible value", name)});
      if (is_default) v.defaults.push_back(name);
      return v;
    }
    if (in_condition_) {
      auto values = domain(name);
      if (values.size() > 1 && !no_branching_) {
        if (!wanted_) wanted_ = Choice{name, true};
        return Value::unknown(fmt::format("parameter {} has no given value", name));
      }
      if (values.size() == 1 && values[0])
        return is_list_type(type) ? split_list(*values[0]) : Value::string(*values[0]);
      if (values.size() > 1 || !def) return Value::unknown(fmt::format("parameter {} has no given value", name));
    }
    if (!def) return Value::unknown(fmt::format("parameter {} has no Default and no value was given", name));
    Value v;
    if (def->is_seq()) {
      v = eval(*def);
    } else if (def->is_scalar() && def->kind != DocNode::Kind::kNull) {
      v = is_list_type(type) ? split_list(def->scalar) : Value::string(def->scalar);
    } else {
      return Value::unknown(fmt::format("parameter {} has an unusable Default", name));
    }
    v.trail.push_back(Related{def->span, fmt::format("Default of parameter {}", name)});
    v.defaults.push_back(name);
    return v;
  }
  if (facts_.resources && facts_.resources->is_map() && facts_.resources->get(name))
    return Value::unknown(fmt::format("Ref to resource {} is known only after deployment", name));
  return Value::unknown(fmt::format("Ref to {}, which is not defined in the template", name));
}

// Fn::Sub: `${Name}` is a parameter, pseudo parameter, resource (Ref) or a key of the
// variable map; `${Name.Attr}` is Fn::GetAtt; `${!Literal}` renders as `${Literal}`
// (Template Reference, Fn::Sub).
Value Evaluator::eval_sub(const Call& call) {
  const DocNode& arg = *call.arg;
  const DocNode* text_node = nullptr;
  const DocNode* vars = nullptr;
  if (arg.is_scalar()) {
    text_node = &arg;
  } else if (arg.is_seq() && arg.items.size() == 2) {
    text_node = &arg.items[0];
    vars = &arg.items[1];
    if (!vars->is_map()) vars = nullptr;
  }
  if (!text_node || !text_node->is_scalar()) return Value::unknown("Fn::Sub needs a string");
  const std::string& s = text_node->scalar;
  Value out = Value::string("");
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t open = s.find("${", i);
    if (open == std::string::npos) {
      out.text.append(s, i, std::string::npos);
      break;
    }
    out.text.append(s, i, open - i);
    if (open + 2 < s.size() && s[open + 2] == '!') {
      out.text += "${";
      i = open + 3;
      continue;
    }
    std::size_t close = s.find('}', open + 2);
    if (close == std::string::npos) {
      out.text.append(s, open, std::string::npos);
      break;
    }
    std::string name = s.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    Value part;
    if (const DocNode* v = vars ? vars->get(name) : nullptr) {
      part = eval(*v);
    } else if (name.find('.') != std::string::npos) {
      part = Value::unknown(fmt::format("Fn::GetAtt {} is known only after deployment", name));
    } else {
      part = eval_ref(name, call.span);
    }
    if (part.kind == Value::Kind::kUnknown) return part;
    if (!part.known_string()) return Value::unknown(fmt::format("Fn::Sub variable {} is not a string", name));
    out.text += part.text;
    append_trail(out, part);
    i = close + 1;
  }
  return out;
}

// Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey] and, with the
// AWS::LanguageExtensions transform, a fourth item {DefaultValue: ...}.
Value Evaluator::eval_find_in_map(const Call& call) {
  const DocNode& arg = *call.arg;
  if (!arg.is_seq() || arg.items.size() < 3 || arg.items.size() > 4)
    return Value::unknown("Fn::FindInMap needs [map, top-level key, second-level key]");
  std::string keys[3];
  for (std::size_t i = 0; i < 3; ++i) {
    Value k = eval(arg.items[i]);
    if (k.kind == Value::Kind::kUnknown) return Value::unknown(fmt::format("Fn::FindInMap key: {}", k.reason));
    if (!k.known_string()) return Value::unknown("Fn::FindInMap key is not a string");
    keys[i] = k.text;
  }
  const DocNode* m = facts_.mappings && facts_.mappings->is_map() ? facts_.mappings->get(keys[0]) : nullptr;
  const DocNode* top = m && m->is_map() ? m->get(keys[1]) : nullptr;
  const DocNode* leaf = top && top->is_map() ? top->get(keys[2]) : nullptr;
  if (leaf) {
    Value v = eval(*leaf);
    v.trail.push_back(Related{leaf->span, fmt::format("Mappings {}.{}.{}", keys[0], keys[1], keys[2])});
    return v;
  }
  if (arg.items.size() == 4 && arg.items[3].is_map()) {
    if (const DocNode* def = arg.items[3].get("DefaultValue")) return eval(*def);
  }
  return Value::unknown(fmt::format("Mappings has no entry {}.{}.{}", keys[0], keys[1], keys[2]));
}

Truth Evaluator::condition(const std::string& name) {
  for (const auto& a : assumed_) {
    if (a.is_parameter || a.name != name) continue;
    ++assumption_reads_;
    return a.truth ? Truth::kTrue : Truth::kFalse;
  }
  // Only conditions the template defines are remembered, so a remembered one needs no lookup.
  if (auto it = conditions_.find(name); it != conditions_.end()) {
    if (!it->second.done) return Truth::kUndecided;  // a cycle
    assumption_reads_ += it->second.reads;
    return it->second.truth;
  }
  const DocNode* c = facts_.conditions && facts_.conditions->is_map() ? facts_.conditions->get(name) : nullptr;
  if (!c || !budget()) return Truth::kUndecided;
  DepthGuard guard(depth_);
  auto memo = conditions_.emplace(name, ConditionMemo{}).first;  // map iterators survive the inserts below
  const std::size_t reads = assumption_reads_;
  Truth t = eval_condition_expr(*c);
  memo->second = ConditionMemo{t, assumption_reads_ - reads, true};
  return t;
}

Truth Evaluator::branch_truth(const std::string& name) {
  const std::size_t reads = assumption_reads_;
  Truth t = condition(name);
  if (t == Truth::kUndecided && !no_branching_ && !wanted_) wanted_ = Choice{root_undecided(name, 0), false};
  // Only what the combination decided is worth naming; a condition true in every combination
  // (no parameter without a value behind it) is not.
  if (t != Truth::kUndecided && assumption_reads_ > reads)
    decided(fmt::format("{} is {}", name, t == Truth::kTrue ? "true" : "false"));
  return t;
}

Truth Evaluator::decide(const std::string& name) { return branch_truth(name); }

// When an undecided condition refers to other undecided conditions (IsNotProd: !Not
// [!Condition IsProd]), split on the one it depends on, so that both are then decided
// consistently instead of being assumed independently.
std::string Evaluator::root_undecided(const std::string& name, int depth) {
  const DocNode* c = facts_.conditions && facts_.conditions->is_map() ? facts_.conditions->get(name) : nullptr;
  if (!c || depth > 16) return name;
  std::vector<const DocNode*> stack{c};
  std::size_t visited = 0;
  while (!stack.empty() && ++visited < 4096) {
    const DocNode* n = stack.back();
    stack.pop_back();
    if (auto call = as_call(*n); call && call->name == "Condition" && call->arg->is_scalar()) {
      const std::string& ref = call->arg->scalar;
      if (ref != name && condition(ref) == Truth::kUndecided) return root_undecided(ref, depth + 1);
      continue;
    }
    for (const auto& item : n->items) stack.push_back(&item);
  }
  return name;
}

Truth Evaluator::eval_condition_expr(const DocNode& node) {
  if (!budget()) return Truth::kUndecided;
  DepthGuard guard(depth_);
  auto call = as_call(node);
  if (!call) return Truth::kUndecided;
  const DocNode& arg = *call->arg;
  const std::string& n = call->name;
  if (n == "Condition") return arg.is_scalar() ? condition(arg.scalar) : Truth::kUndecided;
  if (n == "Fn::Equals") {
    if (!arg.is_seq() || arg.items.size() != 2) return Truth::kUndecided;
    ++in_condition_;
    Value a = eval(arg.items[0]);
    Value b = eval(arg.items[1]);
    --in_condition_;
    if (a.known_string() && b.known_string()) return a.text == b.text ? Truth::kTrue : Truth::kFalse;
    // A parameter assumed to hold "another value" differs from every value listed for it.
    auto differs = [](const Value& x, const Value& y) {
      return x.kind == Value::Kind::kUnknown && y.known_string() &&
             std::find(x.not_any_of.begin(), x.not_any_of.end(), y.text) != x.not_any_of.end();
    };
    if (differs(a, b) || differs(b, a)) return Truth::kFalse;
    return Truth::kUndecided;
  }
  if (n == "Fn::Not") {
    const DocNode* inner = arg.is_seq() && arg.items.size() == 1 ? &arg.items[0] : nullptr;
    if (!inner) return Truth::kUndecided;
    Truth t = eval_condition_expr(*inner);
    return t == Truth::kUndecided ? t : (t == Truth::kTrue ? Truth::kFalse : Truth::kTrue);
  }
  if (n == "Fn::And" || n == "Fn::Or") {
    if (!arg.is_seq() || arg.items.empty()) return Truth::kUndecided;
    const bool is_and = n == "Fn::And";
    bool undecided = false;
    for (const auto& item : arg.items) {
      Truth t = eval_condition_expr(item);
      if (t == Truth::kUndecided)
        undecided = true;
      else if (is_and && t == Truth::kFalse)
        return Truth::kFalse;
      else if (!is_and && t == Truth::kTrue)
        return Truth::kTrue;
    }
    if (undecided) return Truth::kUndecided;
    return is_and ? Truth::kTrue : Truth::kFalse;
  }
  return Truth::kUndecided;
}

const DocNode* Evaluator::select(const DocNode& start, std::string* computed) {
  const DocNode* node = &start;
  for (int hops = 0; hops < kMaxDepth; ++hops) {
    auto call = as_call(*node);
    if (!call) return node;
    const DocNode& arg = *call->arg;
    if (call->name == "Ref" && arg.is_scalar() && arg.scalar == "AWS::NoValue") return nullptr;
    if (call->name == "Fn::If" && arg.is_seq() && arg.items.size() == 3 && arg.items[0].is_scalar()) {
      Truth t = branch_truth(arg.items[0].scalar);
      if (t == Truth::kUndecided) {
        *computed = fmt::format("chosen by condition {}, which cannot be decided", arg.items[0].scalar);
        return node;
      }
      node = &arg.items[t == Truth::kTrue ? 1 : 2];
      continue;
    }
    *computed = fmt::format("computed by {}", call->name);
    return node;
  }
  *computed = "nested too deeply";
  return node;
}

}  // namespace tagwarden::cfn
