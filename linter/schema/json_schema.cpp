#include "linter/schema/json_schema.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>

#include "linter/source/embedded.hpp"

namespace tagwarden {
namespace {

using nlohmann::json;

bool is_integer(const DocNode& n) {
  return n.kind == DocNode::Kind::kNumber && n.scalar.find_first_of(".eE") == std::string::npos;
}

std::optional<double> number_of(const DocNode& n) {
  if (n.kind != DocNode::Kind::kNumber) return std::nullopt;
  try {
    return std::stod(n.scalar);
  } catch (...) {
    return std::nullopt;
  }
}

bool has_type(const DocNode& n, const std::string& type) {
  switch (n.kind) {
    case DocNode::Kind::kNull:
      return type == "null";
    case DocNode::Kind::kBool:
      return type == "boolean";
    case DocNode::Kind::kNumber:
      return type == "number" || (type == "integer" && is_integer(n));
    case DocNode::Kind::kString:
      return type == "string";
    case DocNode::Kind::kSeq:
      return type == "array";
    case DocNode::Kind::kMap:
      return type == "object";
  }
  return false;
}

/// Equality of a document scalar and a JSON value (const / enum).
bool equals(const DocNode& n, const json& v) {
  if (v.is_string()) return n.kind == DocNode::Kind::kString && n.scalar == v.get<std::string>();
  if (v.is_boolean()) return n.kind == DocNode::Kind::kBool && (n.scalar == "true") == v.get<bool>();
  if (v.is_null()) return n.kind == DocNode::Kind::kNull;
  if (v.is_number()) {
    auto d = number_of(n);
    return d && std::fabs(*d - v.get<double>()) < 1e-9;
  }
  return false;
}

std::string json_list(const json& arr) {
  std::string out;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    if (i) out += i + 1 == arr.size() ? " or " : ", ";
    out += fmt::format("`{}`", arr[i].is_string() ? arr[i].get<std::string>() : arr[i].dump());
  }
  return out;
}

class Validator {
 public:
  Validator(const json& root, std::vector<Error>& errors) : root_(root), errors_(errors) {}

  /// `name` is how messages call the value ("`case`", "the schema"); `key_span` locates its key.
  void check(const DocNode& n, const json& schema, const std::string& name) {
    const json& s = resolve(schema);
    if (!s.is_object()) return;
    // The subschema's own checks on this node: a failure reports errorMessage once.
    std::string own = own_problem(n, s, name);
    if (!own.empty()) {
      auto msg = s.find("errorMessage");
      error(n.span, msg != s.end() && msg->is_string() ? msg->get<std::string>() : own);
      return;
    }
    if (n.is_map()) check_object(n, s, name);
    if (n.is_seq()) {
      auto items = s.find("items");
      if (items != s.end()) {
        for (const auto& item : n.items) check(item, *items, fmt::format("an entry of {}", name));
      }
    }
  }

 private:
  const json& resolve(const json& schema) const {
    const json* s = &schema;
    for (int depth = 0; depth < 16 && s->is_object() && s->contains("$ref"); ++depth) {
      std::string ref = (*s)["$ref"].get<std::string>();
      if (ref.rfind("#/", 0) != 0) break;
      s = &root_.at(json::json_pointer(ref.substr(1)));
    }
    return *s;
  }

  /// Problems with the node itself (type, const, enum, bounds), as a default message.
  std::string own_problem(const DocNode& n, const json& s, const std::string& name) const {
    if (auto t = s.find("type"); t != s.end()) {
      bool ok = false;
      if (t->is_string())
        ok = has_type(n, t->get<std::string>());
      else
        for (const auto& one : *t) ok = ok || has_type(n, one.get<std::string>());
      if (!ok)
        return fmt::format("{} has the wrong type (expected {})", name,
                           t->is_string() ? t->get<std::string>() : json_list(*t));
    }
    if (auto c = s.find("const"); c != s.end() && !equals(n, *c)) return fmt::format("{} must be {}", name, c->dump());
    if (auto e = s.find("enum"); e != s.end()) {
      bool ok = false;
      for (const auto& v : *e) ok = ok || equals(n, v);
      if (!ok) return fmt::format("{} must be one of {}", name, json_list(*e));
    }
    if (auto d = number_of(n)) {
      if (auto m = s.find("minimum"); m != s.end() && *d < m->get<double>())
        return fmt::format("{} is below {}", name, m->dump());
      if (auto m = s.find("maximum"); m != s.end() && *d > m->get<double>())
        return fmt::format("{} is above {}", name, m->dump());
    }
    if (n.kind == DocNode::Kind::kString) {
      if (auto m = s.find("minLength"); m != s.end() && n.scalar.size() < m->get<std::size_t>()) {
        return fmt::format("{} is too short", name);
      }
    }
    return {};
  }

  void check_object(const DocNode& n, const json& s, const std::string& name) {
    auto props = s.find("properties");
    auto additional = s.find("additionalProperties");
    for (std::size_t i = 0; i < n.keys.size(); ++i) {
      const std::string& key = n.keys[i];
      if (props != s.end() && props->contains(key)) {
        check(n.items[i], (*props)[key], fmt::format("`{}`", key));
      } else if (additional != s.end() && additional->is_boolean() && !additional->get<bool>()) {
        std::vector<std::string> known;
        if (props != s.end()) {
          for (auto it = props->begin(); it != props->end(); ++it) known.push_back(it.key());
        }
        std::string expected;
        for (std::size_t k = 0; k < known.size(); ++k) expected += (k ? ", " : "") + known[k];
        error(n.key_spans[i], fmt::format("unknown field `{}` in {} (expected {})", key, name, expected));
      } else if (additional != s.end() && additional->is_object()) {
        check(n.items[i], *additional, fmt::format("`{}`", key));
      }
    }
    if (auto req = s.find("required"); req != s.end()) {
      for (const auto& r : *req) {
        std::string field = r.get<std::string>();
        if (n.index_of(field) < 0)
          error(Span{n.span.file, n.span.begin, n.span.begin}, fmt::format("{} has no `{}`", name, field));
      }
    }
  }

  void error(const Span& span, std::string message) { errors_.push_back(Error{span, {}, std::move(message)}); }

  const json& root_;
  std::vector<Error>& errors_;
};

}  // namespace

std::vector<Error> validate_json_schema(const DocNode& doc, const nlohmann::json& schema) {
  std::vector<Error> errors;
  Validator(schema, errors).check(doc, schema, "the schema");
  return errors;
}

const nlohmann::json& tagwarden_json_schema() {
  static const json kSchema = json::parse(embedded_file("schema/tagwarden-schema.json"));
  return kSchema;
}

}  // namespace tagwarden
