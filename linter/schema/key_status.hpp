// How one resource stands against one schema key: the question a coverage report asks per
// resource and key ("compliant / invalid / missing / unknown"). Uses the same predicates as
// the rules (TW001, TW002, TW003, TW008), so a report and a check never disagree.
#pragma once
#include "linter/model/effective_tags.hpp"
#include "linter/schema/schema.hpp"

namespace tagwarden {

enum class KeyStatus {
  kNotApplicable,  ///< the schema does not check this key on this resource (scope, skip)
  kCompliant,      ///< present with the right key case and an allowed value
  kInvalid,        ///< present, but the value is not allowed or the key's case is wrong
  kMissing,        ///< required and absent
  kAbsent,         ///< optional and absent
  kUnknown,        ///< cannot be decided statically (value or key set unknown)
};

std::string_view key_status_name(KeyStatus s);  ///< "compliant", "invalid", ...

/// The status of `spec` on one tag set (one variant) of resource `r`.
KeyStatus key_status(const Schema& schema, const TagSpec& spec, const Resource& r, const TagSet& tags);

}  // namespace tagwarden
