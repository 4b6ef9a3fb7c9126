// What the SAM transform (AWS::Serverless-2016-10-31) does with tags beyond the SAM resource's
// own: which tagged resources it generates (API stages, custom domain names, roles, implicit
// APIs) under which logical ids, and which tags each gets. Learned from the SAM translator's
// tests (tests/translator/input and output of aws/serverless-application-model) and the SAM
// Developer Guide; docs/cloudformation.md "Resources the transform creates" lists every rule.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/frontend/cloudformation/intrinsics.hpp"
#include "linter/load/doc.hpp"

namespace tagwarden::sam {

/// Where a resource's tags come from when the transform writes them.
struct TagPlan {
  /// The SAM resource's `Tags` over its Globals section's `Tags`.
  bool user_tags = true;
  /// SAM's own tag of the SAM resource (`httpapi:createdBy`, ...), value `SAM`.
  bool framework_tag = true;
  /// Implicit APIs: the Globals section whose `Tags` lie under `propagated`, and the tag maps of
  /// the functions that propagate their tags to it, in template order (a later one wins).
  std::string globals_section;
  std::vector<const DocNode*> propagated;
  /// Entries the transform adds itself beside the user's (serverlessrepo:applicationId, ...).
  std::vector<std::pair<std::string, const DocNode*>> added;
};

/// A resource the transform generates that carries tags.
struct Generated {
  std::string id;    ///< its logical id
  std::string type;  ///< its CloudFormation type
  std::string why;   ///< "the stage of MyApi", said in a related location
  TagPlan tags;
  /// Implicit APIs: the `Condition` (a condition name) it exists under; null: always. Other
  /// generated resources take the SAM resource's.
  const DocNode* condition = nullptr;
};

/// A SAM resource as the transform sees it: the template's facts (parameters, for logical ids
/// that hash a custom domain name), its Globals and the resource's body.
struct SamResource {
  const cfn::TemplateFacts& facts;
  const DocNode* globals = nullptr;  ///< the template's `Globals`, or null
  std::string_view id;
  std::string_view type;
  const DocNode* body = nullptr;
};

/// How the transform tags the SAM resource itself: an `AWS::Serverless::Api` passes its `Tags`
/// to the RestApi only with `PropagateTags`; an Application's nested stack also gets the
/// `serverlessrepo:*` tags of its `Location`.
TagPlan own_tags(const SamResource& r);

/// The tagged resources the transform generates for `r` (the function's execution role is
/// modelled by the front end itself and not listed here).
std::vector<Generated> generated_by(const SamResource& r);

/// What the transform generates once for the template's functions: the CodeDeploy application
/// and service role of their deployment preferences, and the implicit APIs
/// (`ServerlessRestApi`, `ServerlessHttpApi`) that their `Api` and `HttpApi` events without an
/// API id create, with their stages.
std::vector<Generated> shared_resources(const cfn::TemplateFacts& facts, const DocNode* globals);

}  // namespace tagwarden::sam
