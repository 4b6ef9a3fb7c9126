#include "linter/policy/tag_policy.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "linter/model/text.hpp"
#include "linter/schema/resource_types.hpp"

namespace tagwarden {
namespace {

constexpr unsigned kAssign = 1, kAppend = 2, kRemove = 4, kAllOps = 7;
constexpr std::string_view kChildControl = "@@operators_allowed_for_child_policies";

enum Field { kTagKey = 0, kTagValue, kEnforcedFor, kReportRequired, kFieldCount };
constexpr std::string_view kFieldNames[kFieldCount] = {"tag_key", "tag_value", "enforced_for",
                                                       "report_required_tag_for"};

std::optional<Field> field_of(std::string_view name) {
  for (int f = 0; f < kFieldCount; ++f) {
    if (kFieldNames[f] == name) return static_cast<Field>(f);
  }
  return std::nullopt;
}

unsigned op_bit(std::string_view op) {
  if (op == "@@assign") return kAssign;
  if (op == "@@append") return kAppend;
  if (op == "@@remove") return kRemove;
  return 0;
}

/// 0, 1, 2 for @@assign, @@append, @@remove.
int bit_index(unsigned bit) { return bit == kAssign ? 0 : bit == kAppend ? 1 : 2; }

/// Operators a parent forbids, with the place that forbade each (the first on the level).
struct Restriction {
  unsigned allowed = kAllOps;
  Span blocked_by[3];

  void add(unsigned mask, const Span& span) {
    for (unsigned bit : {kAssign, kAppend, kRemove}) {
      if ((allowed & bit) && !(mask & bit)) blocked_by[bit_index(bit)] = span;
    }
    allowed &= mask;
  }
  void inherit(const Restriction& level) {
    for (unsigned bit : {kAssign, kAppend, kRemove}) {
      if ((allowed & bit) && !(level.allowed & bit)) blocked_by[bit_index(bit)] = level.blocked_by[bit_index(bit)];
    }
    allowed &= level.allowed;
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// "no operators" or "only @@append, @@remove".
std::string ops_list(unsigned mask) {
  if (mask == 0) return "no operators";
  std::vector<std::string> names;
  if (mask & kAssign) names.emplace_back("@@assign");
  if (mask & kAppend) names.emplace_back("@@append");
  if (mask & kRemove) names.emplace_back("@@remove");
  std::string out = "only ";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out;
}

/// The operators a @@operators_allowed_for_child_policies list allows; problems for bad entries.
unsigned parse_child_control(const DocNode& n, std::vector<PolicyProblem>* problems) {
  if (!n.is_seq()) {
    if (problems)
      problems->push_back(
          {Level::kError,
           "invalid-syntax",
           n.span,
           fmt::format("`{}` must be a list of operators (@@all, @@none, @@assign, @@append, @@remove)", kChildControl),
           {}});
    return kAllOps;
  }
  unsigned mask = 0;
  for (const auto& item : n.items) {
    if (item.scalar == "@@all")
      mask |= kAllOps;
    else if (item.scalar == "@@none")
      mask |= 0;
    else if (unsigned b = op_bit(item.scalar))
      mask |= b;
    else if (problems)
      problems->push_back({Level::kError,
                           "invalid-syntax",
                           item.span,
                           fmt::format("unknown operator `{}` in `{}`", item.scalar, kChildControl),
                           {}});
  }
  return mask;
}

struct KeyState {
  EffectiveKey key;
  Restriction key_mask;
  Restriction field_mask[kFieldCount];
  int assigned_level[kFieldCount] = {-1, -1, -1, -1};
  Span assigned_span[kFieldCount];
  // Restrictions written on the current level, applied from the next level on (their
  // intersection: AWS "Inheritance examples", Example 5).
  Restriction pending_key;
  Restriction pending_field[kFieldCount];
};

EffectiveSetting& setting_of(EffectiveKey& k, int f) {
  switch (f) {
    case kTagKey:
      return k.tag_key;
    case kTagValue:
      return k.tag_value;
    case kEnforcedFor:
      return k.enforced_for;
    default:
      return k.report_required_tag_for;
  }
}

/// A tag policy has only `tags` at its top level (AWS Organizations User Guide, "Tag policy
/// syntax": a tag policy starts with `tags`; "Inheritance operators": child control operators go
/// inside `tags`, in a policy key or in one of its settings). One problem per other field, the
/// same for `policy lint` and for merging (which ignores the field).
void top_level_problems(const DocNode& root, std::vector<PolicyProblem>& out) {
  for (std::size_t i = 0; i < root.keys.size(); ++i) {
    if (root.keys[i] == "tags") continue;
    std::string message =
        root.keys[i] == kChildControl
            ? fmt::format(
                  "`{}` at the top level of a tag policy is not valid: AWS reads it inside `tags` (for "
                  "every policy key), in a policy key or in one of its settings; move it into `tags` (it is "
                  "ignored here)",
                  kChildControl)
            : fmt::format("unknown field `{}`: a tag policy starts with `tags` (it is ignored)", root.keys[i]);
    out.push_back({Level::kError, "invalid-syntax", root.key_spans[i], std::move(message), {}});
  }
}

class Merger {
 public:
  explicit Merger(std::vector<PolicyProblem>& problems) : problems_(problems) {}

  EffectivePolicy run(const std::vector<std::vector<PolicyDoc>>& levels) {
    for (std::size_t level = 0; level < levels.size(); ++level) {
      Restriction pending_tags;
      for (auto& st : states_) {
        st.pending_key = Restriction{};
        std::fill(std::begin(st.pending_field), std::end(st.pending_field), Restriction{});
      }
      for (const auto& doc : levels[level]) {
        if (!doc.root || !doc.root->is_map()) continue;
        top_level_problems(*doc.root, problems_);
        const DocNode* tags = doc.root->get("tags");
        if (!tags || !tags->is_map()) continue;
        for (std::size_t i = 0; i < tags->keys.size(); ++i) {
          const std::string& name = tags->keys[i];
          const DocNode& body = tags->items[i];
          if (name == kChildControl) {
            pending_tags.add(parse_child_control(body, nullptr), tags->key_spans[i]);
            continue;
          }
          if (name.rfind("@@", 0) == 0 || !body.is_map()) continue;  // lint reports these
          KeyState& st = state(name, tags->key_spans[i]);
          for (std::size_t j = 0; j < body.keys.size(); ++j) {
            const std::string& fname = body.keys[j];
            if (fname == kChildControl) {
              st.pending_key.add(parse_child_control(body.items[j], nullptr), body.key_spans[j]);
              continue;
            }
            auto field = field_of(fname);
            if (!field) continue;  // lint reports unknown settings
            apply(st, *field, body.items[j], body.key_spans[j], static_cast<int>(level));
          }
        }
      }
      // What this level allows its children; a child cannot widen it.
      tags_mask_.inherit(pending_tags);
      for (auto& st : states_) {
        st.key_mask.inherit(st.pending_key);
        for (int f = 0; f < kFieldCount; ++f) st.field_mask[f].inherit(st.pending_field[f]);
      }
    }
    EffectivePolicy out;
    for (auto& st : states_) out.keys.push_back(std::move(st.key));
    return out;
  }

 private:
  KeyState& state(const std::string& policy_key, const Span& span) {
    auto [it, inserted] = by_name_.emplace(lower(policy_key), states_.size());
    if (inserted) {
      states_.emplace_back();
      states_.back().key.policy_key = policy_key;
      states_.back().key.key_span = span;
    }
    return states_[it->second];
  }

  /// The restriction that forbids `bit` on field `f`, most specific first.
  std::optional<Related> restriction(const KeyState& st, int f, unsigned bit) const {
    int b = bit_index(bit);
    if (!(st.field_mask[f].allowed & bit)) {
      return Related{st.field_mask[f].blocked_by[b],
                     fmt::format("a parent policy allows {} here", ops_list(st.field_mask[f].allowed))};
    }
    if (!(st.key_mask.allowed & bit)) {
      return Related{st.key_mask.blocked_by[b],
                     fmt::format("a parent policy allows {} for this policy key", ops_list(st.key_mask.allowed))};
    }
    if (!(tags_mask_.allowed & bit)) {
      return Related{tags_mask_.blocked_by[b],
                     fmt::format("a parent policy allows {} under `tags`", ops_list(tags_mask_.allowed))};
    }
    return std::nullopt;
  }

  void apply(KeyState& st, int f, const DocNode& node, const Span& field_span, int level) {
    EffectiveSetting& s = setting_of(st.key, f);
    std::string where = fmt::format("`{}` of policy key `{}`", kFieldNames[f], st.key.policy_key);
    // A bare value (no operator) is read as @@assign; `policy lint` warns about it.
    std::vector<std::tuple<std::string, const DocNode*, Span>> ops;
    if (node.is_map()) {
      for (std::size_t k = 0; k < node.keys.size(); ++k)
        ops.emplace_back(node.keys[k], &node.items[k], node.key_spans[k]);
    } else {
      ops.emplace_back("@@assign", &node, field_span);
    }
    for (const auto& [op, val, op_span] : ops) {
      if (op == kChildControl) {
        st.pending_field[f].add(parse_child_control(*val, nullptr), op_span);
        continue;
      }
      unsigned bit = op_bit(op);
      if (!bit) continue;  // lint reports unknown operators
      if (auto why = restriction(st, f, bit)) {
        problems_.push_back({Level::kError,
                             "operator-not-allowed",
                             op_span,
                             fmt::format("{} on {} is not allowed by a parent policy, so AWS ignores it", op, where),
                             {*why}});
        continue;
      }
      // On one level the first attached policy's assignment wins (AWS "Inheritance examples",
      // Example 6): a later @@assign of the same setting on that level has no effect.
      bool assigned_on_level = bit == kAssign && st.assigned_level[f] == level;
      if (assigned_on_level && (f != kTagKey || val->is_string()) && (f == kTagKey || val->is_seq())) {
        problems_.push_back({Level::kNote,
                             "same-level-conflict",
                             op_span,
                             fmt::format("this {} of {} has no effect: a policy attached earlier on the same level "
                                         "assigns it, and AWS evaluates one level's policies in attachment order",
                                         op, where),
                             {Related{st.assigned_span[f], "assigned here first"}}});
        continue;
      }
      if (f == kTagKey) {
        if (bit != kAssign || !val->is_string()) continue;  // lint reports these
        s.set = true;
        s.text = val->scalar;
        s.span = op_span;
        st.assigned_level[f] = level;
        st.assigned_span[f] = op_span;
        continue;
      }
      if (!val->is_seq()) continue;  // lint reports it
      if (bit == kAssign) {
        s.items.clear();
        s.item_spans.clear();
        st.assigned_level[f] = level;
        st.assigned_span[f] = op_span;
      }
      for (const auto& item : val->items) {
        if (!item.is_string()) continue;
        auto it = std::find(s.items.begin(), s.items.end(), item.scalar);
        if (bit == kRemove) {
          if (it != s.items.end()) {
            s.item_spans.erase(s.item_spans.begin() + (it - s.items.begin()));
            s.items.erase(it);
          }
        } else if (it == s.items.end()) {
          s.items.push_back(item.scalar);
          s.item_spans.push_back(item.span);
        }
      }
      if (bit != kRemove) s.set = true;
      // A list emptied by @@remove is gone from the effective policy (as AWS shows it in
      // Example 3 of "Inheritance examples"); an explicit `@@assign: []` stays, and for
      // tag_value it means no value is allowed.
      if (bit == kRemove && s.items.empty() && st.assigned_level[f] != level) s.set = false;
      s.span = op_span;
    }
  }

  std::vector<PolicyProblem>& problems_;
  std::vector<KeyState> states_;
  std::map<std::string, std::size_t> by_name_;
  Restriction tags_mask_;
};

}  // namespace

std::string EffectiveKey::tag_key_or_default() const {
  // "If case treatment isn't defined, lowercase is the default case treatment for tag keys."
  return tag_key.set ? tag_key.text : lower(policy_key);
}

std::optional<PolicyDoc> read_tag_policy(const SourceManager& sm, FileId file, std::vector<Error>& errors) {
  DocResult doc = parse_json(file, sm.file(file).contents());
  if (!doc.root) {
    for (auto& e : doc.errors) {
      e.message = fmt::format("cannot read tag policy: {}", e.message);
      errors.push_back(std::move(e));
    }
    return std::nullopt;
  }
  return PolicyDoc{file, std::shared_ptr<const DocNode>(std::move(doc.root))};
}

bool is_tag_policy(const DocNode& root) {
  if (!root.is_map() || root.get("version")) return false;
  const DocNode* tags = root.get("tags");
  if (!tags || !tags->is_map()) return false;
  // A native schema without `version` has tag rules such as `required`; a policy key holds
  // only policy settings and operators (or nothing: `"CostCenter": {}`).
  for (std::size_t i = 0; i < tags->keys.size(); ++i) {
    if (tags->keys[i].rfind("@@", 0) == 0) continue;
    const DocNode& body = tags->items[i];
    if (!body.is_map()) return false;
    for (const auto& k : body.keys) {
      if (!field_of(k) && k.rfind("@@", 0) != 0) return false;
    }
  }
  return true;
}

EffectivePolicy merge_tag_policies(const std::vector<std::vector<PolicyDoc>>& levels,
                                   std::vector<PolicyProblem>& problems) {
  return Merger(problems).run(levels);
}

std::string render_effective_policy(const EffectivePolicy& policy) {
  using nlohmann::ordered_json;
  std::vector<const EffectiveKey*> keys;
  for (const auto& k : policy.keys) keys.push_back(&k);
  std::sort(keys.begin(), keys.end(),
            [](const EffectiveKey* a, const EffectiveKey* b) { return a->policy_key < b->policy_key; });
  ordered_json tags = ordered_json::object();
  for (const EffectiveKey* k : keys) {
    ordered_json body = ordered_json::object();
    if (k->tag_key.set) body["tag_key"] = k->tag_key.text;
    if (k->tag_value.set) body["tag_value"] = k->tag_value.items;
    if (k->enforced_for.set) body["enforced_for"] = k->enforced_for.items;
    if (k->report_required_tag_for.set) body["report_required_tag_for"] = k->report_required_tag_for.items;
    tags[k->policy_key] = std::move(body);
  }
  ordered_json root = ordered_json::object();
  root["tags"] = std::move(tags);
  return root.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Schema schema_from_policy(const EffectivePolicy& policy, FileId file) {
  Schema schema;
  schema.kind = SchemaKind::kTagPolicy;
  schema.file = file;
  const ResourceTypes& types = ResourceTypes::aws();
  std::set<std::string> noted;
  for (const auto& k : policy.keys) {
    TagSpec spec;
    spec.key = k.tag_key_or_default();
    spec.span = k.key_span;
    spec.key_case = KeyCase::kExact;  // tag policies judge key capitalization exactly
    if (k.tag_value.set) {
      spec.values = k.tag_value.items;
      spec.forbidden = k.tag_value.items.empty();
    }
    if (k.report_required_tag_for.set) spec.required_for = k.report_required_tag_for.items;
    if (k.enforced_for.set) spec.enforced_for = k.enforced_for.items;
    std::string detail = k.tag_key.set ? fmt::format("tag_key `{}`", k.tag_key.text)
                                       : fmt::format("no tag_key, so `{}` in lowercase", k.policy_key);
    spec.origin.push_back(Related{k.key_span, fmt::format("rule from tag policy key `{}` ({})", k.policy_key, detail)});
    // A resource type the policy names but tagwarden cannot map is said once, not ignored.
    for (const auto* setting : {&k.report_required_tag_for, &k.enforced_for}) {
      for (std::size_t i = 0; i < setting->items.size(); ++i) {
        const std::string& t = setting->items[i];
        auto expanded = types.expand(t);
        bool mapped = std::any_of(expanded.begin(), expanded.end(), [](const PolicyType* p) { return p->mapped(); });
        if (!expanded.empty() && !mapped && noted.insert(lower(t)).second) {
          schema.notes.push_back(SchemaNote{
              setting->item_spans[i], fmt::format("resource type `{}` maps to no Terraform or CloudFormation type "
                                                  "tagwarden knows; resources of that type are not checked against it",
                                                  t)});
        }
      }
    }
    schema.tags.push_back(std::move(spec));
  }
  return schema;
}

namespace {

/// Characters of `text` with whitespace outside JSON strings removed (the console's saving).
std::size_t minified_chars(std::string_view text) {
  std::size_t n = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) == 0x80) continue;  // count code points
    if (in_string) {
      ++n;
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      ++n;
      in_string = true;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      ++n;
    }
  }
  return n;
}

class Linter {
 public:
  Linter(const SourceManager& sm, std::vector<PolicyProblem>& out) : sm_(sm), out_(out) {}

  void document(const PolicyDoc& doc) {
    std::string_view text = sm_.file(doc.file).contents();
    std::size_t chars = code_point_count(text);
    Span start = doc.root ? Span{doc.file, doc.root->span.begin, doc.root->span.begin} : Span::whole_file(doc.file);
    if (chars > kMaxTagPolicyChars) {
      std::size_t small = minified_chars(text);
      problem(
          Level::kError, "policy-too-large", start,
          fmt::format("tag policy is {} characters long; AWS allows 10,000 per tag policy ({} without the whitespace "
                      "outside strings, which the console removes when it saves; the API and CLI keep it){}",
                      chars, small, small <= kMaxTagPolicyChars ? "" : ": split it into several policies"));
    }
    if (!doc.root) return;
    const DocNode& root = *doc.root;
    if (!root.is_map()) {
      problem(Level::kError, "invalid-syntax", root.span, "a tag policy is a JSON object with a `tags` map");
      return;
    }
    // Fields beside `tags`: merge_tag_policies reports them (top_level_problems), for lint too.
    const DocNode* tags = root.get("tags");
    if (!tags || !tags->is_map()) {
      problem(Level::kError, "invalid-syntax", tags ? tags->span : start,
              "a tag policy needs a `tags` map of policy keys");
      return;
    }
    std::map<std::string, Span> seen;
    for (std::size_t i = 0; i < tags->keys.size(); ++i) {
      const std::string& name = tags->keys[i];
      const DocNode& body = tags->items[i];
      if (name == kChildControl) {
        parse_child_control(body, &out_);
        continue;
      }
      if (name.rfind("@@", 0) == 0) {
        problem(Level::kError, "invalid-syntax", tags->key_spans[i],
                fmt::format("unknown operator `{}` under `tags`", name));
        continue;
      }
      auto [it, fresh] = seen.emplace(lower(name), tags->key_spans[i]);
      if (!fresh) {
        problem(Level::kError, "duplicate-policy-key", tags->key_spans[i],
                fmt::format("policy key `{}` appears twice in this policy (policy keys ignore letter case)", name),
                {Related{it->second, "first here"}});
      }
      policy_key(name, tags->key_spans[i], body);
    }
  }

  void unmapped_types() {
    // Reported once per run for the first place each type is written.
    for (const auto& [name, span] : unmapped_) {
      problem(Level::kWarning, "unmapped-type", span,
              fmt::format("resource type `{}` maps to no Terraform or CloudFormation type tagwarden knows, so "
                          "`tagwarden check` cannot apply this rule to any resource",
                          name));
    }
  }

 private:
  void problem(Level level, std::string code, Span span, std::string message, std::vector<Related> related = {}) {
    out_.push_back(PolicyProblem{level, std::move(code), span, std::move(message), std::move(related)});
  }

  void policy_key(const std::string& name, const Span& key_span, const DocNode& body) {
    if (!body.is_map()) {
      problem(
          Level::kError, "invalid-syntax", body.span,
          fmt::format(
              "policy key `{}` must map to its settings (tag_key, tag_value, enforced_for, report_required_tag_for)",
              name));
      return;
    }
    for (std::size_t j = 0; j < body.keys.size(); ++j) {
      const std::string& fname = body.keys[j];
      const DocNode& fnode = body.items[j];
      if (fname == kChildControl) {
        parse_child_control(fnode, &out_);
        continue;
      }
      auto field = field_of(fname);
      if (!field) {
        problem(Level::kError, "invalid-syntax", body.key_spans[j],
                fmt::format("unknown setting `{}` in policy key `{}` (expected tag_key, tag_value, enforced_for or "
                            "report_required_tag_for)",
                            fname, name));
        continue;
      }
      if (!fnode.is_map()) {
        problem(Level::kWarning, "invalid-syntax", fnode.span,
                fmt::format("`{}` has no operator; AWS's syntax wraps values as {{\"@@assign\": ...}} (tagwarden reads "
                            "it as @@assign)",
                            fname));
        value(name, key_span, *field, "@@assign", fnode);
        continue;
      }
      for (std::size_t k = 0; k < fnode.keys.size(); ++k) {
        const std::string& op = fnode.keys[k];
        if (op == kChildControl) {
          parse_child_control(fnode.items[k], &out_);
          continue;
        }
        if (!op_bit(op)) {
          problem(Level::kError, "invalid-syntax", fnode.key_spans[k],
                  fmt::format("unknown operator `{}` in `{}` (expected @@assign, @@append, @@remove or {})", op, fname,
                              kChildControl));
          continue;
        }
        if (*field == kTagKey && op != "@@assign") {
          problem(Level::kError, "invalid-syntax", fnode.key_spans[k],
                  fmt::format("`tag_key` takes only @@assign; {} works on lists", op));
          continue;
        }
        value(name, key_span, *field, op, fnode.items[k]);
      }
    }
  }

  void value(const std::string& policy_key, const Span& key_span, Field field, const std::string& op,
             const DocNode& v) {
    if (field == kTagKey) {
      if (!v.is_string()) {
        problem(Level::kError, "invalid-syntax", v.span, "`tag_key` must be a string");
        return;
      }
      // "It must match the value for the tag key, except for the case treatment."
      if (lower(v.scalar) != lower(policy_key)) {
        problem(Level::kError, "key-mismatch", v.span,
                fmt::format(
                    "tag_key `{}` differs from its policy key `{}` by more than letter case; AWS requires them to be "
                    "the same word",
                    v.scalar, policy_key),
                {Related{key_span, "policy key"}});
      }
      return;
    }
    if (!v.is_seq()) {
      problem(Level::kError, "invalid-syntax", v.span, fmt::format("`{}` takes a list of strings", kFieldNames[field]));
      return;
    }
    for (const auto& item : v.items) {
      if (!item.is_string()) {
        problem(Level::kError, "invalid-syntax", item.span,
                fmt::format("each entry of `{}` must be a string", kFieldNames[field]));
        continue;
      }
      if (field == kTagValue) {
        // "You can use one wildcard per tag value. For example, *@example.com is allowed, but *@*.com is not."
        if (std::count(item.scalar.begin(), item.scalar.end(), '*') > 1) {
          problem(Level::kError, "too-many-wildcards", item.span,
                  fmt::format("tag value `{}` has more than one `*`; AWS allows one wildcard per value", item.scalar));
        }
      } else if (op != "@@remove") {
        resource_type(item, field);
      }
    }
  }

  void resource_type(const DocNode& item, Field field) {
    const ResourceTypes& types = ResourceTypes::aws();
    const std::string& t = item.scalar;
    std::size_t colon = t.find(':');
    std::string service = t.substr(0, colon);
    std::string rest = colon == std::string::npos ? std::string() : t.substr(colon + 1);
    std::string_view setting = kFieldNames[field];
    if (colon == std::string::npos || service.empty() || rest.empty()) {
      problem(
          Level::kError, "unknown-resource-type", item.span,
          fmt::format(
              "`{}` is not a resource type; {} takes `service:type` names such as `ec2:instance` or `s3:ALL_SUPPORTED`",
              t, setting));
      return;
    }
    if (service.find('*') != std::string::npos) {
      // "You can't use a wildcard to specify all services or to specify a resource for all services."
      problem(Level::kError, "unknown-resource-type", item.span,
              fmt::format("`{}`: AWS has no wildcard for every service; name each service (`ec2:ALL_SUPPORTED`)", t));
      return;
    }
    const PolicyType* type = nullptr;
    bool wildcard = rest == "*" || rest == "ALL_SUPPORTED";
    if (wildcard)
      type = types.all_supported(service);
    else
      type = types.find(t);
    if (!type && !(wildcard && types.has_service(service))) {
      problem(Level::kError, "unknown-resource-type", item.span,
              fmt::format("AWS does not list `{}` among the resource types tag policies support{}", t,
                          types.has_service(service) ? "" : fmt::format(" (no service `{}`)", service)));
      return;
    }
    if (field == kEnforcedFor && !(type && type->enforceable)) {
      problem(Level::kError, "not-enforceable", item.span,
              wildcard ? fmt::format("`{}`: AWS does not support enforcement for every resource type of `{}`; list the "
                                     "enforceable types",
                                     t, service)
                       : fmt::format("AWS cannot enforce tag policies on `{}` (it supports reporting only), so "
                                     "`enforced_for` has no effect for it",
                                     t));
    }
    if (field == kReportRequired && !(type && type->required_reporting)) {
      problem(Level::kError, "not-reportable", item.span,
              fmt::format(
                  "AWS does not report required tags for `{}`, so `report_required_tag_for` has no effect for it", t));
    }
    auto expanded = types.expand(t);
    bool mapped = std::any_of(expanded.begin(), expanded.end(), [](const PolicyType* p) { return p->mapped(); });
    if (!mapped && !expanded.empty()) unmapped_.emplace(t, item.span);
  }

  const SourceManager& sm_;
  std::vector<PolicyProblem>& out_;
  std::map<std::string, Span> unmapped_;  ///< first place each unmapped type is written
};

}  // namespace

std::vector<PolicyProblem> lint_tag_policies(const SourceManager& sm,
                                             const std::vector<std::vector<PolicyDoc>>& levels) {
  std::vector<PolicyProblem> out;
  Linter linter(sm, out);
  for (const auto& level : levels) {
    for (const auto& doc : level) linter.document(doc);
  }
  linter.unmapped_types();
  merge_tag_policies(levels, out);
  std::stable_sort(out.begin(), out.end(), [&](const PolicyProblem& a, const PolicyProblem& b) {
    std::string pa = span_path(sm, a.span, {}), pb = span_path(sm, b.span, {});
    if (pa != pb) return pa < pb;
    return a.span.begin < b.span.begin;
  });
  return out;
}

}  // namespace tagwarden
