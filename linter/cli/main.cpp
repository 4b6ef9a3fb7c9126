// The command line: the only place that touches stdout, stderr, the environment and exit
// codes. Exit codes: 0 nothing at or above --fail-level; 1 findings at or above it; 2 an input
// or the schema could not be processed; 3 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "linter/engine/check.hpp"
#include "linter/report/formats.hpp"
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

/// Writes the report. A write that fails (a full disk, a closed pipe, an unwritable --output)
/// is an error: the caller exits 2, never 0 as if the report had been delivered.
bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    bool ok = std::fwrite(text.data(), 1, text.size(), stdout) == text.size();
    ok = std::fflush(stdout) == 0 && ok && !std::ferror(stdout);
    if (!ok) std::fprintf(stderr, "tagwarden: cannot write the report to standard output: %s\n", std::strerror(errno));
    return ok;
  }
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "tagwarden: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fflush(f) == 0 && ok && !std::ferror(f);
  int saved = errno;
  ok = std::fclose(f) == 0 && ok;
  if (!ok) std::fprintf(stderr, "tagwarden: cannot write %s: %s\n", path.c_str(), std::strerror(saved ? saved : errno));
  return ok;
}

/// With --output or a machine format on stdout, still tell a human about input errors.
void report_errors_on_stderr(const CommonOptions& opts, const SourceManager& sources, const std::vector<Error>& errors) {
  if (opts.format == "text" && opts.output.empty()) return;
  for (const auto& e : errors) {
    std::fprintf(stderr, "%s: error: %s\n", location_string(sources, e.span, e.file_hint).c_str(), e.message.c_str());
  }
}

int run(int argc, char** argv) {
  CLI::App app{"tagwarden: a static linter for cloud resource tags in Terraform, CloudFormation, SAM and CDK output.", "tagwarden"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  CommonOptions check_opts, tags_opts;
  std::string schema_path, fail_level = "error";
  auto* check = app.add_subcommand("check", "Check the effective tags of every resource against a schema and AWS's tag rules");
  add_input_options(check, check_opts);
  check->add_option("--schema", schema_path, "Tag schema file (YAML or JSON, version 1); without it only AWS's own rules apply");
  check->add_option("--format", check_opts.format, "Output format")->check(CLI::IsMember(output_format_names(false)));
  check->add_option("--fail-level", fail_level, "Exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}));

  auto* tags = app.add_subcommand("tags", "Print the effective tag set of every resource, with where each tag came from");
  add_input_options(tags, tags_opts);
  tags->add_option("--format", tags_opts.format, "Output format")->check(CLI::IsMember(output_format_names(true)));

  std::string explain;
  auto* rules = app.add_subcommand("rules", "List the rules, or print one rule's documentation");
  rules->add_option("--explain", explain, "Rule id or name (TW001, missing-required-tag)");

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
  const OutputFormat* format = find_output_format(opts.format);
  RunOptions ro;
  if (!build_run_options(opts, ro) || format == nullptr) return 2;
  SourceManager sources;
  auto reader = make_disk_reader();

  if (tags->parsed()) {
    TagsResult result = run_tags(ro, sources, *reader);
    if (!write_output(opts.output, format->render_tags(sources, result.resources, result.errors))) return 2;
    report_errors_on_stderr(opts, sources, result.errors);
    return errors_exit_code(result.errors);
  }

  CheckOptions co;
  co.run = std::move(ro);
  co.schema_path = schema_path;
  co.fail_level = parse_level(fail_level).value_or(Level::kError);
  CheckResult result = run_check(co, sources, *reader);
  ReportInput in{sources, result.findings, result.errors, result.summary, kVersion};
  if (!write_output(opts.output, format->render_check(in))) return 2;
  report_errors_on_stderr(opts, sources, result.errors);
  return exit_code(result, co.fail_level);
}

}  // namespace
}  // namespace tagwarden

int main(int argc, char** argv) {
  // A reader that goes away (`tagwarden check | head`) makes writes fail with EPIPE, reported
  // as a write error (exit 2), instead of killing the process with SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
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
