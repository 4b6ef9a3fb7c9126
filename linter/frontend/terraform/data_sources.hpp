// Stage: data sources whose result Terraform knows at plan time without calling AWS, because
// they only read the provider configuration: `aws_default_tags` (its default_tags) and
// `aws_region` (its region). Every other data source stays unknown.
#pragma once
#include <optional>
#include <string>

#include "linter/eval/tf/value.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/providers.hpp"

namespace tagwarden::terraform {

/// The value of `data.<type>` in a module instance: an object of data block name -> its
/// attributes, for `type` "aws_default_tags" (`tags`: the provider configuration's default_tags,
/// under TF_AWS_DEFAULT_TAGS_* when `options.env_provider_tags`) and "aws_region" (`name`,
/// `region`, `id`: the `name`/`region` argument, else the provider's `region`). A block whose
/// provider is not configured, inherited from outside the run, has no literal region, or that
/// has `depends_on` (read during apply) is unknown with the reason. nullopt: `mod` declares no
/// data block of that type, or the type is not one of these (the reference is unknown).
std::optional<tf::Value> data_source_value(const ModuleDir& mod, const ProviderMap& providers,
                                           const RunOptions& options, const std::string& type, Span at,
                                           const ExprEval& eval);

}  // namespace tagwarden::terraform
