// AWS's tag limits for one resource: most user tags, longest key and value, allowed
// characters. The general limits and the documented per-service exceptions come from the
// embedded data/tag_rules.tsv (one source per row); a CloudFormation type's own schema limit
// (Resource::max_user_tags) and the schema's `limits` section narrow them.
#pragma once
#include <string>

#include "linter/model/effective_tags.hpp"
#include "linter/schema/schema.hpp"

namespace tagwarden {

struct TagRules {
  int max_tags = 50;
  std::size_t max_key_length = 128;
  std::size_t max_value_length = 256;
  bool any_character = false;            ///< the service allows every character (EC2)
  std::string punctuation = "_.:/=+-@";  ///< allowed besides letters, numbers and spaces
  /// Why max_tags has its value, for messages: "AWS allows ... for aws_s3_object (Amazon S3 User
  /// Guide, ...)"; empty for the general limit.
  std::string max_tags_source;
  bool max_tags_from_schema = false;  ///< the schema's `limits.max_tags` is the binding limit
  std::string charset_source;         ///< the document that states the character set
  bool length_from_schema = false;    ///< a schema limit is below AWS's key or value length

  /// True when `c` may appear in a tag key or value of this resource.
  bool allows(char32_t c) const;
  /// "letters, numbers, spaces and _ . : / = + - @", for messages.
  std::string describe_charset() const;
};

/// The rules for resource `r` under `schema` (may be null).
TagRules tag_rules_for(const Resource& r, const Schema* schema);

}  // namespace tagwarden
