#include "linter/frontend/terraform/scope.hpp"

#include <fmt/format.h>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/frontend/terraform/data_sources.hpp"

namespace tagwarden::terraform {

using tf::Value;

Scope::Scope(const LoadContext& ctx, std::string root_dir, std::string workspace, ModuleValueFn module_value,
             std::vector<Error>& errors, std::set<std::pair<FileId, std::uint32_t>>& reported)
    : ctx_(ctx),
      root_dir_(std::move(root_dir)),
      workspace_(std::move(workspace)),
      terraform_cwd_(ctx.options.working_directory.empty() ? std::string()
                                                           : path_join(ctx.options.working_directory, root_dir_)),
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
      // Terraform runs in the root module's directory (or the -chdir one, the same thing):
      // path.root is ".", path.module the module's directory relative to it ("." for the
      // root, "modules/x" for a local call, ".terraform/modules/x" for an installed one), and
      // path.cwd that directory as an absolute path (developer.hashicorp.com/terraform/language/
      // expressions/references#filesystem-and-workspace-info). None depends on where
      // tagwarden was started.
      if (attr == "module") return Value::string(relative_to_root(in.mod->dir), span);
      if (attr == "root") return Value::string(".", span);
      if (attr == "cwd") {
        if (!terraform_cwd_.empty()) return Value::string(terraform_cwd_, span);
        return Value::unknown("path.cwd is the absolute path of the working directory", span);
      }
    }
    if (root == "data" && !attr.empty())
      if (auto v = data_source_value(*in.mod, in.providers, ctx_.options, std::string(attr), span, bound(in))) return v;
    if (root == "terraform" && attr == "workspace") return Value::string(workspace_, span);
    if (root == "module" && !attr.empty()) return module_value_(in, std::string(attr), span);
    return std::nullopt;
  };
  // file() / templatefile(): Terraform resolves relative paths against its working directory,
  // the root module. Only regular files inside the linted tree are looked at
  // (docs/robustness.md).
  auto resolve_path = [this](std::string_view p) {
    std::string path(p);
    if (path.empty() || path[0] != '/') path = path_join(root_dir_, path);
    return path;
  };
  ec.read_file = [&, resolve_path](std::string_view p, std::string* why) -> std::optional<std::string> {
    constexpr std::size_t kMaxReadFile = 1u << 20;
    return read_referenced_file(ctx_, resolve_path(p), kMaxReadFile, why);
  };
  ec.file_exists = [&, resolve_path](std::string_view p, std::string* why, bool* not_regular) -> std::optional<bool> {
    switch (stat_referenced_file(ctx_, resolve_path(p), why)) {
      case ReferencedFile::kRegular:
        return true;
      case ReferencedFile::kMissing:
        return false;
      case ReferencedFile::kNotRegular:
        *not_regular = true;
        return std::nullopt;
      case ReferencedFile::kNotLooked:
        return std::nullopt;
    }
    return std::nullopt;
  };
  // Definite evaluation errors are input errors where they happened (the same one reached
  // again through another instance is merged when errors are sorted).
  ec.errors = &errors_;
  ec.working_directory = terraform_cwd_;
  return tf::evaluate(*e, ec);
}

std::string Scope::relative_to_root(const std::string& dir) const {
  // Both as absolute paths when our working directory is known, so a root given as "../x"
  // still relates to its modules; else lexically.
  auto split = [](const std::string& p) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= p.size()) {
      std::size_t slash = p.find('/', start);
      if (slash == std::string::npos) slash = p.size();
      std::string part = p.substr(start, slash - start);
      if (!part.empty() && part != ".") parts.push_back(part);
      start = slash + 1;
    }
    return parts;
  };
  const std::string& wd = ctx_.options.working_directory;
  std::vector<std::string> base = split(wd.empty() ? path_normalize(root_dir_) : path_join(wd, root_dir_));
  std::vector<std::string> target = split(wd.empty() ? path_normalize(dir) : path_join(wd, dir));
  std::size_t common = 0;
  while (common < base.size() && common < target.size() && base[common] == target[common]) ++common;
  std::string out;
  for (std::size_t i = common; i < base.size(); ++i) {
    if (base[i] == "..") return dir;  // not expressible without the working directory
    out += out.empty() ? ".." : "/..";
  }
  for (std::size_t i = common; i < target.size(); ++i) out += (out.empty() ? "" : "/") + target[i];
  return out.empty() ? "." : out;
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
  Value v = eval(in, def->second->expr, nullptr);
  in.local_busy.erase(name);
  in.local_cache.emplace(name, v);
  return v;
}

}  // namespace tagwarden::terraform
