// Effective tags of CloudFormation and SAM resources: the resource's own tag property, SAM
// Globals and SAM's own tags, and stack tags; one TagSet per combination of the undecided
// conditions the tags depend on. docs/cloudformation.md explains every choice.
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>

#include "linter/frontend/cloudformation/cfn_types.hpp"
#include "linter/frontend/cloudformation/intrinsics.hpp"
#include "linter/model/tag_set_builder.hpp"

namespace tagwarden {
namespace {

using cfn::Evaluator;
using cfn::TagShape;
using cfn::Value;

/// At most this many tag sets per resource; further undecided conditions become unknowns.
constexpr std::size_t kMaxVariants = 64;

constexpr std::string_view kSamTransform = "AWS::Serverless-2016-10-31";

bool is_resource_type(const DocNode& type) {
  if (!type.is_string()) return false;
  const std::string& t = type.scalar;
  return t.starts_with("AWS::") || t.starts_with("Alexa::") || t.starts_with("Custom::");
}

bool has_sam_transform(const DocNode& root) {
  const DocNode* t = root.get("Transform");
  if (!t) return false;
  if (t->is_scalar()) return t->scalar == kSamTransform;
  if (t->is_seq()) {
    for (const auto& item : t->items) {
      if (item.is_scalar() && item.scalar == kSamTransform) return true;
    }
  }
  return false;
}

// SAM's Globals sections whose resources accept `Tags` there (samtranslator's Globals plugin:
// Function, Api, HttpApi, WebSocketApi and CapacityProvider list `Tags`; SimpleTable,
// StateMachine and LayerVersion do not). Resource values win over Globals per key: "maps
// are merged ... the value in the resource wins" (SAM Developer Guide, Globals section).
bool globals_section_has_tags(std::string_view section) {
  static constexpr std::array<std::string_view, 5> kSections = {"Function", "Api", "HttpApi", "WebSocketApi",
                                                                "CapacityProvider"};
  return std::find(kSections.begin(), kSections.end(), section) != kSections.end();
}

// Tags SAM adds itself to the resources it generates (seen in every SAM translator output:
// `lambda:createdBy: SAM` on functions and so on). They count toward the tag limit.
std::string_view sam_framework_tag(std::string_view type) {
  if (type == "AWS::Serverless::Function") return "lambda:createdBy";
  if (type == "AWS::Serverless::StateMachine") return "stateMachine:createdBy";
  if (type == "AWS::Serverless::HttpApi") return "httpapi:createdBy";
  if (type == "AWS::Serverless::GraphQLApi") return "graphqlapi:createdBy";
  if (type == "AWS::Serverless::WebSocketApi") return "websocketapi:createdBy";
  return {};
}

Span join_spans(const Span& a, const Span& b) {
  if (!a.valid() || !b.valid() || a.file != b.file || !a.has_range || !b.has_range) return a.valid() ? a : b;
  return Span{a.file, std::min(a.begin, b.begin), std::max(a.end, b.end), true};
}

std::vector<Related> trail_of(const Value& v) {
  std::vector<Related> out;
  for (const auto& r : v.trail) {
    if (r.span.valid()) out.push_back(r);
  }
  return out;
}

/// Reads one tag property (list or map, whichever is written) into `set`.
class TagReader {
 public:
  TagReader(Evaluator& ev, TagSetBuilder& set, Origin origin) : ev_(ev), set_(set), origin_(std::move(origin)) {}

  void read(const DocNode& prop, std::string_view name) {
    std::string computed;
    const DocNode* sel = ev_.select(prop, &computed);
    if (!sel) return;  // AWS::NoValue: the property is removed
    if (!computed.empty()) {
      keys_unknown(fmt::format("{} is {}", name, computed), prop.span);
      return;
    }
    if (sel->is_seq()) {
      for (const auto& item : sel->items) read_list_item(item);
    } else if (sel->is_map()) {
      for (std::size_t i = 0; i < sel->keys.size(); ++i) {
        add(sel->keys[i], sel->key_spans[i], sel->items[i], join_spans(sel->key_spans[i], sel->items[i].span));
      }
    } else if (sel->kind != DocNode::Kind::kNull) {
      // Only a template macro (Transform) could turn this into tags at deployment.
      keys_unknown(fmt::format("{} is a {}, not a list or map of tags (only a macro could make it one)", name,
                               sel->kind == DocNode::Kind::kString ? "string" : "scalar"),
                   sel->span);
    }
  }

 private:
  void read_list_item(const DocNode& raw) {
    std::string computed;
    const DocNode* item = ev_.select(raw, &computed);
    if (!item) return;
    if (!computed.empty()) {
      keys_unknown(fmt::format("a tag entry is {}", computed), raw.span);
      return;
    }
    if (!item->is_map()) {
      keys_unknown("a tag entry is not a {Key, Value} map", item->span);
      return;
    }
    const DocNode* key = item->get("Key");
    if (!key) {
      keys_unknown("a tag entry has no Key", item->span);
      return;
    }
    Value k = ev_.eval(*key);
    if (k.kind == Value::Kind::kNoValue || k.kind == Value::Kind::kNull) return;
    if (!k.known_string()) {
      keys_unknown(fmt::format("a tag key is unknown: {}", k.kind == Value::Kind::kUnknown ? k.reason : "not a string"),
                   key->span);
      return;
    }
    const DocNode* value = item->get("Value");
    TagEntry e;
    e.key = k.text;
    e.key_span = key->span;
    e.origin = origin_;
    e.origin.span = item->span;
    e.trail = trail_of(k);
    if (!value) {
      e.value = std::string();  // a tag without Value has the empty value
      e.value_span = item->span;
    } else if (!set_value(e, *value)) {
      set_.set_null(std::move(e));
      return;
    }
    set_.add(std::move(e));
  }

  void add(const std::string& key, const Span& key_span, const DocNode& value, const Span& entry_span) {
    TagEntry e;
    e.key = key;
    e.key_span = key_span;
    e.origin = origin_;
    e.origin.span = entry_span;
    if (!set_value(e, value)) {
      set_.set_null(std::move(e));
      return;
    }
    set_.add(std::move(e));
  }

  // False when the tag does not exist (its value is AWS::NoValue or null).
  bool set_value(TagEntry& e, const DocNode& node) {
    Value v = ev_.eval(node);
    e.value_span = node.span;
    for (auto& r : trail_of(v)) e.trail.push_back(std::move(r));
    switch (v.kind) {
      case Value::Kind::kNoValue:
      case Value::Kind::kNull: return false;
      case Value::Kind::kString: e.value = v.text; return true;
      case Value::Kind::kUnknown: e.unknown_reason = v.reason; return true;
      case Value::Kind::kList: e.unknown_reason = "the value is a list, not a string"; return true;
    }
    return true;
  }

  void keys_unknown(std::string reason, const Span& span) { set_.keys_unknown(std::move(reason), span); }

  Evaluator& ev_;
  TagSetBuilder& set_;
  Origin origin_;
};

struct TemplateView {
  const DocNode* root = nullptr;
  cfn::TemplateFacts facts;
  bool sam = false;
  Span transform_span;
  const DocNode* globals = nullptr;
};

struct ResourceInput {
  std::string id;
  std::string type;
  const DocNode* body = nullptr;
  const DocNode* tags_prop = nullptr;
  cfn::TypeInfo info;
};

std::string describe(const std::vector<std::pair<std::string, bool>>& assumed) {
  std::string s;
  for (const auto& [name, value] : assumed) {
    if (!s.empty()) s += ", ";
    s += fmt::format("{} is {}", name, value ? "true" : "false");
  }
  return s;
}

// Layers, lowest first: stack tags (they apply to every resource that supports tagging; the
// resource's own value wins on a key collision, docs/cloudformation.md "Stack tags"), SAM
// Globals (resource values win per key: "maps are merged ... the value in the resource wins",
// SAM Developer Guide, Globals section), the resource's own tags with what SAM adds itself.
// `AWS::NoValue` (or null) as a value means the entry is not written (NullMeans::kNotSet).
TagSet build_tag_set(Evaluator& ev, const TemplateView& tv, const ResourceInput& in, const TemplateOptions& options) {
  TagSetBuilder set;
  set.begin_layer(NullMeans::kNotSet);
  if (in.info.taggable == Taggable::kYes) {
    for (const auto& st : options.stack_tags) {
      TagEntry e;
      e.key = st.key;
      e.value = st.value;
      e.unknown_reason = st.unknown_reason;
      e.key_span = st.span;
      e.value_span = st.span;
      e.origin = Origin{OriginKind::kStackTag, st.source, st.span};
      set.set(std::move(e));
    }
    if (!options.stack_keys_unknown_reason.empty())
      set.keys_unknown(options.stack_keys_unknown_reason, options.stack_keys_unknown_span);
  }
  const bool sam = in.type.starts_with("AWS::Serverless::") && tv.sam;
  if (sam) {
    std::string_view section = std::string_view(in.type).substr(std::string_view("AWS::Serverless::").size());
    const DocNode* sec = tv.globals && tv.globals->is_map() ? tv.globals->get(section) : nullptr;
    const DocNode* gtags = sec && sec->is_map() && globals_section_has_tags(section) ? sec->get("Tags") : nullptr;
    if (gtags) {
      set.begin_layer(NullMeans::kNotSet);
      TagReader reader(ev, set, Origin{OriginKind::kSamGlobals, fmt::format("SAM Globals {} Tags", section), {}});
      reader.read(*gtags, "Globals Tags");
    }
  }
  set.begin_layer(NullMeans::kNotSet);
  if (in.tags_prop) {
    TagReader reader(ev, set, Origin{OriginKind::kResource, in.info.property, {}});
    reader.read(*in.tags_prop, in.info.property);
  }
  if (sam) {
    if (std::string_view fw = sam_framework_tag(in.type); !fw.empty()) {
      // In the resource's layer: a user tag of the same key stays beside it (SAM rejects it).
      TagEntry e;
      e.key = std::string(fw);
      e.value = "SAM";
      e.key_span = tv.transform_span;
      e.value_span = tv.transform_span;
      e.origin = Origin{OriginKind::kFramework, "added by the SAM transform", tv.transform_span};
      set.add(std::move(e));
    }
  }
  return std::move(set).build();
}

/// One resource entry to evaluate: written in `Resources`, or made by expanding Fn::ForEach.
struct Entry {
  std::string id;
  Span id_span;
  const DocNode* body = nullptr;
  bool expanded = true;  ///< false: made from an Fn::ForEach whose collection is unknown
};

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  if (from.empty()) return;
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// Fn::ForEach (AWS::LanguageExtensions transform): `${Id}` in an output key becomes the
// item, `&{Id}` the item without non-alphanumeric characters; in the body, `Ref: Id` and
// `${Id}` inside Fn::Sub become the item (Template Reference, Fn::ForEach).
DocNode substitute(const DocNode& node, const std::string& ident, const std::string& item, bool in_sub, int depth) {
  DocNode out;
  if (depth > 64) return node;
  if (auto call = cfn::as_call(node); call && call->name == "Ref" && call->arg->is_scalar() && call->arg->scalar == ident) {
    out.kind = DocNode::Kind::kString;
    out.scalar = item;
    out.span = node.span;
    return out;
  }
  bool sub = in_sub;
  if (auto call = cfn::as_call(node); call && call->name == "Fn::Sub") sub = true;
  out = node;
  if (out.is_scalar() && sub) replace_all(out.scalar, "${" + ident + "}", item);
  for (auto& k : out.keys) {
    replace_all(k, "${" + ident + "}", item);
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) out.items[i] = substitute(node.items[i], ident, item, sub, depth + 1);
  return out;
}

std::string alnum_only(const std::string& s) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

void expand_for_each(const std::string& key, const Span& key_span, const DocNode& value, Evaluator& ev,
                     std::deque<DocNode>& owned, std::vector<Entry>& entries, std::vector<Error>& errors, int depth) {
  if (depth > 8 || !value.is_seq() || value.items.size() != 3 || !value.items[0].is_string() || !value.items[2].is_map()) {
    errors.push_back(Error{key_span, {}, fmt::format("{} needs [identifier, collection, {{key: resource}}]; skipped", key)});
    return;
  }
  const std::string& ident = value.items[0].scalar;
  const DocNode& outputs = value.items[2];
  Value coll = ev.eval(value.items[1]);
  bool known = coll.kind == Value::Kind::kList &&
               std::all_of(coll.items.begin(), coll.items.end(), [](const Value& v) { return v.known_string(); });
  if (!known) {
    for (std::size_t i = 0; i < outputs.keys.size(); ++i) {
      if (outputs.keys[i].starts_with("Fn::ForEach::")) continue;
      entries.push_back(Entry{outputs.keys[i], outputs.key_spans[i], &outputs.items[i], false});
    }
    return;
  }
  for (const Value& item : coll.items) {
    for (std::size_t i = 0; i < outputs.keys.size(); ++i) {
      std::string id = outputs.keys[i];
      replace_all(id, "${" + ident + "}", item.text);
      replace_all(id, "&{" + ident + "}", alnum_only(item.text));
      owned.push_back(substitute(outputs.items[i], ident, item.text, false, 0));
      if (id.starts_with("Fn::ForEach::")) {
        expand_for_each(id, outputs.key_spans[i], owned.back(), ev, owned, entries, errors, depth + 1);
      } else {
        entries.push_back(Entry{id, outputs.key_spans[i], &owned.back(), true});
      }
    }
  }
}

}  // namespace

bool is_cloudformation_template(const DocNode& root) {
  if (!root.is_map()) return false;
  if (root.get("AWSTemplateFormatVersion") != nullptr) return true;
  const DocNode* res = root.get("Resources");
  if (!res || !res->is_map()) return false;
  for (std::size_t i = 0; i < res->items.size(); ++i) {
    const DocNode& r = res->items[i];
    const DocNode* type = r.is_map() ? r.get("Type") : nullptr;
    if (type && is_resource_type(*type)) return true;
    if (res->keys[i].starts_with("Fn::ForEach::") && root.get("Transform") != nullptr) return true;
  }
  return false;
}

FrontendResult evaluate_template(const LoadContext& ctx, const ParsedDoc& doc, const TemplateOptions& options) {
  (void)ctx;
  FrontendResult out;
  if (!doc.root || !is_cloudformation_template(*doc.root)) return out;
  const DocNode& root = *doc.root;
  TemplateView tv;
  tv.root = &root;
  tv.facts.parameters = root.get("Parameters");
  tv.facts.mappings = root.get("Mappings");
  tv.facts.conditions = root.get("Conditions");
  tv.facts.resources = root.get("Resources");
  for (const auto& [k, v] : options.parameters) tv.facts.overrides[k] = v;
  tv.sam = has_sam_transform(root);
  if (tv.sam) tv.transform_span = root.get("Transform")->span;
  tv.globals = root.get("Globals");

  const DocNode* resources = tv.facts.resources;
  if (!resources) return out;
  if (!resources->is_map()) {
    out.errors.push_back(Error{resources->span, {}, "Resources is not a map"});
    return out;
  }
  std::deque<DocNode> owned;  // bodies made by Fn::ForEach
  std::vector<Entry> entries;
  {
    Evaluator ev(tv.facts);
    ev.set_no_branching(true);
    for (std::size_t i = 0; i < resources->keys.size(); ++i) {
      if (resources->keys[i].starts_with("Fn::ForEach::")) {
        expand_for_each(resources->keys[i], resources->key_spans[i], resources->items[i], ev, owned, entries, out.errors, 0);
      } else {
        entries.push_back(Entry{resources->keys[i], resources->key_spans[i], &resources->items[i], true});
      }
    }
  }
  for (const Entry& entry : entries) {
    ResourceInput in;
    in.id = entry.id;
    in.body = entry.body;
    const Span id_span = entry.id_span;
    const DocNode* type = in.body->is_map() ? in.body->get("Type") : nullptr;
    if (!type) {
      out.errors.push_back(Error{id_span, {}, fmt::format("resource {} has no Type; skipped", in.id)});
      continue;
    }
    if (!type->is_string()) {
      // A map-valued Type is a pre-processor's module (Rain modules, for example): valid input
      // for that tool, not yet CloudFormation. Its resources only exist after packaging, so say
      // they were not checked rather than call the file broken.
      out.facts.push_back(Fact{Fact::Kind::kUnexplored, type->span, options.address_prefix + in.id, {},
                               "its Type is not a string (a pre-processor's module?); its resources exist only after "
                               "packaging and were not checked"});
      continue;
    }
    in.type = type->scalar;
    in.info = cfn::type_info(in.type);
    const DocNode* props = in.body->get("Properties");
    if (props && props->is_map() && !in.info.property.empty()) in.tags_prop = props->get(in.info.property);

    Evaluator ev(tv.facts);
    std::vector<std::pair<std::string, bool>> base;
    // A resource with a Condition exists only when it holds (User Guide, Conditions):
    // false: not created, skip it; undecided: keep it, assuming the condition is true.
    if (const DocNode* rc = in.body->get("Condition"); rc && rc->is_scalar()) {
      cfn::Truth t = ev.condition(rc->scalar);
      if (t == cfn::Truth::kFalse) continue;
      if (t == cfn::Truth::kUndecided) base.emplace_back(rc->scalar, true);
    }

    Resource r;
    r.address = options.address_prefix + in.id;
    r.type = in.type;
    r.format = tv.sam ? "sam" : "cloudformation";
    r.span = id_span;
    r.expanded = entry.expanded;
    if (in.tags_prop) {
      const DocNode* props_node = in.body->get("Properties");
      int pi = props_node->index_of(in.info.property);
      r.tags_span = join_spans(props_node->key_spans[static_cast<std::size_t>(pi)], in.tags_prop->span);
    }
    r.taggable = in.info.taggable;
    r.max_user_tags = in.info.max_items;
    if (const DocNode* md = in.body->get("Metadata"); md && md->is_map()) {
      if (const DocNode* p = md->get("aws:cdk:path"); p && p->is_scalar()) r.cdk_path = p->scalar;
    }

    // Explore the condition combinations the tags depend on, lazily: a combination is split
    // only on a condition its evaluation actually met undecided, so conditions the tags do
    // not reference are never enumerated.
    std::vector<std::vector<std::pair<std::string, bool>>> pending{base};
    bool capped = false;
    while (!pending.empty()) {
      auto assumed = std::move(pending.back());
      pending.pop_back();
      ev.assume(assumed);
      const bool may_branch = r.variants.size() + pending.size() + 2 <= kMaxVariants;
      ev.set_no_branching(!may_branch);
      TagSet set = build_tag_set(ev, tv, in, options);
      if (ev.wanted()) {
        auto with_false = assumed;
        with_false.emplace_back(*ev.wanted(), false);
        assumed.emplace_back(*ev.wanted(), true);
        pending.push_back(std::move(with_false));
        pending.push_back(std::move(assumed));  // true first
        continue;
      }
      if (!may_branch) {
        // Evaluated without branching: find out whether something was left undecided.
        ev.assume(assumed);
        ev.set_no_branching(false);
        (void)build_tag_set(ev, tv, in, options);
        if (ev.wanted()) capped = true;
      }
      set.condition = describe(assumed);
      r.variants.push_back(std::move(set));
    }
    if (capped) {
      out.facts.push_back(Fact{Fact::Kind::kUnexplored, r.span, r.address, {},
                               fmt::format("its tags depend on more than {} combinations of conditions; the rest were not "
                                           "explored and values chosen by them are unknown",
                                           kMaxVariants)});
    }
    out.resources.push_back(std::move(r));
  }
  return out;
}

TemplateOptions plain_template_options(const LoadContext& ctx, std::vector<Error>& errors) {
  TemplateOptions options;
  options.stack_tags = command_line_stack_tags(ctx, errors);
  options.parameters = ctx.options.parameters;
  return options;
}

FrontendResult load_plain_template(const LoadContext& ctx, const ParsedDoc& doc, const TemplateOptions& options) {
  return evaluate_template(ctx, doc, options);
}

FrontendResult load_cloudformation(const LoadContext& ctx, const std::vector<ParsedDoc>& templates) {
  FrontendResult out;
  TemplateOptions options = plain_template_options(ctx, out.errors);
  for (const auto& doc : templates) out.append(load_plain_template(ctx, doc, options));
  return out;
}

}  // namespace tagwarden
