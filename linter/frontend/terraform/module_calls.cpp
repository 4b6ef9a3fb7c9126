#include "linter/frontend/terraform/module_calls.hpp"

#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

using tf::Value;

std::map<std::string, std::string> read_modules_json(const LoadContext& ctx, const std::string& root_dir,
                                                     std::vector<Error>& errors) {
  std::map<std::string, std::string> out;
  std::string mj = path_join(root_dir, ".terraform/modules/modules.json");
  if (!ctx.reader.is_file(mj)) return out;
  FileId id = read_source(ctx, mj, errors);
  if (id == kNoFile) return out;
  DocResult doc = parse_json(id, ctx.sources.file(id).contents());
  for (auto& e : doc.errors) errors.push_back(std::move(e));
  const DocNode* mods = doc.root ? doc.root->get("Modules") : nullptr;
  if (mods == nullptr || !mods->is_seq()) return out;
  for (const DocNode& m : mods->items) {
    const DocNode* key = m.get("Key");
    const DocNode* d = m.get("Dir");
    if (key && d && key->is_string() && d->is_string() && !key->scalar.empty())
      out[key->scalar] =
          !d->scalar.empty() && d->scalar[0] == '/' ? path_normalize(d->scalar) : path_join(root_dir, d->scalar);
  }
  return out;
}

std::string read_workspace(const LoadContext& ctx, const std::string& root_dir) {
  if (auto e = ctx.options.env.find("TF_WORKSPACE"); e != ctx.options.env.end() && !e->second.empty()) return e->second;
  std::string why;
  if (auto env = ctx.reader.read(path_join(root_dir, ".terraform/environment"), &why)) {
    std::string w = *env;
    while (!w.empty() && (w.back() == '\n' || w.back() == '\r' || w.back() == ' ')) w.pop_back();
    if (!w.empty()) return w;
  }
  return "default";
}

std::optional<std::string> module_source_dir(const std::string& caller_dir, const std::string& caller_key_path,
                                             const hcl::Block& call, const std::string& source,
                                             const std::map<std::string, std::string>& modules_json) {
  if (is_local_source(source)) return path_join(caller_dir, source);
  std::string key = caller_key_path.empty() ? call.labels[0] : caller_key_path + "." + call.labels[0];
  auto it = modules_json.find(key);
  if (it != modules_json.end()) return it->second;
  return std::nullopt;
}

std::set<std::string> locally_called_dirs(const ModuleDirs& dirs, const std::vector<std::string>& roots) {
  std::set<std::string> called;
  for (const auto& d : roots) {
    auto m = dirs.find(d);
    if (m == dirs.end()) continue;
    for (const hcl::Block* call : m->second->module_calls) {
      const hcl::Attribute* src = find_attr(call->body, "source");
      auto s = literal_string(src ? src->expr : nullptr);
      if (s && is_local_source(*s)) {
        std::string target = path_join(d, *s);
        if (target != d) called.insert(target);
      }
    }
  }
  return called;
}

Value outputs_object(const ModuleDir& mod, const ExprEval& eval, Span at) {
  tf::MapData m;
  for (const hcl::Block* o : mod.outputs) {
    const hcl::Attribute* v = find_attr(o->body, "value");
    m[o->labels[0]] = tf::MapEntry{
        v ? eval(v->expr, nullptr) : Value::null(), o->label_spans.empty() ? o->span : o->label_spans[0], {}};
  }
  return Value::map(std::move(m), at);
}

}  // namespace tagwarden::terraform
