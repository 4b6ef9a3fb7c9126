#include "linter/frontend/terraform/data_sources.hpp"

#include <fmt/format.h>

#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

using tf::Value;

namespace {

// registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/default_tags: "tags -
// Key-value mapping of provider default tags".
Value default_tags_value(const ProviderConfig& pc, const RunOptions& options, Span at) {
  if (pc.default_tags.is_unknown()) return pc.default_tags;
  tf::MapData tags;
  if (options.env_provider_tags) {
    constexpr std::string_view kPrefix = "TF_AWS_DEFAULT_TAGS_";
    for (const auto& [name, value] : options.env)
      if (name.size() > kPrefix.size() && name.compare(0, kPrefix.size(), kPrefix) == 0)
        tags[name.substr(kPrefix.size())] = tf::MapEntry{Value::string(value, at), at, {}};
  }
  bool open = false;
  if (pc.default_tags.kind() == Value::Kind::kMap) {
    open = pc.default_tags.map_open();
    for (const auto& [k, e] : pc.default_tags.as_map()) {
      if (e.value.is_null()) continue;  // a null default tag is no tag
      tags[k] = e;
    }
  } else if (!pc.default_tags.is_null()) {
    return Value::unknown(fmt::format("default_tags of {} is a {}, not a map", pc.label, pc.default_tags.type_name()),
                          at);
  }
  return Value::map(std::move(tags), pc.default_tags_span.valid() ? pc.default_tags_span : at, open);
}

}  // namespace

std::optional<Value> data_source_value(const ModuleDir& mod, const ProviderMap& providers, const RunOptions& options,
                                       const std::string& type, Span at, const ExprEval& eval) {
  if (type != "aws_default_tags" && type != "aws_region") return std::nullopt;
  tf::MapData blocks;
  for (const hcl::Block* b : mod.data_sources) {
    if (b->labels[0] != type) continue;
    const std::string& name = b->labels[1];
    Span name_span = b->label_spans.size() > 1 ? b->label_spans[1] : b->span;
    auto unknown = [&](std::string why) {
      blocks[name] = tf::MapEntry{Value::unknown(std::move(why), at), name_span, {}};
    };
    if (find_attr(b->body, "depends_on") != nullptr) {
      unknown(fmt::format("data.{}.{} is read during apply (depends_on)", type, name));
      continue;
    }
    std::string provider = resource_provider(*b);
    auto p = providers.find(provider);
    if (p == providers.end()) {
      unknown(fmt::format("provider {} is not configured", provider));
      continue;
    }
    const ProviderConfig& pc = *p->second;
    if (pc.inherited_unknown) {
      unknown(pc.unknown_reason);
      continue;
    }
    tf::MapData attrs;
    if (type == "aws_default_tags") {
      attrs["tags"] = tf::MapEntry{default_tags_value(pc, options, at), at, {}};
    } else {
      // registry.terraform.io/providers/hashicorp/aws/latest/docs/data-sources/region: without
      // `name` (5.x; `region` in 6.x) it is "the region of the provider" configuration.
      Value region = pc.region;
      for (const char* arg : {"name", "region"})
        if (const hcl::Attribute* a = find_attr(b->body, arg)) region = eval(a->expr, nullptr);
      if (region.is_null())
        region = Value::unknown(fmt::format("the region of {} comes from the environment", pc.label), at);
      for (const char* attr : {"name", "region", "id"}) attrs[attr] = tf::MapEntry{region, at, {}};
    }
    blocks[name] = tf::MapEntry{Value::map(std::move(attrs), at), name_span, {}};
  }
  if (blocks.empty()) return std::nullopt;
  return Value::map(std::move(blocks), at);
}

}  // namespace tagwarden::terraform
