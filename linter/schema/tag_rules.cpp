#include "linter/schema/tag_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <vector>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"
#include "linter/source/embedded.hpp"

namespace tagwarden {
namespace {

struct Row {
  std::vector<std::string> scope;
  std::optional<int> max_tags;
  std::optional<std::size_t> max_key, max_value;
  std::optional<std::string> charset;  ///< "any" or punctuation
  std::string source;
};

template <typename T>
std::optional<T> number(std::string_view s) {
  T v{};
  if (s == "-" || std::from_chars(s.data(), s.data() + s.size(), v).ec != std::errc{}) return std::nullopt;
  return v;
}

const std::vector<Row>& table() {
  static const std::vector<Row> kRows = [] {
    std::vector<Row> rows;
    for (std::string_view line : split_view(embedded_file("data/tag_rules.tsv"), '\n')) {
      if (line.empty() || line.front() == '#') continue;
      auto cols = split_view(line, '\t');
      if (cols.size() != 7) continue;
      Row r;
      for (auto g : split_view(cols[0], ',')) r.scope.emplace_back(g);
      r.max_tags = number<int>(cols[1]);
      r.max_key = number<std::size_t>(cols[2]);
      r.max_value = number<std::size_t>(cols[3]);
      if (cols[4] != "-") r.charset = std::string(cols[4]);
      r.source = fmt::format("{} ({})", cols[5], cols[6]);
      rows.push_back(std::move(r));
    }
    return rows;
  }();
  return kRows;
}

}  // namespace

bool TagRules::allows(char32_t c) const { return any_character || is_allowed_tag_char(c, punctuation); }

std::string TagRules::describe_charset() const {
  if (any_character) return "any character";
  std::string p;
  for (std::size_t i = 0; i < punctuation.size(); ++i) p += fmt::format("{}{}", i ? " " : "", punctuation[i]);
  return fmt::format("letters, numbers, spaces and {}", p);
}

TagRules tag_rules_for(const Resource& r, const Schema* schema) {
  TagRules out;
  const auto& rows = table();
  if (!rows.empty()) {
    const Row& def = rows.front();
    out.max_tags = def.max_tags.value_or(50);
    out.max_key_length = def.max_key.value_or(128);
    out.max_value_length = def.max_value.value_or(256);
    if (def.charset) out.punctuation = *def.charset;
    out.charset_source = def.source;
  }
  // A CloudFormation type's published schema can state its own limit (maxItems of the tag
  // property); front ends record it on the resource.
  if (r.max_user_tags != out.max_tags) {
    out.max_tags = r.max_user_tags;
    out.max_tags_source = "its CloudFormation resource schema";
  }
  bool service_rules = !schema || schema->limits.service_rules;
  if (service_rules && rows.size() > 1) {
    std::vector<std::string> names = ResourceTypes::aws().names_for(r.type);
    auto it = std::find_if(rows.begin() + 1, rows.end(), [&](const Row& row) {
      return std::any_of(row.scope.begin(), row.scope.end(),
                         [&](const std::string& g) { return scope_glob_match(g, names); });
    });
    if (it != rows.end()) {
      if (it->max_tags) {
        out.max_tags = *it->max_tags;
        out.max_tags_source = it->source;
      }
      if (it->max_key) out.max_key_length = *it->max_key;
      if (it->max_value) out.max_value_length = *it->max_value;
      if (it->charset) {
        out.any_character = *it->charset == "any";
        if (!out.any_character) out.punctuation = *it->charset;
        out.charset_source = it->source;
      }
    }
  }
  if (schema) {
    const SchemaLimits& lim = schema->limits;
    if (lim.max_tags && *lim.max_tags < out.max_tags) {
      out.max_tags = *lim.max_tags;
      out.max_tags_from_schema = true;
    }
    if (lim.max_key_length && *lim.max_key_length < out.max_key_length) {
      out.max_key_length = *lim.max_key_length;
      out.length_from_schema = true;
    }
    if (lim.max_value_length && *lim.max_value_length < out.max_value_length) {
      out.max_value_length = *lim.max_value_length;
      out.length_from_schema = true;
    }
  }
  return out;
}

}  // namespace tagwarden
