#include "linter/frontend/terraform/module_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

#include "linter/engine/thread_pool.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_calls.hpp"
#include "linter/frontend/terraform/plan_loader.hpp"
#include "linter/frontend/terraform/providers.hpp"
#include "linter/frontend/terraform/resource_tags.hpp"
#include "linter/frontend/terraform/scope.hpp"
#include "linter/frontend/terraform/syntax.hpp"
#include "linter/frontend/terraform/taggable_types.hpp"
#include "linter/frontend/terraform/variables.hpp"

namespace tagwarden::terraform {
namespace {

using tf::Value;

constexpr int kMaxModuleDepth = 16;
constexpr std::size_t kMaxResources = 200'000;
/// Module instances per root module, across every level: count/for_each multiply through
/// nested calls (8 levels of `count = 10` are 10^8 instances).
constexpr std::size_t kMaxModuleInstances = 10'000;

/// Lints one root module: the root directory and the modules it calls, instantiated from the
/// root down. One per unit of work; units share nothing, so they run on any thread.
class Loader {
 public:
  /// `plan_addresses`: addresses a plan of the run may replace (null: none); resources with
  /// one are held back for the plans' unit instead of being emitted.
  Loader(const LoadContext& run_ctx, const ParseFn& parse, const std::set<std::string>* plan_addresses)
      : ctx_{run_ctx.options, run_ctx.sources, run_ctx.reader, &out_.uses},
        parse_(parse),
        plan_addresses_(plan_addresses) {}

  /// Lints `root_dir` as a root module into out_, with the suppression comments of every
  /// module directory it read.
  void lint_root(const std::string& root_dir);

  FrontendResult out_;                     ///< declared first: ctx_ records the files this unit reads into out_.uses
  std::vector<Resource> held_;             ///< resources whose address a plan may replace
  std::set<std::string> reached_;          ///< module directories some call of this root resolved to
  std::set<std::string> own_local_calls_;  ///< directories the root's own files call as local modules

 private:
  const ModuleDir* dir(const std::string& d) {
    auto it = dirs_.find(d);
    return it == dirs_.end() ? nullptr : it->second.get();
  }
  void lint_root_module(const std::string& root_dir);
  void instantiate(Instance& in);
  void keep(Resource&& r) {
    if (plan_addresses_ != nullptr && plan_addresses_->count(r.address)) {
      held_.push_back(std::move(r));
    } else {
      out_.resources.push_back(std::move(r));
    }
  }
  void emit_resource(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it, bool expanded);
  TagScope tag_scope(Instance& in, const ExprEval& eval) {
    return TagScope{ctx_.options, in.providers, *in.mod, in.trail, eval, &out_.errors};
  }
  CallState& call_state(Instance& in, const hcl::Block& call);
  bool room_for_resource(const hcl::Block& block);
  Value module_value(Instance& in, const std::string& name, Span at);

  const LoadContext ctx_;
  const ParseFn& parse_;
  const std::set<std::string>* plan_addresses_;
  ModuleDirs dirs_;
  std::unique_ptr<Scope> scope_;
  std::map<std::string, std::string> modules_json_;  ///< key -> dir
  std::set<std::pair<FileId, std::uint32_t>> noted_calls_;
  std::set<std::pair<FileId, std::uint32_t>> reported_cycles_;
  bool resource_cap_reported_ = false;
  std::size_t module_instances_ = 0;
  std::string root_;  ///< the root module directory, as displayed (Resource::root)
};

bool Loader::room_for_resource(const hcl::Block& block) {
  if (out_.resources.size() + held_.size() < kMaxResources) return true;
  if (!resource_cap_reported_) {
    resource_cap_reported_ = true;
    out_.errors.push_back(
        Error{block.span, "", fmt::format("more than {} resources; the rest are not checked", kMaxResources)});
  }
  return false;
}

void Loader::emit_resource(Instance& in, const hcl::Block& block, const std::string& address, const Iter& it,
                           bool expanded) {
  if (!room_for_resource(block)) return;
  Resource r;
  r.address = address;
  r.root = root_;
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
    keep(std::move(r));
    return;
  }
  const hcl::Attribute* tags_attr = tt.tag_attr == "tag" ? nullptr : find_attr(block.body, tt.tag_attr);
  r.body_span = block.span;
  if (tags_attr) r.tags_span = tags_attr->span;
  ExprEval eval = scope_->bound(in);
  TagScope ts = tag_scope(in, eval);
  r.variants.push_back(compute_tags(ts, block, it, tt, provider, tags_attr));
  if (auto layer = inherited_layer(in.providers, provider); layer && tt.default_tags) r.inherits.push_back(*layer);
  keep(std::move(r));
  // Tags that AWS applies to other resources than the one declared: reported as resources of
  // their own, addressed "<address> (<attribute>)", typed as what AWS tags.
  for (const ExtraTagTarget& x : extra_tag_targets(block, address, it, eval)) {
    if (!room_for_resource(*x.owner)) continue;
    Resource e;
    e.address = x.address;
    e.root = root_;
    e.type = x.type;
    e.format = "terraform";
    e.span = x.owner->span;
    e.tags_span = x.tags->span;
    TypeTagging ett;
    ett.taggable = Taggable::kYes;
    ett.tag_attr = "tags";
    ett.default_tags = x.default_tags;
    e.variants.push_back(compute_tags(ts, block, it, ett, provider, x.tags));
    if (auto layer = inherited_layer(in.providers, provider); layer && x.default_tags) e.inherits.push_back(*layer);
    e.related.push_back(Related{block.span, fmt::format("tags applied by {}", address)});
    keep(std::move(e));
  }
}

void Loader::instantiate(Instance& in) {
  for (const hcl::Block* rb : in.mod->resources) {
    Expansion ex = expand_instances(rb->body, scope_->bound(in));
    std::string base = fmt::format("{}{}.{}", in.prefix, rb->labels[0], rb->labels[1]);
    for (const auto& [suffix, it] : ex.instances) emit_resource(in, *rb, base + suffix, it, ex.expanded && in.expanded);
  }
  for (const hcl::Block* call : in.mod->module_calls) {
    // Only calls in a file with suppression comments: no other call needs its place kept.
    bool commented = std::any_of(in.mod->suppressions.begin(), in.mod->suppressions.end(),
                                 [&](const Suppression& x) { return x.span.file == call->span.file; });
    if (commented)
      out_.facts.push_back(
          Fact{Fact::Kind::kModuleCall, call->span, in.prefix + "module." + call->labels[0], {}, {}, root_});
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
  auto source = literal_string(src ? src->expr : nullptr);
  auto once = [&](std::set<std::pair<FileId, std::uint32_t>>& seen) {
    return seen.insert({call.span.file, call.span.begin}).second;
  };
  if (!source) {
    if (once(reported_cycles_))
      out_.errors.push_back(Error{call.span, "", fmt::format("module.{} has no literal source", name)});
    st.reason = fmt::format("module.{} has no literal source", name);
    st.busy = false;
    return st;
  }
  auto child_dir = module_source_dir(in.mod->dir, in.key_path, call, *source, modules_json_);
  const ModuleDir* child = nullptr;
  if (child_dir) {
    load_module_dirs(ctx_, parse_, {*child_dir}, dirs_, out_.errors);
    child = dir(*child_dir);
  }
  if (child == nullptr || !child->has_files) {
    // A module we cannot read is a fact (module-not-inspectable reports it); its resources
    // are not invented.
    if (once(noted_calls_)) {
      out_.facts.push_back(
          Fact{Fact::Kind::kModuleNotInspectable, call.span, in.prefix + "module." + name, *source,
               child_dir && is_local_source(*source) ? "the directory has no Terraform files" : "run terraform init",
               root_});
    }
    st.reason = fmt::format("module.{} is not inspectable", name);
    st.busy = false;
    return st;
  }
  if (in.depth + 1 > kMaxModuleDepth ||
      std::find(in.dir_chain.begin(), in.dir_chain.end(), child->dir) != in.dir_chain.end()) {
    if (once(reported_cycles_))
      out_.errors.push_back(
          Error{call.span, "",
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
  ExprEval caller_eval = scope_->bound(in);
  Expansion ex = expand_instances(call.body, caller_eval);
  st.expanded = ex.expanded;
  if (module_instances_ + ex.instances.size() > kMaxModuleInstances) {
    if (once(reported_cycles_))
      out_.errors.push_back(
          Error{call.span, "",
                fmt::format("module.{} would make more than {} module instances under this root module "
                            "(count/for_each multiply through nested modules); not followed",
                            name, kMaxModuleInstances)});
    st.usable = false;
    st.reason = fmt::format("module.{} is not followed", name);
    st.busy = false;
    return st;
  }
  module_instances_ += ex.instances.size();
  for (const auto& [suffix, it] : ex.instances) {
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
      args[a.name] = caller_eval(a.expr, &it);
      ch->trail.push_back(Related{a.span, fmt::format("{} argument {}", ch->name, a.name)});
    }
    ch->providers = providers_for_call(in.providers, call);
    ExprEval child_eval = scope_->bound(*ch);
    bind_variables(*child, std::move(args), false, ch->name, child_eval, ch->vars);
    build_provider_configs(*child, ch->name, false, child_eval, ch->providers, passed_providers(call));
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
    if (!child.outputs_value) child.outputs_value = outputs_object(*child.mod, scope_->bound(child), at);
    return *child.outputs_value;
  };
  // A call with count is a list of its instances' outputs, one with for_each a map by key.
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
  load_module_dirs(ctx_, parse_, {root_dir}, dirs_, out_.errors);
  own_local_calls_ = locally_called_dirs(dirs_, {root_dir});
  lint_root_module(root_dir);
  // Suppression comments of every module directory read (a directory is read once).
  for (const auto& [_, m] : dirs_)
    out_.suppressions.insert(out_.suppressions.end(), m->suppressions.begin(), m->suppressions.end());
}

void Loader::lint_root_module(const std::string& root_dir) {
  const ModuleDir* mod = dir(root_dir);
  if (mod == nullptr || !mod->has_files) return;
  root_ = display_path(root_dir);
  scope_ = std::make_unique<Scope>(
      ctx_, root_dir, read_workspace(ctx_, root_dir),
      [this](Instance& in, const std::string& name, Span at) { return module_value(in, name, at); }, out_.errors,
      reported_cycles_);
  modules_json_ = read_modules_json(ctx_, root_dir, out_.errors);
  module_instances_ = 0;
  Instance in;
  in.mod = mod;
  in.dir_chain.push_back(root_dir);
  // tfvars may hold no references: they are evaluated in an empty module of the root's folder.
  ModuleDir empty;
  empty.dir = root_dir;
  Instance scratch;
  scratch.mod = &empty;
  auto given = root_variable_values(ctx_, parse_, root_dir, scope_->bound(scratch), out_.errors);
  ExprEval eval = scope_->bound(in);
  bind_variables(*mod, std::move(given), true, in.name, eval, in.vars);
  build_provider_configs(*mod, in.name, true, eval, in.providers);
  instantiate(in);
}

/// What the driver keeps of each root's unit once its result is handed over.
struct RootUnit {
  std::string root;  ///< as displayed (Resource::root), when the unit emitted a resource
  std::set<std::string> own_local_calls;
  std::set<std::string> reached;
  std::vector<Resource> held;
  FileUses held_uses;  ///< the unit's files, kept for the plans' unit when it holds resources
};

/// What a root's cached result keeps besides the consumer's part: the local folders it calls
/// and the module folders it reached.
std::string root_meta(const RootUnit& u) {
  ByteWriter w;
  for (const auto* set : {&u.own_local_calls, &u.reached}) {
    w.varint(set->size());
    for (const auto& p : *set) w.str(p);
  }
  return std::move(w.out());
}

bool read_root_meta(std::string_view meta, RootUnit& u) {
  ByteReader r(meta);
  for (auto* set : {&u.own_local_calls, &u.reached}) {
    set->clear();
    for (std::size_t n = r.count(); n > 0 && r.ok(); --n) set->insert(r.str());
  }
  return r.ok() && r.at_end();
}

/// The plans' unit: plan resources, pointed at the HCL resource of the same address in the
/// plan's own root module when that is in the run (which the plan then replaces), and the HCL
/// resources the roots held back for it. A plan's own root is the root whose folder holds the
/// plan file, else the run's only root; never another root's: the roots of a monorepo often
/// share addresses.
FrontendResult merge_plans(const std::vector<const ParsedDoc*>& plans, const std::vector<std::string>& shown,
                           std::vector<FrontendResult>& plan_results, const std::vector<RootUnit*>& kept_roots) {
  FrontendResult out;
  std::vector<Resource> hcl;
  std::set<std::string> hcl_roots;
  for (RootUnit* u : kept_roots) {
    if (!u->root.empty()) hcl_roots.insert(u->root);
    for (auto& r : u->held) hcl.push_back(std::move(r));
  }
  std::map<std::pair<std::string, std::string>, std::size_t> hcl_by_address;  // (root, address)
  for (std::size_t i = 0; i < hcl.size(); ++i) hcl_by_address.emplace(std::make_pair(hcl[i].root, hcl[i].address), i);
  std::set<std::size_t> superseded;
  std::vector<Resource> plan_resources;
  for (std::size_t p = 0; p < plan_results.size(); ++p) {
    std::string own = display_path(path_dirname(plans[p]->path));
    if (!hcl_roots.count(own)) own = hcl_roots.size() == 1 ? *hcl_roots.begin() : std::string();
    for (auto& r : plan_results[p].resources) {
      r.root = shown[p];
      auto h = own.empty() ? hcl_by_address.end() : hcl_by_address.find({own, r.address});
      if (h == hcl_by_address.end() && !own.empty()) {
        auto bracket = r.address.rfind('[');
        if (bracket != std::string::npos) h = hcl_by_address.find({own, r.address.substr(0, bracket)});
      }
      if (h != hcl_by_address.end()) {
        r.span = hcl[h->second].span;
        r.tags_span = hcl[h->second].tags_span;
        r.file_hint.clear();
        if (hcl[h->second].address == r.address) superseded.insert(h->second);
      }
      plan_resources.push_back(std::move(r));
    }
    for (auto& e : plan_results[p].errors) out.errors.push_back(std::move(e));
  }
  for (std::size_t i = 0; i < hcl.size(); ++i)
    if (!superseded.count(i)) out.resources.push_back(std::move(hcl[i]));
  for (auto& r : plan_resources) out.resources.push_back(std::move(r));
  return out;
}

}  // namespace

std::vector<std::size_t> load_terraform_units(const LoadContext& ctx, const TerraformInputs& inputs,
                                              const ParseFn& parse, const UnitSink& sink) {
  std::vector<std::string> roots;
  for (const auto& d : inputs.module_dirs) roots.push_back(path_normalize(d));
  std::sort(roots.begin(), roots.end());
  roots.erase(std::unique(roots.begin(), roots.end()), roots.end());

  // Plans first: the addresses they may replace decide which HCL resources wait for them.
  std::vector<const ParsedDoc*> plans;
  std::vector<FrontendResult> plan_results;
  std::vector<std::string> plan_shown;
  std::set<std::string> plan_addresses;
  for (const auto& p : inputs.plans) {
    if (!p.root) continue;
    plans.push_back(&p);
    plan_shown.push_back(p.file != kNoFile ? ctx.sources.file(p.file).path() : display_path(p.path));
    plan_results.push_back(load_plan(*p.root, plan_shown.back()));
    for (const auto& r : plan_results.back().resources) {
      plan_addresses.insert(r.address);
      if (auto bracket = r.address.rfind('['); bracket != std::string::npos)
        plan_addresses.insert(r.address.substr(0, bracket));
    }
  }

  // Every directory is linted as a root, in parallel. Whether it is one is known only when
  // every directory has been read (one that another directory of the run calls as a local
  // module is linted through that call instead), so the units of called directories are
  // dropped afterwards rather than the run waiting for all of them up front.
  std::vector<RootUnit> units(roots.size());
  // A root's result is kept in the result cache with the folders it calls and reached (which
  // decide whether it is a root at all); not when the run has plans, which take over resources
  // of the roots after they ran.
  const bool cached_units = ctx.cache != nullptr && plans.empty();
  parallel_for(roots.size(), ctx.options.jobs, [&](std::size_t i) {
    FrontendResult result;
    try {
      const std::string identity = cached_units ? "terraform\n" + roots[i] : std::string();
      std::string meta;
      std::optional<FrontendResult> cached;
      if (cached_units) cached = unit_from_cache(ctx, identity, &meta);
      if (cached && read_root_meta(meta, units[i])) {
        sink(i, std::move(*cached));
        return;
      }
      std::shared_ptr<UnitRecording> recording = cached_units ? record_unit(ctx, identity) : nullptr;
      LoadContext uctx{ctx.options, ctx.sources, unit_reader(ctx, recording)};
      Loader loader(uctx, parse, plan_addresses.empty() ? nullptr : &plan_addresses);
      loader.lint_root(roots[i]);
      units[i].own_local_calls = std::move(loader.own_local_calls_);
      units[i].reached = std::move(loader.reached_);
      units[i].held = std::move(loader.held_);
      result = std::move(loader.out_);
      if (!result.resources.empty() || !units[i].held.empty()) units[i].root = display_path(roots[i]);
      if (!units[i].held.empty()) units[i].held_uses = std::move(result.uses);
      if (recording) {
        recording->meta = root_meta(units[i]);
        result.recording = std::move(recording);
      }
    } catch (const std::exception& e) {
      // The files this unit registered stay loaded: its result is an error now.
      result = FrontendResult{};
      result.errors.push_back(
          Error{Span{}, display_path(roots[i]),
                fmt::format("internal error while linting this module (a bug, please report it): {}", e.what()), true});
    }
    sink(i, std::move(result));
  });

  // Directories that another directory of this run calls as a local module are linted
  // through that call, not again as roots of their own. A called directory that no linted
  // root reached (its callers call each other in a cycle, or a failed call) is linted on its
  // own rather than lost, after the others.
  std::set<std::string> called;
  for (const auto& u : units) called.insert(u.own_local_calls.begin(), u.own_local_calls.end());
  std::vector<std::size_t> kept;
  std::set<std::string> reached;
  for (std::size_t i = 0; i < roots.size(); ++i) {
    if (called.count(roots[i])) continue;
    kept.push_back(i);
    reached.insert(units[i].reached.begin(), units[i].reached.end());
  }
  for (std::size_t i = 0; i < roots.size(); ++i) {
    if (!called.count(roots[i]) || reached.count(roots[i])) continue;
    reached.insert(roots[i]);
    kept.push_back(i);
    reached.insert(units[i].reached.begin(), units[i].reached.end());
  }

  if (!inputs.plans.empty()) {
    std::vector<RootUnit*> kept_roots;
    for (std::size_t i : kept) kept_roots.push_back(&units[i]);
    FrontendResult merged = merge_plans(plans, plan_shown, plan_results, kept_roots);
    for (auto& u : units) merged.uses.append(std::move(u.held_uses));
    sink(roots.size(), std::move(merged));
    kept.push_back(roots.size());
  }
  return kept;
}

FrontendResult load_terraform_with(const LoadContext& ctx, const TerraformInputs& inputs, const ParseFn& parse) {
  std::mutex mu;
  std::map<std::size_t, FrontendResult> results;
  std::vector<std::size_t> kept = load_terraform_units(ctx, inputs, parse, [&](std::size_t unit, FrontendResult&& r) {
    std::lock_guard<std::mutex> lock(mu);
    results[unit] = std::move(r);
  });
  FrontendResult out;
  for (std::size_t unit : kept) out.append(std::move(results[unit]));
  return out;
}

}  // namespace tagwarden::terraform
