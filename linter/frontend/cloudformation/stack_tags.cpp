// Stack tags from the command line: --stack-tag KEY=VALUE and --stack-tags FILE, where FILE
// holds what `aws cloudformation deploy --tags` or a stack's `Tags` would: a list of
// {"Key", "Value"}, a {"Key": "Value"} map, or a list of "Key=Value" strings.
#include <fmt/format.h>

#include <algorithm>

#include "linter/frontend/cloudformation/cloudformation_frontend.hpp"

namespace tagwarden {
namespace {

constexpr const char* kFileSource = "stack tags file";

void read_stack_tag_doc(const DocNode& root, std::vector<StackTag>& out, std::vector<Error>& errors) {
  const DocNode* node = &root;
  // A stack description ({"Tags": [...]}) is accepted too.
  if (node->is_map() && node->keys.size() == 1 && node->keys[0] == "Tags" && node->items[0].is_seq()) node = &node->items[0];
  if (node->is_map()) {
    for (std::size_t i = 0; i < node->keys.size(); ++i) {
      const DocNode& v = node->items[i];
      if (!v.is_scalar() || v.kind == DocNode::Kind::kNull) {
        errors.push_back(Error{v.span, {}, fmt::format("stack tag {} must have a string value", node->keys[i])});
        continue;
      }
      Span s = node->key_spans[i];
      s.end = std::max(s.end, v.span.end);
      out.push_back(StackTag{node->keys[i], v.scalar, s, kFileSource, {}});
    }
    return;
  }
  if (!node->is_seq()) {
    errors.push_back(Error{node->span, {}, "stack tags must be a list of {\"Key\", \"Value\"}, a map or a list of \"KEY=VALUE\""});
    return;
  }
  for (const auto& item : node->items) {
    if (item.is_string()) {
      if (auto kv = key_value_item(item, "stack tag", errors)) out.push_back(StackTag{kv->first, kv->second, item.span, kFileSource, {}});
      continue;
    }
    const DocNode* k = item.is_map() ? item.get("Key") : nullptr;
    const DocNode* v = item.is_map() ? item.get("Value") : nullptr;
    if (!k || !k->is_string() || !v || !v->is_scalar() || v->kind == DocNode::Kind::kNull) {
      errors.push_back(Error{item.span, {}, "stack tag entry must be {\"Key\": string, \"Value\": string}"});
      continue;
    }
    out.push_back(StackTag{k->scalar, v->scalar, item.span, kFileSource, {}});
  }
}

}  // namespace

std::optional<std::pair<std::string, std::string>> key_value_item(const DocNode& item, std::string_view what,
                                                                  std::vector<Error>& errors) {
  std::size_t eq = item.scalar.find('=');
  if (eq == std::string::npos || eq == 0) {
    errors.push_back(Error{item.span, {}, fmt::format("{} must be written KEY=VALUE", what)});
    return std::nullopt;
  }
  return std::make_pair(item.scalar.substr(0, eq), item.scalar.substr(eq + 1));
}

DocResult read_data_file(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors) {
  FileId id = read_source(ctx, path, errors);
  if (id == kNoFile) return {};
  const std::string& text = ctx.sources.file(id).contents();
  bool yaml = path.ends_with(".yaml") || path.ends_with(".yml");
  DocResult r = yaml ? parse_yaml(id, text) : parse_json(id, text);
  for (auto& e : r.errors) errors.push_back(std::move(e));
  r.errors.clear();
  return r;
}

std::vector<StackTag> command_line_stack_tags(const LoadContext& ctx, std::vector<Error>& errors) {
  std::vector<StackTag> out;
  for (const auto& path : ctx.options.stack_tag_files) {
    DocResult r = read_data_file(ctx, path, errors);
    if (r.root) read_stack_tag_doc(*r.root, out, errors);
  }
  // Given on the command line: later than the files, so they are listed after them.
  for (const auto& [k, v] : ctx.options.stack_tags) out.push_back(StackTag{k, v, Span{}, "--stack-tag", {}});
  // A stack has one value per key: a later definition replaces an earlier one in place.
  std::vector<StackTag> unique;
  for (auto& t : out) {
    auto it = std::find_if(unique.begin(), unique.end(), [&](const StackTag& u) { return u.key == t.key; });
    if (it != unique.end()) *it = std::move(t);
    else unique.push_back(std::move(t));
  }
  return unique;
}

}  // namespace tagwarden
