// The Terraform expression evaluator: HCL AST to tf::Value, unknown where Terraform itself
// could not know the value before apply (or where we do not model it), never a guess.
// Semantics follow the HCL native syntax specification and Terraform's expression docs
// (developer.hashicorp.com/terraform/language/expressions).
#include "linter/eval/tf/evaluator.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <utility>

#include "linter/eval/tf/functions.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden::tf {
namespace {

using hcl::Expr;
using hcl::ExprKind;

constexpr int kMaxDepth = 256;

class Evaluator final : public FunctionEnv {
 public:
  explicit Evaluator(EvalContext& ctx) : ctx_(ctx) {}

  Value error(std::string reason, Span span) override {
    if (budget_spent_) return budget_error(span);
    pending_.push_back(Error{span, "", reason});
    return Value::error(std::move(reason), span);
  }

  bool charge(std::size_t steps) override {
    steps_ = steps > SIZE_MAX - steps_ ? SIZE_MAX : steps_ + steps;
    if (steps_ > ctx_.step_budget) budget_spent_ = true;
    return !budget_spent_;
  }

  Value budget_error(Span span) override {
    budget_spent_ = true;
    return Value::error(budget_message(), span);
  }

  /// Evaluates the top-level expression and hands its errors (those no try() or can() caught)
  /// to the context: each definite error once, and one error for a spent step budget.
  Value run(const Expr& e) {
    Value v = eval(e, 0);
    if (budget_spent_) pending_.push_back(Error{e.span, "", budget_message()});
    if (ctx_.errors != nullptr) {
      for (auto& err : pending_) ctx_.errors->push_back(std::move(err));
    }
    return v;
  }

  Value eval(const Expr& e, int depth) {
    if (!charge(1)) return budget_error(e.span);
    if (depth > kMaxDepth)
      return error("expression nested more than " + std::to_string(kMaxDepth) + " levels deep", e.span);
    return bounded(eval_unbounded(e, depth), e.span);
  }

 private:
  std::string budget_message() const {
    return "expression needs more than " + std::to_string(ctx_.step_budget) +
           " evaluation steps (the limit for one expression); not evaluated";
  }

  /// A value past the size limits is an error where it is made, so nothing downstream ever
  /// walks or copies an unbounded tree (values shared by many locals count once per path).
  Value bounded(Value v, Span span) {
    if (v.tree_size() > kMaxValueElements) {
      return error("value has more than " + std::to_string(kMaxValueElements) + " elements (the limit for one value)",
                   span);
    }
    if (v.text_bytes() > kMaxValueBytes) {
      return error(
          "value holds more than " + std::to_string(kMaxValueBytes >> 20) + " MiB of text (the limit for one value)",
          span);
    }
    return v;
  }

  Value eval_unbounded(const Expr& e, int depth) {
    switch (e.kind) {
      case ExprKind::kNull:
        return Value::null(e.span);
      case ExprKind::kBool:
        return Value::boolean(e.text == "true", e.span);
      case ExprKind::kNumber: {
        double d = 0;
        const char* b = e.text.data();
        const char* end = b + e.text.size();
        auto [p, ec] = std::from_chars(b, end, d);
        if (ec != std::errc() || p != end) return error("invalid number literal " + std::string(e.text), e.span);
        return Value::number(d, e.span);
      }
      case ExprKind::kString:
        return Value::string(std::string(e.text), e.span);
      case ExprKind::kTemplate:
        return eval_template(e, depth);
      case ExprKind::kTemplateIf:
      case ExprKind::kTemplateFor: {
        std::string out;
        std::optional<Value> bad = append_part(e, out, depth);
        return bad ? *bad : Value::string(std::move(out), e.span);
      }
      case ExprKind::kVariable: {
        if (const Value* v = lookup_scope(e.name)) return *v;
        return resolve_ref(e.name, "", e.span);
      }
      case ExprKind::kGetAttr: {
        if (e.children.empty() || !e.children[0]) return error("invalid attribute access", e.span);
        const Expr& obj = *e.children[0];
        if (obj.kind == ExprKind::kVariable && lookup_scope(obj.name) == nullptr) {
          return resolve_ref(obj.name, e.name, e.span);
        }
        return get_attr(eval(obj, depth + 1), e.name, e.span);
      }
      case ExprKind::kIndex: {
        if (e.children.size() < 2 || !e.children[0] || !e.children[1]) {
          return error("invalid index", e.span);
        }
        const Expr& obj = *e.children[0];
        Value key = eval(*e.children[1], depth + 1);
        if (obj.kind == ExprKind::kVariable && lookup_scope(obj.name) == nullptr &&
            key.kind() == Value::Kind::kString) {
          return resolve_ref(obj.name, key.as_string(), e.span);
        }
        return index(eval(obj, depth + 1), key, e.span);
      }
      case ExprKind::kSplat:
        return eval_splat(e, depth);
      case ExprKind::kCall:
        return eval_call(e, depth);
      case ExprKind::kTuple: {
        ListData items;
        items.reserve(e.children.size());
        for (const auto& c : e.children) {
          items.push_back(c ? eval(*c, depth + 1) : Value::error("invalid item", e.span));
        }
        return Value::list(std::move(items), e.span);
      }
      case ExprKind::kObject:
        return eval_object(e, depth);
      case ExprKind::kConditional:
        return eval_conditional(e, depth);
      case ExprKind::kUnary:
        return eval_unary(e, depth);
      case ExprKind::kBinary:
        return eval_binary(e, depth);
      case ExprKind::kForTuple:
      case ExprKind::kForObject:
        return eval_for(e, depth);
      case ExprKind::kParens:
        if (e.children.empty() || !e.children[0]) return error("invalid expression", e.span);
        return eval(*e.children[0], depth + 1);
      // The parser reported the syntax error already: an error value, not reported again.
      case ExprKind::kInvalid:
        return Value::error("expression has a syntax error", e.span);
    }
    return Value::unknown("unsupported expression", e.span);
  }

  const Value* lookup_scope(std::string_view name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == name) return &it->second;
    }
    return nullptr;
  }

  struct ScopeGuard {
    ScopeGuard(Evaluator& ev, std::size_t n) : ev_(ev), size_(n) {}
    ~ScopeGuard() { ev_.scope_.resize(size_); }
    ScopeGuard(const ScopeGuard&) = delete;
    ScopeGuard& operator=(const ScopeGuard&) = delete;
    Evaluator& ev_;
    std::size_t size_;
  };

  Value resolve_ref(std::string_view root, std::string_view attr, Span span) {
    if (isolated_) {
      return error("a template file can only use the variables passed to templatefile(), not " + std::string(root),
                   span);
    }
    std::optional<Value> v;
    if (ctx_.resolve) v = ctx_.resolve(root, attr, span);
    if (v) return *v;
    std::string ref(root);
    if (!attr.empty()) ref += "." + std::string(attr);
    return Value::unknown(ref + " is not known statically", span);
  }

  Value get_attr(const Value& base, std::string_view attr, Span span) {
    const std::string name(attr);
    switch (base.kind()) {
      case Value::Kind::kUnknown:
        return base.propagate(span);
      case Value::Kind::kNull:
        return error("cannot access attribute \"" + name + "\" of a null value", span);
      case Value::Kind::kMap: {
        const MapData& m = base.as_map();
        auto it = m.find(name);
        if (it != m.end()) return it->second.value;
        if (base.map_open()) {
          return Value::unknown("attribute \"" + name + "\" is not known statically", span);
        }
        return error("object has no attribute \"" + name + "\"", span);
      }
      default:
        return error("cannot access attribute \"" + name + "\" of a " + base.type_name(), span);
    }
  }

  Value index(const Value& base, const Value& key, Span span) {
    if (base.is_unknown()) return base.propagate(span);
    if (key.is_unknown()) return key.propagate(span);
    if (key.is_null()) return error("index is null", span);
    if (base.is_null()) return error("cannot index a null value", span);
    if (base.kind() == Value::Kind::kList) {
      std::optional<double> n = to_number(key);
      if (!n || *n != static_cast<double>(static_cast<long long>(*n))) {
        return error("list index must be a whole number", span);
      }
      const ListData& l = base.as_list();
      if (*n < 0 || *n >= static_cast<double>(l.size())) {
        return error("index " + key.to_string().value_or("?") + " out of range for list of " +
                         std::to_string(l.size()) + " elements",
                     span);
      }
      return l[static_cast<std::size_t>(*n)];
    }
    if (base.kind() == Value::Kind::kMap) {
      std::optional<std::string> k = key.to_string();
      if (!k) return error("map key must be a string, not a " + key.type_name(), span);
      const MapData& m = base.as_map();
      auto it = m.find(*k);
      if (it != m.end()) return it->second.value;
      if (base.map_open()) return Value::unknown("key \"" + *k + "\" is not known statically", span);
      return error("no element for key \"" + *k + "\"", span);
    }
    return error("cannot index a " + base.type_name(), span);
  }

  Value eval_splat(const Expr& e, int depth) {
    if (e.children.size() < 2 || !e.children[0] || !e.children[1]) {
      return error("invalid splat", e.span);
    }
    Value src = eval(*e.children[0], depth + 1);
    if (src.is_unknown()) return src.propagate(e.span);
    // A splat on null is an empty list; on a single non-list value it applies to that value
    // as a one-element list (Terraform "splat expressions" docs).
    if (src.is_null()) return Value::list({}, e.span);
    ListData in = src.kind() == Value::Kind::kList ? src.as_list() : ListData{src};
    ListData out;
    out.reserve(in.size());
    for (const Value& item : in) {
      ScopeGuard g(*this, scope_.size());
      scope_.emplace_back("*", item);
      out.push_back(eval(*e.children[1], depth + 1));
    }
    return Value::list(std::move(out), e.span);
  }

  Value eval_call(const Expr& e, int depth) {
    std::string_view name = e.name;
    if (name.rfind("core::", 0) == 0) name.remove_prefix(6);
    if (name.rfind("provider::", 0) == 0) {
      return Value::unknown("provider function " + std::string(e.name) + " is not evaluated", e.span);
    }
    if (name == "try") {
      // try() returns its first argument that evaluates without error; an argument whose
      // value is not wholly known makes the result unknown, as Terraform's try does.
      for (const auto& arg : e.children) {
        if (!arg) continue;
        std::size_t before = pending_.size();
        Value v = eval(*arg, depth + 1);
        if (budget_spent_) return budget_error(e.span);
        if (pending_.size() > before || v.is_error()) {
          // An error try() catches is no error of the input: forget it.
          pending_.resize(before);
          continue;
        }
        if (!v.is_wholly_known()) {
          return v.is_unknown() ? v.propagate(e.span)
                                : Value::unknown("try() argument is not wholly known statically", e.span);
        }
        return v;
      }
      return error("no try() argument evaluated without an error", e.span);
    }
    if (name == "can") {
      if (e.children.size() != 1 || !e.children[0]) return error("can() takes one argument", e.span);
      std::size_t before = pending_.size();
      Value v = eval(*e.children[0], depth + 1);
      if (budget_spent_) return budget_error(e.span);
      if (pending_.size() > before || v.is_error()) {
        pending_.resize(before);
        return Value::boolean(false, e.span);
      }
      if (!v.is_wholly_known()) {
        return v.is_unknown() ? v.propagate(e.span)
                              : Value::unknown("can() argument is not wholly known statically", e.span);
      }
      return Value::boolean(true, e.span);
    }
    std::vector<Value> args;
    args.reserve(e.children.size());
    for (std::size_t i = 0; i < e.children.size(); ++i) {
      if (!e.children[i]) continue;
      Value v = eval(*e.children[i], depth + 1);
      if (e.expand_final && i + 1 == e.children.size()) {
        if (v.is_unknown()) return v.propagate(e.span);
        if (v.kind() != Value::Kind::kList) {
          return error("the argument expanded with ... must be a list", e.span);
        }
        for (const Value& item : v.as_list()) args.push_back(item);
      } else {
        args.push_back(std::move(v));
      }
    }
    if (name == "file" || name == "templatefile") return eval_file_call(name, args, e.span, depth);
    if (name == "fileexists") return eval_fileexists(args, e.span);
    if (name == "abspath") return eval_abspath(args, e.span);
    return call_function(name, args, e.span, *this);
  }

  /// fileexists(path), through EvalContext::file_exists. Terraform: "This function works only
  /// with regular files. If used with a directory, FIFO, or other special mode, it will return
  /// an error." (developer.hashicorp.com/terraform/language/functions/fileexists)
  Value eval_fileexists(const std::vector<Value>& args, Span span) {
    if (args.size() != 1) return error("fileexists() called with the wrong number of arguments", span);
    if (args[0].is_unknown()) return args[0].propagate(span);
    if (args[0].kind() != Value::Kind::kString) return error("fileexists() needs a path string", span);
    const std::string& path = args[0].as_string();
    std::string why;
    bool not_regular = false;
    std::optional<bool> exists;
    if (ctx_.file_exists) exists = ctx_.file_exists(path, &why, &not_regular);
    if (exists) return Value::boolean(*exists, span);
    if (not_regular) return error("fileexists(): \"" + path + "\" is not a regular file: " + why, span);
    return Value::unknown("whether file \"" + path + "\" exists is not looked at" + (why.empty() ? "" : ": " + why),
                          span);
  }

  /// abspath(path): a relative path joined to Terraform's working directory, cleaned
  /// (developer.hashicorp.com/terraform/language/functions/abspath).
  Value eval_abspath(std::vector<Value>& args, Span span) {
    if (args.size() != 1) return error("abspath() called with the wrong number of arguments", span);
    if (args[0].is_unknown()) return args[0].propagate(span);  // an error stays an error
    if (args[0].kind() != Value::Kind::kString) return error("abspath() needs a path string", span);
    const std::string& p = args[0].as_string();
    if (!p.empty() && p[0] == '/') return Value::string(path_normalize(p), span);
    if (ctx_.working_directory.empty())
      return Value::unknown("abspath() of a relative path depends on the working directory", span);
    return Value::string(path_join(ctx_.working_directory, p), span);
  }

  /// file(path) and templatefile(path, vars), through EvalContext::read_file. A template
  /// file sees only `vars` (Terraform docs: "templatefile ... variables ... are the only
  /// ones available"), plus functions.
  Value eval_file_call(std::string_view name, std::vector<Value>& args, Span span, int depth) {
    std::size_t want = name == "file" ? 1 : 2;
    if (args.size() != want) {
      return error(std::string(name) + "() called with the wrong number of arguments", span);
    }
    for (const Value& a : args) {
      if (a.is_unknown()) return a.propagate(span);
    }
    if (args[0].kind() != Value::Kind::kString) {
      return error(std::string(name) + "() needs a path string", span);
    }
    const std::string& path = args[0].as_string();
    std::optional<std::string> text;
    std::string why;
    if (ctx_.read_file) text = ctx_.read_file(path, &why);
    if (!text) return Value::unknown("file \"" + path + "\" is not read" + (why.empty() ? "" : ": " + why), span);
    if (name == "file") return Value::string(std::move(*text), span);
    if (args[1].kind() != Value::Kind::kMap || args[1].map_open()) {
      return args[1].kind() == Value::Kind::kMap
                 ? Value::unknown("templatefile() variables are not all known statically", span)
                 : error("templatefile() needs a map of variables", span);
    }
    std::vector<Error> errors;
    hcl::AstArena arena;
    const hcl::Expr* tmpl = hcl::parse_template_string(arena, *text, span, errors);
    if (!errors.empty() || tmpl == nullptr) {
      return error("templatefile(): " + (errors.empty() ? std::string("invalid template") : errors.front().message),
                   span);
    }
    std::vector<std::pair<std::string, Value>> saved = std::move(scope_);
    scope_.clear();
    for (const auto& [k, entry] : args[1].as_map()) scope_.emplace_back(k, entry.value);
    bool saved_isolated = isolated_;
    isolated_ = true;
    Value v = eval(*tmpl, depth + 1);
    isolated_ = saved_isolated;
    scope_ = std::move(saved);
    return v.is_unknown() ? v.propagate(span) : v.with_span(span);
  }

  Value eval_object(const Expr& e, int depth) {
    MapData m;
    bool open = false;
    std::string open_reason;
    for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
      if (!e.children[i] || !e.children[i + 1]) continue;
      const Expr& kx = *e.children[i];
      Value k = eval(kx, depth + 1);
      if (k.is_unknown()) {
        open = true;  // an entry exists, but its key is not known
        continue;
      }
      if (k.is_null()) return error("object key is null", kx.span);
      std::optional<std::string> ks = k.to_string();
      if (!ks) return error("object key must be a string, not a " + k.type_name(), kx.span);
      Value v = eval(*e.children[i + 1], depth + 1);
      auto it = m.find(*ks);
      if (it != m.end()) {
        // Terraform rejects exact duplicate keys; keep the last value and remember where the
        // earlier ones were written so a rule can point at them.
        MapEntry& entry = it->second;
        entry.duplicate_key_spans.push_back(entry.key_span);
        entry.key_span = kx.span;
        entry.value = std::move(v);
        entry.value_span = e.children[i + 1]->span;
      } else {
        m.emplace(std::move(*ks), MapEntry{std::move(v), kx.span, {}, e.children[i + 1]->span});
      }
    }
    return Value::map(std::move(m), e.span, open);
  }

  Value eval_conditional(const Expr& e, int depth) {
    if (e.children.size() < 3 || !e.children[0] || !e.children[1] || !e.children[2]) {
      return error("invalid conditional", e.span);
    }
    Value c = eval(*e.children[0], depth + 1);
    if (c.is_unknown()) {
      // Either branch may be chosen: the result is known only when both agree.
      Value t = eval(*e.children[1], depth + 1);
      Value f = eval(*e.children[2], depth + 1);
      if (t.is_wholly_known() && f.is_wholly_known() && values_equal(t, f)) return t;
      // Terraform evaluates both results then: an error in either is an error.
      for (const Value* x : {&c, &t, &f}) {
        if (x->is_error()) return x->propagate(e.span);
      }
      return Value::unknown("condition is not known statically: " + c.unknown_reason(), e.span);
    }
    if (c.is_null()) return error("condition is null", e.span);
    std::optional<bool> b = to_bool(c);
    if (!b) return error("condition must be a bool, not a " + c.type_name(), e.span);
    return eval(*e.children[*b ? 1 : 2], depth + 1);
  }

  Value eval_unary(const Expr& e, int depth) {
    if (e.children.empty() || !e.children[0]) return error("invalid operation", e.span);
    Value v = eval(*e.children[0], depth + 1);
    if (v.is_unknown()) return v.propagate(e.span);
    if (v.is_null()) return error("operand of " + std::string(e.name) + " is null", e.span);
    if (e.name == "!") {
      std::optional<bool> b = to_bool(v);
      if (!b) return error("operand of ! must be a bool", e.span);
      return Value::boolean(!*b, e.span);
    }
    std::optional<double> n = to_number(v);
    if (!n) return error("operand of - must be a number", e.span);
    return Value::number(-*n, e.span);
  }

  Value eval_binary(const Expr& e, int depth) {
    if (e.children.size() < 2 || !e.children[0] || !e.children[1]) {
      return error("invalid operation", e.span);
    }
    const std::string op(e.name);
    if (op == "&&" || op == "||") {
      bool is_and = op == "&&";
      Value l = eval(*e.children[0], depth + 1);
      std::optional<bool> lb;
      if (l.is_known()) {
        if (l.is_null()) return error("left operand of " + op + " is null", e.span);
        lb = to_bool(l);
        if (!lb) return error("operands of " + op + " must be bools", e.span);
        if (is_and && !*lb) return Value::boolean(false, e.span);
        if (!is_and && *lb) return Value::boolean(true, e.span);
      }
      Value r = eval(*e.children[1], depth + 1);
      std::optional<bool> rb;
      if (r.is_known()) {
        if (r.is_null()) return error("right operand of " + op + " is null", e.span);
        rb = to_bool(r);
        if (!rb) return error("operands of " + op + " must be bools", e.span);
        if (is_and && !*rb) return Value::boolean(false, e.span);
        if (!is_and && *rb) return Value::boolean(true, e.span);
      }
      if (!lb) return l.propagate(e.span);
      if (!rb) return r.propagate(e.span);
      return Value::boolean(is_and ? (*lb && *rb) : (*lb || *rb), e.span);
    }
    Value l = eval(*e.children[0], depth + 1);
    Value r = eval(*e.children[1], depth + 1);
    if (op == "==" || op == "!=") {
      // Terraform (cty) decides a comparison with null before looking inside the other
      // operand: a known collection that holds unknowns is still known not to be null.
      if ((l.is_null() && r.is_known()) || (r.is_null() && l.is_known())) {
        bool eq = l.is_null() && r.is_null();
        return Value::boolean(op == "==" ? eq : !eq, e.span);
      }
      for (const Value* v : {&l, &r}) {
        if (!v->is_wholly_known()) {
          Value u = v->first_unknown();
          return u.is_error()
                     ? u.propagate(e.span)
                     : Value::unknown(v->is_unknown() ? v->unknown_reason() : "operand is not wholly known statically",
                                      e.span);
        }
      }
      bool eq = values_equal(l, r);
      return Value::boolean(op == "==" ? eq : !eq, e.span);
    }
    if (l.is_unknown()) return l.propagate(e.span);
    if (r.is_unknown()) return r.propagate(e.span);
    if (l.is_null() || r.is_null()) return error("operand of " + op + " is null", e.span);
    std::optional<double> a = to_number(l), b = to_number(r);
    if (!a || !b) return error("operands of " + op + " must be numbers", e.span);
    if (op == "+") return Value::number(*a + *b, e.span);
    if (op == "-") return Value::number(*a - *b, e.span);
    if (op == "*") return Value::number(*a * *b, e.span);
    if (op == "/") {
      if (*b == 0) return error("cannot divide by zero", e.span);
      return Value::number(*a / *b, e.span);
    }
    if (op == "%") {
      if (*b == 0) return error("cannot take a remainder of division by zero", e.span);
      return Value::number(std::fmod(*a, *b), e.span);
    }
    if (op == "<") return Value::boolean(*a < *b, e.span);
    if (op == "<=") return Value::boolean(*a <= *b, e.span);
    if (op == ">") return Value::boolean(*a > *b, e.span);
    if (op == ">=") return Value::boolean(*a >= *b, e.span);
    return error("unsupported operator " + op, e.span);
  }

  Value eval_for(const Expr& e, int depth) {
    bool is_object = e.kind == ExprKind::kForObject;
    std::size_t want = is_object ? 4 : 3;
    if (e.children.size() < want || !e.children[0]) return error("invalid for expression", e.span);
    Value coll = eval(*e.children[0], depth + 1);
    if (coll.is_unknown()) return coll.propagate(e.span);
    if (coll.is_null()) return error("cannot iterate over a null value", e.span);
    std::vector<std::pair<Value, Value>> items;  // (key, value)
    if (coll.kind() == Value::Kind::kList) {
      const ListData& l = coll.as_list();
      for (std::size_t i = 0; i < l.size(); ++i) {
        items.emplace_back(Value::number(static_cast<double>(i), l[i].span()), l[i]);
      }
    } else if (coll.kind() == Value::Kind::kMap) {
      if (coll.map_open() && !is_object) {
        return Value::unknown("for expression over a map whose keys are not known statically", e.span);
      }
      for (const auto& [k, entry] : coll.as_map()) {
        items.emplace_back(Value::string(k, entry.key_span), entry.value);
      }
    } else {
      return error("cannot iterate over a " + coll.type_name(), e.span);
    }
    const Expr* cond = e.children[want - 1];
    const Expr* key_expr = is_object ? e.children[1] : nullptr;
    const Expr* val_expr = e.children[is_object ? 2 : 1];
    if (!val_expr || (is_object && !key_expr)) return error("invalid for expression", e.span);
    ListData tuple;
    MapData object;
    bool open = is_object && coll.map_open();
    std::map<std::string, std::pair<Span, ListData>> groups;
    for (auto& [k, v] : items) {
      ScopeGuard g(*this, scope_.size());
      if (!e.key_var.empty()) scope_.emplace_back(e.key_var, k);
      scope_.emplace_back(e.name, v);
      if (cond != nullptr) {
        Value c = eval(*cond, depth + 1);
        if (c.is_unknown()) {
          if (!is_object) return c.propagate(e.span);
          open = true;
          continue;
        }
        std::optional<bool> b = c.is_null() ? std::nullopt : to_bool(c);
        if (!b) return error("for expression condition must be a bool", cond->span);
        if (!*b) continue;
      }
      if (!is_object) {
        tuple.push_back(eval(*val_expr, depth + 1));
        continue;
      }
      Value kv = eval(*key_expr, depth + 1);
      if (kv.is_unknown()) {
        open = true;
        continue;
      }
      std::optional<std::string> ks = kv.is_null() ? std::nullopt : kv.to_string();
      if (!ks) return error("for expression key must be a string", key_expr->span);
      Value value = eval(*val_expr, depth + 1);
      if (e.grouping) {
        auto& slot = groups[*ks];
        if (slot.second.empty()) slot.first = kv.span();
        slot.second.push_back(std::move(value));
        continue;
      }
      auto it = object.find(*ks);
      if (it != object.end()) {
        it->second.duplicate_key_spans.push_back(it->second.key_span);
        it->second.key_span = kv.span();
        it->second.value = std::move(value);
      } else {
        object.emplace(std::move(*ks), MapEntry{std::move(value), kv.span(), {}});
      }
    }
    if (!is_object) return Value::list(std::move(tuple), e.span);
    if (e.grouping) {
      for (auto& [k, slot] : groups) {
        object.emplace(k, MapEntry{Value::list(std::move(slot.second), e.span), slot.first, {}});
      }
    }
    return Value::map(std::move(object), e.span, open);
  }

  Value eval_template(const Expr& e, int depth) {
    // A template that is a single interpolation yields the value itself, unconverted
    // (HCL native syntax specification, "Template Interpolation Unwrapping").
    if (e.children.size() == 1 && e.children[0] && e.children[0]->kind != ExprKind::kString &&
        e.children[0]->kind != ExprKind::kTemplateIf && e.children[0]->kind != ExprKind::kTemplateFor) {
      return eval(*e.children[0], depth + 1);
    }
    std::string out;
    for (const auto& part : e.children) {
      if (!part) continue;
      if (std::optional<Value> bad = append_part(*part, out, depth + 1)) {
        return bad->propagate(e.span);
      }
    }
    return Value::string(std::move(out), e.span);
  }

  /// Appends one template part's text; returns an unknown when the text cannot be known.
  std::optional<Value> append_part(const Expr& part, std::string& out, int depth) {
    if (!charge(1)) return budget_error(part.span);
    if (depth > kMaxDepth) return error("template nested too deeply", part.span);
    switch (part.kind) {
      case ExprKind::kString:
        out += part.text;
        break;
      case ExprKind::kTemplate:
        for (const auto& p : part.children) {
          if (!p) continue;
          if (auto bad = append_part(*p, out, depth + 1)) return bad;
        }
        break;
      case ExprKind::kTemplateIf: {
        if (part.children.empty() || !part.children[0]) return error("invalid if", part.span);
        Value c = eval(*part.children[0], depth + 1);
        if (c.is_unknown()) return c.propagate(part.span);
        std::optional<bool> b = c.is_null() ? std::nullopt : to_bool(c);
        if (!b) return error("template if condition must be a bool", part.span);
        std::size_t branch = *b ? 1 : 2;
        if (branch < part.children.size() && part.children[branch]) {
          if (auto bad = append_part(*part.children[branch], out, depth + 1)) return bad;
        }
        break;
      }
      case ExprKind::kTemplateFor: {
        if (part.children.size() < 2 || !part.children[0] || !part.children[1]) {
          return error("invalid for directive", part.span);
        }
        Value coll = eval(*part.children[0], depth + 1);
        if (coll.is_unknown()) return coll.propagate(part.span);
        std::vector<std::pair<Value, Value>> items;
        if (coll.kind() == Value::Kind::kList) {
          const ListData& l = coll.as_list();
          for (std::size_t i = 0; i < l.size(); ++i) {
            items.emplace_back(Value::number(static_cast<double>(i)), l[i]);
          }
        } else if (coll.kind() == Value::Kind::kMap && !coll.map_open()) {
          for (const auto& [k, entry] : coll.as_map()) items.emplace_back(Value::string(k), entry.value);
        } else if (coll.kind() == Value::Kind::kMap) {
          return Value::unknown("template for over a map whose keys are not known statically", part.span);
        } else {
          return error("cannot iterate over a " + coll.type_name(), part.span);
        }
        for (auto& [k, v] : items) {
          ScopeGuard g(*this, scope_.size());
          if (!part.key_var.empty()) scope_.emplace_back(part.key_var, k);
          scope_.emplace_back(part.name, v);
          if (auto bad = append_part(*part.children[1], out, depth + 1)) return bad;
        }
        break;
      }
      default: {
        Value v = eval(part, depth + 1);
        if (v.is_unknown()) return v;
        if (v.is_null()) return error("template interpolation value is null", part.span);
        std::optional<std::string> s = v.to_string();
        if (!s) return error("cannot include a " + v.type_name() + " in a template", part.span);
        out += *s;
      }
    }
    if (out.size() > kMaxValueBytes) {
      return error(
          "template result is longer than " + std::to_string(kMaxValueBytes >> 20) + " MiB (the limit for one value)",
          part.span);
    }
    return std::nullopt;
  }

  EvalContext& ctx_;
  std::size_t steps_ = 0;
  bool budget_spent_ = false;
  std::vector<Error> pending_;  ///< errors so far; try() and can() drop the ones they catch
  bool isolated_ = false;       ///< evaluating a templatefile() template: no outside references
  std::vector<std::pair<std::string, Value>> scope_;
};

class ReferenceCollector {
 public:
  explicit ReferenceCollector(std::vector<Reference>& out) : out_(out) {}

  void walk(const Expr* e, int depth) {
    if (e == nullptr || depth > kMaxDepth) return;
    switch (e->kind) {
      case ExprKind::kVariable:
        if (!bound(e->name)) out_.push_back(Reference{std::string(e->name), "", e->span});
        return;
      case ExprKind::kGetAttr:
        if (!e->children.empty() && e->children[0] && e->children[0]->kind == ExprKind::kVariable &&
            !bound(e->children[0]->name)) {
          out_.push_back(Reference{std::string(e->children[0]->name), std::string(e->name), e->span});
          return;
        }
        break;
      case ExprKind::kIndex:
        if (e->children.size() == 2 && e->children[0] && e->children[1] &&
            e->children[0]->kind == ExprKind::kVariable && !bound(e->children[0]->name) &&
            e->children[1]->kind == ExprKind::kString) {
          out_.push_back(Reference{std::string(e->children[0]->name), std::string(e->children[1]->text), e->span});
          return;
        }
        break;
      case ExprKind::kSplat:
        if (e->children.size() == 2) {
          walk(e->children[0], depth + 1);
          bound_.emplace_back("*");
          walk(e->children[1], depth + 1);
          bound_.pop_back();
        }
        return;
      case ExprKind::kForTuple:
      case ExprKind::kForObject:
      case ExprKind::kTemplateFor: {
        if (e->children.empty()) return;
        walk(e->children[0], depth + 1);
        std::size_t mark = bound_.size();
        if (!e->key_var.empty()) bound_.push_back(e->key_var);
        bound_.push_back(e->name);
        for (std::size_t i = 1; i < e->children.size(); ++i) walk(e->children[i], depth + 1);
        bound_.resize(mark);
        return;
      }
      default:
        break;
    }
    for (const auto& c : e->children) walk(c, depth + 1);
  }

 private:
  bool bound(std::string_view name) const { return std::find(bound_.begin(), bound_.end(), name) != bound_.end(); }
  std::vector<Reference>& out_;
  std::vector<std::string_view> bound_;  ///< names in the tree's arena, or literals
};

}  // namespace

std::vector<Reference> references(const hcl::Expr& expr) {
  std::vector<Reference> out;
  ReferenceCollector(out).walk(&expr, 0);
  return out;
}

Value evaluate(const hcl::Expr& expr, EvalContext& ctx) {
  Evaluator ev(ctx);
  return ev.run(expr);
}

const std::vector<std::string>& supported_functions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n = builtin_function_names();
    n.emplace_back("can");
    n.emplace_back("abspath");
    n.emplace_back("file");
    n.emplace_back("fileexists");
    n.emplace_back("templatefile");
    n.emplace_back("try");
    std::sort(n.begin(), n.end());
    return n;
  }();
  return names;
}

}  // namespace tagwarden::tf
