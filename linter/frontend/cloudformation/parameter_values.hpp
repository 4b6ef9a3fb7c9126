// Parameter values given for a deployment: `--parameters FILE` (the JSON that
// `aws cloudformation create-stack --parameters` and `deploy --parameter-overrides` take) and
// `--parameter NAME=VALUE`, each for every template or scoped to one (`TEMPLATE:...`).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "linter/frontend/frontend.hpp"

namespace tagwarden {

/// One given value; `scope` is the template path it is for (normalised), empty for all.
struct GivenParameter {
  std::string scope;
  std::string name;
  std::string value;
};

/// The values given on the command line, read once per run.
class ParameterValues {
 public:
  /// Reads every --parameters file; unreadable files and bad entries become positioned errors.
  ParameterValues(const LoadContext& ctx, std::vector<Error>& errors);
  /// The values for the template at `path`, in precedence order (a later one wins): files,
  /// then --parameter; within each, values for all templates, then values for this one.
  std::vector<std::pair<std::string, std::string>> for_template(const std::string& path) const;

 private:
  std::vector<GivenParameter> files_;
  std::vector<GivenParameter> command_line_;
};

/// Splits "TEMPLATE:REST" where TEMPLATE ends in .json, .yaml, .yml or .template; otherwise the
/// scope is empty and `rest` is the whole text (so "AWS::Region=..." stays unscoped).
std::pair<std::string, std::string> split_template_scope(const std::string& text);

/// Reads one parameter file's document into `out` (tests use it directly).
void read_parameter_document(const DocNode& root, const std::string& scope, std::vector<GivenParameter>& out,
                             std::vector<Error>& errors);

}  // namespace tagwarden
