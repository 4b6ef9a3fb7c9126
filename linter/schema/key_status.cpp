#include "linter/schema/key_status.hpp"

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"

namespace tagwarden {

std::string_view key_status_name(KeyStatus s) {
  switch (s) {
    case KeyStatus::kNotApplicable:
      return "not_applicable";
    case KeyStatus::kCompliant:
      return "compliant";
    case KeyStatus::kInvalid:
      return "invalid";
    case KeyStatus::kMissing:
      return "missing";
    case KeyStatus::kAbsent:
      return "absent";
    case KeyStatus::kUnknown:
      return "unknown";
  }
  return "unknown";
}

KeyStatus key_status(const Schema& schema, const TagSpec& spec, const Resource& r, const TagSet& tags) {
  if (!schema.applies(spec, r)) return KeyStatus::kNotApplicable;
  const TagEntry* exact = nullptr;
  const TagEntry* variant = nullptr;
  std::string folded = fold_case(spec.key);
  for (const auto& e : tags.entries) {
    if (spec.matches_key(e.key))
      exact = exact ? exact : &e;
    else if (fold_case(e.key) == folded)
      variant = variant ? variant : &e;
  }
  if (exact) {
    if (!exact->value) return spec.has_value_constraint() ? KeyStatus::kUnknown : KeyStatus::kCompliant;
    return spec.allows(*exact->value) ? KeyStatus::kCompliant : KeyStatus::kInvalid;
  }
  if (variant) return KeyStatus::kInvalid;  // TW003: the key is there, spelt with other letter case
  bool required = spec.required_on(ResourceTypes::aws().names_for(r.type));
  if (!tags.keys_known) return required ? KeyStatus::kUnknown : KeyStatus::kAbsent;
  return required ? KeyStatus::kMissing : KeyStatus::kAbsent;
}

}  // namespace tagwarden
