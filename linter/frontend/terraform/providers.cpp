#include "linter/frontend/terraform/providers.hpp"

#include <fmt/format.h>

#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

// AWS provider docs: default_tags "apply to all resources with a tags attribute" of that
// provider configuration; resource tags win per key; ignore_tags removes keys and key prefixes
// from what the provider manages (registry.terraform.io/providers/hashicorp/aws/latest/
// docs#default_tags-configuration-block). Default (unaliased) provider configurations are
// inherited implicitly by child modules; aliased ones only through `providers = {...}`
// (developer.hashicorp.com/terraform/language/modules/develop/providers).

std::optional<InheritedLayer> inherited_layer(const ProviderMap& providers, const std::string& provider_name) {
  if (provider_base(provider_name) != "aws") return std::nullopt;
  auto p = providers.find(provider_name);
  if (p == providers.end() || p->second->inherited_unknown) return std::nullopt;
  const ProviderConfig& pc = *p->second;
  bool has = pc.default_tags_span.valid();
  return InheritedLayer{OriginKind::kProviderDefaultTags, pc.label, has ? pc.default_tags_span : pc.block_span, has};
}

void build_provider_configs(const ModuleDir& mod, const std::string& instance_name, bool root, const ExprEval& eval,
                            ProviderMap& providers, const std::set<std::string>& passed) {
  for (const hcl::Block* b : mod.providers) {
    std::string name = b->labels[0];
    if (auto alias = literal_string(find_attr(b->body, "alias") ? find_attr(b->body, "alias")->expr : nullptr))
      name += "." + *alias;
    // A child's block with nothing but an alias is a proxy when its caller passes that name in
    // `providers`: it configures nothing (developer.hashicorp.com/terraform/language/modules/
    // develop/providers). Without an explicit pass, an empty block is a configuration of its own
    // (real plans: fixtures/oracle/proxy_provider_blocks, empty_provider_block_implicit).
    if (!root && is_proxy_block(*b) && passed.count(name) && providers.count(name)) continue;
    auto pc = std::make_shared<ProviderConfig>();
    pc->label =
        instance_name.empty() ? fmt::format("provider {}", name) : fmt::format("provider {} ({})", name, instance_name);
    pc->block_span = b->span;
    if (provider_base(name) == "aws") {
      if (const hcl::Attribute* r = find_attr(b->body, "region")) pc->region = eval(r->expr, nullptr);
      auto dts = blocks_of(b->body, "default_tags");
      if (!dts.empty()) {
        pc->default_tags_span = dts[0]->span;
        if (const hcl::Attribute* t = find_attr(dts[0]->body, "tags")) pc->default_tags = eval(t->expr, nullptr);
      }
      auto its = blocks_of(b->body, "ignore_tags");
      if (!its.empty()) {
        if (const hcl::Attribute* k = find_attr(its[0]->body, "keys")) pc->ignore_keys = eval(k->expr, nullptr);
        if (const hcl::Attribute* p = find_attr(its[0]->body, "key_prefixes"))
          pc->ignore_prefixes = eval(p->expr, nullptr);
      }
    }
    providers[name] = std::move(pc);
  }
  if (root && !providers.count("aws")) {
    // A directory with no `provider "aws"` block linted on its own is a module whose caller
    // supplies the provider: its default_tags cannot be known here.
    auto pc = std::make_shared<ProviderConfig>();
    pc->label = "provider aws";
    pc->inherited_unknown = true;
    pc->unknown_reason = "provider default_tags are inherited from the calling module";
    providers["aws"] = pc;
  }
  if (root) {
    for (const auto& alias : mod.configuration_aliases) {
      if (providers.count(alias)) continue;
      auto pc = std::make_shared<ProviderConfig>();
      pc->label = fmt::format("provider {}", alias);
      pc->inherited_unknown = true;
      pc->unknown_reason = fmt::format("provider {} default_tags are inherited from the calling module", alias);
      providers[alias] = pc;
    }
  }
}

ProviderMap providers_for_call(const ProviderMap& caller, const hcl::Block& call) {
  // Default configurations are inherited whether or not the call has a `providers` map: a map
  // that passes only `aws.peer = aws.west` still leaves the child the caller's default `aws`
  // (Terraform 1.11 with hashicorp/aws 5.100: fixtures/oracle/providers_map_alias_only).
  ProviderMap out;
  for (const auto& [pname, cfg] : caller)
    if (pname.find('.') == std::string::npos) out[pname] = cfg;
  const hcl::Attribute* pmap = find_attr(call.body, "providers");
  if (pmap != nullptr && pmap->expr && pmap->expr->kind == hcl::ExprKind::kObject) {
    const auto& kids = pmap->expr->children;
    for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
      auto to = provider_ref(kids[i]);
      auto from = provider_ref(kids[i + 1]);
      if (!to || !from) continue;
      if (auto p = caller.find(*from); p != caller.end()) out[*to] = p->second;
    }
  }
  return out;
}

std::set<std::string> passed_providers(const hcl::Block& call) {
  std::set<std::string> out;
  const hcl::Attribute* pmap = find_attr(call.body, "providers");
  if (pmap == nullptr || !pmap->expr || pmap->expr->kind != hcl::ExprKind::kObject) return out;
  const auto& kids = pmap->expr->children;
  for (std::size_t i = 0; i + 1 < kids.size(); i += 2)
    if (auto to = provider_ref(kids[i])) out.insert(*to);
  return out;
}

bool is_proxy_block(const hcl::Block& provider) {
  if (!provider.body.blocks.empty()) return false;
  for (const auto& a : provider.body.attributes)
    if (a.name != "alias") return false;
  return true;
}

std::string resource_provider(const hcl::Block& resource) {
  const hcl::Attribute* p = find_attr(resource.body, "provider");
  if (p != nullptr)
    if (auto ref = provider_ref(p->expr)) return *ref;
  const std::string& type = resource.labels[0];
  return type.substr(0, type.find('_'));
}

}  // namespace tagwarden::terraform
