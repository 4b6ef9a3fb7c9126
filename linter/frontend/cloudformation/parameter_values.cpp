#include "linter/frontend/cloudformation/parameter_values.hpp"

#include <fmt/format.h>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

namespace tagwarden {
namespace {

bool names_template(std::string_view path) {
  return path.ends_with(".json") || path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".template");
}

}  // namespace

std::pair<std::string, std::string> split_template_scope(const std::string& text) {
  std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon == 0 || !names_template(std::string_view(text).substr(0, colon))) return {{}, text};
  return {path_normalize(text.substr(0, colon)), text.substr(colon + 1)};
}

// Shapes (AWS CLI Command Reference): create-stack --parameters takes a list of
// {"ParameterKey", "ParameterValue", "UsePreviousValue"}; deploy --parameter-overrides takes
// "Key=Value" strings or, from a file, such a list; a CodePipeline template configuration file
// holds {"Parameters": {"Key": "Value"}}; a plain {"Key": "Value"} map is accepted too.
void read_parameter_document(const DocNode& root, const std::string& scope, std::vector<GivenParameter>& out,
                             std::vector<Error>& errors) {
  const DocNode* node = &root;
  if (node->is_map() && node->get("Parameters") && node->get("Parameters")->is_map()) node = node->get("Parameters");
  if (node->is_map()) {
    for (std::size_t i = 0; i < node->keys.size(); ++i) {
      const DocNode& v = node->items[i];
      if (!v.is_scalar() || v.kind == DocNode::Kind::kNull) {
        errors.push_back(Error{v.span, {}, fmt::format("parameter {} must have a string value", node->keys[i])});
        continue;
      }
      out.push_back(GivenParameter{scope, node->keys[i], v.scalar});
    }
    return;
  }
  if (!node->is_seq()) {
    errors.push_back(Error{node->span, {},
                           "parameters must be a list of {\"ParameterKey\", \"ParameterValue\"}, a list of \"KEY=VALUE\" or "
                           "a map"});
    return;
  }
  for (const auto& item : node->items) {
    if (item.is_string()) {
      if (auto kv = key_value_item(item, "parameter", errors)) out.push_back(GivenParameter{scope, kv->first, kv->second});
      continue;
    }
    const DocNode* k = item.is_map() ? item.get("ParameterKey") : nullptr;
    const DocNode* v = item.is_map() ? item.get("ParameterValue") : nullptr;
    const DocNode* prev = item.is_map() ? item.get("UsePreviousValue") : nullptr;
    if (!k || !k->is_string()) {
      errors.push_back(Error{item.span, {}, "parameter entry must be {\"ParameterKey\": string, \"ParameterValue\": string}"});
      continue;
    }
    // UsePreviousValue: the stack's current value, which only the deployed stack knows; the
    // parameter is then treated as given no value.
    if (prev && prev->is_scalar() && prev->scalar == "true") continue;
    if (!v || !v->is_scalar() || v->kind == DocNode::Kind::kNull) {
      errors.push_back(Error{item.span, {}, fmt::format("parameter {} has no string ParameterValue", k->scalar)});
      continue;
    }
    out.push_back(GivenParameter{scope, k->scalar, v->scalar});
  }
}

ParameterValues::ParameterValues(const LoadContext& ctx, std::vector<Error>& errors) {
  for (const auto& arg : ctx.options.parameter_files) {
    auto [scope, path] = split_template_scope(arg);
    DocResult r = read_data_file(ctx, path, errors);
    if (r.root) read_parameter_document(*r.root, scope, files_, errors);
  }
  for (const auto& [name, value] : ctx.options.parameters) {
    auto [scope, bare] = split_template_scope(name);
    command_line_.push_back(GivenParameter{scope, bare, value});
  }
}

std::vector<std::pair<std::string, std::string>> ParameterValues::for_template(const std::string& path) const {
  std::vector<std::pair<std::string, std::string>> out;
  const std::string p = path_normalize(path);
  for (const auto* list : {&files_, &command_line_}) {
    for (const auto& g : *list) {
      if (g.scope.empty()) out.emplace_back(g.name, g.value);
    }
    for (const auto& g : *list) {
      if (!g.scope.empty() && g.scope == p) out.emplace_back(g.name, g.value);
    }
  }
  return out;
}

}  // namespace tagwarden
