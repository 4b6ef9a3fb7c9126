#include "linter/frontend/cloudformation/deployments.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <toml.hpp>

namespace tagwarden {
namespace {

constexpr const char* kGitSyncSource = "deployment file";
constexpr const char* kSamConfigSource = "samconfig";

Span whole(const DocNode& key_owner, std::size_t i) {
  Span s = key_owner.key_spans[i];
  s.end = std::max(s.end, key_owner.items[i].span.end);
  return s;
}

/// A `KEY: VALUE` map of strings (Git sync `parameters` and `tags`).
std::vector<std::pair<std::string, std::string>> string_map(const DocNode& node, std::string_view what,
                                                            std::vector<Span>* spans, std::vector<Error>& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!node.is_map()) {
    errors.push_back(Error{node.span, {}, fmt::format("{} must be a map of names to values", what)});
    return out;
  }
  for (std::size_t i = 0; i < node.keys.size(); ++i) {
    const DocNode& v = node.items[i];
    if (!v.is_scalar() || v.kind == DocNode::Kind::kNull) {
      errors.push_back(Error{v.span, {}, fmt::format("{} {} must have a string value", what, node.keys[i])});
      continue;
    }
    out.emplace_back(node.keys[i], v.scalar);
    if (spans) spans->push_back(whole(node, i));
  }
  return out;
}

// --- TOML -----------------------------------------------------------------------------------

/// Deepest nesting of brackets and braces outside strings: toml11 parses nested arrays and
/// inline tables recursively, so hostile nesting is refused before it reaches the parser.
int bracket_depth(std::string_view text) {
  int depth = 0, deepest = 0;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote || c == '\n')
        quote = 0;
      continue;
    }
    if (c == '"' || c == '\'')
      quote = c;
    else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '[' || c == '{')
      deepest = std::max(deepest, ++depth);
    else if ((c == ']' || c == '}') && depth > 0)
      --depth;
  }
  return deepest;
}

Span span_of(const SourceFile& file, FileId id, const toml::source_location& loc) {
  if (loc.line() == 0) return Span::whole_file(id);
  std::uint32_t begin =
      file.line_start(static_cast<std::uint32_t>(loc.line())) + static_cast<std::uint32_t>(loc.column()) - 1;
  auto size = static_cast<std::uint32_t>(file.contents().size());
  begin = std::min(begin, size);
  return Span{id, begin, std::min(size, begin + static_cast<std::uint32_t>(loc.region())), true};
}

DocNode convert(const toml::value& v, const SourceFile& file, FileId id) {
  DocNode n;
  n.span = span_of(file, id, v.location());
  switch (v.type()) {
    case toml::value_t::boolean:
      n.kind = DocNode::Kind::kBool;
      n.scalar = v.as_boolean() ? "true" : "false";
      break;
    case toml::value_t::integer:
      n.kind = DocNode::Kind::kNumber;
      n.scalar = std::to_string(v.as_integer());
      break;
    case toml::value_t::floating:
    case toml::value_t::offset_datetime:
    case toml::value_t::local_datetime:
    case toml::value_t::local_date:
    case toml::value_t::local_time: {
      // As written: the region of the value in its line.
      n.kind = v.is_floating() ? DocNode::Kind::kNumber : DocNode::Kind::kString;
      n.scalar = std::string(std::string_view(file.contents()).substr(n.span.begin, n.span.end - n.span.begin));
      break;
    }
    case toml::value_t::string:
      n.kind = DocNode::Kind::kString;
      n.scalar = v.as_string().str;
      break;
    case toml::value_t::array:
      n.kind = DocNode::Kind::kSeq;
      for (const auto& item : v.as_array()) n.items.push_back(convert(item, file, id));
      break;
    case toml::value_t::table: {
      n.kind = DocNode::Kind::kMap;
      std::map<std::string, const toml::value*> sorted;
      for (const auto& [k, item] : v.as_table()) sorted.emplace(k, &item);
      for (const auto& [k, item] : sorted) {
        n.keys.push_back(k);
        n.items.push_back(convert(*item, file, id));
        n.key_spans.push_back(n.items.back().span);
      }
      break;
    }
    case toml::value_t::empty:
      break;
  }
  return n;
}

// --- SAM CLI key=value strings ----------------------------------------------------------------

/// Splits on spaces outside quotes; quotes are kept (the SAM CLI strips them per value).
std::vector<std::string> shell_words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  bool any = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      if (c == '\\' && i + 1 < s.size() && s[i + 1] == quote) {
        cur += s[++i];
        continue;
      }
      if (c == quote)
        quote = 0;
      else
        cur += c;
      continue;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      any = true;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (any || !cur.empty()) out.push_back(cur);
      cur.clear();
      any = false;
    } else {
      cur += c;
    }
  }
  if (any || !cur.empty()) out.push_back(cur);
  return out;
}

void add_key_value(const std::string& word, const Span& span, std::string_view what,
                   std::vector<std::pair<std::string, std::string>>& out, std::vector<Error>& errors) {
  // ParameterKey=K,ParameterValue=V (the AWS CLI's shorthand, which the SAM CLI accepts).
  if (word.starts_with("ParameterKey=")) {
    std::size_t comma = word.find(",ParameterValue=");
    if (comma != std::string::npos) {
      out.emplace_back(word.substr(13, comma - 13), word.substr(comma + 16));
      return;
    }
  }
  std::size_t eq = word.find('=');
  if (eq == std::string::npos || eq == 0) {
    errors.push_back(Error{span, {}, fmt::format("{} entry '{}' must be written KEY=VALUE", what, word)});
    return;
  }
  out.emplace_back(word.substr(0, eq), word.substr(eq + 1));
}

const DocNode* parameters_of(const DocNode& env, std::string_view command) {
  const DocNode* c = env.is_map() ? env.get(command) : nullptr;
  const DocNode* p = c && c->is_map() ? c->get("parameters") : nullptr;
  return p && p->is_map() ? p : nullptr;
}

/// A value from the deploy parameters, else the global ones.
const DocNode* setting(const DocNode* deploy, const DocNode* global, std::string_view key) {
  if (deploy && deploy->get(key)) return deploy->get(key);
  return global ? global->get(key) : nullptr;
}

}  // namespace

std::optional<Error> missing_template_error(const LoadContext& ctx, const Deployment& d) {
  if (std::any_of(d.template_candidates.begin(), d.template_candidates.end(),
                  [&](const std::string& c) { return ctx.reader.is_file(c); }))
    return std::nullopt;
  return Error{d.span,
               {},
               fmt::format("{} names no template that exists ({}{})", d.what,
                           d.template_candidates.empty() ? std::string() : display_path(d.template_candidates.front()),
                           d.template_candidates.size() > 1 ? " or the same path from a folder above" : "")};
}

bool is_samconfig_name(const std::string& path) {
  std::string name = path_basename(path);
  return name == "samconfig.toml" || name == "samconfig.yaml" || name == "samconfig.yml";
}

bool is_git_sync_deployment(const DocNode& root) {
  const DocNode* t = root.is_map() ? root.get("template-file-path") : nullptr;
  return t && t->is_string();
}

// Git sync deployment file (AWS CloudFormation User Guide, "Deployment file"):
//   template-file-path: ./path/in/repo/template.yaml
//   parameters: {Name: value, ...}
//   tags: {Key: value, ...}
void read_git_sync_deployment(const DocNode& root, const std::string& path, std::vector<Deployment>& out,
                              std::vector<Error>& errors) {
  Deployment d;
  d.what = "template-file-path";
  const DocNode& tfp = *root.get("template-file-path");
  d.span = tfp.span;
  std::string rel = tfp.scalar;
  while (rel.starts_with("./")) rel = rel.substr(2);
  if (rel.empty() || rel.starts_with("/")) {
    errors.push_back(Error{tfp.span, {}, "template-file-path must be a path relative to the repository root"});
    return;
  }
  // The repository root is an ancestor of the deployment file: deepest first.
  for (std::string dir = path_dirname(path_normalize(path));; dir = path_dirname(dir)) {
    d.template_candidates.push_back(path_normalize(path_join(dir, rel)));
    std::string up = path_dirname(dir);
    if (up == dir || dir.empty() || dir == ".") break;
  }
  if (const DocNode* p = root.get("parameters")) d.parameters = string_map(*p, "parameter", nullptr, errors);
  if (const DocNode* t = root.get("tags")) {
    std::vector<Span> spans;
    auto tags = string_map(*t, "tag", &spans, errors);
    for (std::size_t i = 0; i < tags.size(); ++i)
      d.tags.push_back(StackTag{tags[i].first, tags[i].second, spans[i], kGitSyncSource, {}});
  }
  d.name = display_path(path);
  out.push_back(std::move(d));
}

std::vector<std::pair<std::string, std::string>> parse_sam_key_values(const DocNode& node, std::string_view what,
                                                                      std::vector<Error>& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  std::vector<const DocNode*> strings;
  if (node.is_string())
    strings.push_back(&node);
  else if (node.is_seq())
    for (const auto& i : node.items) strings.push_back(&i);
  else {
    errors.push_back(
        Error{node.span, {}, fmt::format("{} must be a string of KEY=VALUE pairs or a list of them", what)});
    return out;
  }
  for (const DocNode* s : strings) {
    if (!s->is_scalar() || s->kind == DocNode::Kind::kNull) {
      errors.push_back(Error{s->span, {}, fmt::format("{} entries must be strings", what)});
      continue;
    }
    for (const auto& w : shell_words(s->scalar)) add_key_value(w, s->span, what, out, errors);
  }
  return out;
}

DocResult parse_toml(const SourceFile& file, FileId id) {
  DocResult r;
  const std::string& text = file.contents();
  if (bracket_depth(text) > 64) {
    r.errors.push_back(Error{Span::whole_file(id), {}, "TOML nested more than 64 levels deep; not read"});
    return r;
  }
  try {
    std::istringstream in(text);
    toml::value v = toml::parse(in, file.path());
    r.root = std::make_unique<DocNode>(convert(v, file, id));
  } catch (const toml::exception& e) {
    Span at = span_of(file, id, e.location());
    // toml11's message repeats the location over several lines; its first line says what.
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    if (what.starts_with("[error] ")) what = what.substr(8);
    r.errors.push_back(Error{at, {}, fmt::format("TOML: {}", what)});
  } catch (const std::exception& e) {
    r.errors.push_back(Error{Span::whole_file(id), {}, fmt::format("TOML: {}", e.what())});
  }
  return r;
}

// SAM CLI configuration file (AWS SAM Developer Guide, "AWS SAM CLI configuration file"):
// environments at the top level, then command, then `parameters`; `global` parameters apply to
// every command. `sam deploy --config-env ENV` deploys with ENV's values.
void read_samconfig(const SourceFile& file, FileId id, const std::string& path, std::vector<Deployment>& out,
                    std::vector<Error>& errors) {
  DocResult doc = path.ends_with(".toml") ? parse_toml(file, id) : parse_yaml(id, file.contents());
  for (auto& e : doc.errors) errors.push_back(std::move(e));
  if (!doc.root) return;
  if (!doc.root->is_map()) {
    errors.push_back(Error{doc.root->span, {}, "a SAM CLI configuration file is a table of environments"});
    return;
  }
  const std::string dir = path_dirname(path_normalize(path));
  for (std::size_t i = 0; i < doc.root->keys.size(); ++i) {
    const std::string& env = doc.root->keys[i];
    const DocNode& body = doc.root->items[i];
    if (env == "version" || !body.is_map()) continue;
    const DocNode* deploy = parameters_of(body, "deploy");
    const DocNode* global = parameters_of(body, "global");
    if (!deploy && !global) continue;
    Deployment d;
    d.what = "template_file";
    d.span = doc.root->key_spans[i];
    const DocNode* tf = setting(deploy, global, "template_file");
    if (!tf) tf = setting(deploy, global, "template");
    if (tf && tf->is_string()) {
      d.template_candidates.push_back(path_normalize(path_join(dir, tf->scalar)));
      d.span = tf->span;
    } else {
      for (const char* name : {"template.yaml", "template.yml", "template.json"})
        d.template_candidates.push_back(path_normalize(path_join(dir, name)));
    }
    if (const DocNode* p = setting(deploy, global, "parameter_overrides"))
      d.parameters = parse_sam_key_values(*p, "parameter_overrides", errors);
    if (const DocNode* t = setting(deploy, global, "tags")) {
      for (auto& [k, v] : parse_sam_key_values(*t, "tags", errors))
        d.tags.push_back(StackTag{k, v, t->span, kSamConfigSource, {}});
    }
    const DocNode* stack = setting(deploy, global, "stack_name");
    d.name = stack && stack->is_string() && !stack->scalar.empty() ? stack->scalar
                                                                   : fmt::format("{}[{}]", display_path(path), env);
    out.push_back(std::move(d));
  }
}

}  // namespace tagwarden
