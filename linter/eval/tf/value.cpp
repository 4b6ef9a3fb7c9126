// Terraform values: construction, inspection and Terraform's primitive-to-string conversion.
#include "linter/eval/tf/value.hpp"

#include <charconv>
#include <cmath>

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
  v.wholly_known_ = false;
  return v;
}

Value Value::error(std::string message, Span s) {
  Value v = unknown(std::move(message), s);
  v.error_ = true;
  return v;
}

Value Value::propagate(Span s) const {
  Value v = error_ ? error(s_, s) : unknown(s_, s);
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
  v.text_bytes_ = v.s_.size();
  return v;
}

Value Value::list(ListData items, Span s) {
  Value v;
  v.kind_ = Kind::kList;
  v.list_ = std::make_shared<const ListData>(std::move(items));
  v.span_ = s;
  v.measure();
  return v;
}

Value Value::map(MapData entries, Span s, bool open) {
  Value v;
  v.kind_ = Kind::kMap;
  v.map_ = std::make_shared<const MapData>(std::move(entries));
  v.open_ = open;
  v.span_ = s;
  v.measure();
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

namespace {

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

}  // namespace

// Called once when a collection is made: its children are already measured, so this is
// linear in the number of direct children, never in the size of the tree.
void Value::measure() {
  tree_size_ = 1;
  text_bytes_ = 0;
  wholly_known_ = !open_;
  auto add = [&](const Value& c) {
    tree_size_ = saturating_add(tree_size_, c.tree_size_);
    text_bytes_ = saturating_add(text_bytes_, c.text_bytes_);
    wholly_known_ = wholly_known_ && c.wholly_known_;
  };
  if (list_) {
    for (const Value& c : *list_) add(c);
  }
  if (map_) {
    for (const auto& [k, e] : *map_) {
      add(e.value);
      text_bytes_ = saturating_add(text_bytes_, k.size());
    }
  }
}

Value Value::first_unknown() const {
  if (kind_ == Kind::kUnknown) return *this;
  if (kind_ == Kind::kList) {
    for (const Value& x : as_list()) {
      if (!x.is_wholly_known()) return x.first_unknown();
    }
  }
  if (kind_ == Kind::kMap) {
    for (const auto& [k, e] : as_map()) {
      if (!e.value.is_wholly_known()) return e.value.first_unknown();
    }
    if (open_) return unknown("the map's keys are not all known statically", span_);
  }
  return unknown("a value is not known statically", span_);
}

namespace {

/// Terraform prints numbers in full, without an exponent and without a trailing ".0"
/// (cty formats with big.Float.Text('f', -1)): 1 -> "1", 1.5 -> "1.5", 1e21 -> "1000...0".
std::string format_number(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return "0";
  char buf[512];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  if (ec != std::errc()) return "0";
  return std::string(buf, end);
}

}  // namespace

std::optional<std::string> Value::to_string() const {
  switch (kind_) {
    case Kind::kString:
      return s_;
    case Kind::kBool:
      return std::string(b_ ? "true" : "false");
    case Kind::kNumber:
      return format_number(d_);
    default:
      return std::nullopt;
  }
}

std::string Value::type_name() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kUnknown:
      return "unknown";
    case Kind::kBool:
      return "bool";
    case Kind::kNumber:
      return "number";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
  }
  return "unknown";
}

}  // namespace tagwarden::tf
