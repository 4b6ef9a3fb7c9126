#include "linter/schema/schema.hpp"

#include <fmt/format.h>

#include "linter/model/text.hpp"
#include "linter/schema/json_schema.hpp"
#include "linter/schema/resource_types.hpp"

namespace tagwarden {

bool wildcard_match(std::string_view pattern, std::string_view value) { return glob_match(pattern, value); }

bool TypeScope::contains(const std::vector<std::string>& names) const {
  bool in = applies_to.empty();
  for (const auto& g : applies_to) in = in || scope_glob_match(g, names);
  if (!in) return false;
  for (const auto& g : except) {
    if (scope_glob_match(g, names)) return false;
  }
  return true;
}

bool TagSpec::allows(const std::string& value) const {
  if (forbidden) return false;
  if (value_case == ValueCase::kLower && has_upper(value)) return false;
  if (value_case == ValueCase::kUpper && has_lower(value)) return false;
  if (values.empty() && !pattern) return true;
  for (const auto& v : values) {
    if (wildcard_match(v, value)) return true;
  }
  return pattern && pattern->search(value);
}

bool TagSpec::matches_key(const std::string& k) const {
  return k == key || (key_case == KeyCase::kInsensitive && fold_case(k) == fold_case(key));
}

bool TagSpec::required_on(const std::vector<std::string>& names) const {
  if (required) return true;
  for (const auto& g : required_for) {
    if (scope_glob_match(g, names)) return true;
  }
  return false;
}

std::string TagSpec::expectation() const {
  if (forbidden) return "no value: the key must not be set";
  std::vector<std::string> parts;
  if (!values.empty()) {
    std::string list;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) list += i + 1 == values.size() ? " or " : ", ";
      list += fmt::format("`{}`", values[i]);
    }
    parts.push_back(fmt::format("one of {}", list));
  }
  if (pattern) parts.push_back(fmt::format("a match of `{}`", pattern->pattern()));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " or " : "") + parts[i];
  if (value_case != ValueCase::kAny) {
    std::string_view c = value_case == ValueCase::kLower ? "lowercase" : "uppercase";
    out = out.empty() ? std::string(c) : fmt::format("{}, in {}", out, c);
  }
  return out;
}

const TagSpec* Schema::find(const std::string& key) const {
  for (const auto& t : tags) {
    if (t.key == key) return &t;
  }
  return nullptr;
}

const TagSpec* Schema::find_case_variant(const std::string& key) const {
  std::string folded = fold_case(key);
  for (const auto& t : tags) {
    if (t.key != key && fold_case(t.key) == folded) return &t;
  }
  return nullptr;
}

const TagSpec* Schema::match(const std::string& key) const {
  if (const TagSpec* s = find(key)) return s;
  const TagSpec* v = find_case_variant(key);
  return v && v->key_case == KeyCase::kInsensitive ? v : nullptr;
}

bool Schema::covers(const Resource& r) const {
  for (const auto& g : skip) {
    if (glob_match_icase(g, r.address)) return false;
  }
  return scope.empty() || scope.contains(ResourceTypes::aws().names_for(r.type));
}

const TagSpec* Schema::policy_scoped_requirement() const {
  for (const auto& spec : tags) {
    for (const auto& g : spec.required_for) {
      // `service:resource`: one colon, where CloudFormation types have `::` and Terraform none.
      if (g.find(':') != std::string::npos && g.find("::") == std::string::npos) return &spec;
    }
  }
  return nullptr;
}

bool Schema::beyond_policy_types(const Resource& r) const {
  return r.taggable != Taggable::kNo && policy_scoped_requirement() != nullptr &&
         !ResourceTypes::aws().has_policy_type(r.type) && covers(r);
}

std::vector<SchemaNote> unmapped_type_notes(const Schema& schema, const std::map<std::string, std::size_t>& unmapped) {
  std::vector<SchemaNote> out;
  const TagSpec* spec = schema.policy_scoped_requirement();
  if (spec == nullptr) return out;
  std::string example;
  for (const auto& g : spec->required_for) example += (example.empty() ? "`" : ", `") + g + "`";
  for (const auto& [type, n] : unmapped) {
    out.push_back(SchemaNote{
        spec->span,
        fmt::format("resource type `{}` ({} resource{}) has no AWS tag-policy type, so requirements named by "
                    "tag-policy type (`{}` on {}) do not apply to it{}",
                    type, n, n == 1 ? "" : "s", spec->key, example,
                    schema.kind == SchemaKind::kNative
                        ? fmt::format("; name `{}` itself to require keys on it", type)
                        : std::string("; AWS does not report required tags on it either"))});
  }
  return out;
}

bool Schema::applies(const TagSpec& spec, const Resource& r) const {
  if (!covers(r)) return false;
  return spec.scope.empty() || spec.scope.contains(ResourceTypes::aws().names_for(r.type));
}

std::string_view Schema::noun() const {
  switch (kind) {
    case SchemaKind::kTagPolicy:
      return "the tag policy";
    case SchemaKind::kRequiredTags:
      return "the required tags";
    case SchemaKind::kNative:
      break;
  }
  return "the schema";
}

namespace {

std::vector<std::string> strings_of(const DocNode& seq) {
  std::vector<std::string> out;
  if (!seq.is_seq()) return out;
  for (const auto& item : seq.items) out.push_back(item.scalar);
  return out;
}

/// Builds the model from a document that passed the JSON Schema; adds the checks a JSON
/// Schema cannot express (regular expressions, keys equal but for case).
class SchemaReader {
 public:
  explicit SchemaReader(std::vector<Error>& errors) : errors_(errors) {}

  std::optional<Schema> read(const DocNode& root, FileId file) {
    std::size_t before = errors_.size();
    for (auto& e : validate_json_schema(root, tagwarden_json_schema())) errors_.push_back(std::move(e));
    // The checks below still run on a document with structure errors (reading only what has
    // the expected shape), so one run reports every problem.
    if (!root.is_map()) return std::nullopt;
    Schema schema;
    schema.file = file;
    if (const DocNode* n = root.get("applies_to")) schema.scope.applies_to = strings_of(*n);
    if (const DocNode* n = root.get("except")) schema.scope.except = strings_of(*n);
    if (const DocNode* n = root.get("skip")) schema.skip = strings_of(*n);
    if (const DocNode* lim = root.get("limits"); lim && lim->is_map()) read_limits(*lim, schema.limits);
    const DocNode* tags = root.get("tags");
    if (tags && tags->is_map()) {
      for (std::size_t i = 0; i < tags->keys.size(); ++i)
        read_tag(tags->keys[i], tags->key_spans[i], tags->items[i], schema);
    }
    if (errors_.size() != before) return std::nullopt;
    return schema;
  }

 private:
  void error(const Span& span, std::string msg) { errors_.push_back(Error{span, {}, std::move(msg)}); }

  /// A whole number the JSON Schema bounded (1 to 1000), else nullopt.
  static std::optional<int> whole(const DocNode* n) {
    if (!n || n->kind != DocNode::Kind::kNumber || n->scalar.empty() || n->scalar.size() > 4 ||
        n->scalar.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
    return std::stoi(n->scalar);
  }

  static void read_limits(const DocNode& lim, SchemaLimits& out) {
    out.max_tags = whole(lim.get("max_tags"));
    if (auto v = whole(lim.get("max_key_length"))) out.max_key_length = static_cast<std::size_t>(*v);
    if (auto v = whole(lim.get("max_value_length"))) out.max_value_length = static_cast<std::size_t>(*v);
    if (const DocNode* n = lim.get("service_rules")) out.service_rules = n->scalar != "false";
  }

  void read_tag(const std::string& key, const Span& key_span, const DocNode& body, Schema& schema) {
    TagSpec spec;
    spec.key = key;
    spec.span = key_span;
    if (key.empty()) error(key_span, "tag key in schema is empty");
    if (const TagSpec* same = schema.find(key)) {
      (void)same;
      error(key_span, fmt::format("tag `{}` is listed twice in the schema", key));
    } else if (const TagSpec* variant = schema.find_case_variant(key)) {
      // AWS keys are case-sensitive, so two such keys would be two different tags; a schema
      // naming both is almost certainly a typo, and `case: insensitive` could not tell them apart.
      error(key_span, fmt::format("tag `{}` differs from `{}` only by letter case; a schema lists each key once "
                                  "(use `case: insensitive` to accept every spelling)",
                                  key, variant->key));
    }
    if (body.is_map()) {
      if (const DocNode* n = body.get("required")) {
        if (n->kind == DocNode::Kind::kBool)
          spec.required = n->scalar == "true";
        else
          spec.required_for = strings_of(*n);
      }
      if (const DocNode* n = body.get("values")) {
        spec.values = strings_of(*n);
        spec.forbidden = spec.values.empty();
      }
      if (const DocNode* n = body.get("pattern"); n && n->is_string()) {
        Regex re = Regex::compile(n->scalar);
        if (!re.ok())
          error(n->span, fmt::format("invalid regular expression `{}` (RE2 syntax): {}", n->scalar, re.error()));
        else
          spec.pattern = std::move(re);
      }
      if (const DocNode* n = body.get("case"))
        spec.key_case = n->scalar == "insensitive" ? KeyCase::kInsensitive : KeyCase::kExact;
      if (const DocNode* n = body.get("value_case")) {
        spec.value_case = n->scalar == "lower"   ? ValueCase::kLower
                          : n->scalar == "upper" ? ValueCase::kUpper
                                                 : ValueCase::kAny;
      }
      if (const DocNode* n = body.get("severity")) spec.severity = parse_level(n->scalar);
      if (const DocNode* n = body.get("description")) spec.description = n->scalar;
      if (const DocNode* n = body.get("applies_to")) spec.scope.applies_to = strings_of(*n);
      if (const DocNode* n = body.get("except")) spec.scope.except = strings_of(*n);
    }
    schema.tags.push_back(std::move(spec));
  }

  std::vector<Error>& errors_;
};

}  // namespace

std::optional<Schema> read_native_schema(const DocNode& root, FileId file, std::vector<Error>& errors) {
  return SchemaReader(errors).read(root, file);
}

std::optional<Schema> load_schema(const SourceManager& sm, FileId file, std::vector<Error>& errors) {
  const SourceFile& f = sm.file(file);
  std::string_view text = f.contents();
  // JSON is valid YAML, but the JSON reader gives better positions and messages.
  std::size_t first = text.find_first_not_of(" \t\r\n");
  bool json = first != std::string_view::npos && text[first] == '{';
  DocResult doc = json ? parse_json(file, text) : parse_yaml(file, text);
  if (!doc.root) {
    for (auto& e : doc.errors) {
      e.message = fmt::format("cannot read schema: {}", e.message);
      errors.push_back(std::move(e));
    }
    return std::nullopt;
  }
  return read_native_schema(*doc.root, file, errors);
}

}  // namespace tagwarden
