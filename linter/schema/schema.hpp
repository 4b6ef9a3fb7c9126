// The tag schema a run checks against (version 1): which keys are required, which values or
// patterns they allow. Read from YAML or JSON with positioned errors.
#pragma once
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

struct TagSpec {
  std::string key;
  Span span;  ///< the key in the schema file
  bool required = false;
  std::vector<std::string> values;  ///< exact (case-sensitive); '*' is a wildcard
  std::optional<std::string> pattern;
  std::shared_ptr<const std::regex> pattern_re;  ///< compiled `pattern` (ECMAScript syntax)

  bool has_value_constraint() const { return !values.empty() || pattern.has_value(); }
  /// True when `value` matches one of `values` or `pattern` (or there is no constraint).
  bool allows(const std::string& value) const;
};

struct Schema {
  int version = 1;
  FileId file = kNoFile;
  std::vector<TagSpec> tags;  ///< in file order

  /// The spec whose key equals `key` exactly, or nullptr.
  const TagSpec* find(const std::string& key) const;
  /// The spec whose key equals `key` ignoring ASCII/Unicode case but not exactly, or nullptr.
  const TagSpec* find_case_variant(const std::string& key) const;
};

/// Parses a schema file already registered in `sm`. Errors are positioned; when any is
/// returned the schema must not be used.
std::optional<Schema> load_schema(const SourceManager& sm, FileId file, std::vector<Error>& errors);

/// Matches `value` against a `values` entry where '*' matches any run of characters.
bool wildcard_match(std::string_view pattern, std::string_view value);

}  // namespace tagwarden
