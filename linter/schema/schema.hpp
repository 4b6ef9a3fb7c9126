// The tag schema a run checks against: which keys are required where, which values they allow,
// how their letter case is judged, and which resources the rules apply to. Read from a native
// schema file (version 1, YAML or JSON, validated by schema/tagwarden-schema.json), from AWS
// Organizations tag policies (linter/policy/tag_policy.hpp) or from a ListRequiredTags
// response (linter/policy/required_tags.hpp); every kind becomes this one model.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/schema/regex.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Resource types a rule applies to: globs over Terraform, CloudFormation and tag-policy type
/// names (see scope_glob_match in resource_types.hpp). Empty `applies_to` means every type.
struct TypeScope {
  std::vector<std::string> applies_to;
  std::vector<std::string> except;

  bool empty() const { return applies_to.empty() && except.empty(); }
  /// True when a resource answering to `names` (ResourceTypes::names_for) is in scope.
  bool contains(const std::vector<std::string>& names) const;
};

enum class KeyCase { kExact, kInsensitive };
enum class ValueCase { kAny, kLower, kUpper };

struct TagSpec {
  std::string key;
  Span span;                              ///< the key in the schema file (for a tag policy: the policy key)
  bool required = false;                  ///< required on every resource in scope...
  std::vector<std::string> required_for;  ///< ...or, when not empty, only on these types
  std::vector<std::string> values;        ///< exact (case-sensitive); '*' is a wildcard
  bool forbidden = false;                 ///< `values: []`: no value is allowed, the key must not be set
  std::optional<Regex> pattern;           ///< RE2, searched in the value
  KeyCase key_case = KeyCase::kExact;
  ValueCase value_case = ValueCase::kAny;
  std::optional<Level> severity;  ///< overrides the rule's level for findings about this key
  std::string description;        ///< shown in findings about this key
  TypeScope scope;
  /// Where the rule comes from when that is not the key itself: a tag policy's key and file.
  /// Added to every finding about this key as a related location.
  std::vector<Related> origin;
  /// Where a requirement comes from when that depends on the resource's type (a ListRequiredTags
  /// response: one entry per ResourceType): findings about the key on a resource add, as related
  /// locations, the entries whose `types` (scope globs) match the resource.
  struct TypedOrigin {
    std::vector<std::string> types;
    Related where;
  };
  std::vector<TypedOrigin> typed_origin;
  std::vector<std::string> enforced_for;  ///< tag policy: types where AWS blocks noncompliant tagging

  bool has_value_constraint() const { return forbidden || !values.empty() || pattern || value_case != ValueCase::kAny; }
  /// True when `value` passes `values`/`pattern` and `value_case` (and the key is not forbidden).
  bool allows(const std::string& value) const;
  /// True when a tag key written `key` is this spec's key: equal, or equal ignoring case for
  /// `case: insensitive`.
  bool matches_key(const std::string& key) const;
  /// True when the key must be present on a resource answering to `names`.
  bool required_on(const std::vector<std::string>& names) const;
  /// What the value was expected to be, for messages ("one of `a` or `b`", "lowercase").
  std::string expectation() const;
};

struct SchemaLimits {
  std::optional<int> max_tags;
  std::optional<std::size_t> max_key_length;
  std::optional<std::size_t> max_value_length;
  bool service_rules = true;  ///< apply data/tag_rules.tsv's per-service exceptions
};

/// Something worth telling the user about the schema that is not an error (a tag-policy type
/// that maps to no Terraform or CloudFormation type).
struct SchemaNote {
  Span span;
  std::string message;
};

enum class SchemaKind { kNative, kTagPolicy, kRequiredTags };

struct Schema {
  int version = 1;
  SchemaKind kind = SchemaKind::kNative;
  FileId file = kNoFile;
  std::vector<TagSpec> tags;      ///< in file order
  TypeScope scope;                ///< the whole schema's types
  std::vector<std::string> skip;  ///< resource address globs the schema does not check
  SchemaLimits limits;
  std::vector<SchemaNote> notes;

  /// The spec whose key equals `key` exactly, or nullptr.
  const TagSpec* find(const std::string& key) const;
  /// The spec whose key equals `key` ignoring case but not exactly, or nullptr.
  const TagSpec* find_case_variant(const std::string& key) const;
  /// The spec a tag written `key` is judged by: the exact one, else a `case: insensitive` spec
  /// equal ignoring case; nullptr when none.
  const TagSpec* match(const std::string& key) const;
  /// True when the schema checks resource `r` at all (its scope, minus `skip`).
  bool covers(const Resource& r) const;
  /// True when the schema checks key `spec` on resource `r`.
  bool applies(const TagSpec& spec, const Resource& r) const;
  /// "the schema" or "the tag policy", for messages.
  std::string_view noun() const;
  /// The first key whose `required` names a tag-policy type (`lambda:function`, `rds:*`), or
  /// nullptr: only then can a resource type without a tag-policy type miss a requirement.
  const TagSpec* policy_scoped_requirement() const;
  /// True when the schema covers `r`, which can be tagged, has a requirement named by
  /// tag-policy type, and `r`'s type has no tag-policy type (see unmapped_type_notes).
  bool beyond_policy_types(const Resource& r) const;
};

/// Requirements named by tag-policy type reach only resources whose type has one (through
/// data/aws_resource_types.tsv). One note per type in `unmapped` (type -> resources the schema
/// covers whose type has no tag-policy type), sorted by type, when the schema has such a
/// requirement; nothing otherwise. Notes are not findings: the types may well be fine untagged.
std::vector<SchemaNote> unmapped_type_notes(const Schema& schema, const std::map<std::string, std::size_t>& unmapped);

/// Parses a native schema file already registered in `sm`. Errors are positioned; when any is
/// returned the schema must not be used. (Tag policies and ListRequiredTags responses are read
/// by linter/policy/schema_loader.hpp, which also tells the kinds apart.)
std::optional<Schema> load_schema(const SourceManager& sm, FileId file, std::vector<Error>& errors);
/// Builds a native schema from an already parsed document of `file`.
std::optional<Schema> read_native_schema(const DocNode& root, FileId file, std::vector<Error>& errors);

/// Matches `value` against a `values` entry where '*' matches any run of characters.
bool wildcard_match(std::string_view pattern, std::string_view value);

}  // namespace tagwarden
