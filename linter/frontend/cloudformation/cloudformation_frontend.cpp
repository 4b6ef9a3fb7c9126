// STUB: replaced by the CloudFormation front end.
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

namespace tagwarden {
bool is_cloudformation_template(const DocNode& root) {
  return root.is_map() && (root.get("AWSTemplateFormatVersion") != nullptr ||
                           (root.get("Resources") != nullptr && root.get("Resources")->is_map()));
}
FrontendResult evaluate_template(const LoadContext&, const ParsedDoc&, const TemplateOptions&) { return {}; }
std::vector<StackTag> command_line_stack_tags(const LoadContext&, std::vector<Error>&) { return {}; }
FrontendResult load_cloudformation(const LoadContext&, const std::vector<ParsedDoc>&) { return {}; }
}  // namespace tagwarden
