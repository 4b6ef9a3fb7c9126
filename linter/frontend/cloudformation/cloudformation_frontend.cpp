// Effective tags of CloudFormation and SAM resources: the resource's own tag property, SAM
// Globals and SAM's own tags, and stack tags; one TagSet per combination of the undecided
// conditions the tags depend on. docs/cloudformation.md explains every choice.
#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <deque>
#include <map>
#include <set>

#include "linter/frontend/cloudformation/cfn_types.hpp"
#include "linter/frontend/cloudformation/deployments.hpp"
#include "linter/frontend/cloudformation/intrinsics.hpp"
#include "linter/frontend/cloudformation/metadata_suppressions.hpp"
#include "linter/frontend/cloudformation/parameter_values.hpp"
#include "linter/frontend/cloudformation/sam_transform.hpp"
#include "linter/model/tag_set_builder.hpp"

namespace tagwarden {
namespace {

using cfn::Evaluator;
using cfn::TagShape;
using cfn::Value;

/// At most this many tag sets per resource, and evaluations of it; further undecided conditions
/// and parameters become unknowns.
constexpr std::size_t kMaxVariants = 64;
constexpr std::size_t kMaxExplorations = 256;

constexpr std::string_view kSamTransform = "AWS::Serverless-2016-10-31";
constexpr std::string_view kLaunchTemplate = "AWS::EC2::LaunchTemplate";

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

// SAM's Globals sections whose resources accept `Tags` there (samtranslator's Globals plugin,
// supported_properties: Function, HttpApi, WebSocketApi and CapacityProvider list `Tags`; Api,
// SimpleTable, StateMachine and LayerVersion do not, and the transform rejects `Tags` there).
// Resource values win over Globals per key: "maps are merged ... the value in the resource
// wins" (SAM Developer Guide, Globals section).
bool globals_section_has_tags(std::string_view section) {
  static constexpr std::array<std::string_view, 4> kSections = {"Function", "HttpApi", "WebSocketApi",
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
  if (type == "AWS::Serverless::CapacityProvider") return "lambda:createdBy";
  if (type == "AWS::Serverless::Application") return "lambda:createdBy";
  return {};
}

// SAM types for which the transform creates an execution role when no `Role` is given.
bool generates_role(std::string_view type) {
  return type == "AWS::Serverless::Function" || type == "AWS::Serverless::StateMachine";
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
/// Where tag entries CloudFormation or the service will reject are recorded (as
/// Fact::Kind::kInvalidTagEntry; rule invalid-tag-entry reports them).
struct EntryChecks {
  std::string address;
  std::string type;
  const cfn::TypeInfo* info = nullptr;
  std::vector<Fact>* out = nullptr;
};

class TagReader {
 public:
  /// `null_is_empty`: a null value is the empty string (SAM's tag maps: the transform writes
  /// `Value: ""` for it, samtranslator/model/tags/resource_tagging.py), else no tag.
  TagReader(Evaluator& ev, TagSetBuilder& set, Origin origin, const EntryChecks* checks = nullptr,
            bool null_is_empty = false)
      : ev_(ev), set_(set), origin_(std::move(origin)), checks_(checks), null_is_empty_(null_is_empty) {}

  /// SAM's tag maps are copied, not resolved: a `Tags` written as an intrinsic function
  /// (`!If [C, {A: x}, {B: y}]`, `{"Ref": "AWS::NoValue"}`) is a map of one key, the function's
  /// name, which the transform writes as one tag (samtranslator tags/resource_tagging.py
  /// get_tag_list; the Globals plugin treats an intrinsic as a plain value). Its value is the
  /// function's argument: text as written, a list CloudFormation rejects.
  void read_sam_intrinsic(const cfn::Call& call, const DocNode& prop) {
    DocNode arg = *call.arg;
    if (call.arg_is_self) arg.tag.clear();
    keys_read_.emplace_back(call.name, prop.span);
    TagEntry e;
    e.key = call.name;
    e.key_span = prop.span;
    e.origin = origin_;
    e.origin.span = prop.span;
    e.value_span = prop.span;
    if (arg.is_seq()) {
      e.unknown_reason = fmt::format("SAM writes `{}` as a tag whose value is a list", call.name);
      problem(prop.span, call.name,
              fmt::format("Tags is an intrinsic function ({}), which SAM does not resolve: it writes a tag `{}` whose "
                          "value is a list; CloudFormation rejects it",
                          call.name, call.name));
      set_.add(std::move(e));
      return;
    }
    if (arg.is_scalar()) {
      e.value = arg.scalar;
      set_.add(std::move(e));
      return;
    }
    if (!set_value(e, arg)) {
      set_.set_null(std::move(e));
      return;
    }
    set_.add(std::move(e));
  }

  /// One `key: value` entry that is not written in a tag property (SAM adds it itself).
  void read_entry(const std::string& key, const Span& key_span, const DocNode& value) {
    add(key, key_span, value, value.span);
  }

  /// Keys read so far (SAM's reserved keys are checked against them).
  const std::vector<std::pair<std::string, Span>>& keys_read() const { return keys_read_; }

  /// An EC2 `TagSpecifications` list: the `Tags` of entries whose `ResourceType` is `type`.
  void read_specifications(const DocNode& prop, std::string_view type, std::string_view name) {
    std::string computed;
    const DocNode* sel = ev_.select(prop, &computed);
    if (!sel) return;
    if (!computed.empty() || !sel->is_seq()) {
      keys_unknown(fmt::format("{} is {}", name, computed.empty() ? "not a list" : computed), prop.span);
      return;
    }
    for (const auto& raw : sel->items) {
      const DocNode* item = ev_.select(raw, &computed);
      if (!item) continue;
      if (!computed.empty() || !item->is_map()) {
        keys_unknown(fmt::format("a {} entry is {}", name, computed.empty() ? "not a map" : computed), raw.span);
        continue;
      }
      const DocNode* rt = item->get("ResourceType");
      Value t = rt ? ev_.eval(*rt) : Value::unknown("it has no ResourceType");
      if (!t.known_string()) {
        keys_unknown(fmt::format("the ResourceType of a {} entry is unknown", name), item->span);
        continue;
      }
      if (t.text != type) continue;
      if (const DocNode* tags = item->get("Tags")) read(*tags, fmt::format("{} Tags", name));
    }
  }

  void read(const DocNode& prop, std::string_view name) {
    if (null_is_empty_) {
      if (auto call = cfn::as_call(prop)) {
        read_sam_intrinsic(*call, prop);
        return;
      }
    }
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
      problem(item->span, "", "has a tag entry without Key; CloudFormation requires one");
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
    if (checks_ && checks_->info && checks_->info->propagate_required && !item->get("PropagateAtLaunch"))
      problem(item->span, k.text,
              fmt::format("tag `{}` has no PropagateAtLaunch; {} requires it in every tag", k.text, checks_->type));
    if (checks_ && checks_->info && checks_->info->value_required) {
      if (!value) {
        problem(item->span, k.text, fmt::format("tag `{}` has no Value; {} requires one", k.text, checks_->type));
      } else if (ev_.select(*value, &computed) == nullptr) {
        problem(value->span, k.text,
                fmt::format("tag `{}` has Value AWS::NoValue, which removes the Value; {} requires one", k.text,
                            checks_->type));
      }
    }
    keys_read_.emplace_back(k.text, key->span);
    TagEntry e;
    e.key = k.text;
    e.key_span = key->span;
    e.origin = origin_;
    e.origin.span = item->span;
    e.trail = trail_of(k);
    note_defaults(e, k);
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
    keys_read_.emplace_back(key, key_span);
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
    if (std::string what = not_a_string(node); !what.empty())
      problem(node.span, e.key,
              fmt::format("tag `{}` has a value that is {}; a tag value must be a string", e.key, what));
    Value v = ev_.eval(node);
    e.value_span = node.span;
    for (auto& r : trail_of(v)) e.trail.push_back(std::move(r));
    note_defaults(e, v);
    switch (v.kind) {
      case Value::Kind::kNull:
        if (!null_is_empty_) return false;
        e.value = std::string();
        return true;
      case Value::Kind::kNoValue:
        return false;
      case Value::Kind::kString:
        e.value = v.text;
        return true;
      case Value::Kind::kUnknown:
        e.unknown_reason = v.reason;
        return true;
      case Value::Kind::kList:
        e.unknown_reason = "the value is a list, not a string";
        return true;
    }
    return true;
  }

  void keys_unknown(std::string reason, const Span& span) { set_.keys_unknown(std::move(reason), span); }

  void problem(const Span& span, const std::string& key, std::string reason) {
    if (checks_ && checks_->out)
      checks_->out->push_back(Fact{Fact::Kind::kInvalidTagEntry, span, checks_->address, key, std::move(reason), {}});
  }

  // What a value that can never be a string is ("a list"), else "". Fn::GetAZs, Fn::Split and
  // Fn::Cidr return lists, condition functions booleans (Template Reference, intrinsic function
  // return values); a plain list or map is no string either.
  std::string not_a_string(const DocNode& node) {
    std::string computed;
    const DocNode* n = ev_.select(node, &computed);
    if (!n) return {};
    auto call = cfn::as_call(*n);
    if (call) {
      const std::string& f = call->name;
      if (f == "Fn::GetAZs" || f == "Fn::Split" || f == "Fn::Cidr") return fmt::format("the list {} returns", f);
      if (f == "Fn::Equals" || f == "Fn::And" || f == "Fn::Or" || f == "Fn::Not" || f == "Condition")
        return fmt::format("a condition ({})", f);
      if (f == "Ref") {
        Value v = ev_.eval(*n);
        if (v.kind == Value::Kind::kList) return "a list (a list-typed parameter)";
      }
      return {};
    }
    if (n->is_seq()) return "a list";
    if (n->is_map()) return "a map";
    return {};
  }

  // A key or value computed from a parameter's Default depends on a deploy giving no value.
  static void note_defaults(TagEntry& e, const Value& v) {
    for (const auto& name : v.defaults) {
      std::string what = fmt::format("`{}`", name);
      if (e.assumed.find(what) != std::string::npos) continue;
      e.assumed += e.assumed.empty() ? fmt::format("the Default of parameter {}", what) : fmt::format(", {}", what);
    }
  }

  Evaluator& ev_;
  TagSetBuilder& set_;
  Origin origin_;
  const EntryChecks* checks_ = nullptr;
  bool null_is_empty_ = false;
  std::vector<std::pair<std::string, Span>> keys_read_;
};

struct TemplateView {
  const DocNode* root = nullptr;
  cfn::TemplateFacts facts;
  bool sam = false;
  Span transform_span;
  const DocNode* globals = nullptr;
};

/// How one resource's tags are made: which property is read (and how), which layers apply.
struct ResourceInput {
  std::string id;
  std::string type;
  const DocNode* body = nullptr;
  const DocNode* tags_prop = nullptr;
  std::string tags_name;  ///< the property as people know it ("Tags", "TagSpecifications")
  /// Non-empty: `tags_prop` is an EC2 `TagSpecifications` list and only the `Tags` of entries
  /// with this `ResourceType` apply.
  std::string spec_type;
  bool stack_tags = true;       ///< stack-level tags propagate to it
  std::string globals_section;  ///< SAM: the Globals section whose `Tags` apply; empty: none
  std::string framework_key;    ///< SAM's own tag (value `SAM`), e.g. lambda:createdBy; empty: none
  cfn::TypeInfo info;
  /// SAM: which of the tags above the transform writes, and what it adds (sam_transform.hpp);
  /// `sam_maps`: the tag maps are SAM's (a null value is the empty string).
  sam::TagPlan sam;
  bool sam_maps = false;
};

// "IsProd is true, Env is staging": what a combination decided, in order of first use; ", as
// with the Defaults" when it is what a deploy that gives no parameter values gets.
// When the conditions decided outnumber the assumptions behind them (forty conditions over one
// parameter), the assumptions say it shorter: "P is v38".
std::string describe(const Evaluator& ev, bool assumed_parameters) {
  std::vector<std::string> parts = ev.decisions();
  if (parts.size() > 3 && ev.assumptions().size() < parts.size()) {
    parts.clear();
    for (const auto& a : ev.assumptions()) {
      if (!a.is_parameter)
        parts.push_back(fmt::format("{} is {}", a.name, a.truth ? "true" : "false"));
      else
        parts.push_back(a.value ? fmt::format("{} is {}", a.name, *a.value)
                                : fmt::format("{} is another value", a.name));
    }
  }
  std::string s;
  for (const auto& d : parts) {
    if (!s.empty()) s += ", ";
    s += d;
  }
  if (!s.empty() && assumed_parameters && ev.with_defaults()) s += ", as with the Defaults";
  return s;
}

// SAM rejects a template whose tags set the key it adds itself: "lambda:createdBy is a reserved
// Tag key name and cannot be set on your resource" (the SAM translator's answer to
// tests/translator/input/error_reserved_sam_tag.yaml).
void reserved_sam_keys(const TagReader& reader, const ResourceInput& in, const EntryChecks& checks) {
  if (in.framework_key.empty() || !checks.out) return;
  for (const auto& [key, span] : reader.keys_read()) {
    if (key != in.framework_key) continue;
    checks.out->push_back(
        Fact{Fact::Kind::kInvalidTagEntry,
             span,
             checks.address,
             key,
             fmt::format("tag `{}` is reserved by SAM, which adds it itself; the SAM transform rejects "
                         "the template",
                         key),
             {}});
  }
}

// Layers, lowest first: stack tags (they apply to every resource that supports tagging; the
// resource's own value wins on a key collision, docs/cloudformation.md "Stack tags"), SAM
// Globals (resource values win per key: "maps are merged ... the value in the resource wins",
// SAM Developer Guide, Globals section), the resource's own tags with what SAM adds itself.
// `AWS::NoValue` (or null) as a value means the entry is not written (NullMeans::kNotSet).
TagSet build_tag_set(Evaluator& ev, const TemplateView& tv, const ResourceInput& in, const TemplateOptions& options,
                     const EntryChecks* checks = nullptr) {
  TagSetBuilder set;
  set.begin_layer(NullMeans::kNotSet);
  if (in.info.taggable == Taggable::kYes && in.stack_tags) {
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
  if (!in.globals_section.empty() && in.sam.user_tags) {
    const DocNode* sec = tv.globals && tv.globals->is_map() ? tv.globals->get(in.globals_section) : nullptr;
    const DocNode* gtags =
        sec && sec->is_map() && globals_section_has_tags(in.globals_section) ? sec->get("Tags") : nullptr;
    // The Globals plugin merges maps only: when either side is an intrinsic function, the
    // resource's value wins whole (globals.py _do_merge, intrinsics count as plain values).
    const bool whole = in.tags_prop && (cfn::as_call(*in.tags_prop) || (gtags && cfn::as_call(*gtags)));
    if (gtags && !whole) {
      set.begin_layer(NullMeans::kNotSet);
      TagReader reader(ev, set,
                       Origin{OriginKind::kSamGlobals, fmt::format("SAM Globals {} Tags", in.globals_section), {}},
                       checks, in.sam_maps);
      reader.read(*gtags, "Globals Tags");
      if (checks) reserved_sam_keys(reader, in, *checks);
    }
  }
  // SAM leaves its own tag out when a function or state machine with `PropagateTags: true` (its own or its
  // Globals section's) has tags of its own or from Globals: every such case in the translator's
  // tests (tests/translator/output/function_with_events_and_propagate_tags.json,
  // function_with_globals_tags_and_propagate_tags.json, state_machine_with_api_and_propagate_tags.json),
  // while one without tags keeps it (function_with_propagate_tags_and_no_tags.json), and so do
  // capacity providers and WebSocket APIs (websocket_api_with_propagate_tags.json).
  bool propagate = false, any_tags = false;
  if (in.type == "AWS::Serverless::Function" || in.type == "AWS::Serverless::StateMachine") {
    auto is_true = [](const DocNode* n) { return n && n->is_scalar() && n->scalar == "true"; };
    auto non_empty = [](const DocNode* n) { return n && n->is_map() && !n->keys.empty(); };
    const DocNode* props = in.body && in.body->is_map() ? in.body->get("Properties") : nullptr;
    const DocNode* sec = !in.globals_section.empty() && tv.globals && tv.globals->is_map()
                             ? tv.globals->get(in.globals_section)
                             : nullptr;
    const DocNode* own = props && props->is_map() ? props->get("PropagateTags") : nullptr;
    propagate = own ? is_true(own) : is_true(sec && sec->is_map() ? sec->get("PropagateTags") : nullptr);
    any_tags =
        non_empty(in.tags_prop) ||
        non_empty(sec && sec->is_map() && globals_section_has_tags(in.globals_section) ? sec->get("Tags") : nullptr);
  }
  // Tags functions propagate to an implicit API: each function's map over the previous ones
  // (the SAM plugin updates one dict with them in template order).
  for (const DocNode* propagated : in.sam.user_tags ? in.sam.propagated : std::vector<const DocNode*>{}) {
    set.begin_layer(NullMeans::kNotSet);
    TagReader reader(ev, set, Origin{OriginKind::kResource, "Tags a function propagates (PropagateTags)", {}}, nullptr,
                     in.sam_maps);
    reader.read(*propagated, "Tags");
  }
  set.begin_layer(NullMeans::kNotSet);
  if (in.tags_prop && in.sam.user_tags) {
    TagReader reader(ev, set, Origin{OriginKind::kResource, in.tags_name, {}}, checks, in.sam_maps);
    if (in.spec_type.empty())
      reader.read(*in.tags_prop, in.tags_name);
    else
      reader.read_specifications(*in.tags_prop, in.spec_type, in.tags_name);
    if (checks) reserved_sam_keys(reader, in, *checks);
  }
  if (!in.sam.added.empty()) {
    TagReader reader(ev, set, Origin{OriginKind::kFramework, "the SAM transform", tv.transform_span}, nullptr);
    for (const auto& [key, value] : in.sam.added) reader.read_entry(key, value->span, *value);
  }
  if (!in.framework_key.empty() && in.sam.framework_tag && !(propagate && any_tags)) {
    // In the resource's layer: a user tag of the same key stays beside it (SAM rejects it).
    TagEntry e;
    e.key = in.framework_key;
    e.value = "SAM";
    e.key_span = tv.transform_span;
    e.value_span = tv.transform_span;
    e.origin = Origin{OriginKind::kFramework, "the SAM transform", tv.transform_span};
    set.add(std::move(e));
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
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

// Fn::ForEach (AWS::LanguageExtensions transform): `${Id}` in an output key becomes the
// item, `&{Id}` the item without non-alphanumeric characters; in the body, `Ref: Id` and
// `${Id}` inside Fn::Sub become the item (Template Reference, Fn::ForEach).
DocNode substitute(const DocNode& node, const std::string& ident, const std::string& item, bool in_sub, int depth) {
  DocNode out;
  if (depth > 64) return node;
  if (auto call = cfn::as_call(node);
      call && call->name == "Ref" && call->arg->is_scalar() && call->arg->scalar == ident) {
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
  for (std::size_t i = 0; i < node.items.size(); ++i)
    out.items[i] = substitute(node.items[i], ident, item, sub, depth + 1);
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
  if (depth > 8 || !value.is_seq() || value.items.size() != 3 || !value.items[0].is_string() ||
      !value.items[2].is_map()) {
    errors.push_back(
        Error{key_span, {}, fmt::format("{} needs [identifier, collection, {{key: resource}}]; skipped", key)});
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

// Explores the combinations of conditions and parameter values a resource's existence and
// tags depend on, lazily: a combination is split only on what its evaluation actually met
// undecided, so conditions and parameters nothing reads are never enumerated. A resource
// `Condition` false in one combination (under the Defaults, say) leaves the resource out of
// that combination only (User Guide, Conditions: resources are created only when their
// condition is true). Fills `r.variants`; `r.variants` stays empty when the resource exists in
// no combination.
struct Exploration {
  bool capped = false;        ///< combinations past the cap were not explored
  bool given_values = false;  ///< a given parameter value made the Condition false
};

Exploration explore(const TemplateView& tv, const ResourceInput& in, const TemplateOptions& options, const DocNode* rc,
                    Resource& r, std::vector<Fact>& facts) {
  Exploration x;
  const EntryChecks checks{r.address, in.type, &in.info, &facts};
  Evaluator ev(tv.facts);
  struct Pending {
    std::vector<cfn::Assumption> assumed;
    bool no_branching = false;
  };
  std::vector<Pending> pending{Pending{}};
  std::size_t explored = 0;
  std::vector<std::string> decided_by;  // per variant, what its combination decided
  while (!pending.empty()) {
    Pending p = std::move(pending.back());
    pending.pop_back();
    ++explored;
    ev.assume(p.assumed);
    ev.set_no_branching(p.no_branching);
    auto split = [&]() {
      const cfn::Choice choice = *ev.wanted();
      std::vector<cfn::Assumption> choices;
      if (choice.is_parameter) {
        for (auto& v : ev.domain(choice.name))
          choices.push_back(cfn::Assumption{choice.name, true, false, std::move(v)});
      } else {
        choices.push_back(cfn::Assumption{choice.name, false, true, std::nullopt});
        choices.push_back(cfn::Assumption{choice.name, false, false, std::nullopt});
      }
      if (explored + pending.size() + choices.size() > kMaxExplorations ||
          r.variants.size() + pending.size() + choices.size() > kMaxVariants) {
        x.capped = true;  // no room: evaluate this combination again without branching
        pending.push_back(Pending{std::move(p.assumed), true});
        return;
      }
      for (auto it = choices.rbegin(); it != choices.rend(); ++it) {  // first option explored first
        auto next = p.assumed;
        next.push_back(*it);
        pending.push_back(Pending{std::move(next), false});
      }
    };
    bool assumed_exists = false;
    if (rc) {
      cfn::Truth t = ev.decide(rc->scalar);
      if (ev.wanted()) {
        split();
        continue;
      }
      if (t == cfn::Truth::kFalse) {
        x.given_values = x.given_values || ev.used_given_values();
        continue;
      }
      assumed_exists = t == cfn::Truth::kUndecided;
    }
    TagSet set = build_tag_set(ev, tv, in, options, &checks);
    if (ev.wanted()) {
      split();
      continue;
    }
    const bool assumed_parameters =
        std::any_of(p.assumed.begin(), p.assumed.end(), [](const cfn::Assumption& a) { return a.is_parameter; });
    std::string decided = describe(ev, false);
    if (assumed_exists)
      decided = fmt::format("{} is assumed true{}{}", rc->scalar, decided.empty() ? "" : ", ", decided);
    // Combinations that decided the same things give the same tags: keep the first (the
    // Defaults' combination is explored first, so it names that).
    if (std::find(decided_by.begin(), decided_by.end(), decided) != decided_by.end()) continue;
    decided_by.push_back(decided);
    set.condition = assumed_exists ? decided : describe(ev, assumed_parameters);
    r.variants.push_back(std::move(set));
  }
  return x;
}

// The ResourceType values a TagSpecifications list names, in order (literal ones, also inside
// an Fn::If's branches).
std::vector<std::string> specification_types(const DocNode* specs) {
  std::vector<std::string> out;
  std::vector<const DocNode*> todo;
  if (specs && specs->is_seq()) {
    for (const auto& item : specs->items) todo.push_back(&item);
  }
  for (std::size_t i = 0; i < todo.size() && i < 1024; ++i) {
    const DocNode* n = todo[i];
    if (auto call = cfn::as_call(*n);
        call && call->name == "Fn::If" && call->arg->is_seq() && call->arg->items.size() == 3) {
      todo.push_back(&call->arg->items[1]);
      todo.push_back(&call->arg->items[2]);
      continue;
    }
    const DocNode* rt = n->is_map() ? n->get("ResourceType") : nullptr;
    if (rt && rt->is_string() && std::find(out.begin(), out.end(), rt->scalar) == out.end()) out.push_back(rt->scalar);
  }
  return out;
}

// What a launch template's TagSpecifications ResourceType tags, as a CloudFormation type where
// one exists (EC2 API, LaunchTemplateTagSpecificationRequest: instance, volume,
// network-interface, spot-instances-request, ...).
std::string launched_type(const std::string& resource_type) {
  if (resource_type == "instance") return "AWS::EC2::Instance";
  if (resource_type == "volume") return "AWS::EC2::Volume";
  if (resource_type == "network-interface") return "AWS::EC2::NetworkInterface";
  return fmt::format("{} ({})", kLaunchTemplate, resource_type);
}

// A resource the SAM transform generates beside `main` (or, for an implicit API, beside the
// template's Transform): located there, with its suppressions and inherited layers, and a note
// saying what made it. Its tags are evaluated by the caller.
Resource generated_resource(const Resource& main, const std::string& prefix, const sam::Generated& g,
                            const cfn::TypeInfo& info) {
  Resource r;
  r.address = prefix + g.id;
  r.type = g.type;
  r.format = main.format;
  r.span = main.span;
  r.tags_span = main.tags_span;
  r.taggable = info.taggable;
  r.max_user_tags = info.max_items;
  r.expanded = main.expanded;
  r.suppressions = main.suppressions;
  if (r.taggable == Taggable::kYes) r.inherits = main.inherits;
  r.related.push_back(Related{main.span, fmt::format("the SAM transform creates it as {}", g.why)});
  return r;
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
  cfn::collect_compared_literals(tv.facts);
  tv.sam = has_sam_transform(root);
  if (tv.sam) tv.transform_span = root.get("Transform")->span;
  tv.globals = root.get("Globals");

  // What every resource of the template shares: its root (the template), suppressions in the
  // template's Metadata, and the stack tags a tag could be added to once for all of them.
  const std::string root_path = doc.file != kNoFile ? ctx.sources.file(doc.file).path() : display_path(doc.path);
  std::vector<Suppression> template_suppressions;
  if (const DocNode* md = root.get("Metadata")) read_metadata_suppressions(*md, template_suppressions);
  std::vector<InheritedLayer> stack_layers;
  for (const auto& st : options.stack_tags) {
    if (!st.span.valid()) continue;
    bool known = false;
    for (const auto& l : stack_layers) known = known || l.detail == st.source;
    if (!known) stack_layers.push_back(InheritedLayer{OriginKind::kStackTag, st.source, st.span});
  }

  const DocNode* resources = tv.facts.resources;
  if (!resources) return out;
  if (!resources->is_map()) {
    out.errors.push_back(Error{resources->span, {}, "Resources is not a map"});
    return out;
  }
  std::deque<DocNode> owned;  // bodies made by Fn::ForEach
  std::vector<Entry> entries;
  std::set<std::string> generated_ids;  // SAM: what the transform generated so far
  {
    Evaluator ev(tv.facts);
    ev.set_no_branching(true);
    for (std::size_t i = 0; i < resources->keys.size(); ++i) {
      if (resources->keys[i].starts_with("Fn::ForEach::")) {
        expand_for_each(resources->keys[i], resources->key_spans[i], resources->items[i], ev, owned, entries,
                        out.errors, 0);
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
      out.facts.push_back(Fact{Fact::Kind::kUnexplored,
                               type->span,
                               options.address_prefix + in.id,
                               {},
                               "its Type is not a string (a pre-processor's module?); its resources exist only after "
                               "packaging and were not checked",
                               {}});
      continue;
    }
    in.type = type->scalar;
    in.info = cfn::type_info(in.type);
    const DocNode* props = in.body->get("Properties");
    if (props && props->is_map() && !in.info.property.empty()) in.tags_prop = props->get(in.info.property);
    in.tags_name = in.info.property;
    if (tv.sam && in.type.starts_with("AWS::Serverless::")) {
      in.globals_section = in.type.substr(std::string_view("AWS::Serverless::").size());
      in.framework_key = std::string(sam_framework_tag(in.type));
      in.sam = sam::own_tags(sam::SamResource{tv.facts, tv.globals, in.id, in.type, in.body});
      in.sam_maps = true;
    }
    if (in.type == kLaunchTemplate) {
      // The launch template's own tags are the TagSpecifications entries of ResourceType
      // launch-template ("To tag the launch template, the resource type must be
      // launch-template", Template Reference, AWS::EC2::LaunchTemplate TagSpecifications). Its
      // resource schema declares `tagging.taggable: false`: stack-level tags are not propagated.
      in.spec_type = "launch-template";
      in.stack_tags = false;
    }

    Resource r;
    r.address = options.address_prefix + in.id;
    r.root = root_path;
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
      read_metadata_suppressions(*md, r.suppressions);
    }
    r.suppressions.insert(r.suppressions.end(), template_suppressions.begin(), template_suppressions.end());
    if (r.taggable == Taggable::kYes) r.inherits = stack_layers;

    const DocNode* rc = in.body->get("Condition");
    if (rc && !rc->is_scalar()) rc = nullptr;
    Exploration x = explore(tv, in, options, rc, r, out.facts);
    const bool capped = x.capped, given_values = x.given_values;
    if (capped) {
      out.facts.push_back(Fact{Fact::Kind::kUnexplored,
                               r.span,
                               r.address,
                               {},
                               fmt::format("its tags depend on more than {} combinations of conditions and parameter "
                                           "values; the rest were not explored and values chosen by them are unknown",
                                           kMaxVariants),
                               {}});
    }
    if (r.variants.empty()) {
      // Not created in any combination: left out of the check, and counted in the summary.
      std::string category = given_values ? "its Condition is false for the parameter values given"
                                          : "its Condition is false whatever its parameters are given";
      out.facts.push_back(Fact{Fact::Kind::kLeftOut,
                               r.span,
                               r.address,
                               category,
                               fmt::format("Condition {} is false{}", rc ? rc->scalar : "",
                                           given_values ? " for the parameter values given" : ""),
                               {}});
      continue;
    }
    const Resource& main = r;
    std::vector<Resource> extra;
    if (in.type == kLaunchTemplate && props && props->is_map()) {
      // LaunchTemplateData.TagSpecifications tag what instances launched from the template
      // create (Template Reference, AWS::EC2::LaunchTemplate TagSpecification): each resource
      // type named there is reported as a resource of its own, with only those tags (they are
      // not created by the stack, so stack tags do not reach them).
      const DocNode* data = props->get("LaunchTemplateData");
      const DocNode* specs = data && data->is_map() ? data->get("TagSpecifications") : nullptr;
      for (const std::string& rt : specification_types(specs)) {
        ResourceInput li;
        li.id = in.id;
        li.body = in.body;
        li.tags_prop = specs;
        li.tags_name = "LaunchTemplateData.TagSpecifications";
        li.spec_type = rt;
        li.stack_tags = false;
        li.type = launched_type(rt);
        li.info.taggable = Taggable::kYes;
        Resource lr;
        lr.address = fmt::format("{} (TagSpecifications {})", main.address, rt);
        lr.type = li.type;
        lr.format = main.format;
        lr.span = main.span;
        lr.tags_span =
            join_spans(data->key_spans[static_cast<std::size_t>(data->index_of("TagSpecifications"))], specs->span);
        lr.taggable = Taggable::kYes;
        lr.expanded = main.expanded;
        lr.related.push_back(Related{main.span, fmt::format("tags applied by {} to what it launches", main.address)});
        (void)explore(tv, li, options, rc, lr, out.facts);
        if (!lr.variants.empty()) extra.push_back(std::move(lr));
      }
    }
    if (tv.sam && generates_role(in.type) && !(props && props->is_map() && props->get("Role"))) {
      // Without a `Role`, the SAM transform creates `<Id>Role` (AWS::IAM::Role) and gives it the
      // resource's tags, its own tag included (seen in every translator test output, e.g.
      // tests/translator/output/basic_function_with_tags.json).
      Resource role = main;
      role.address = main.address + "Role";
      role.type = "AWS::IAM::Role";
      role.cdk_path.clear();
      const cfn::TypeInfo role_info = cfn::type_info(role.type);
      role.taggable = role_info.taggable;
      role.max_user_tags = role_info.max_items;
      role.related.push_back(
          Related{main.span, fmt::format("the SAM transform creates it for {} with its tags", main.address)});
      extra.push_back(std::move(role));
    }
    if (tv.sam && in.type.starts_with("AWS::Serverless::")) {
      // Other resources the transform generates with tags (sam_transform.hpp): each is
      // evaluated like the SAM resource, with the tags the transform gives it. Entries the
      // SAM resource itself does not read are checked once, on the first that does.
      bool checked = in.sam.user_tags;
      for (const sam::Generated& g :
           sam::generated_by(sam::SamResource{tv.facts, tv.globals, in.id, in.type, in.body})) {
        if (resources->get(g.id) || !generated_ids.insert(g.id).second) continue;  // the template's own wins
        ResourceInput gi = in;
        gi.type = g.type;
        gi.info = cfn::type_info(g.type);
        gi.sam = g.tags;
        Resource gr = generated_resource(main, options.address_prefix, g, gi.info);
        std::vector<Fact> unchecked;
        (void)explore(tv, gi, options, rc, gr, checked || !g.tags.user_tags ? unchecked : out.facts);
        checked = checked || g.tags.user_tags;
        if (!gr.variants.empty()) extra.push_back(std::move(gr));
      }
    }
    out.resources.push_back(std::move(r));
    for (auto& e : extra) out.resources.push_back(std::move(e));
  }
  if (tv.sam) {
    // What the transform generates once for the functions (sam_transform.hpp).
    Resource anchor;
    anchor.format = "sam";
    anchor.span = tv.transform_span;
    anchor.suppressions = template_suppressions;
    anchor.inherits = stack_layers;
    for (const sam::Generated& g : sam::shared_resources(tv.facts, tv.globals)) {
      if (resources->get(g.id) || !generated_ids.insert(g.id).second) continue;
      ResourceInput ii;
      ii.id = g.id;
      ii.type = g.type;
      ii.info = cfn::type_info(g.type);
      ii.tags_name = "Tags";
      ii.globals_section = g.tags.globals_section;
      if (g.type.starts_with("AWS::ApiGatewayV2::")) ii.framework_key = "httpapi:createdBy";
      ii.sam = g.tags;
      ii.sam_maps = true;
      Resource ir = generated_resource(anchor, options.address_prefix, g, ii.info);
      std::vector<Fact> unchecked;  // the functions' entries are checked on the functions
      (void)explore(tv, ii, options, g.condition, ir, unchecked);
      if (!ir.variants.empty()) out.resources.push_back(std::move(ir));
    }
  }
  // An invalid entry is recorded by every combination that reads it: keep one.
  std::vector<Fact> facts;
  for (auto& f : out.facts) {
    bool dup = f.kind == Fact::Kind::kInvalidTagEntry && std::any_of(facts.begin(), facts.end(), [&](const Fact& g) {
                 return g.kind == f.kind && g.span == f.span && g.address == f.address && g.reason == f.reason;
               });
    if (!dup) facts.push_back(std::move(f));
  }
  out.facts = std::move(facts);
  std::string stack = doc.file != kNoFile ? ctx.sources.file(doc.file).path() : display_path(doc.path);
  for (auto& r : out.resources) r.root = stack;
  for (auto& f : out.facts) f.root = stack;
  return out;
}

PlainTemplateOptions plain_template_options(const LoadContext& ctx, std::vector<Error>& errors) {
  std::vector<StackTag> stack_tags = command_line_stack_tags(ctx, errors);
  return PlainTemplateOptions{std::move(stack_tags), ParameterValues(ctx, errors)};
}

FrontendResult load_plain_template(const LoadContext& ctx, const ParsedDoc& doc, const PlainTemplateOptions& given,
                                   const std::vector<const Deployment*>& deployments) {
  FrontendResult out;
  TemplateOptions options;
  options.stack_tags = given.stack_tags;
  options.parameters = given.given.for_template(doc.path);
  if (ctx.options.has_root_inputs(doc.path)) {
    // Inputs of its own (config file `roots`): those first, the command line's after them.
    options.stack_tags = given_stack_tags(ctx, ctx.options.inputs_for(doc.path), out.errors);
    std::vector<std::pair<std::string, std::string>> parameters =
        ctx.options.configured_inputs_for(doc.path).parameters;
    parameters.insert(parameters.end(), options.parameters.begin(), options.parameters.end());
    options.parameters = std::move(parameters);
  }
  if (deployments.empty()) {
    out.append(evaluate_template(ctx, doc, options));
    return out;
  }
  for (const Deployment* d : deployments) {
    TemplateOptions o;
    o.address_prefix = d->name + "/";
    // The deployment's values first: the command line's come later and win.
    o.parameters = d->parameters;
    o.parameters.insert(o.parameters.end(), options.parameters.begin(), options.parameters.end());
    o.stack_tags = d->tags;
    for (const auto& t : options.stack_tags) set_stack_tag(o.stack_tags, t);
    out.append(evaluate_template(ctx, doc, o));
  }
  return out;
}

FrontendResult load_cloudformation(const LoadContext& ctx, const std::vector<ParsedDoc>& templates,
                                   const std::vector<Deployment>& deployments) {
  FrontendResult out;
  PlainTemplateOptions given = plain_template_options(ctx, out.errors);
  std::map<std::string, std::size_t> by_path;
  for (std::size_t i = 0; i < templates.size(); ++i) by_path.emplace(path_normalize(templates[i].path), i);
  std::vector<std::vector<const Deployment*>> deployed(templates.size());
  for (const auto& d : deployments) {
    auto it = std::find_if(d.template_candidates.begin(), d.template_candidates.end(),
                           [&](const std::string& c) { return by_path.count(c) != 0; });
    if (it != d.template_candidates.end()) {
      deployed[by_path[*it]].push_back(&d);
    } else if (auto e = missing_template_error(ctx, d)) {
      out.errors.push_back(std::move(*e));
    }
  }
  for (std::size_t i = 0; i < templates.size(); ++i)
    out.append(load_plain_template(ctx, templates[i], given, deployed[i]));
  return out;
}

}  // namespace tagwarden
