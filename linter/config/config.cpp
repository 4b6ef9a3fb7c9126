#include "linter/config/config.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "linter/engine/rule_selection.hpp"
#include "linter/load/doc.hpp"
#include "linter/model/text.hpp"

namespace tagwarden {
namespace {

class ConfigReader {
 public:
  ConfigReader(std::string dir, std::string glob_dir, const std::vector<std::string>& formats,
               std::vector<Error>& errors)
      : dir_(std::move(dir)), glob_dir_(std::move(glob_dir)), formats_(formats), errors_(errors) {}

  bool ok() const { return ok_; }

  void read(const DocNode& root, Config& c) {
    if (root.kind == DocNode::Kind::kNull) return;  // an empty file: all defaults
    if (!root.is_map()) return error(root.span, "a tagwarden configuration must be a map (see docs/configuration.md)");
    for (std::size_t i = 0; i < root.keys.size(); ++i) {
      const std::string& k = root.keys[i];
      const DocNode& v = root.items[i];
      const Span& ks = root.key_spans[i];
      if (k == "schema") {
        for (auto& s : strings(v)) {
          std::string level;
          for (const auto& part : split_nonempty(s.first, ',')) level += (level.empty() ? "" : ",") + resolve(part);
          if (!level.empty()) c.schema.push_back(level);
        }
      } else if (k == "paths") {
        for (auto& s : strings(v)) c.paths.push_back(resolve(s.first));
      } else if (k == "exclude") {
        for (auto& s : strings(v)) c.exclude.push_back(path_join(glob_dir_, s.first));
      } else if (k == "select") {
        c.select = selectors(v);
      } else if (k == "extend-select") {
        c.extend_select = selectors(v);
      } else if (k == "ignore") {
        c.ignore = selectors(v);
      } else if (k == "rule-levels") {
        rule_levels(v, c);
      } else if (k == "fail-level") {
        c.fail_level = level(v, true);
      } else if (k == "min-level") {
        c.min_level = level(v, false);
      } else if (k == "baseline") {
        if (auto s = path(v)) c.baseline = *s;
      } else if (k == "outputs") {
        outputs(v, c);
      } else if (k == "roots") {
        roots(v, c);
      } else {
        error(ks,
              fmt::format("unknown configuration field `{}` (expected schema, paths, exclude, select, extend-select, "
                          "ignore, rule-levels, fail-level, min-level, baseline, outputs or roots)",
                          k));
      }
    }
  }

 private:
  void error(const Span& at, std::string message) {
    errors_.push_back(Error{at, {}, std::move(message)});
    ok_ = false;
  }

  std::string resolve(const std::string& p) const { return path_join(dir_, p); }

  std::optional<std::string> text(const DocNode& v, std::string_view what) {
    if (!v.is_scalar() || v.kind == DocNode::Kind::kNull || v.scalar.empty()) {
      error(v.span, fmt::format("{} must be a non-empty string", what));
      return std::nullopt;
    }
    return v.scalar;
  }

  std::optional<std::string> path(const DocNode& v) {
    auto s = text(v, "a path");
    if (!s) return std::nullopt;
    return resolve(*s);
  }

  /// A list of strings, or one string.
  std::vector<std::pair<std::string, Span>> strings(const DocNode& v) {
    std::vector<std::pair<std::string, Span>> out;
    if (v.is_scalar() && v.kind != DocNode::Kind::kNull) {
      out.emplace_back(v.scalar, v.span);
      return out;
    }
    if (!v.is_seq()) {
      error(v.span, "expected a list of strings");
      return out;
    }
    for (const DocNode& item : v.items) {
      if (auto s = text(item, "each item")) out.emplace_back(*s, item.span);
    }
    return out;
  }

  std::vector<std::string> selectors(const DocNode& v) {
    std::vector<std::string> out;
    for (auto& [s, span] : strings(v)) {
      if (auto problem = check_selector(s)) {
        error(span, *problem);
        continue;
      }
      out.push_back(s);
    }
    return out;
  }

  std::optional<Level> level(const DocNode& v, bool allow_none) {
    auto s = text(v, "a level");
    if (!s) return std::nullopt;
    auto l = parse_level(*s);
    if (!l || (*l == Level::kNone && !allow_none)) {
      error(v.span,
            fmt::format("`{}` is not a level (expected error, warning, note{})", *s, allow_none ? " or none" : ""));
      return std::nullopt;
    }
    return l;
  }

  void rule_levels(const DocNode& v, Config& c) {
    if (!v.is_map()) return error(v.span, "rule-levels must map rule ids, names or prefixes to error, warning or note");
    for (std::size_t i = 0; i < v.keys.size(); ++i) {
      if (auto problem = check_selector(v.keys[i])) {
        error(v.key_spans[i], *problem);
        continue;
      }
      if (auto l = level(v.items[i], false)) c.rule_levels.emplace_back(v.keys[i], *l);
    }
  }

  void outputs(const DocNode& v, Config& c) {
    if (!v.is_seq()) return error(v.span, "outputs must be a list of {path, format}");
    for (const DocNode& item : v.items) {
      if (!item.is_map()) {
        error(item.span, "an output must be a map {path: FILE, format: FORMAT}");
        continue;
      }
      ConfigOutput o;
      o.span = item.span;
      for (std::size_t i = 0; i < item.keys.size(); ++i) {
        if (item.keys[i] == "path") {
          // `-` is standard output, as for --output.
          if (auto p = text(item.items[i], "a path")) o.path = *p == "-" ? *p : resolve(*p);
        } else if (item.keys[i] == "format") {
          if (auto f = text(item.items[i], "a format")) {
            if (std::find(formats_.begin(), formats_.end(), *f) == formats_.end()) {
              error(item.items[i].span, fmt::format("unknown output format `{}`", *f));
            } else {
              o.format = *f;
            }
          }
        } else {
          error(item.key_spans[i], fmt::format("unknown output field `{}` (expected path and format)", item.keys[i]));
        }
      }
      if (o.path.empty() || o.format.empty()) {
        if (ok_) error(item.span, "an output needs both `path` and `format`");
        continue;
      }
      c.outputs.push_back(std::move(o));
    }
  }

  /// NAME: VALUE pairs of a map, the values as written.
  void pairs(const DocNode& v, std::vector<std::pair<std::string, std::string>>& out) {
    if (!v.is_map()) return error(v.span, "expected a map of NAME: VALUE");
    for (std::size_t i = 0; i < v.keys.size(); ++i) {
      const DocNode& val = v.items[i];
      if (!val.is_scalar()) {
        error(val.span,
              fmt::format("the value of `{}` must be a string (write collections in HCL syntax, as for --var)",
                          v.keys[i]));
        continue;
      }
      out.emplace_back(v.keys[i], val.kind == DocNode::Kind::kNull ? std::string() : val.scalar);
    }
  }

  void roots(const DocNode& v, Config& c) {
    if (!v.is_seq())
      return error(v.span, "roots must be a list of {path, var-files, vars, parameters, stack-tags, stack-tag-files}");
    for (const DocNode& item : v.items) {
      if (!item.is_map()) {
        error(item.span, "a roots entry must be a map with a `path`");
        continue;
      }
      RootInputsRule rule;
      for (std::size_t i = 0; i < item.keys.size(); ++i) {
        const std::string& k = item.keys[i];
        const DocNode& val = item.items[i];
        if (k == "path") {
          if (auto p = text(val, "a path")) rule.pattern = path_join(glob_dir_, *p);
        } else if (k == "var-files") {
          for (auto& s : strings(val)) rule.inputs.var_files.push_back(resolve(s.first));
        } else if (k == "vars") {
          pairs(val, rule.inputs.vars);
        } else if (k == "parameters") {
          pairs(val, rule.inputs.parameters);
        } else if (k == "stack-tags") {
          pairs(val, rule.inputs.stack_tags);
        } else if (k == "stack-tag-files") {
          for (auto& s : strings(val)) rule.inputs.stack_tag_files.push_back(resolve(s.first));
        } else {
          error(item.key_spans[i], fmt::format("unknown roots field `{}` (expected path, var-files, vars, parameters, "
                                               "stack-tags or stack-tag-files)",
                                               k));
        }
      }
      if (rule.pattern.empty()) {
        if (item.index_of("path") < 0)
          error(item.span, "a roots entry needs a `path` (a root module folder or template, globs allowed)");
        continue;
      }
      c.roots.push_back(std::move(rule));
    }
  }

  std::string dir_;       ///< files named in the configuration are relative to it
  std::string glob_dir_;  ///< globs are anchored to it
  const std::vector<std::string>& formats_;
  std::vector<Error>& errors_;
  bool ok_ = true;
};

}  // namespace

std::optional<std::string> find_config(const Reader& reader, const std::string& start_dir) {
  std::string dir = path_normalize(start_dir);
  for (int depth = 0; depth < 256; ++depth) {
    std::string candidate = path_join(dir, kConfigFileName);
    if (reader.is_file(candidate)) return candidate;
    std::string parent = path_dirname(dir);
    if (parent == dir) break;
    dir = parent;
  }
  return std::nullopt;
}

std::optional<Config> load_config(const SourceManager& sources, FileId file, const std::string& dir,
                                  const std::string& glob_dir, const std::vector<std::string>& format_names,
                                  std::vector<Error>& errors) {
  const SourceFile& f = sources.file(file);
  DocResult doc = parse_yaml(file, f.contents());
  for (auto& e : doc.errors) errors.push_back(std::move(e));
  if (!doc.root) return std::nullopt;
  Config c;
  c.file = f.path();
  ConfigReader reader(dir, glob_dir, format_names, errors);
  reader.read(*doc.root, c);
  if (!reader.ok()) return std::nullopt;
  return c;
}

}  // namespace tagwarden
