// The command line: the only place that touches stdout, stderr, the environment and exit
// codes. Exit codes: 0 nothing at or above --fail-level; 1 findings at or above it; 2 an input
// or the schema could not be processed; 3 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "linter/engine/engine.hpp"
#include "linter/policy/schema_loader.hpp"
#include "linter/report/report.hpp"
#include "linter/schema/schema.hpp"
#include "rules/rule.hpp"

extern char** environ;

namespace tagwarden {
namespace {

constexpr const char* kVersion = "0.1.0";

std::optional<std::pair<std::string, std::string>> split_assignment(const std::string& s) {
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

struct CommonOptions {
  std::vector<std::string> paths;
  std::vector<std::string> vars, var_files, parameters, stack_tags, stack_tag_files;
  bool env_provider_tags = false;
  unsigned jobs = 0;
  std::string format = "text";
  std::string output;
};

void add_input_options(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("paths", o.paths, "Files or directories to read (default: .)");
  cmd->add_option("--var", o.vars, "Terraform root variable NAME=VALUE (repeatable; last wins)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--var-file", o.var_files, "Terraform variable definitions file (repeatable, in order)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_flag("--env-provider-tags", o.env_provider_tags,
                "Apply TF_AWS_DEFAULT_TAGS_<key>, TF_AWS_IGNORE_TAGS_KEYS and TF_AWS_IGNORE_TAGS_KEY_PREFIXES from the environment");
  cmd->add_option("--parameter", o.parameters, "CloudFormation parameter NAME=VALUE, also pseudo parameters such as AWS::Region")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--stack-tag", o.stack_tags, "CloudFormation/CDK stack tag KEY=VALUE applied to every resource (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--stack-tags", o.stack_tag_files, "JSON file of stack tags ([{\"Key\":..,\"Value\":..}], {\"K\":\"V\"} or [\"K=V\"])")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("-j,--jobs", o.jobs, "Worker threads (default: one per core)");
  cmd->add_option("-o,--output", o.output, "Write the report to FILE instead of standard output");
}

bool build_run_options(const CommonOptions& o, RunOptions& ro) {
  ro.paths = o.paths.empty() ? std::vector<std::string>{"."} : o.paths;
  bool ok = true;
  auto pairs = [&](const std::vector<std::string>& in, std::vector<std::pair<std::string, std::string>>& out, const char* flag) {
    for (const auto& s : in) {
      auto kv = split_assignment(s);
      if (!kv) {
        std::fprintf(stderr, "tagwarden: %s expects NAME=VALUE, got '%s'\n", flag, s.c_str());
        ok = false;
      } else {
        out.push_back(*kv);
      }
    }
  };
  pairs(o.vars, ro.vars, "--var");
  pairs(o.parameters, ro.parameters, "--parameter");
  pairs(o.stack_tags, ro.stack_tags, "--stack-tag");
  ro.var_files = o.var_files;
  ro.stack_tag_files = o.stack_tag_files;
  ro.env_provider_tags = o.env_provider_tags;
  ro.jobs = o.jobs;
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  if (!ec) ro.working_directory = cwd.generic_string();
  if (o.env_provider_tags) {
    for (char** e = environ; e && *e; ++e) {
      std::string s(*e);
      if (s.rfind("TF_AWS_", 0) != 0) continue;
      if (auto kv = split_assignment(s)) ro.env[kv->first] = kv->second;
    }
  }
  return ok;
}

bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "tagwarden: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

int run(int argc, char** argv) {
  CLI::App app{"tagwarden: a static linter for cloud resource tags in Terraform, CloudFormation, SAM and CDK output.", "tagwarden"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  CommonOptions check_opts, tags_opts;
  std::vector<std::string> schema_paths;
  std::string fail_level = "error";
  auto* check = app.add_subcommand("check", "Check the effective tags of every resource against a schema and AWS's tag rules");
  add_input_options(check, check_opts);
  check->add_option("--schema", schema_paths,
                    "Tag schema (YAML or JSON, version 1), AWS Organizations tag policy or ListRequiredTags response; repeat "
                    "for the tag policies of each level of the organization (root first), comma-join policies attached to one "
                    "level; without it only AWS's own rules apply")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  check->add_option("--format", check_opts.format, "Output format")->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  check->add_option("--fail-level", fail_level, "Exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}));

  auto* tags = app.add_subcommand("tags", "Print the effective tag set of every resource, with where each tag came from");
  add_input_options(tags, tags_opts);
  tags->add_option("--format", tags_opts.format, "Output format")->check(CLI::IsMember({"text", "json"}));

  std::string explain;
  auto* rules = app.add_subcommand("rules", "List the rules, or print one rule's documentation");
  rules->add_option("--explain", explain, "Rule id or name (TW001, missing-required-tag)");

  std::vector<std::string> policy_files;
  auto* policy = app.add_subcommand("policy", "Work with AWS Organizations tag policies offline");
  policy->require_subcommand(1);
  auto* effective = policy->add_subcommand("effective", "Print the effective tag policy of FILEs (one level each, root first; comma-join policies attached to one level)");
  effective->add_option("files", policy_files, "Tag policy files")->required();
  auto* plint = policy->add_subcommand("lint", "Report what AWS would reject in tag policies, or what surprises their authors");
  plint->add_option("files", policy_files, "Tag policy files")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

  if (rules->parsed()) {
    if (!explain.empty()) {
      const Rule* r = find_rule(explain);
      if (!r) {
        std::fprintf(stderr, "tagwarden: no rule '%s' (see `tagwarden rules`)\n", explain.c_str());
        return 2;
      }
      return write_output("", std::string(rule_doc(*r))) ? 0 : 2;
    }
    std::string out;
    for (const auto& r : all_rules()) {
      out += fmt::format("{}  {:<28} {:<8} {}\n", r.id, r.name, level_name(r.default_level), r.summary);
    }
    return write_output("", out) ? 0 : 2;
  }

  const CommonOptions& opts = check->parsed() ? check_opts : tags_opts;
  RunOptions ro;
  if (!build_run_options(opts, ro)) return 2;
  SourceManager sources;
  auto reader = make_disk_reader();
  LoadContext ctx{ro, sources, *reader};

  // Files of --schema or `policy`, level by level of the organization tree.
  std::vector<Error> schema_errors;
  auto read_levels = [&](const std::vector<std::string>& args) {
    std::vector<std::vector<FileId>> levels;
    for (const auto& level : policy_levels(args)) {
      levels.emplace_back();
      for (const auto& path : level) {
        FileId id = read_source(ctx, path, schema_errors);
        if (id != kNoFile) levels.back().push_back(id);
      }
    }
    return levels;
  };

  if (policy->parsed()) {
    auto levels = read_levels(policy_files);
    CommandOutput r = effective->parsed() ? run_policy_effective(sources, levels, schema_errors)
                                          : run_policy_lint(sources, levels, schema_errors);
    std::fputs(r.err.c_str(), stderr);
    return write_output("", r.out) ? r.exit_code : 2;
  }

  std::optional<Schema> schema;
  if (check->parsed() && !schema_paths.empty()) {
    auto levels = read_levels(schema_paths);
    if (schema_errors.empty()) schema = load_schema_files(sources, levels, schema_errors);
    for (const auto& n : schema ? schema->notes : std::vector<SchemaNote>{}) {
      std::fprintf(stderr, "%s: note: %s\n", location_string(sources, n.span, {}).c_str(), n.message.c_str());
    }
  }

  LoadResult loaded = load_all(ctx);
  std::vector<Error> errors = std::move(loaded.errors);
  for (auto& e : schema_errors) errors.push_back(std::move(e));
  sort_errors(errors, sources);

  if (tags->parsed()) {
    std::string text = opts.format == "json" ? render_tags_json(sources, loaded.resources, errors)
                                             : render_tags_text(sources, loaded.resources, errors);
    if (!write_output(opts.output, text)) return 2;
    return errors.empty() ? 0 : 2;
  }

  RuleContext rctx;
  rctx.schema = schema ? &*schema : nullptr;
  std::vector<Finding> findings;
  // A schema that could not be read is an error: checking without it would report a
  // misleadingly clean run.
  if (schema_paths.empty() || schema) findings = run_rules(rctx, loaded.resources);
  for (auto& f : loaded.findings) findings.push_back(std::move(f));
  sort_findings(findings, sources);

  std::size_t checked = 0;
  for (const auto& r : loaded.resources) checked += r.taggable != Taggable::kNo ? 1 : 0;
  ReportInput in{sources, findings, errors, checked, kVersion};
  std::string text;
  if (opts.format == "json") text = render_json(in);
  else if (opts.format == "sarif") text = render_sarif(in);
  else if (opts.format == "github") text = render_github(in);
  else text = render_text(in);
  if (!write_output(opts.output, text)) return 2;
  // With --output or a machine format on stdout, still tell a human about input errors.
  if (opts.format != "text" || !opts.output.empty()) {
    for (const auto& e : errors) {
      std::fprintf(stderr, "%s: error: %s\n", location_string(sources, e.span, e.file_hint).c_str(), e.message.c_str());
    }
  }
  if (!errors.empty()) return 2;
  auto threshold = parse_level(fail_level).value_or(Level::kError);
  for (const auto& f : findings) {
    if (at_or_above(f.level, threshold)) return 1;
  }
  return 0;
}

}  // namespace
}  // namespace tagwarden

int main(int argc, char** argv) {
  try {
    return tagwarden::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tagwarden: internal error (a bug, please report it): %s\n", e.what());
    return 3;
  } catch (...) {
    std::fprintf(stderr, "tagwarden: internal error (a bug, please report it)\n");
    return 3;
  }
}
