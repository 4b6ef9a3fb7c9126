// How a template is deployed, read from the files that deploy it: a CloudFormation Git sync
// deployment file (`template-file-path`, `parameters`, `tags`) and each environment of a SAM
// CLI configuration file (`samconfig.toml`/`.yaml`/`.yml`: `parameter_overrides`, `tags`,
// `stack_name`, `template_file`). A template named by such files is evaluated once per
// deployment, with that deployment's parameter values and stack tags.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"
#include "linter/frontend/cloudformation/parameter_values.hpp"

namespace tagwarden {

struct Deployment {
  /// Paths the deployed template may have, most likely first (normalised). A Git sync
  /// `template-file-path` is relative to the repository root, which is one of the deployment
  /// file's ancestors: the deepest ancestor that holds the template is taken.
  std::vector<std::string> template_candidates;
  std::string name;  ///< prefix of the resources' addresses: the stack name, else the file (and environment)
  std::vector<std::pair<std::string, std::string>> parameters;  ///< in order; a later one wins
  std::vector<StackTag> tags;
  Span span;         ///< the file, or the entry naming the template (for "no such template")
  std::string what;  ///< "template-file-path" or "template_file", for messages
};

/// A deployment that names no template of the run: an error when none of its candidate paths
/// exists; nullopt when one does (a template outside the paths checked is not this run's
/// business).
std::optional<Error> missing_template_error(const LoadContext& ctx, const Deployment& d);

/// True for the names the SAM CLI reads its configuration from.
bool is_samconfig_name(const std::string& path);

/// True when a JSON/YAML document is a Git sync deployment file (a map with a string
/// `template-file-path`).
bool is_git_sync_deployment(const DocNode& root);

/// Reads a Git sync deployment file found at `path`.
void read_git_sync_deployment(const DocNode& root, const std::string& path, std::vector<Deployment>& out,
                              std::vector<Error>& errors);

/// Reads a SAM CLI configuration file (TOML, or YAML for .yaml/.yml): one deployment per
/// environment with `deploy` or `global` parameters.
void read_samconfig(const SourceFile& file, FileId id, const std::string& path, std::vector<Deployment>& out,
                    std::vector<Error>& errors);

/// Parses the SAM CLI's `parameter_overrides` and `tags` shapes: a string of space-separated
/// `KEY=VALUE` (values may be quoted; `ParameterKey=K,ParameterValue=V` too) or a list of them.
std::vector<std::pair<std::string, std::string>> parse_sam_key_values(const DocNode& node, std::string_view what,
                                                                      std::vector<Error>& errors);

/// A TOML document as a DocNode tree (tables and arrays of tables as maps and sequences, keys
/// sorted, spans from TOML's own positions); a syntax error is a positioned error.
DocResult parse_toml(const SourceFile& file, FileId id);

}  // namespace tagwarden
