#include "linter/model/effective_tags.hpp"

namespace tagwarden {

std::string origin_kind_name(OriginKind kind) {
  switch (kind) {
    case OriginKind::kResource:
      return "resource";
    case OriginKind::kProviderDefaultTags:
      return "default_tags";
    case OriginKind::kEnvironment:
      return "environment";
    case OriginKind::kStackTag:
      return "stack";
    case OriginKind::kSamGlobals:
      return "sam_globals";
    case OriginKind::kFramework:
      return "framework";
    case OriginKind::kPlan:
      return "plan";
  }
  return "resource";
}

}  // namespace tagwarden
