#include "linter/policy/schema_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "linter/model/text.hpp"
#include "linter/policy/required_tags.hpp"
#include "linter/report/report.hpp"

namespace tagwarden {
namespace {

DocResult parse_document(const SourceManager& sm, FileId file) {
  std::string_view text = sm.file(file).contents();
  // JSON is valid YAML, but the JSON reader gives better positions and messages.
  std::size_t first = text.find_first_not_of(" \t\r\n");
  bool json = first != std::string_view::npos && text[first] == '{';
  return json ? parse_json(file, text) : parse_yaml(file, text);
}

}  // namespace

std::vector<std::vector<std::string>> policy_levels(const std::vector<std::string>& args) {
  std::vector<std::vector<std::string>> levels;
  for (const auto& arg : args) {
    std::vector<std::string> level = split_nonempty(arg, ',');
    if (!level.empty()) levels.push_back(std::move(level));
  }
  return levels;
}

std::vector<std::vector<FileId>> read_schema_levels(const LoadContext& ctx, const std::vector<std::string>& args,
                                                    std::vector<Error>& errors) {
  std::vector<std::vector<FileId>> levels;
  for (const auto& level : policy_levels(args)) {
    levels.emplace_back();
    for (const auto& path : level) {
      FileId id = read_source(ctx, path, errors);
      if (id != kNoFile) levels.back().push_back(id);
    }
  }
  return levels;
}

bool read_policy_levels(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                        std::vector<std::vector<PolicyDoc>>& out, std::vector<Error>& errors) {
  bool ok = true;
  for (const auto& level : files) {
    out.emplace_back();
    for (FileId id : level) {
      auto doc = read_tag_policy(sm, id, errors);
      if (!doc) {
        ok = false;
        continue;
      }
      out.back().push_back(std::move(*doc));
    }
  }
  return ok;
}

std::optional<Schema> load_schema_files(const SourceManager& sm, const std::vector<std::vector<FileId>>& levels,
                                        std::vector<Error>& errors) {
  std::size_t count = 0;
  FileId first = kNoFile;
  for (const auto& level : levels) {
    for (FileId id : level) {
      count += 1;
      if (first == kNoFile) first = id;
    }
  }
  if (count == 0) return std::nullopt;
  if (count == 1) {
    DocResult doc = parse_document(sm, first);
    if (!doc.root) {
      for (auto& e : doc.errors) {
        e.message = fmt::format("cannot read schema: {}", e.message);
        errors.push_back(std::move(e));
      }
      return std::nullopt;
    }
    if (is_required_tags_response(*doc.root)) return schema_from_required_tags(*doc.root, first, errors);
    if (!is_tag_policy(*doc.root)) return read_native_schema(*doc.root, first, errors);
  }
  // Several files are tag-policy levels (root first): every file must be one. Say what a file
  // is instead before reading it as JSON (a native YAML schema would otherwise be "unexpected
  // character" in JSON).
  std::size_t before = errors.size();
  for (const auto& level : levels) {
    for (FileId id : level) {
      DocResult doc = parse_document(sm, id);
      if (!doc.root) {
        for (auto& e : doc.errors) {
          e.message = fmt::format("cannot read tag policy: {}", e.message);
          errors.push_back(std::move(e));
        }
        continue;
      }
      if (is_tag_policy(*doc.root)) continue;
      std::string what =
          is_required_tags_response(*doc.root) ? "is a ListRequiredTags response, which must be the only --schema"
          : doc.root->get("version")           ? "is a native tagwarden schema, which must be the only --schema"
                                               : "is not an AWS Organizations tag policy (a `tags` map of policy keys)";
      errors.push_back(Error{Span{id, doc.root->span.begin, doc.root->span.begin},
                             {},
                             fmt::format("{} --schema files were given: several are read as AWS Organizations tag "
                                         "policies, one per level of the organization (root first); this file {}",
                                         count, what)});
    }
  }
  if (errors.size() != before) return std::nullopt;
  std::vector<std::vector<PolicyDoc>> docs;
  if (!read_policy_levels(sm, levels, docs, errors)) return std::nullopt;
  std::vector<PolicyProblem> problems;
  EffectivePolicy policy = merge_tag_policies(docs, problems);
  Schema schema = schema_from_policy(policy, first);
  for (const auto& p : problems) {
    if (p.level == Level::kError) schema.notes.push_back(SchemaNote{p.span, p.message});
  }
  return schema;
}

namespace {

std::string render_problems(const SourceManager& sm, const std::vector<PolicyProblem>& problems) {
  std::string out;
  for (const auto& p : problems) {
    out += fmt::format("{}: {}[{}] {}\n", location_string(sm, p.span, {}), level_name(p.level), p.code, p.message);
    append_source_snippet(out, sm, p.span);
    for (const auto& r : p.related) out += fmt::format("  note: {}: {}\n", location_string(sm, r.span, {}), r.message);
  }
  return out;
}

std::string render_errors(const SourceManager& sm, const std::vector<Error>& errors) {
  std::string out;
  for (const auto& e : errors) {
    out += fmt::format("{}: error: {}\n", location_string(sm, e.span, e.file_hint), e.message);
    append_source_snippet(out, sm, e.span);
  }
  return out;
}

}  // namespace

CommandOutput run_policy_command(PolicyCommand command, const std::vector<std::string>& args, SourceManager& sources,
                                 const Reader& reader) {
  RunOptions options;
  LoadContext ctx{options, sources, reader};
  std::vector<Error> errors;
  auto levels = read_schema_levels(ctx, args, errors);
  // Invalid UTF-8 in a policy is an error at its first bad byte, as everywhere (docs/robustness.md).
  for (const auto& level : levels) {
    for (FileId id : level) check_utf8(sources, id, errors);
  }
  return command == PolicyCommand::kEffective ? run_policy_effective(sources, levels, std::move(errors))
                                              : run_policy_lint(sources, levels, std::move(errors));
}

CommandOutput run_policy_effective(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                                   std::vector<Error> read_errors) {
  CommandOutput result;
  std::vector<std::vector<PolicyDoc>> docs;
  read_policy_levels(sm, files, docs, read_errors);
  if (!read_errors.empty()) {
    result.err = render_errors(sm, read_errors);
    result.exit_code = 2;
    return result;
  }
  std::vector<PolicyProblem> problems;
  EffectivePolicy policy = merge_tag_policies(docs, problems);
  result.out = render_effective_policy(policy);
  result.err = render_problems(sm, problems);
  // AWS refuses a policy with invalid syntax (a field beside `tags`, an unknown setting), so
  // what is printed is not an effective policy AWS would compute: say so with the exit code.
  bool invalid = std::any_of(problems.begin(), problems.end(), [](const PolicyProblem& p) {
    return p.level == Level::kError && p.code == "invalid-syntax";
  });
  result.exit_code = invalid ? 1 : 0;
  return result;
}

CommandOutput run_policy_lint(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                              std::vector<Error> read_errors) {
  CommandOutput result;
  std::vector<std::vector<PolicyDoc>> docs;
  read_policy_levels(sm, files, docs, read_errors);
  std::vector<PolicyProblem> problems = lint_tag_policies(sm, docs);
  std::map<Level, int> counts;
  for (const auto& p : problems) ++counts[p.level];
  std::size_t n_files = 0;
  for (const auto& level : files) n_files += level.size();
  result.out = render_errors(sm, read_errors) + render_problems(sm, problems);
  auto plural = [](std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  result.out += fmt::format("{} linted: {}, {}, {}; {}\n", plural(n_files, "policy file"),
                            plural(static_cast<std::size_t>(counts[Level::kError]), "error"),
                            plural(static_cast<std::size_t>(counts[Level::kWarning]), "warning"),
                            plural(static_cast<std::size_t>(counts[Level::kNote]), "note"),
                            plural(read_errors.size(), "input error"));
  result.exit_code = !read_errors.empty() ? 2 : counts[Level::kError] > 0 ? 1 : 0;
  return result;
}

}  // namespace tagwarden
