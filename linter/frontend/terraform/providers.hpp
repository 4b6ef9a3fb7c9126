// Stage: provider configurations. Which configuration a resource uses, what a module call
// passes to its child, and each AWS configuration's default_tags and ignore_tags (AWS provider
// docs, default_tags configuration block; developer.hashicorp.com/terraform/language/modules/
// develop/providers).
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "linter/eval/tf/value.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"

namespace tagwarden::terraform {

/// One provider configuration as a module instance sees it.
struct ProviderConfig {
  std::string label;  ///< where it is written: "provider aws.west (module.net)"
  /// Its default_tags cannot be known here (supplied by a caller outside this run).
  bool inherited_unknown = false;
  std::string unknown_reason;
  tf::Value default_tags;  ///< `default_tags { tags = ... }`, evaluated; null: none
  Span default_tags_span;  ///< the `default_tags` block
  Span block_span;         ///< the `provider` block (where a default_tags block would go)
  tf::Value ignore_keys;   ///< `ignore_tags { keys = ... }`, evaluated; null: none
  tf::Value ignore_prefixes;
};
/// Configuration name ("aws", "aws.west") -> configuration.
using ProviderMap = std::map<std::string, std::shared_ptr<const ProviderConfig>>;

/// Adds the configurations `mod`'s own `provider` blocks write to `providers` (replacing
/// inherited ones of the same name); only `aws` ones read default_tags/ignore_tags, evaluated
/// with `eval`. `instance_name` is "" for a root, else "module.a[0]". For a root (`root`),
/// a missing default `aws` configuration and every undeclared `configuration_aliases` entry
/// become configurations whose default_tags are inherited, hence unknown.
void build_provider_configs(const ModuleDir& mod, const std::string& instance_name, bool root, const ExprEval& eval,
                            ProviderMap& providers);

/// The configurations a `module` call passes to its child: exactly those its `providers = {
/// child = caller }` map lists, or (without a map) every default (unaliased) one the caller
/// has.
ProviderMap providers_for_call(const ProviderMap& caller, const hcl::Block& call);

/// The provider configuration whose default_tags reach a resource using `provider_name`: the
/// place where one tag added tags every resource of that configuration. Nullopt for non-AWS
/// configurations, unconfigured ones, and ones whose default_tags the caller supplies.
std::optional<InheritedLayer> inherited_layer(const ProviderMap& providers, const std::string& provider_name);

/// The configuration a resource uses: its `provider` meta-argument, else the default
/// configuration of the type's prefix up to the first `_`
/// (developer.hashicorp.com/terraform/language/meta-arguments/resource-provider).
std::string resource_provider(const hcl::Block& resource);

}  // namespace tagwarden::terraform
