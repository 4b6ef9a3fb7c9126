#include "linter/frontend/terraform/variables.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/frontend/terraform/syntax.hpp"

namespace tagwarden::terraform {

using tf::Value;

std::map<std::string, Value> root_variable_values(const LoadContext& ctx, const ParseFn& parse,
                                                  const std::string& root_dir, const ExprEval& eval,
                                                  std::vector<Error>& errors) {
  std::map<std::string, Value> vals;
  auto load_file = [&](const std::string& path) {
    FileId id = read_source(ctx, path, errors);
    if (id == kNoFile) return;
    const std::string& text = ctx.sources.file(id).contents();
    bool json = path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
    if (json) {
      DocResult doc = parse_json(id, text);
      for (auto& e : doc.errors) errors.push_back(std::move(e));
      if (!doc.root) return;
      if (!doc.root->is_map()) {
        errors.push_back(Error{doc.root->span, "", "a .tfvars.json file must hold an object"});
        return;
      }
      for (std::size_t i = 0; i < doc.root->keys.size(); ++i)
        vals[doc.root->keys[i]] = tf::value_from_doc(doc.root->items[i]);
      return;
    }
    hcl::ParseResult r = parse(id, text, false);
    for (auto& e : r.errors) errors.push_back(std::move(e));
    if (!r.file) return;
    for (const auto& a : r.file->body.attributes) vals[a.name] = eval(a.expr, nullptr);
  };
  std::vector<std::string> names = ctx.reader.list_dir(root_dir);
  for (const char* fixed : {"terraform.tfvars", "terraform.tfvars.json"})
    if (std::find(names.begin(), names.end(), fixed) != names.end()) load_file(path_join(root_dir, fixed));
  for (const auto& n : names)
    if (has_suffix(n, ".auto.tfvars") || has_suffix(n, ".auto.tfvars.json")) load_file(path_join(root_dir, n));
  // -var-file and -var: the root's own (config file `roots`) first, then the command line's.
  const RootInputs inputs = ctx.options.inputs_for(root_dir);
  for (const auto& f : inputs.var_files) load_file(f);
  for (const auto& [name, raw] : inputs.vars) {
    // Terraform parses -var values as HCL when the variable's type is not a primitive; we
    // do so when the value looks like a collection constructor, else it is the raw string.
    std::string_view t = raw;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    if (!t.empty() && (t.front() == '{' || t.front() == '[')) {
      FileId id = ctx.sources.add(fmt::format("--var {}", name), "v = " + raw);
      hcl::ParseResult r = parse(id, ctx.sources.file(id).contents(), false);
      if (r.errors.empty() && r.file && !r.file->body.attributes.empty()) {
        vals[name] = eval(r.file->body.attributes[0].expr, nullptr);
        continue;
      }
      for (auto& e : r.errors) errors.push_back(std::move(e));
    }
    vals[name] = Value::string(raw);
  }
  return vals;
}

namespace {

Value convert(const Value& v, const hcl::Expr* type, const ExprEval& eval, int depth) {
  if (type == nullptr || depth > 32 || !v.is_known() || v.is_null()) return v;
  const hcl::Expr* t = type;
  while (t->kind == hcl::ExprKind::kParens && !t->children.empty() && t->children[0]) t = t->children[0];
  if (t->kind != hcl::ExprKind::kCall || t->children.empty() || !t->children[0]) return v;
  const hcl::Expr* arg = t->children[0];
  if ((t->name == "map") && v.kind() == Value::Kind::kMap) {
    tf::MapData out;
    for (const auto& [k, e] : v.as_map())
      out[k] = tf::MapEntry{convert(e.value, arg, eval, depth + 1), e.key_span, e.duplicate_key_spans};
    return Value::map(std::move(out), v.span(), v.map_open());
  }
  if ((t->name == "list" || t->name == "set") && v.kind() == Value::Kind::kList) {
    tf::ListData out;
    for (const auto& item : v.as_list()) out.push_back(convert(item, arg, eval, depth + 1));
    return Value::list(std::move(out), v.span());
  }
  if (t->name == "object" && arg->kind == hcl::ExprKind::kObject && v.kind() == Value::Kind::kMap) {
    tf::MapData out = v.as_map();
    const auto& kids = arg->children;
    for (std::size_t i = 0; i + 1 < kids.size(); i += 2) {
      auto name = literal_string(kids[i]);
      const hcl::Expr* at = kids[i + 1];
      if (!name || at == nullptr) continue;
      const hcl::Expr* inner = at;
      const hcl::Expr* dflt = nullptr;
      if (at->kind == hcl::ExprKind::kCall && at->name == "optional" && !at->children.empty()) {
        inner = at->children[0];
        if (at->children.size() > 1) dflt = at->children[1];
      }
      auto have = out.find(*name);
      if (have == out.end() || have->second.value.is_null()) {
        // A missing attribute (or null) becomes the optional default, converted, or null.
        if (dflt != nullptr) {
          out[*name] = tf::MapEntry{convert(eval(dflt, nullptr), inner, eval, depth + 1), kids[i]->span, {}};
        } else if (have == out.end()) {
          out[*name] = tf::MapEntry{Value::null(at->span), kids[i]->span, {}};
        }
      } else {
        have->second.value = convert(have->second.value, inner, eval, depth + 1);
      }
    }
    return Value::map(std::move(out), v.span(), v.map_open());
  }
  return v;
}

}  // namespace

Value convert_to_type(const Value& v, const hcl::Expr* type, const ExprEval& eval) { return convert(v, type, eval, 0); }

void bind_variables(const ModuleDir& mod, std::map<std::string, Value> given, bool root, const std::string& module_name,
                    const ExprEval& eval, std::map<std::string, Value>& vars) {
  for (const hcl::Block* b : mod.variables) {
    const std::string& name = b->labels[0];
    const hcl::Attribute* def = find_attr(b->body, "default");
    const hcl::Attribute* nullable = find_attr(b->body, "nullable");
    bool non_null =
        nullable && nullable->expr && nullable->expr->kind == hcl::ExprKind::kBool && nullable->expr->text == "false";
    auto g = given.find(name);
    Value v;
    if (g != given.end() && !(non_null && g->second.is_null() && def)) {
      v = g->second;
    } else if (def) {
      v = eval(def->expr, nullptr);
    } else if (root) {
      v = Value::unknown(fmt::format("var.{} has no value", name), b->span);
    } else {
      v = Value::unknown(fmt::format("var.{} is not set by {}", name, module_name), b->span);
    }
    const hcl::Attribute* type = find_attr(b->body, "type");
    vars[name] = type ? convert_to_type(v, type->expr, eval) : std::move(v);
  }
}

}  // namespace tagwarden::terraform
