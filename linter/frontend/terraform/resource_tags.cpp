#include "linter/frontend/terraform/resource_tags.hpp"

#include <fmt/format.h>

#include <map>

#include "linter/frontend/terraform/syntax.hpp"
#include "linter/model/text.hpp"

namespace tagwarden::terraform {

using tf::Value;

TagEntry tag_entry(std::string key, const Value& value, Span key_span, Origin origin) {
  TagEntry t;
  t.key = std::move(key);
  t.key_span = key_span;
  t.value_span = value.span();
  t.origin = std::move(origin);
  if (value.is_unknown()) {
    t.unknown_reason = value.unknown_reason();
    t.value_error = value.is_error();
  } else if (auto s = value.to_string()) {
    t.value = *s;
  } else {
    t.unknown_reason = fmt::format("tag value is a {}, not a string", value.type_name());
  }
  return t;
}

void apply_tag_map(TagSetBuilder& tags, const Value& v, const Origin& origin, std::vector<Error>* errors) {
  if (v.is_null()) return;
  if (v.is_unknown()) {
    tags.keys_unknown(v.unknown_reason(), v.span().valid() ? v.span() : origin.span, v.is_error());
    return;
  }
  if (v.kind() != Value::Kind::kMap) {
    // Terraform rejects it: tags are a map of strings.
    std::string why = fmt::format("tags must be a map of strings, not a {}", v.type_name());
    if (errors != nullptr) errors->push_back(Error{v.span().valid() ? v.span() : origin.span, "", why});
    tags.keys_unknown(std::move(why), v.span(), errors != nullptr);
    return;
  }
  if (v.map_open()) {
    std::string reason = "tags merge a map whose keys are not known";
    // The evaluator's merge() marks the values an unknown argument may override with its
    // reason: the best account of why the keys are not known.
    constexpr std::string_view kOverridden = "may be overridden by a later merge() argument: ";
    for (const auto& [k, entry] : v.as_map()) {
      const std::string& why = entry.value.is_unknown() ? entry.value.unknown_reason() : std::string();
      if (why.rfind(kOverridden, 0) == 0) {
        reason += ": " + why.substr(kOverridden.size());
        break;
      }
    }
    tags.keys_unknown(std::move(reason), v.span().valid() ? v.span() : origin.span);
  }
  for (const auto& [k, entry] : v.as_map()) {
    TagEntry t = tag_entry(k, entry.value, entry.key_span, origin);
    t.entry_value_span = entry.value_span;
    if (errors != nullptr && (entry.value.kind() == Value::Kind::kList || entry.value.kind() == Value::Kind::kMap)) {
      errors->push_back(Error{entry.value.span().valid() ? entry.value.span() : entry.key_span, "",
                              fmt::format("tag {} must be a string, not a {}", k, entry.value.type_name())});
      t.value_error = true;
    }
    // What a null means (the key removed, or the lower layer's value kept) is the layer's.
    if (entry.value.is_null())
      tags.set_null(std::move(t));
    else
      tags.set(std::move(t));
  }
}

namespace {

std::vector<std::string> string_list(const Value& v) {
  std::vector<std::string> out;
  if (v.kind() != Value::Kind::kList) return out;
  for (const auto& i : v.as_list())
    if (auto s = i.to_string()) out.push_back(*s);
  return out;
}

TagSet finish_tags(const TagScope& scope, TagSetBuilder&& tags, const ProviderConfig* pc, const hcl::Block& block) {
  // ignore_tags: the provider neither sets nor reports these keys.
  if (pc != nullptr) {
    tags.ignore_keys(string_list(pc->ignore_keys));
    tags.ignore_key_prefixes(string_list(pc->ignore_prefixes));
  }
  if (scope.options.env_provider_tags) {
    if (auto e = scope.options.env.find("TF_AWS_IGNORE_TAGS_KEYS"); e != scope.options.env.end())
      tags.ignore_keys(split_nonempty(e->second, ','));
    if (auto e = scope.options.env.find("TF_AWS_IGNORE_TAGS_KEY_PREFIXES"); e != scope.options.env.end())
      tags.ignore_key_prefixes(split_nonempty(e->second, ','));
  }
  TagSet set = std::move(tags).build();
  // Related locations: module arguments and locals the entry was written in (a local is found
  // by position, not by formatting every local of the module for every resource).
  for (auto& t : set.entries) {
    bool key_here = span_contains(block.span, t.key_span);
    for (const auto& c : scope.trail)
      if (span_contains(c.span, t.value_span) || (!key_here && span_contains(c.span, t.key_span))) t.trail.push_back(c);
    const hcl::Attribute* first = local_holding(scope.mod, t.value_span);
    const hcl::Attribute* second = key_here ? nullptr : local_holding(scope.mod, t.key_span);
    if (second == first) second = nullptr;
    if (first == nullptr || (second != nullptr && second->name < first->name)) std::swap(first, second);  // by name
    for (const hcl::Attribute* a : {first, second})
      if (a != nullptr) t.trail.push_back(Related{a->span, fmt::format("local.{}", a->name)});
  }
  return set;
}

// aws_autoscaling_group: `tag { key, value, propagate_at_launch }` blocks and `dynamic "tag"`
// blocks; provider default_tags do not apply (AWS provider docs).
void apply_tag_blocks(const TagScope& scope, TagSetBuilder& tags, const hcl::Block& block, const Iter& it) {
  auto add_block = [&](const hcl::Body& body, Span body_span, const Iter& bit) {
    const hcl::Attribute* k = find_attr(body, "key");
    const hcl::Attribute* v = find_attr(body, "value");
    if (k == nullptr) return;
    Value key = scope.eval(k->expr, &bit);
    Value val = v ? scope.eval(v->expr, &bit) : Value::null();
    if (key.is_unknown()) {
      tags.keys_unknown(key.unknown_reason(), k->span, key.is_error());
      return;
    }
    auto ks = key.to_string();
    if (!ks || val.is_null()) return;
    // The origin span is the `tag` block (or the dynamic block's content) that wrote it.
    tags.set(tag_entry(*ks, val, k->expr->span, Origin{OriginKind::kResource, "tag block", body_span}));
  };
  for (const hcl::Block* tb : blocks_of(block.body, "tag")) add_block(tb->body, tb->span, it);
  for (const hcl::Block* db : blocks_of(block.body, "dynamic")) {
    if (db->labels.size() != 1 || db->labels[0] != "tag") continue;
    const hcl::Attribute* fe = find_attr(db->body, "for_each");
    auto contents = blocks_of(db->body, "content");
    if (fe == nullptr || contents.empty()) continue;
    std::string iter_name = "tag";
    if (const hcl::Attribute* ia = find_attr(db->body, "iterator");
        ia && ia->expr && ia->expr->kind == hcl::ExprKind::kVariable)
      iter_name = ia->expr->name;
    Value coll = scope.eval(fe->expr, &it);
    auto run_one = [&](Value key, Value value) {
      Iter bit = it;
      tf::MapData m;
      m["key"] = tf::MapEntry{std::move(key), {}, {}};
      m["value"] = tf::MapEntry{std::move(value), {}, {}};
      bit.iterators[iter_name] = Value::map(std::move(m), fe->span);
      add_block(contents[0]->body, db->span, bit);
    };
    if (coll.kind() == Value::Kind::kMap && !coll.map_open()) {
      for (const auto& [k, e] : coll.as_map()) run_one(Value::string(k, e.key_span), e.value);
    } else if (coll.kind() == Value::Kind::kList) {
      std::size_t i = 0;
      for (const auto& v : coll.as_list()) run_one(Value::number(static_cast<double>(i++)), v);
    } else if (!coll.is_null()) {
      tags.keys_unknown(coll.is_unknown()
                            ? fmt::format("dynamic \"tag\" for_each is not known: {}", coll.unknown_reason())
                            : "dynamic \"tag\" for_each is not a collection",
                        fe->span);
    }
  }
}

}  // namespace

TagSet compute_tags(const TagScope& scope, const hcl::Block& block, const Iter& it, const TypeTagging& tt,
                    const std::string& provider_name, const hcl::Attribute* tags_attr) {
  // Layers, lowest first: TF_AWS_DEFAULT_TAGS_* from the environment, the provider
  // configuration's default_tags (a configured argument wins over the environment, as for
  // every provider argument), the resource's own tags (AWS provider docs, default_tags:
  // "tags configured on the resource ... will override matching keys").
  TagSetBuilder tags;
  const ProviderConfig* pc = nullptr;
  if (auto p = scope.providers.find(provider_name); p != scope.providers.end()) pc = p->second.get();
  if (tt.default_tags && provider_base(provider_name) == "aws") {
    if (pc == nullptr) {
      tags.keys_unknown(fmt::format("provider {} is not configured", provider_name), block.span);
    } else {
      if (pc->inherited_unknown) tags.keys_unknown(pc->unknown_reason, block.span);
      if (scope.options.env_provider_tags) {
        constexpr std::string_view kPrefix = "TF_AWS_DEFAULT_TAGS_";
        for (const auto& [name, value] : scope.options.env) {
          if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
          tags.set(tag_entry(name.substr(kPrefix.size()), Value::string(value), {},
                             Origin{OriginKind::kEnvironment, name, {}}));
        }
      }
      tags.begin_layer();
      apply_tag_map(tags, pc->default_tags, Origin{OriginKind::kProviderDefaultTags, pc->label, pc->default_tags_span},
                    scope.errors);
    }
  }
  // A null value in a resource's tags (AWS provider 5.100, checked with real plans in
  // fixtures/oracle/null_*): SDKv2 resources keep the default_tags value of that key, as if the
  // key were not written; Plugin-Framework resources send the empty string.
  tags.begin_layer(tt.framework ? NullMeans::kEmpty : NullMeans::kNotSet);
  if (tt.tag_attr == "tag") {
    apply_tag_blocks(scope, tags, block, it);
  } else if (tags_attr != nullptr) {
    apply_tag_map(tags, scope.eval(tags_attr->expr, &it),
                  Origin{OriginKind::kResource, "resource tags", tags_attr->span}, scope.errors);
  }
  return finish_tags(scope, std::move(tags), pc, block);
}

std::vector<ExtraTagTarget> extra_tag_targets(const hcl::Block& block, const std::string& address, const Iter& it,
                                              const ExprEval& eval) {
  std::vector<ExtraTagTarget> out;
  const std::string& type = block.labels[0];
  auto add = [&](std::string addr, std::string rtype, const hcl::Block& owner, const hcl::Attribute* tags,
                 bool default_tags) {
    if (tags == nullptr) return;
    out.push_back(ExtraTagTarget{std::move(addr), std::move(rtype), &owner, tags, default_tags});
  };
  if (type == "aws_instance" || type == "aws_spot_instance_request") {
    // volume_tags: "map of tags to assign to the devices created by the instance at launch
    // time" (AWS provider aws_instance docs); provider default_tags are not merged into them
    // (hashicorp/terraform-provider-aws#19188).
    add(address + " (volume_tags)", "aws_ebs_volume", block, find_attr(block.body, "volume_tags"), false);
    // Block-device tags get default_tags since hashicorp/terraform-provider-aws#33769.
    for (const hcl::Block* b : blocks_of(block.body, "root_block_device"))
      add(address + " (root_block_device)", "aws_ebs_volume", *b, find_attr(b->body, "tags"), true);
    for (const hcl::Block* b : blocks_of(block.body, "ebs_block_device")) {
      std::string dev = "?";
      if (const hcl::Attribute* d = find_attr(b->body, "device_name"))
        dev = eval(d->expr, &it).to_string().value_or("?");
      add(fmt::format("{} (ebs_block_device {})", address, dev), "aws_ebs_volume", *b, find_attr(b->body, "tags"),
          true);
    }
  }
  if (type == "aws_launch_template") {
    // tag_specifications tag what instances launched from the template create; the provider's
    // default_tags apply to the launch template itself, not to these.
    static const std::map<std::string, std::string> kTypes = {
        {"instance", "aws_instance"},
        {"volume", "aws_ebs_volume"},
        {"network-interface", "aws_network_interface"},
        {"spot-instances-request", "aws_spot_instance_request"},
    };
    for (const hcl::Block* b : blocks_of(block.body, "tag_specifications")) {
      std::string rt = "?";
      if (const hcl::Attribute* a = find_attr(b->body, "resource_type"))
        rt = eval(a->expr, &it).to_string().value_or("?");
      auto known = kTypes.find(rt);
      add(fmt::format("{} (tag_specifications {})", address, rt),
          known != kTypes.end() ? known->second : fmt::format("aws_launch_template ({})", rt), *b,
          find_attr(b->body, "tags"), false);
    }
  }
  return out;
}

}  // namespace tagwarden::terraform
