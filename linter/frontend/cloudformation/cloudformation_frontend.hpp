// CloudFormation and SAM front end: templates in JSON and YAML, intrinsic functions,
// conditions (one tag-set variant per undecided combination, capped), parameters, SAM
// Globals, stack tags.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/frontend/cloudformation/parameter_values.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/terraform_frontend.hpp"  // ParsedDoc

namespace tagwarden {

/// True when a parsed JSON/YAML document is a CloudFormation/SAM template (a `Resources` map
/// of `Type: AWS::...`/`Alexa::...` entries, or `AWSTemplateFormatVersion`).
bool is_cloudformation_template(const DocNode& root);

struct StackTag {
  std::string key;
  std::optional<std::string> value;  ///< nullopt: unknown (`unknown_reason` says why)
  Span span;                         ///< where it was given (a stack tags file entry, a manifest entry)
  std::string source;                ///< "--stack-tag", "stack tags file", "cdk manifest"
  std::string unknown_reason;
};

/// Adds `tag` to a stack's tags; a stack has one value per key, so a later definition
/// replaces an earlier one of the same key in place.
void set_stack_tag(std::vector<StackTag>& tags, StackTag tag);

/// Options for evaluating one template (used directly by the CDK front end).
struct TemplateOptions {
  std::string address_prefix;        ///< "" or "Stack/" (resources become Stack/LogicalId)
  std::vector<StackTag> stack_tags;  ///< applied to every taggable resource
  /// Non-empty: the stack's tags cannot all be listed (a nested stack whose parent's tags are
  /// not all known), so no taggable resource's key set is known.
  std::string stack_keys_unknown_reason;
  Span stack_keys_unknown_span;
  std::vector<std::pair<std::string, std::string>> parameters;  ///< overrides of defaults
};

/// Evaluates one template into resources.
FrontendResult evaluate_template(const LoadContext& ctx, const ParsedDoc& doc, const TemplateOptions& options);

/// A "KEY=VALUE" string (stack tag and parameter files), or nullopt after a positioned error
/// saying that a `what` must be written so.
std::optional<std::pair<std::string, std::string>> key_value_item(const DocNode& item, std::string_view what,
                                                                  std::vector<Error>& errors);

/// Reads a JSON file given on the command line (YAML when it ends in .yaml/.yml); errors are
/// positioned, and `root` is null when it cannot be read or parsed.
DocResult read_data_file(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors);

/// Stack tags given on the command line (--stack-tag, --stack-tags FILE), parsed once.
std::vector<StackTag> command_line_stack_tags(const LoadContext& ctx, std::vector<Error>& errors);
/// Stack tags of one root's inputs (RunOptions::inputs_for): files first, then KEY=VALUE pairs.
std::vector<StackTag> given_stack_tags(const LoadContext& ctx, const RootInputs& inputs, std::vector<Error>& errors);

struct Deployment;

/// What every plain template (not inside a CDK assembly) of a run is evaluated with: the
/// command line's stack tags and parameter values (--parameters files, --parameter), read once
/// per run.
struct PlainTemplateOptions {
  std::vector<StackTag> stack_tags;
  ParameterValues given;  ///< parameter values, some scoped to one template
};

/// Reads the command line's stack tags and parameter files; problems reading them go to `errors`.
PlainTemplateOptions plain_template_options(const LoadContext& ctx, std::vector<Error>& errors);

/// One plain template (a unit of work of its own). When `deployments` name it (Git sync
/// deployment files, samconfig environments; deployments.hpp) it is evaluated once per
/// deployment, in order, with the deployment's parameter values and stack tags under the
/// command line's; otherwise once, with the command line's. A template with inputs of its own
/// (a config file `roots` entry; RunOptions::inputs_for) takes those, under the command line's,
/// instead of the shared ones.
FrontendResult load_plain_template(const LoadContext& ctx, const ParsedDoc& doc, const PlainTemplateOptions& options,
                                   const std::vector<const Deployment*>& deployments);

/// Plain templates all at once (tests): each deployment goes to the first of its candidate
/// paths that is one of `templates`, then every template is loaded as load_plain_template does.
FrontendResult load_cloudformation(const LoadContext& ctx, const std::vector<ParsedDoc>& templates,
                                   const std::vector<Deployment>& deployments);

}  // namespace tagwarden
