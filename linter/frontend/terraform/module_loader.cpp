#include "linter/frontend/terraform/module_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "linter/engine/thread_pool.hpp"
#include "linter/eval/tf/evaluator.hpp"
#include "linter/frontend/terraform/plan_loader.hpp"
#include "linter/frontend/terraform/taggable_types.hpp"
#include "linter/model/tag_set_builder.hpp"

namespace tagwarden::terraform {
namespace {

using tf::Value;

constexpr int kMaxModuleDepth = 16;
constexpr std::size_t kMaxInstances = 10'000;
constexpr std::size_t kMaxResources = 200'000;
constexpr std::size_t kMaxLocalChain = 200;  ///< locals being evaluated at once (stack depth)

// ---------------------------------------------------------------------------------------------
// Syntax helpers (local, so the front end only needs the AST's data members)

const hcl::Attribute* find_attr(const hcl::Body& body, std::string_view name) {
  for (const auto& a : body.attributes)
    if (a.name == name) return &a;
  return nullptr;
}

std::vector<const hcl::Block*> blocks_of(const hcl::Body& body, std::string_view type) {
  std::vector<const hcl::Block*> out;
  for (const auto& b : body.blocks)
    if (b.type == type) out.push_back(&b);
  return out;
}

/// A static string (Terraform requires `source`, `alias`, ... to be literals).
std::optional<std::string> literal_string(const hcl::Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == hcl::ExprKind::kString) return e->text;
  if (e->kind == hcl::ExprKind::kTemplate && e->children.size() == 1 && e->children[0] &&
      e->children[0]->kind == hcl::ExprKind::kString)
    return e->children[0]->text;
  return std::nullopt;
}

/// A provider reference such as `aws` or `aws.west`.
std::optional<std::string> provider_ref(const hcl::Expr* e) {
  if (e == nullptr) return std::nullopt;
  if (e->kind == hcl::ExprKind::kVariable) return e->name;
  if (e->kind == hcl::ExprKind::kGetAttr && e->children.size() == 1 && e->children[0] &&
      e->children[0]->kind == hcl::ExprKind::kVariable)
    return e->children[0]->name + "." + e->name;
  if (auto s = literal_string(e)) return s;  // legacy quoted form "aws.west"
  return std::nullopt;
}

std::string provider_base(const std::string& local_name) { return local_name.substr(0, local_name.find('.')); }

bool is_local_source(const std::string& s) { return s.rfind("./", 0) == 0 || s.rfind("../", 0) == 0; }

std::string instance_key(const Value& key) {
  if (key.kind() == Value::Kind::kNumber) return fmt::format("[{}]", key.to_string().value_or("?"));
  return fmt::format("[\"{}\"]", key.to_string().value_or("?"));
}

// ---------------------------------------------------------------------------------------------
// Loaded module directories

struct ModuleDir {
  std::string dir;
  std::vector<std::unique_ptr<hcl::File>> files;
  std::vector<const hcl::Block*> resources, providers, variables, module_calls, outputs;
  std::map<std::string, const hcl::Attribute*> locals;
  std::set<std::string> configuration_aliases;  ///< "aws.west"
  bool has_files = false;
};

bool is_tf_file(const std::string& name, bool* json) {
  auto ends = [&](std::string_view suf) {
    return name.size() > suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0;
  };
  if (ends(".tf.json")) {
    *json = true;
    return true;
  }
  *json = false;
  return ends(".tf");
}

void collect(ModuleDir& m) {
  for (const auto& f : m.files) {
    for (const auto& b : f->body.blocks) {
      if (b.type == "resource" && b.labels.size() == 2) {
        m.resources.push_back(&b);
      } else if (b.type == "provider" && b.labels.size() == 1) {
        m.providers.push_back(&b);
      } else if (b.type == "variable" && b.labels.size() == 1) {
        m.variables.push_back(&b);
      } else if (b.type == "module" && b.labels.size() == 1) {
        m.module_calls.push_back(&b);
      } else if (b.type == "output" && b.labels.size() == 1) {
        m.outputs.push_back(&b);
      } else if (b.type == "locals") {
        for (const auto& a : b.body.attributes) m.locals.emplace(a.name, &a);
      } else if (b.type == "terraform") {
        for (const hcl::Block* rp : blocks_of(b.body, "required_providers")) {
          for (const auto& a : rp->body.attributes) {
            if (!a.expr || a.expr->kind != hcl::ExprKind::kObject) continue;
            const auto& kids = a.expr->children;
            for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
              if (!kids[i] || literal_string(kids[i].get()) != std::optional<std::string>("configuration_aliases"))
                continue;
              if (!kids[i + 1] || kids[i + 1]->kind != hcl::ExprKind::kTuple) continue;
              for (const auto& item : kids[i + 1]->children)
                if (auto ref = provider_ref(item.get())) m.configuration_aliases.insert(*ref);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Evaluation scopes

/// count.index / each.key / each.value and dynamic-block iterators in effect.
struct Iter {
  std::optional<Value> count_index;
  std::optional<Value> each_key;
  std::optional<Value> each_value;
  std::map<std::string, Value> iterators;  ///< dynamic block iterator name -> {key, value}
};

struct ProviderConfig {
  std::string label;  ///< "provider aws.west (module.net)"
  bool inherited_unknown = false;
  std::string unknown_reason;
  Value default_tags;  ///< null: none
  Span default_tags_span;
  Span block_span;  ///< the provider block (where default_tags would be added)
  Value ignore_keys;
  Value ignore_prefixes;
};
using ProviderMap = std::map<std::string, std::shared_ptr<const ProviderConfig>>;

struct CallState;

struct Instance {
  const ModuleDir* mod = nullptr;
  std::string prefix;        ///< "module.a[0]." ("" for the root)
  std::string name;          ///< "module.a[0]" ("" for the root)
  std::string key_path;      ///< modules.json key: "a.b"
  std::map<std::string, Value> vars;
  std::map<std::string, Value> local_cache;
  std::set<std::string> local_busy;
  ProviderMap providers;
  std::vector<Related> trail;  ///< module arguments along the call chain
  std::vector<std::string> dir_chain;
  int depth = 0;
  bool expanded = true;  ///< false: this module instance stands for 0..n (unknown count/for_each)
  std::map<std::string, std::unique_ptr<CallState>> calls;  ///< module calls, created on first use
  std::optional<Value> outputs_value;                       ///< this instance's outputs, as an object
};

/// The instances of one module call, made when first needed (to emit resources, or because
/// an expression reads `module.NAME`).
struct CallState {
  bool busy = false;
  bool usable = false;  ///< false: not inspectable or not followed; `reason` says why
  std::string reason;
  bool expanded = true;
  bool has_count = false;
  bool has_for_each = false;
  std::vector<std::pair<Value, std::unique_ptr<Instance>>> instances;  ///< (each.key or count.index, child)
};

/// A tag as the builder takes it: an unknown or non-string value becomes an unknown value with
/// its reason (a null value is passed to TagSetBuilder::set_null instead).
TagEntry tag_entry(std::string key, const Value& value, Span key_span, Origin origin) {
  TagEntry t;
  t.key = std::move(key);
  t.key_span = key_span;
  t.value_span = value.span();
  t.origin = std::move(origin);
  if (value.is_unknown()) {
    t.unknown_reason = value.unknown_reason();
  } else if (auto s = value.to_string()) {
    t.value = *s;
  } else {
    t.unknown_reason = fmt::format("tag value is a {}, not a string", value.type_name());
  }
  return t;
}

class Loader {
 public:
  Loader(const LoadContext& ctx, const ParseFn& parse) : ctx_(ctx), parse_(parse) {}

  FrontendResult run(const TerraformInputs& inputs);

 private:
  void load_dirs(const std::vector<std::string>& dirs);
  const ModuleDir* dir(const std::string& d) {
    auto it = dirs_.find(d);
    return it == dirs_.end() ? nullptr : it->second.get();
  }
  void lint_root(const std::string& root_dir);
  void instantiate(Instance& in);
  void bind_variables(Instance& in, std::map<std::string, Value> given, bool root);
  Value convert(Instance& in, const Value& v, const hcl::Expr* type, int depth);
  std::map<std::string, Value> root_variable_values(const std::string& root_dir);
  void build_providers(Instance& in, bool root);
  Value eval(Instance& in, const hcl::Expr* e, const Iter* it);
  Value eval_local(Instance& in, const std::string& name, Span at);
  std::optional<std::vector<std::pair<std::string, Iter>>> expand(Instance& in, const hcl::Body& body, bool* expanded);
  void emit_resource(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it,
                     bool expanded);
  TagSet compute_tags(Instance& in, const hcl::Block& block, const Iter& it, const TypeTagging& tt,
                      const std::string& provider_name, const hcl::Attribute* tags_attr);
  void apply_map(TagSetBuilder& tags, const Value& v, const Origin& origin);
  TagSet finish_tags(Instance& in, TagSetBuilder&& tags, const ProviderConfig* pc, const hcl::Block& block);
  void add_inherited_layer(Instance& in, const std::string& provider_name, Resource& r);
  void emit_extra(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it,
                  const std::string& provider_name);
  CallState& call_state(Instance& in, const hcl::Block& call);
  bool room_for_resource(const hcl::Block& block);
  Value module_value(Instance& in, const std::string& name, Span at);
  std::optional<std::string> module_dir_for(const Instance& caller, const hcl::Block& call,
                                            const std::string& source);

  const LoadContext& ctx_;
  const ParseFn& parse_;
  std::map<std::string, std::unique_ptr<ModuleDir>> dirs_;
  FrontendResult out_;
  std::string root_dir_;
  std::string workspace_;
  std::map<std::string, std::string> modules_json_;  ///< key -> dir, for the current root
  std::set<std::pair<FileId, std::uint32_t>> noted_calls_;
  std::set<std::pair<FileId, std::uint32_t>> reported_cycles_;
  std::set<std::string> reached_;  ///< module directories some call of this run resolved to
  bool resource_cap_reported_ = false;
};

void Loader::load_dirs(const std::vector<std::string>& wanted) {
  struct Task {
    ModuleDir* mod;
    FileId file;
    bool json;
    hcl::ParseResult result;
  };
  std::vector<Task> tasks;
  std::vector<ModuleDir*> fresh;
  for (const auto& d : wanted) {
    if (dirs_.count(d)) continue;
    auto m = std::make_unique<ModuleDir>();
    m->dir = d;
    // Read and register files in sorted order on this thread, so FileIds do not depend on
    // thread timing; only the parsing runs in parallel.
    for (const auto& name : ctx_.reader.list_dir(d)) {
      bool json = false;
      std::string path = path_join(d, name);
      if (!is_tf_file(name, &json) || !ctx_.reader.is_file(path)) continue;
      FileId id = read_source(ctx_, path, out_.errors);
      m->has_files = true;
      if (id == kNoFile) continue;
      tasks.push_back(Task{m.get(), id, json, {}});
    }
    fresh.push_back(m.get());
    dirs_.emplace(d, std::move(m));
  }
  parallel_for(tasks.size(), ctx_.options.jobs, [&](std::size_t i) {
    Task& t = tasks[i];
    try {
      t.result = parse_(t.file, ctx_.sources.file(t.file).contents(), t.json);
    } catch (const std::exception& ex) {
      t.result = {};
      t.result.errors.push_back(Error{Span::whole_file(t.file), "", fmt::format("internal error while parsing (a bug, please report it): {}", ex.what()), true});
    }
  });
  for (auto& t : tasks) {
    for (auto& e : t.result.errors) out_.errors.push_back(std::move(e));
    // Suppression comments: the findings pipeline matches them to resources by position.
    for (const auto& c : t.result.comments)
      if (auto sup = parse_suppression_comment(c.text, c.span, !t.json)) out_.suppressions.push_back(std::move(*sup));
    if (t.result.file) t.mod->files.push_back(std::move(t.result.file));
  }
  for (ModuleDir* m : fresh) collect(*m);
}

// ---------------------------------------------------------------------------------------------
// Expressions

Value Loader::eval(Instance& in, const hcl::Expr* e, const Iter* it) {
  if (e == nullptr) return Value::null();
  tf::EvalContext ec;
  ec.resolve = [&](std::string_view root, std::string_view attr, Span span) -> std::optional<Value> {
    if (root == "var") {
      auto v = in.vars.find(std::string(attr));
      if (v != in.vars.end()) return v->second;
      return Value::unknown(fmt::format("var.{} is not declared", attr), span);
    }
    if (root == "local") return eval_local(in, std::string(attr), span);
    if (root == "count" && attr == "index") {
      if (it != nullptr && it->count_index) return *it->count_index;
      return Value::unknown("count.index is used without count", span);
    }
    if (root == "each" && (attr == "key" || attr == "value")) {
      const auto& v = attr == "key" ? (it ? it->each_key : std::nullopt) : (it ? it->each_value : std::nullopt);
      if (v) return *v;
      return Value::unknown(fmt::format("each.{} is used without for_each", attr), span);
    }
    if (it != nullptr) {
      auto iter = it->iterators.find(std::string(root));
      if (iter != it->iterators.end()) {
        if (attr.empty()) return iter->second;
        if (iter->second.kind() == Value::Kind::kMap) {
          auto f = iter->second.as_map().find(std::string(attr));
          if (f != iter->second.as_map().end()) return f->second.value;
        }
        return iter->second.is_unknown() ? iter->second : Value::unknown(fmt::format("{}.{}", root, attr), span);
      }
    }
    if (root == "path") {
      if (attr == "module") return Value::string(in.mod->dir, span);
      if (attr == "root") return Value::string(root_dir_, span);
      // Terraform runs in the root module's directory (or the -chdir one, the same thing);
      // path.cwd is that directory as an absolute path. main gives us our own working
      // directory; without it only a relative form is known.
      if (attr == "cwd") {
        if (!ctx_.options.working_directory.empty())
          return Value::string(path_join(ctx_.options.working_directory, root_dir_), span);
        if (root_dir_ == "." || root_dir_ == ".." || root_dir_.rfind("../", 0) == 0)
          return Value::unknown("path.cwd is the absolute path of the working directory", span);
        return Value::string(root_dir_, span);
      }
    }
    if (root == "terraform" && attr == "workspace") return Value::string(workspace_, span);
    if (root == "module" && !attr.empty()) return module_value(in, std::string(attr), span);
    return std::nullopt;
  };
  // file() / templatefile(): Terraform resolves relative paths against its working directory,
  // the root module. path.module here already includes the root's directory as given, so a
  // path starting with it is used as it is.
  ec.read_file = [&](std::string_view p) -> std::optional<std::string> {
    std::string path(p);
    bool prefixed = root_dir_ != "." && path.rfind(root_dir_ + "/", 0) == 0;
    if (path.empty() || (path[0] != '/' && !prefixed)) path = path_join(root_dir_, path);
    std::string why;
    auto text = ctx_.reader.read(path, &why);
    constexpr std::size_t kMaxReadFile = 1u << 20;
    if (!text || text->size() > kMaxReadFile) return std::nullopt;
    return text;
  };
  return tf::evaluate(*e, ec);
}

Value Loader::eval_local(Instance& in, const std::string& name, Span at) {
  if (auto c = in.local_cache.find(name); c != in.local_cache.end()) return c->second;
  auto def = in.mod->locals.find(name);
  if (def == in.mod->locals.end()) return Value::unknown(fmt::format("local.{} is not declared", name), at);
  if (in.local_busy.count(name)) {
    auto key = std::make_pair(def->second->span.file, def->second->span.begin);
    if (reported_cycles_.insert(key).second)
      out_.errors.push_back(Error{def->second->name_span, "", fmt::format("local.{} refers to itself", name)});
    return Value::unknown(fmt::format("local.{} refers to itself", name), at);
  }
  if (in.local_busy.size() >= kMaxLocalChain)
    return Value::unknown(fmt::format("local.{} is nested in more than {} locals", name, kMaxLocalChain), at);
  in.local_busy.insert(name);
  Value v = eval(in, def->second->expr.get(), nullptr);
  in.local_busy.erase(name);
  in.local_cache.emplace(name, v);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Variables: Terraform's precedence for the root module (lowest first): defaults,
// terraform.tfvars, terraform.tfvars.json, *.auto.tfvars / *.auto.tfvars.json in lexical order,
// then -var-file and -var options in command-line order
// (developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence).

std::map<std::string, Value> Loader::root_variable_values(const std::string& root_dir) {
  std::map<std::string, Value> vals;
  Instance scratch;  // tfvars may hold no references: evaluate in an empty scope
  ModuleDir empty;
  empty.dir = root_dir;
  scratch.mod = &empty;
  auto load_file = [&](const std::string& path) {
    FileId id = read_source(ctx_, path, out_.errors);
    if (id == kNoFile) return;
    const std::string& text = ctx_.sources.file(id).contents();
    bool json = path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
    if (json) {
      DocResult doc = parse_json(id, text);
      for (auto& e : doc.errors) out_.errors.push_back(std::move(e));
      if (!doc.root) return;
      if (!doc.root->is_map()) {
        out_.errors.push_back(Error{doc.root->span, "", "a .tfvars.json file must hold an object"});
        return;
      }
      for (std::size_t i = 0; i < doc.root->keys.size(); ++i)
        vals[doc.root->keys[i]] = tf::value_from_doc(doc.root->items[i]);
      return;
    }
    hcl::ParseResult r = parse_(id, text, false);
    for (auto& e : r.errors) out_.errors.push_back(std::move(e));
    if (!r.file) return;
    for (const auto& a : r.file->body.attributes) vals[a.name] = eval(scratch, a.expr.get(), nullptr);
  };
  std::vector<std::string> names = ctx_.reader.list_dir(root_dir);
  for (const char* fixed : {"terraform.tfvars", "terraform.tfvars.json"})
    if (std::find(names.begin(), names.end(), fixed) != names.end()) load_file(path_join(root_dir, fixed));
  for (const auto& n : names) {
    auto ends = [&](std::string_view s) { return n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0; };
    if (ends(".auto.tfvars") || ends(".auto.tfvars.json")) load_file(path_join(root_dir, n));
  }
  // -var-file and -var: the root's own (config file) first, then the command line's.
  const RootInputs inputs = ctx_.options.inputs_for(root_dir);
  for (const auto& f : inputs.var_files) load_file(f);
  for (const auto& [name, raw] : inputs.vars) {
    // Terraform parses -var values as HCL when the variable's type is not a primitive; we
    // do so when the value looks like a collection constructor, else it is the raw string.
    std::string_view t = raw;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
      FileId id = ctx_.sources.add(fmt::format("--var {}", name), "v = " + raw);
      hcl::ParseResult r = parse_(id, ctx_.sources.file(id).contents(), false);
      if (r.errors.empty() && r.file && !r.file->body.attributes.empty()) {
        vals[name] = eval(scratch, r.file->body.attributes[0].expr.get(), nullptr);
        continue;
      }
      for (auto& e : r.errors) out_.errors.push_back(std::move(e));
    }
    vals[name] = Value::string(raw);
  }
  return vals;
}

// Type conversion of variable values, as far as it matters for tags: object types fill the
// attributes a value lacks with null or their `optional(type, default)` default, recursively
// through map/list/set/tuple element types (developer.hashicorp.com/terraform/language/
// expressions/type-constraints#optional-object-type-attributes). Primitive conversions are
// left to the consumers (a tag value is converted to a string when it is read).
Value Loader::convert(Instance& in, const Value& v, const hcl::Expr* type, int depth) {
  if (type == nullptr || depth > 32 || !v.is_known() || v.is_null()) return v;
  const hcl::Expr* t = type;
  while (t->kind == hcl::ExprKind::kParens && !t->children.empty() && t->children[0]) t = t->children[0].get();
  if (t->kind != hcl::ExprKind::kCall || t->children.empty() || !t->children[0]) return v;
  const hcl::Expr* arg = t->children[0].get();
  if ((t->name == "map") && v.kind() == Value::Kind::kMap) {
    tf::MapData out;
    for (const auto& [k, e] : v.as_map()) out[k] = tf::MapEntry{convert(in, e.value, arg, depth + 1), e.key_span, e.duplicate_key_spans};
    return Value::map(std::move(out), v.span(), v.map_open());
  }
  if ((t->name == "list" || t->name == "set") && v.kind() == Value::Kind::kList) {
    tf::ListData out;
    for (const auto& item : v.as_list()) out.push_back(convert(in, item, arg, depth + 1));
    return Value::list(std::move(out), v.span());
  }
  if (t->name == "object" && arg->kind == hcl::ExprKind::kObject && v.kind() == Value::Kind::kMap) {
    tf::MapData out = v.as_map();
    const auto& kids = arg->children;
    for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
      auto name = literal_string(kids[i].get());
      const hcl::Expr* at = kids[i + 1].get();
      if (!name || at == nullptr) continue;
      const hcl::Expr* inner = at;
      const hcl::Expr* dflt = nullptr;
      if (at->kind == hcl::ExprKind::kCall && at->name == "optional" && !at->children.empty()) {
        inner = at->children[0].get();
        if (at->children.size() > 1) dflt = at->children[1].get();
      }
      auto have = out.find(*name);
      if (have == out.end() || have->second.value.is_null()) {
        // A missing attribute (or null) becomes the optional default, converted, or null.
        if (dflt != nullptr) {
          out[*name] = tf::MapEntry{convert(in, eval(in, dflt, nullptr), inner, depth + 1), kids[i]->span, {}};
        } else if (have == out.end()) {
          out[*name] = tf::MapEntry{Value::null(at->span), kids[i]->span, {}};
        }
      } else {
        have->second.value = convert(in, have->second.value, inner, depth + 1);
      }
    }
    return Value::map(std::move(out), v.span(), v.map_open());
  }
  return v;
}

void Loader::bind_variables(Instance& in, std::map<std::string, Value> given, bool root) {
  for (const hcl::Block* b : in.mod->variables) {
    const std::string& name = b->labels[0];
    const hcl::Attribute* def = find_attr(b->body, "default");
    const hcl::Attribute* nullable = find_attr(b->body, "nullable");
    bool non_null = nullable && nullable->expr && nullable->expr->kind == hcl::ExprKind::kBool &&
                    nullable->expr->text == "false";
    auto g = given.find(name);
    Value v;
    if (g != given.end() && !(non_null && g->second.is_null() && def)) {
      v = g->second;
    } else if (def) {
      v = eval(in, def->expr.get(), nullptr);
    } else if (root) {
      v = Value::unknown(fmt::format("var.{} has no value", name), b->span);
    } else {
      v = Value::unknown(fmt::format("var.{} is not set by {}", name, in.name), b->span);
    }
    const hcl::Attribute* type = find_attr(b->body, "type");
    in.vars[name] = type ? convert(in, v, type->expr.get(), 0) : std::move(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Providers. AWS provider docs: default_tags "apply to all resources with a tags attribute"
// of that provider configuration; resource tags win per key; ignore_tags removes keys and key
// prefixes from what the provider manages (registry.terraform.io/providers/hashicorp/aws/latest/
// docs#default_tags-configuration-block). Default (unaliased) provider configurations are
// inherited implicitly by child modules; aliased ones only through `providers = {...}`
// (developer.hashicorp.com/terraform/language/modules/develop/providers).

void Loader::build_providers(Instance& in, bool root) {
  for (const hcl::Block* b : in.mod->providers) {
    std::string name = b->labels[0];
    if (auto alias = literal_string(find_attr(b->body, "alias") ? find_attr(b->body, "alias")->expr.get() : nullptr))
      name += "." + *alias;
    auto pc = std::make_shared<ProviderConfig>();
    pc->label = in.name.empty() ? fmt::format("provider {}", name) : fmt::format("provider {} ({})", name, in.name);
    pc->block_span = b->span;
    if (provider_base(name) == "aws") {
      auto dts = blocks_of(b->body, "default_tags");
      if (!dts.empty()) {
        pc->default_tags_span = dts[0]->span;
        if (const hcl::Attribute* t = find_attr(dts[0]->body, "tags")) pc->default_tags = eval(in, t->expr.get(), nullptr);
      }
      auto its = blocks_of(b->body, "ignore_tags");
      if (!its.empty()) {
        if (const hcl::Attribute* k = find_attr(its[0]->body, "keys")) pc->ignore_keys = eval(in, k->expr.get(), nullptr);
        if (const hcl::Attribute* p = find_attr(its[0]->body, "key_prefixes"))
          pc->ignore_prefixes = eval(in, p->expr.get(), nullptr);
      }
    }
    in.providers[name] = std::move(pc);
  }
  if (root && !in.providers.count("aws")) {
    // A directory with no `provider "aws"` block linted on its own is a module whose caller
    // supplies the provider: its default_tags cannot be known here.
    auto pc = std::make_shared<ProviderConfig>();
    pc->label = "provider aws";
    pc->inherited_unknown = true;
    pc->unknown_reason = "provider default_tags are inherited from the calling module";
    in.providers["aws"] = pc;
  }
  if (root) {
    for (const auto& alias : in.mod->configuration_aliases) {
      if (in.providers.count(alias)) continue;
      auto pc = std::make_shared<ProviderConfig>();
      pc->label = fmt::format("provider {}", alias);
      pc->inherited_unknown = true;
      pc->unknown_reason = fmt::format("provider {} default_tags are inherited from the calling module", alias);
      in.providers[alias] = pc;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Expansion: count and for_each
// (developer.hashicorp.com/terraform/language/meta-arguments/count, .../for_each)

std::optional<std::vector<std::pair<std::string, Iter>>> Loader::expand(Instance& in, const hcl::Body& body,
                                                                         bool* expanded) {
  std::vector<std::pair<std::string, Iter>> out;
  *expanded = true;
  const hcl::Attribute* count = find_attr(body, "count");
  const hcl::Attribute* for_each = find_attr(body, "for_each");
  if (count == nullptr && for_each == nullptr) {
    out.emplace_back("", Iter{});
    return out;
  }
  auto unknown_one = [&](const std::string& why, Span at) {
    Iter it;
    if (count) {
      it.count_index = Value::unknown(why, at);
    } else {
      it.each_key = Value::unknown(why, at);
      it.each_value = Value::unknown(why, at);
    }
    out.clear();
    out.emplace_back("", std::move(it));
    *expanded = false;
    return out;
  };
  if (count != nullptr) {
    Value v = eval(in, count->expr.get(), nullptr);
    if (v.is_unknown()) return unknown_one(fmt::format("count is not known: {}", v.unknown_reason()), count->span);
    if (v.kind() != Value::Kind::kNumber || v.as_number() < 0)
      return unknown_one("count is not a whole number", count->span);
    if (v.as_number() > static_cast<double>(kMaxInstances))
      return unknown_one(fmt::format("count is over {}", kMaxInstances), count->span);
    auto n = static_cast<std::size_t>(v.as_number());
    for (std::size_t i = 0; i < n; ++i) {
      Iter it;
      it.count_index = Value::number(static_cast<double>(i), count->span);
      out.emplace_back(fmt::format("[{}]", i), std::move(it));
    }
    return out;
  }
  Value v = eval(in, for_each->expr.get(), nullptr);
  if (v.is_unknown()) return unknown_one(fmt::format("for_each is not known: {}", v.unknown_reason()), for_each->span);
  if (v.kind() == Value::Kind::kMap) {
    if (v.map_open()) return unknown_one("for_each has keys that are not known", for_each->span);
    if (v.as_map().size() > kMaxInstances) return unknown_one("for_each is too large", for_each->span);
    for (const auto& [k, entry] : v.as_map()) {
      Iter it;
      it.each_key = Value::string(k, entry.key_span);
      it.each_value = entry.value;
      out.emplace_back(instance_key(Value::string(k)), std::move(it));
    }
    return out;
  }
  if (v.kind() == Value::Kind::kList) {
    // A set of strings: each.key and each.value are both the element.
    std::set<std::string> seen;
    for (const auto& item : v.as_list()) {
      if (item.is_unknown()) return unknown_one("for_each has elements that are not known", for_each->span);
      auto s = item.to_string();
      if (!s) return unknown_one("for_each over a set that does not hold strings", for_each->span);
      if (!seen.insert(*s).second) continue;
    }
    if (seen.size() > kMaxInstances) return unknown_one("for_each is too large", for_each->span);
    for (const auto& s : seen) {
      Iter it;
      it.each_key = Value::string(s, for_each->span);
      it.each_value = it.each_key;
      out.emplace_back(instance_key(Value::string(s)), std::move(it));
    }
    return out;
  }
  if (v.is_null()) return out;  // Terraform rejects this; no instances
  return unknown_one("for_each is not a map or set", for_each->span);
}

// ---------------------------------------------------------------------------------------------
// Tags

void Loader::apply_map(TagSetBuilder& tags, const Value& v, const Origin& origin) {
  if (v.is_null()) return;
  if (v.is_unknown()) {
    tags.keys_unknown(v.unknown_reason(), v.span().valid() ? v.span() : origin.span);
    return;
  }
  if (v.kind() != Value::Kind::kMap) {
    tags.keys_unknown(fmt::format("tags is a {}, not a map", v.type_name()), v.span());
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
    // What a null means (the key removed, or the lower layer's value kept) is the layer's.
    if (entry.value.is_null()) tags.set_null(std::move(t));
    else tags.set(std::move(t));
  }
}

std::vector<std::string> string_list(const Value& v) {
  std::vector<std::string> out;
  if (v.kind() != Value::Kind::kList) return out;
  for (const auto& i : v.as_list())
    if (auto s = i.to_string()) out.push_back(*s);
  return out;
}

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto c = s.find(',', start);
    std::string part = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
    if (!part.empty()) out.push_back(part);
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

TagSet Loader::finish_tags(Instance& in, TagSetBuilder&& tags, const ProviderConfig* pc, const hcl::Block& block) {
  // ignore_tags: the provider neither sets nor reports these keys.
  if (pc != nullptr) {
    tags.ignore_keys(string_list(pc->ignore_keys));
    tags.ignore_key_prefixes(string_list(pc->ignore_prefixes));
  }
  if (ctx_.options.env_provider_tags) {
    if (auto e = ctx_.options.env.find("TF_AWS_IGNORE_TAGS_KEYS"); e != ctx_.options.env.end())
      tags.ignore_keys(split_commas(e->second));
    if (auto e = ctx_.options.env.find("TF_AWS_IGNORE_TAGS_KEY_PREFIXES"); e != ctx_.options.env.end())
      tags.ignore_key_prefixes(split_commas(e->second));
  }
  TagSet set = std::move(tags).build();
  // Related locations: module arguments and locals the entry was written in.
  std::vector<Related> candidates = in.trail;
  for (const auto& [name, attr] : in.mod->locals) candidates.push_back(Related{attr->span, fmt::format("local.{}", name)});
  for (auto& t : set.entries) {
    bool key_here = span_contains(block.span, t.key_span);
    for (const auto& c : candidates)
      if (span_contains(c.span, t.value_span) || (!key_here && span_contains(c.span, t.key_span))) t.trail.push_back(c);
  }
  return set;
}

TagSet Loader::compute_tags(Instance& in, const hcl::Block& block, const Iter& it, const TypeTagging& tt,
                            const std::string& provider_name, const hcl::Attribute* tags_attr) {
  // Layers, lowest first: TF_AWS_DEFAULT_TAGS_* from the environment, the provider
  // configuration's default_tags (a configured argument wins over the environment, as for
  // every provider argument), the resource's own tags (AWS provider docs, default_tags:
  // "tags configured on the resource ... will override matching keys").
  TagSetBuilder tags;
  const ProviderConfig* pc = nullptr;
  if (auto p = in.providers.find(provider_name); p != in.providers.end()) pc = p->second.get();
  if (tt.default_tags && provider_base(provider_name) == "aws") {
    if (pc == nullptr) {
      tags.keys_unknown(fmt::format("provider {} is not configured", provider_name), block.span);
    } else {
      if (pc->inherited_unknown) tags.keys_unknown(pc->unknown_reason, block.span);
      if (ctx_.options.env_provider_tags) {
        constexpr std::string_view kPrefix = "TF_AWS_DEFAULT_TAGS_";
        for (const auto& [name, value] : ctx_.options.env) {
          if (name.size() <= kPrefix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0) continue;
          tags.set(tag_entry(name.substr(kPrefix.size()), Value::string(value), {}, Origin{OriginKind::kEnvironment, name, {}}));
        }
      }
      tags.begin_layer();
      apply_map(tags, pc->default_tags, Origin{OriginKind::kProviderDefaultTags, pc->label, pc->default_tags_span});
    }
  }
  tags.begin_layer();
  if (tt.tag_attr == "tag") {
    // aws_autoscaling_group: `tag { key, value, propagate_at_launch }` blocks and
    // `dynamic "tag"` blocks; provider default_tags do not apply (AWS provider docs).
    auto add_block = [&](const hcl::Body& body, Span body_span, const Iter& bit) {
      const hcl::Attribute* k = find_attr(body, "key");
      const hcl::Attribute* v = find_attr(body, "value");
      if (k == nullptr) return;
      Value key = eval(in, k->expr.get(), &bit);
      Value val = v ? eval(in, v->expr.get(), &bit) : Value::null();
      if (key.is_unknown()) {
        tags.keys_unknown(key.unknown_reason(), k->span);
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
      if (const hcl::Attribute* ia = find_attr(db->body, "iterator"); ia && ia->expr && ia->expr->kind == hcl::ExprKind::kVariable)
        iter_name = ia->expr->name;
      Value coll = eval(in, fe->expr.get(), &it);
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
        tags.keys_unknown(coll.is_unknown() ? fmt::format("dynamic \"tag\" for_each is not known: {}", coll.unknown_reason())
                                            : "dynamic \"tag\" for_each is not a collection",
                          fe->span);
      }
    }
  } else if (tags_attr != nullptr) {
    apply_map(tags, eval(in, tags_attr->expr.get(), &it), Origin{OriginKind::kResource, "resource tags", tags_attr->span});
  }
  return finish_tags(in, std::move(tags), pc, block);
}

// The provider configuration whose default_tags reach the resource: where adding a tag once
// tags every resource of that configuration.
void Loader::add_inherited_layer(Instance& in, const std::string& provider_name, Resource& r) {
  if (provider_base(provider_name) != "aws") return;
  auto p = in.providers.find(provider_name);
  if (p == in.providers.end() || p->second->inherited_unknown) return;
  const ProviderConfig& pc = *p->second;
  bool has = pc.default_tags_span.valid();
  r.inherits.push_back(InheritedLayer{OriginKind::kProviderDefaultTags, pc.label, has ? pc.default_tags_span : pc.block_span, has});
}

bool Loader::room_for_resource(const hcl::Block& block) {
  if (out_.resources.size() < kMaxResources) return true;
  if (!resource_cap_reported_) {
    resource_cap_reported_ = true;
    out_.errors.push_back(Error{block.span, "", fmt::format("more than {} resources; the rest are not checked", kMaxResources)});
  }
  return false;
}

std::string resource_provider(const hcl::Block& block) {
  const hcl::Attribute* p = find_attr(block.body, "provider");
  if (p != nullptr)
    if (auto ref = provider_ref(p->expr.get())) return *ref;
  const std::string& type = block.labels[0];
  return type.substr(0, type.find('_'));
}

void Loader::emit_resource(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it,
                           bool expanded) {
  if (!room_for_resource(block)) return;
  Resource r;
  r.address = address;
  r.root = display_path(root_dir_);
  r.type = block.labels[0];
  r.format = "terraform";
  r.span = block.type_span.valid() ? Span{block.span.file, block.span.begin,
                                          block.label_spans.empty() ? block.span.end : block.label_spans.back().end}
                                   : block.span;
  r.expanded = expanded;
  TypeTagging tt = type_tagging(r.type);
  r.taggable = tt.taggable;
  std::string provider = resource_provider(block);
  if (tt.taggable != Taggable::kYes) {
    r.variants.emplace_back();
    out_.resources.push_back(std::move(r));
    return;
  }
  const hcl::Attribute* tags_attr = tt.tag_attr == "tag" ? nullptr : find_attr(block.body, tt.tag_attr);
  r.body_span = block.span;
  if (tags_attr) r.tags_span = tags_attr->span;
  r.variants.push_back(compute_tags(in, block, it, tt, provider, tags_attr));
  if (tt.default_tags) add_inherited_layer(in, provider, r);
  out_.resources.push_back(std::move(r));
  emit_extra(in, block, address, it, provider);
}

// Tags that AWS applies to other resources than the one declared: reported as resources of
// their own, addressed "<address> (<attribute>)", typed as what AWS tags.
void Loader::emit_extra(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it,
                        const std::string& provider) {
  const std::string& type = block.labels[0];
  auto add = [&](std::string addr, std::string rtype, const hcl::Block& owner, const hcl::Attribute* tags,
                 bool default_tags) {
    if (tags == nullptr || !room_for_resource(owner)) return;
    Resource r;
    r.address = std::move(addr);
    r.root = display_path(root_dir_);
    r.type = std::move(rtype);
    r.format = "terraform";
    r.span = owner.span;
    r.tags_span = tags->span;
    TypeTagging tt;
    tt.taggable = Taggable::kYes;
    tt.tag_attr = "tags";
    tt.default_tags = default_tags;
    r.variants.push_back(compute_tags(in, block, it, tt, provider, tags));
    if (default_tags) add_inherited_layer(in, provider, r);
    r.related.push_back(Related{block.span, fmt::format("tags applied by {}", address)});
    out_.resources.push_back(std::move(r));
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
        dev = eval(in, d->expr.get(), &it).to_string().value_or("?");
      add(fmt::format("{} (ebs_block_device {})", address, dev), "aws_ebs_volume", *b, find_attr(b->body, "tags"), true);
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
        rt = eval(in, a->expr.get(), &it).to_string().value_or("?");
      auto known = kTypes.find(rt);
      add(fmt::format("{} (tag_specifications {})", address, rt),
          known != kTypes.end() ? known->second : fmt::format("aws_launch_template ({})", rt), *b,
          find_attr(b->body, "tags"), false);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Modules

std::optional<std::string> Loader::module_dir_for(const Instance& caller, const hcl::Block& call,
                                                  const std::string& source) {
  if (is_local_source(source)) return path_join(caller.mod->dir, source);
  std::string key = caller.key_path.empty() ? call.labels[0] : caller.key_path + "." + call.labels[0];
  auto it = modules_json_.find(key);
  if (it != modules_json_.end()) return it->second;
  return std::nullopt;
}

void Loader::instantiate(Instance& in) {
  for (const hcl::Block* rb : in.mod->resources) {
    bool expanded = true;
    auto insts = expand(in, rb->body, &expanded);
    std::string base = fmt::format("{}{}.{}", in.prefix, rb->labels[0], rb->labels[1]);
    for (const auto& [suffix, it] : *insts) emit_resource(in, *rb, base + suffix, it, expanded && in.expanded);
  }
  for (const hcl::Block* call : in.mod->module_calls) {
    CallState& st = call_state(in, *call);
    for (auto& child : st.instances) instantiate(*child.second);
  }
}

CallState& Loader::call_state(Instance& in, const hcl::Block& call) {
  const std::string& name = call.labels[0];
  auto& slot = in.calls[name];
  if (slot) return *slot;
  slot = std::make_unique<CallState>();
  CallState& st = *slot;
  st.busy = true;
  const hcl::Attribute* src = find_attr(call.body, "source");
  auto source = literal_string(src ? src->expr.get() : nullptr);
  auto once = [&](std::set<std::pair<FileId, std::uint32_t>>& seen) { return seen.insert({call.span.file, call.span.begin}).second; };
  if (!source) {
    if (once(reported_cycles_))
      out_.errors.push_back(Error{call.span, "", fmt::format("module.{} has no literal source", name)});
    st.reason = fmt::format("module.{} has no literal source", name);
    st.busy = false;
    return st;
  }
  auto child_dir = module_dir_for(in, call, *source);
  const ModuleDir* child = nullptr;
  if (child_dir) {
    load_dirs({*child_dir});
    child = dir(*child_dir);
  }
  if (child == nullptr || !child->has_files) {
    // A module we cannot read is a fact (module-not-inspectable reports it); its resources
    // are not invented.
    if (once(noted_calls_)) {
      out_.facts.push_back(Fact{Fact::Kind::kModuleNotInspectable, call.span, in.prefix + "module." + name, *source,
                                child_dir && is_local_source(*source) ? "the directory has no Terraform files"
                                                                      : "run terraform init"});
    }
    st.reason = fmt::format("module.{} is not inspectable", name);
    st.busy = false;
    return st;
  }
  if (in.depth + 1 > kMaxModuleDepth ||
      std::find(in.dir_chain.begin(), in.dir_chain.end(), child->dir) != in.dir_chain.end()) {
    if (once(reported_cycles_))
      out_.errors.push_back(Error{call.span, "",
                                  in.depth + 1 > kMaxModuleDepth
                                      ? fmt::format("module.{} nests deeper than {} modules; not followed", name, kMaxModuleDepth)
                                      : fmt::format("module.{} calls a module that calls it; not followed", name)});
    st.reason = fmt::format("module.{} is not followed", name);
    st.busy = false;
    return st;
  }
  reached_.insert(child->dir);
  st.usable = true;
  st.has_count = find_attr(call.body, "count") != nullptr;
  st.has_for_each = find_attr(call.body, "for_each") != nullptr;
  auto insts = expand(in, call.body, &st.expanded);
  for (const auto& [suffix, it] : *insts) {
    auto ch = std::make_unique<Instance>();
    ch->mod = child;
    ch->name = fmt::format("{}module.{}{}", in.prefix, name, suffix);
    ch->prefix = ch->name + ".";
    ch->key_path = in.key_path.empty() ? name : in.key_path + "." + name;
    ch->trail = in.trail;
    ch->dir_chain = in.dir_chain;
    ch->dir_chain.push_back(child->dir);
    ch->depth = in.depth + 1;
    ch->expanded = in.expanded && st.expanded;
    // Arguments are evaluated in the caller's scope and become the child's variables.
    std::map<std::string, Value> args;
    static const std::set<std::string> kMeta = {"source", "version", "count", "for_each", "providers", "depends_on"};
    for (const auto& a : call.body.attributes) {
      if (kMeta.count(a.name)) continue;
      args[a.name] = eval(in, a.expr.get(), &it);
      ch->trail.push_back(Related{a.span, fmt::format("{} argument {}", ch->name, a.name)});
    }
    // Providers: default configurations are inherited unless `providers` says otherwise.
    const hcl::Attribute* pmap = find_attr(call.body, "providers");
    if (pmap != nullptr && pmap->expr && pmap->expr->kind == hcl::ExprKind::kObject) {
      const auto& kids = pmap->expr->children;
      for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
        auto to = provider_ref(kids[i].get());
        auto from = provider_ref(kids[i + 1].get());
        if (!to || !from) continue;
        if (auto p = in.providers.find(*from); p != in.providers.end()) ch->providers[*to] = p->second;
      }
    } else {
      for (const auto& [pname, cfg] : in.providers)
        if (pname.find('.') == std::string::npos) ch->providers[pname] = cfg;
    }
    bind_variables(*ch, std::move(args), false);
    build_providers(*ch, false);
    Value key = it.each_key ? *it.each_key : it.count_index ? *it.count_index : Value::null();
    st.instances.emplace_back(std::move(key), std::move(ch));
  }
  st.busy = false;
  return st;
}

Value Loader::module_value(Instance& in, const std::string& name, Span at) {
  const hcl::Block* call = nullptr;
  for (const hcl::Block* c : in.mod->module_calls)
    if (c->labels[0] == name) call = c;
  if (call == nullptr) return Value::unknown(fmt::format("module.{} is not declared", name), at);
  if (auto existing = in.calls.find(name); existing != in.calls.end() && existing->second->busy)
    return Value::unknown(fmt::format("module.{} depends on itself", name), at);
  CallState& st = call_state(in, *call);
  if (!st.usable) return Value::unknown(st.reason, at);
  if (!st.expanded) return Value::unknown(fmt::format("module.{} count/for_each is not known", name), at);
  auto outputs = [&](Instance& child) {
    if (!child.outputs_value) {
      tf::MapData m;
      for (const hcl::Block* o : child.mod->outputs) {
        const hcl::Attribute* v = find_attr(o->body, "value");
        m[o->labels[0]] = tf::MapEntry{v ? eval(child, v->expr.get(), nullptr) : Value::null(), o->label_spans.empty() ? o->span : o->label_spans[0], {}};
      }
      child.outputs_value = Value::map(std::move(m), at);
    }
    return *child.outputs_value;
  };
  if (st.has_count) {
    tf::ListData items;
    for (auto& [k, child] : st.instances) items.push_back(outputs(*child));
    return Value::list(std::move(items), at);
  }
  if (st.has_for_each) {
    tf::MapData m;
    for (auto& [k, child] : st.instances) m[k.to_string().value_or("")] = tf::MapEntry{outputs(*child), k.span(), {}};
    return Value::map(std::move(m), at);
  }
  if (st.instances.empty()) return Value::unknown(fmt::format("module.{} has no instance", name), at);
  return outputs(*st.instances[0].second);
}

void Loader::lint_root(const std::string& root_dir) {
  const ModuleDir* mod = dir(root_dir);
  if (mod == nullptr || !mod->has_files) return;
  root_dir_ = root_dir;
  // terraform.workspace: TF_WORKSPACE, else the workspace `terraform workspace select` stored
  // in .terraform/environment, else "default" (developer.hashicorp.com/terraform/cli/workspaces).
  workspace_ = "default";
  if (auto e = ctx_.options.env.find("TF_WORKSPACE"); e != ctx_.options.env.end() && !e->second.empty()) {
    workspace_ = e->second;
  } else if (std::string why; auto env = ctx_.reader.read(path_join(root_dir, ".terraform/environment"), &why)) {
    std::string w = *env;
    while (!w.empty() && (w.back() == '\n' || w.back() == '\r' || w.back() == ' ')) w.pop_back();
    if (!w.empty()) workspace_ = w;
  }
  modules_json_.clear();
  std::string mj = path_join(root_dir, ".terraform/modules/modules.json");
  if (ctx_.reader.is_file(mj)) {
    FileId id = read_source(ctx_, mj, out_.errors);
    if (id != kNoFile) {
      DocResult doc = parse_json(id, ctx_.sources.file(id).contents());
      for (auto& e : doc.errors) out_.errors.push_back(std::move(e));
      const DocNode* mods = doc.root ? doc.root->get("Modules") : nullptr;
      if (mods != nullptr && mods->is_seq()) {
        for (const DocNode& m : mods->items) {
          const DocNode* key = m.get("Key");
          const DocNode* d = m.get("Dir");
          if (key && d && key->is_string() && d->is_string() && !key->scalar.empty())
            modules_json_[key->scalar] = !d->scalar.empty() && d->scalar[0] == '/' ? path_normalize(d->scalar)
                                                                                    : path_join(root_dir, d->scalar);
        }
      }
    }
  }
  Instance in;
  in.mod = mod;
  in.dir_chain.push_back(root_dir);
  bind_variables(in, root_variable_values(root_dir), true);
  build_providers(in, true);
  instantiate(in);
}

FrontendResult Loader::run(const TerraformInputs& inputs) {
  std::vector<std::string> roots;
  for (const auto& d : inputs.module_dirs) roots.push_back(path_normalize(d));
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());
  load_dirs(roots);
  // Directories that another directory of this run calls as a local module are linted
  // through that call, not again as roots of their own.
  std::set<std::string> called;
  for (const auto& d : roots) {
    const ModuleDir* m = dir(d);
    if (m == nullptr) continue;
    for (const hcl::Block* call : m->module_calls) {
      const hcl::Attribute* src = find_attr(call->body, "source");
      auto s = literal_string(src ? src->expr.get() : nullptr);
      if (s && is_local_source(*s)) {
        std::string target = path_join(d, *s);
        if (target != d) called.insert(target);
      }
    }
  }
  for (const auto& d : roots)
    if (!called.count(d)) lint_root(d);
  // A called directory that no linted root reached (its callers call each other in a cycle,
  // or a failed call) is linted on its own rather than lost.
  for (const auto& d : roots)
    if (called.count(d) && !reached_.count(d)) {
      reached_.insert(d);
      lint_root(d);
    }

  // Plans.
  std::map<std::string, std::size_t> hcl_by_address;
  for (std::size_t i = 0; i < out_.resources.size(); ++i) hcl_by_address.emplace(out_.resources[i].address, i);
  std::set<std::size_t> superseded;
  std::vector<Resource> plan_resources;
  for (const auto& p : inputs.plans) {
    if (!p.root) continue;
    std::string shown = p.file != kNoFile ? ctx_.sources.file(p.file).path() : display_path(p.path);
    FrontendResult pr = load_plan(*p.root, shown);
    for (auto& r : pr.resources) {
      r.root = shown;
      // Best effort: point at the HCL of the same address when it is in this run.
      auto h = hcl_by_address.find(r.address);
      if (h == hcl_by_address.end()) {
        auto bracket = r.address.rfind('[');
        if (bracket != std::string::npos) h = hcl_by_address.find(r.address.substr(0, bracket));
      }
      if (h != hcl_by_address.end()) {
        r.span = out_.resources[h->second].span;
        r.tags_span = out_.resources[h->second].tags_span;
        r.file_hint.clear();
        if (out_.resources[h->second].address == r.address) superseded.insert(h->second);
      }
      plan_resources.push_back(std::move(r));
    }
    for (auto& e : pr.errors) out_.errors.push_back(std::move(e));
  }
  if (!superseded.empty()) {
    std::vector<Resource> kept;
    for (std::size_t i = 0; i < out_.resources.size(); ++i)
      if (!superseded.count(i)) kept.push_back(std::move(out_.resources[i]));
    out_.resources = std::move(kept);
  }
  for (auto& r : plan_resources) out_.resources.push_back(std::move(r));
  return std::move(out_);
}

}  // namespace

FrontendResult load_terraform_with(const LoadContext& ctx, const TerraformInputs& inputs, const ParseFn& parse) {
  Loader loader(ctx, parse);
  return loader.run(inputs);
}

}  // namespace tagwarden::terraform
