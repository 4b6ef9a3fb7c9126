// Stage: provider configurations. Which configuration a resource uses, what a module call
// passes to its child, and each AWS configuration's default_tags and ignore_tags (AWS provider
// docs, default_tags configuration block; developer.hashicorp.com/terraform/language/modules/
// develop/providers).
#pragma once
#include <map>
#include <memory>
#include <set>
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
  tf::Value ignore_keys;   ///< `ignore_tags { keys = ... }`, evaluated; null: none
  tf::Value ignore_prefixes;
  tf::Value region;  ///< the `region` argument, evaluated; null: not written (from the environment)
};
/// Configuration name ("aws", "aws.west") -> configuration.
using ProviderMap = std::map<std::string, std::shared_ptr<const ProviderConfig>>;

/// Adds the configurations `mod`'s own `provider` blocks write to `providers` (replacing
/// inherited ones of the same name, except in a child module a proxy block, is_proxy_block,
/// for a name its caller passes explicitly: `passed`, see passed_providers); only `aws` ones read default_tags/ignore_tags/region,
/// evaluated with `eval`. `instance_name` is "" for a root, else "module.a[0]". For a root (`root`),
/// a missing default `aws` configuration and every undeclared `configuration_aliases` entry
/// become configurations whose default_tags are inherited, hence unknown.
void build_provider_configs(const ModuleDir& mod, const std::string& instance_name, bool root, const ExprEval& eval,
                            ProviderMap& providers, const std::set<std::string>& passed = {});

/// The child-side names a module call's `providers` map lists ("aws", "aws.peer").
std::set<std::string> passed_providers(const hcl::Block& call);

/// The configurations a `module` call passes to its child: every default (unaliased) one the
/// caller has, then what its `providers = { child = caller }` map lists (winning).
ProviderMap providers_for_call(const ProviderMap& caller, const hcl::Block& call);

/// A `provider` block with no arguments but `alias` and no nested blocks (a proxy
/// configuration block when it is in a child module).
bool is_proxy_block(const hcl::Block& provider);

/// The configuration a resource uses: its `provider` meta-argument, else the default
/// configuration of the type's prefix up to the first `_`
/// (developer.hashicorp.com/terraform/language/meta-arguments/resource-provider).
std::string resource_provider(const hcl::Block& resource);

}  // namespace tagwarden::terraform
