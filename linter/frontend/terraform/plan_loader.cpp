#include "linter/frontend/terraform/plan_loader.hpp"

#include <fmt/format.h>

#include <map>

#include "linter/frontend/terraform/taggable_types.hpp"
#include "linter/model/tag_set_builder.hpp"

namespace tagwarden::terraform {
namespace {

bool is_true(const DocNode* n) { return n != nullptr && n->kind == DocNode::Kind::kBool && n->scalar == "true"; }

bool only_delete(const DocNode* actions) {
  return actions != nullptr && actions->is_seq() && actions->items.size() == 1 && actions->items[0].is_string() &&
         actions->items[0].scalar == "delete";
}

// Provider configuration keys ("aws.west", "module.net:aws") of the configuration's resources,
// by address without instance keys (`configuration.root_module`, recursively through
// `module_calls[NAME].module`).
void collect_provider_keys(const DocNode& module, const std::string& prefix, int depth,
                           std::map<std::string, std::string>& out) {
  if (depth > 64 || !module.is_map()) return;
  if (const DocNode* resources = module.get("resources"); resources && resources->is_seq()) {
    for (const DocNode& r : resources->items) {
      const DocNode* addr = r.get("address");
      const DocNode* key = r.get("provider_config_key");
      if (addr && key && addr->is_string() && key->is_string()) out[prefix + addr->scalar] = key->scalar;
    }
  }
  if (const DocNode* calls = module.get("module_calls"); calls && calls->is_map()) {
    for (std::size_t i = 0; i < calls->keys.size(); ++i)
      if (const DocNode* child = calls->items[i].get("module"))
        collect_provider_keys(*child, prefix + "module." + calls->keys[i] + ".", depth + 1, out);
  }
}

std::string strip_instance_keys(const std::string& address) {
  std::string out;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < address.size(); ++i) {
    char c = address[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '[')
      ++depth;
    else if (c == ']')
      --depth;
    else if (depth > 0 && c == '"')
      in_string = true;
    else if (depth == 0)
      out += c;
  }
  return out;
}

// The plan's tags map for one resource change, with unknown markers applied. `provider` names
// the provider configuration (from the plan's configuration), or "".
TagSet plan_tags(const DocNode& change, const std::string& tag_attr, const std::string& address,
                 const std::string& provider) {
  // One layer: the plan has already applied precedence (tags_all).
  TagSetBuilder set;
  const DocNode* after = change.get("after");
  const DocNode* unknown = change.get("after_unknown");
  const DocNode* unknown_tags = unknown != nullptr ? unknown->get(tag_attr) : nullptr;
  if (is_true(unknown_tags)) {
    set.keys_unknown(fmt::format("{} of {} is known only after apply", tag_attr, address), {});
    return std::move(set).build();
  }
  const DocNode* tags = after != nullptr ? after->get(tag_attr) : nullptr;
  if (tags == nullptr || !tags->is_map()) return std::move(set).build();
  // tags_all = provider default_tags overlaid by the resource's tags: a key absent from
  // `tags` came from the provider (AWS provider docs, default_tags).
  const DocNode* own = after->get("tags");
  auto detail = [&](const std::string& key) {
    if (tag_attr != "tags_all") return fmt::format("plan {}", tag_attr);
    bool from_resource = own != nullptr && own->is_map() && own->index_of(key) >= 0;
    if (from_resource) return std::string("plan tags_all (resource tags)");
    if (provider.empty()) return std::string("plan tags_all (provider default_tags)");
    return fmt::format("plan tags_all (provider {} default_tags)", provider);
  };
  for (std::size_t i = 0; i < tags->keys.size(); ++i) {
    const DocNode& v = tags->items[i];
    TagEntry e;
    e.key = tags->keys[i];
    e.origin = Origin{OriginKind::kPlan, detail(e.key), {}};
    if (is_true(unknown_tags != nullptr ? unknown_tags->get(e.key) : nullptr)) {
      e.unknown_reason = fmt::format("{}[\"{}\"] is known only after apply", tag_attr, e.key);
    } else if (v.kind == DocNode::Kind::kNull) {
      set.set_null(std::move(e));  // a null tag does not exist
      continue;
    } else if (v.is_scalar()) {
      e.value = v.scalar;
    } else {
      e.unknown_reason = "tag value is not a string";
    }
    set.set(std::move(e));
  }
  // Keys marked unknown but absent from `after` are still keys the plan will have.
  if (unknown_tags != nullptr && unknown_tags->is_map()) {
    for (std::size_t i = 0; i < unknown_tags->keys.size(); ++i) {
      const std::string& k = unknown_tags->keys[i];
      if (!is_true(&unknown_tags->items[i]) || tags->index_of(k) >= 0) continue;
      TagEntry e;
      e.key = k;
      e.origin = Origin{OriginKind::kPlan, detail(k), {}};
      e.unknown_reason = fmt::format("{}[\"{}\"] is known only after apply", tag_attr, k);
      set.set(std::move(e));
    }
  }
  return std::move(set).build();
}

}  // namespace

FrontendResult load_plan(const DocNode& root, const std::string& display_path) {
  FrontendResult out;
  const DocNode* changes = root.get("resource_changes");
  if (changes == nullptr) return out;  // a plan with no changes
  if (!changes->is_seq()) {
    out.errors.push_back(Error{changes->span, display_path, "resource_changes is not a list"});
    return out;
  }
  std::map<std::string, std::string> provider_keys;
  if (const DocNode* config = root.get("configuration"))
    if (const DocNode* rm = config->get("root_module")) collect_provider_keys(*rm, "", 0, provider_keys);
  for (const DocNode& rc : changes->items) {
    const DocNode* address = rc.get("address");
    const DocNode* type = rc.get("type");
    const DocNode* mode = rc.get("mode");
    const DocNode* change = rc.get("change");
    if (!rc.is_map() || address == nullptr || !address->is_string() || type == nullptr || !type->is_string() ||
        change == nullptr || !change->is_map()) {
      out.errors.push_back(Error{rc.span, display_path, "resource change without address, type or change"});
      continue;
    }
    if (mode != nullptr && mode->scalar == "data") continue;
    if (only_delete(change->get("actions"))) continue;

    Resource r;
    r.address = address->scalar;
    r.type = type->scalar;
    r.format = "terraform-plan";
    r.file_hint = display_path;
    TypeTagging tt = type_tagging(r.type);
    r.taggable = tt.taggable;
    if (tt.taggable != Taggable::kYes) {
      r.variants.emplace_back();
    } else if (tt.tag_attr == "tag") {
      // aws_autoscaling_group: tags are `tag` blocks, a list of {key, value, ...} objects.
      TagSetBuilder set;
      const DocNode* after = change->get("after");
      const DocNode* blocks = after != nullptr ? after->get("tag") : nullptr;
      if (blocks != nullptr && blocks->is_seq()) {
        for (const DocNode& b : blocks->items) {
          const DocNode* k = b.get("key");
          const DocNode* v = b.get("value");
          if (k == nullptr || !k->is_string()) continue;
          TagEntry e;
          e.key = k->scalar;
          e.origin = Origin{OriginKind::kPlan, "plan tag blocks", {}};
          if (v != nullptr && v->is_scalar() && v->kind != DocNode::Kind::kNull) {
            e.value = v->scalar;
          } else {
            e.unknown_reason = "tag value is known only after apply";
          }
          set.set(std::move(e));
        }
      }
      r.variants.push_back(std::move(set).build());
    } else {
      bool has_all = change->get("after") != nullptr && change->get("after")->get("tags_all") != nullptr;
      bool unknown_all =
          change->get("after_unknown") != nullptr && change->get("after_unknown")->get("tags_all") != nullptr;
      std::string provider;
      if (auto pk = provider_keys.find(strip_instance_keys(r.address)); pk != provider_keys.end())
        provider = pk->second;
      r.variants.push_back(plan_tags(*change, has_all || unknown_all ? "tags_all" : "tags", r.address, provider));
    }
    out.resources.push_back(std::move(r));
  }
  return out;
}

}  // namespace tagwarden::terraform
