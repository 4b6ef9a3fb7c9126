#include "linter/frontend/terraform/scope.hpp"

#include <fmt/format.h>

#include "linter/eval/tf/evaluator.hpp"

namespace tagwarden::terraform {

using tf::Value;

Scope::Scope(const LoadContext& ctx, std::string root_dir, std::string workspace, ModuleValueFn module_value,
             std::vector<Error>& errors, std::set<std::pair<FileId, std::uint32_t>>& reported)
    : ctx_(ctx),
      root_dir_(std::move(root_dir)),
      workspace_(std::move(workspace)),
      module_value_(std::move(module_value)),
      errors_(errors),
      reported_cycles_(reported) {}

Value Scope::eval(Instance& in, const hcl::Expr* e, const Iter* it) {
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
    if (root == "module" && !attr.empty()) return module_value_(in, std::string(attr), span);
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

Value Scope::eval_local(Instance& in, const std::string& name, Span at) {
  if (auto c = in.local_cache.find(name); c != in.local_cache.end()) return c->second;
  auto def = in.mod->locals.find(name);
  if (def == in.mod->locals.end()) return Value::unknown(fmt::format("local.{} is not declared", name), at);
  if (in.local_busy.count(name)) {
    auto key = std::make_pair(def->second->span.file, def->second->span.begin);
    if (reported_cycles_.insert(key).second)
      errors_.push_back(Error{def->second->name_span, "", fmt::format("local.{} refers to itself", name)});
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

}  // namespace tagwarden::terraform
