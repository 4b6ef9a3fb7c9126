#include "linter/schema/schema.hpp"

#include <fmt/format.h>

#include "linter/load/doc.hpp"
#include "linter/model/text.hpp"

namespace tagwarden {

bool wildcard_match(std::string_view pattern, std::string_view value) {
  // Iterative glob with backtracking to the last '*': linear in practice, no recursion.
  std::size_t p = 0, v = 0, star = std::string_view::npos, mark = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = v;
    } else if (p < pattern.size() && pattern[p] == value[v]) {
      ++p, ++v;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      v = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool TagSpec::allows(const std::string& value) const {
  if (!has_value_constraint()) return true;
  for (const auto& v : values) {
    if (wildcard_match(v, value)) return true;
  }
  if (pattern_re) {
    try {
      if (std::regex_search(value, *pattern_re)) return true;
    } catch (const std::regex_error&) {
      return false;  // catastrophic backtracking guard of libstdc++: treat as no match
    }
  }
  return false;
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

namespace {

class SchemaReader {
 public:
  SchemaReader(std::vector<Error>& errors) : errors_(errors) {}

  void error(const Span& span, std::string msg) { errors_.push_back(Error{span, {}, std::move(msg)}); }

  std::optional<Schema> read(const DocNode& root, FileId file) {
    Schema schema;
    schema.file = file;
    if (!root.is_map()) {
      error(root.span, "schema must be a map with `version` and `tags`");
      return std::nullopt;
    }
    std::size_t before = errors_.size();
    for (std::size_t i = 0; i < root.keys.size(); ++i) {
      const std::string& k = root.keys[i];
      if (k != "version" && k != "tags") {
        error(root.key_spans[i], fmt::format("unknown schema field `{}` (expected `version` or `tags`)", k));
      }
    }
    const DocNode* version = root.get("version");
    if (!version) {
      error(Span{file, 0, 1}, "schema has no `version` (expected `version: 1`)");
    } else if (version->kind != DocNode::Kind::kNumber || version->scalar != "1") {
      error(version->span, fmt::format("unsupported schema version `{}` (this tagwarden reads version 1)", version->scalar));
    }
    const DocNode* tags = root.get("tags");
    if (!tags) {
      error(Span{file, 0, 1}, "schema has no `tags` map");
    } else if (!tags->is_map()) {
      error(tags->span, "`tags` must be a map of tag keys to their rules");
    } else {
      for (std::size_t i = 0; i < tags->keys.size(); ++i) read_tag(tags->keys[i], tags->key_spans[i], tags->items[i], schema);
    }
    if (errors_.size() != before) return std::nullopt;
    return schema;
  }

 private:
  void read_tag(const std::string& key, const Span& key_span, const DocNode& body, Schema& schema) {
    TagSpec spec;
    spec.key = key;
    spec.span = key_span;
    if (key.empty()) error(key_span, "tag key in schema is empty");
    if (schema.find(key)) error(key_span, fmt::format("tag `{}` is listed twice in the schema", key));
    if (body.kind == DocNode::Kind::kNull) {
      schema.tags.push_back(std::move(spec));
      return;
    }
    if (!body.is_map()) {
      error(body.span, fmt::format("rules for tag `{}` must be a map (`{{required: true, values: [...], pattern: ...}}`)", key));
      return;
    }
    for (std::size_t i = 0; i < body.keys.size(); ++i) {
      const std::string& field = body.keys[i];
      const DocNode& v = body.items[i];
      if (field == "required") {
        if (v.kind != DocNode::Kind::kBool) {
          error(v.span, "`required` must be true or false");
        } else {
          spec.required = v.scalar == "true";
        }
      } else if (field == "values") {
        if (!v.is_seq()) {
          error(v.span, "`values` must be a list of strings");
          continue;
        }
        for (const auto& item : v.items) {
          if (!item.is_scalar() || item.kind == DocNode::Kind::kNull) {
            error(item.span, "each entry of `values` must be a string");
          } else {
            spec.values.push_back(item.scalar);
          }
        }
        if (v.items.empty()) error(v.span, "`values` is empty: no value could ever pass");
      } else if (field == "pattern") {
        if (!v.is_string()) {
          error(v.span, "`pattern` must be a string (a regular expression)");
          continue;
        }
        try {
          spec.pattern_re = std::make_shared<const std::regex>(v.scalar, std::regex::ECMAScript);
          spec.pattern = v.scalar;
        } catch (const std::regex_error& e) {
          error(v.span, fmt::format("invalid regular expression `{}`: {}", v.scalar, e.what()));
        }
      } else {
        error(body.key_spans[i], fmt::format("unknown field `{}` for tag `{}` (expected required, values, pattern)", field, key));
      }
    }
    schema.tags.push_back(std::move(spec));
  }

  std::vector<Error>& errors_;
};

}  // namespace

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
  return SchemaReader(errors).read(*doc.root, file);
}

}  // namespace tagwarden
