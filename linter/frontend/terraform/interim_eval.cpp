// INTERIM, compiled only while the real evaluator (branch `hcl`: linter/eval/tf/value.cpp and
// evaluator.cpp) is not in the tree: a minimal tf::Value and tf::evaluate so the Terraform
// front end can be built and its model logic tested against hand-built syntax trees. It knows
// literals, templates, tuples, objects, references, attribute/index traversal, conditionals
// and merge(); everything else is unknown. Delete this file once `hcl` is merged.
#if !__has_include("linter/eval/tf/value.cpp")
#include <fmt/format.h>

#include <cmath>

#include "linter/eval/tf/value.hpp"

namespace tagwarden::tf {

Value Value::null(Span s) {
  Value v;
  v.span_ = s;
  return v;
}
Value Value::unknown(std::string reason, Span s) {
  Value v;
  v.kind_ = Kind::kUnknown;
  v.s_ = std::move(reason);
  v.span_ = s;
  return v;
}
Value Value::boolean(bool b, Span s) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  v.span_ = s;
  return v;
}
Value Value::number(double d, Span s) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.d_ = d;
  v.span_ = s;
  return v;
}
Value Value::string(std::string str, Span s) {
  Value v;
  v.kind_ = Kind::kString;
  v.s_ = std::move(str);
  v.span_ = s;
  return v;
}
Value Value::list(ListData items, Span s) {
  Value v;
  v.kind_ = Kind::kList;
  v.list_ = std::make_shared<const ListData>(std::move(items));
  v.span_ = s;
  return v;
}
Value Value::map(MapData entries, Span s, bool open) {
  Value v;
  v.kind_ = Kind::kMap;
  v.map_ = std::make_shared<const MapData>(std::move(entries));
  v.open_ = open;
  v.span_ = s;
  return v;
}
const ListData& Value::as_list() const {
  static const ListData kEmpty;
  return list_ ? *list_ : kEmpty;
}
const MapData& Value::as_map() const {
  static const MapData kEmpty;
  return map_ ? *map_ : kEmpty;
}
bool Value::is_wholly_known() const {
  if (kind_ == Kind::kUnknown) return false;
  if (kind_ == Kind::kList)
    for (const auto& i : as_list())
      if (!i.is_wholly_known()) return false;
  if (kind_ == Kind::kMap) {
    if (open_) return false;
    for (const auto& [k, e] : as_map())
      if (!e.value.is_wholly_known()) return false;
  }
  return true;
}
std::optional<std::string> Value::to_string() const {
  switch (kind_) {
    case Kind::kString: return s_;
    case Kind::kBool: return b_ ? "true" : "false";
    case Kind::kNumber:
      if (std::floor(d_) == d_ && std::fabs(d_) < 1e15) return fmt::format("{}", static_cast<long long>(d_));
      return fmt::format("{}", d_);
    default: return std::nullopt;
  }
}
std::string Value::type_name() const {
  switch (kind_) {
    case Kind::kNull: return "null";
    case Kind::kUnknown: return "unknown";
    case Kind::kBool: return "bool";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kList: return "list";
    case Kind::kMap: return "map";
  }
  return "unknown";
}

}  // namespace tagwarden::tf
#endif

#if !__has_include("linter/eval/tf/evaluator.cpp")
#include "linter/eval/tf/evaluator.hpp"

namespace tagwarden::tf {
namespace {

Value traverse_key(const Value& v, const std::string& key, Span s) {
  if (v.is_unknown()) return v;
  if (v.kind() == Value::Kind::kMap) {
    auto it = v.as_map().find(key);
    if (it != v.as_map().end()) return it->second.value;
    if (v.map_open()) return Value::unknown(fmt::format("key \"{}\" is not known", key), s);
  }
  return Value::unknown(fmt::format("no attribute \"{}\"", key), s);
}

Value eval(const hcl::Expr& e, EvalContext& ctx, std::size_t& steps) {
  using K = hcl::ExprKind;
  if (++steps > ctx.step_budget) return Value::unknown("evaluation step limit reached", e.span);
  auto child = [&](std::size_t i) -> Value {
    if (i >= e.children.size() || !e.children[i]) return Value::null(e.span);
    return eval(*e.children[i], ctx, steps);
  };
  switch (e.kind) {
    case K::kNull: return Value::null(e.span);
    case K::kBool: return Value::boolean(e.text == "true", e.span);
    case K::kNumber: return Value::number(std::strtod(e.text.c_str(), nullptr), e.span);
    case K::kString: return Value::string(e.text, e.span);
    case K::kParens: return child(0).with_span(e.span);
    case K::kTemplate: {
      if (e.children.size() == 1) {
        Value v = child(0);
        return v.with_span(e.span);
      }
      std::string out;
      for (std::size_t i = 0; i < e.children.size(); ++i) {
        Value v = child(i);
        if (v.is_unknown()) return Value::unknown(v.unknown_reason(), e.span);
        auto s = v.to_string();
        if (!s) return Value::unknown("template part is not a string", e.span);
        out += *s;
      }
      return Value::string(out, e.span);
    }
    case K::kTuple: {
      ListData items;
      for (std::size_t i = 0; i < e.children.size(); ++i) items.push_back(child(i));
      return Value::list(std::move(items), e.span);
    }
    case K::kObject: {
      MapData m;
      for (std::size_t i = 0; i + 1 < e.children.size(); i += 2) {
        Value k = child(i);
        if (k.is_unknown()) return Value::unknown(k.unknown_reason(), e.span);
        auto ks = k.to_string();
        if (!ks) return Value::unknown("object key is not a string", e.span);
        m[*ks] = MapEntry{child(i + 1), e.children[i]->span, {}};
      }
      return Value::map(std::move(m), e.span);
    }
    case K::kVariable: {
      auto v = ctx.resolve(e.name, "", e.span);
      return v ? *v : Value::unknown(e.name, e.span);
    }
    case K::kGetAttr: {
      const hcl::Expr* obj = e.children.empty() ? nullptr : e.children[0].get();
      if (obj != nullptr && obj->kind == K::kVariable) {
        auto v = ctx.resolve(obj->name, e.name, e.span);
        if (v) return *v;
        return Value::unknown(fmt::format("{}.{}", obj->name, e.name), e.span);
      }
      return traverse_key(child(0), e.name, e.span);
    }
    case K::kIndex: {
      Value c = child(0);
      Value k = child(1);
      if (k.is_unknown()) return k;
      if (c.kind() == Value::Kind::kList && k.kind() == Value::Kind::kNumber) {
        auto idx = static_cast<std::size_t>(k.as_number());
        if (k.as_number() >= 0 && idx < c.as_list().size()) return c.as_list()[idx];
        return Value::unknown("index out of range", e.span);
      }
      auto ks = k.to_string();
      return ks ? traverse_key(c, *ks, e.span) : Value::unknown("bad index", e.span);
    }
    case K::kConditional: {
      Value c = child(0);
      if (c.kind() != Value::Kind::kBool) return Value::unknown("condition is not known", e.span);
      return c.as_bool() ? child(1) : child(2);
    }
    case K::kCall: {
      if (e.name == "merge" && !e.expand_final) {
        MapData m;
        bool open = false;
        for (std::size_t i = 0; i < e.children.size(); ++i) {
          Value a = child(i);
          if (a.is_null()) continue;
          if (a.is_unknown()) {
            open = true;
            continue;
          }
          if (a.kind() != Value::Kind::kMap) return Value::unknown("merge of a non-map", e.span);
          open = open || a.map_open();
          for (const auto& [k, v] : a.as_map()) m[k] = v;
        }
        return Value::map(std::move(m), e.span, open);
      }
      return Value::unknown(fmt::format("function {} is not supported", e.name), e.span);
    }
    default: return Value::unknown("expression is not supported", e.span);
  }
}

}  // namespace

Value evaluate(const hcl::Expr& expr, EvalContext& ctx) {
  std::size_t steps = 0;
  return eval(expr, ctx, steps);
}

const std::vector<std::string>& supported_functions() {
  static const std::vector<std::string> kNames = {"merge"};
  return kNames;
}

}  // namespace tagwarden::tf
#endif
