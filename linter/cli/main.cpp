// The command line: the only place that touches stdout, stderr, the environment and exit
// codes. Exit codes: 0 nothing at or above --fail-level; 1 findings at or above it; 2 an input
// or the schema could not be processed; 3 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "linter/config/config.hpp"
#include "linter/engine/check.hpp"
#include "linter/model/suppression.hpp"
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
  std::string config;
  bool no_config = false;
};

/// The `check` options that a configuration file can also set (flags win).
struct CheckFlags {
  std::string schema, fail_level, min_level, baseline, write_baseline, today;
  std::vector<std::string> select, extend_select, ignore, rule_levels;
  bool include_suppressed = false, no_inline_suppressions = false, fix = false;
};

/// "a,b" and repeated flags alike: every comma-separated item.
std::vector<std::string> split_list(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) {
    std::size_t start = 0;
    while (start <= s.size()) {
      std::size_t c = s.find(',', start);
      std::string item = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
      if (!item.empty()) out.push_back(item);
      if (c == std::string::npos) break;
      start = c + 1;
    }
  }
  return out;
}

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
  cmd->add_option("--config", o.config, "Configuration file (default: the nearest .tagwarden.yaml in this folder or a parent)");
  cmd->add_flag("--no-config", o.no_config, "Do not read a configuration file");
}

void print_errors(const SourceManager& sources, const std::vector<Error>& errors) {
  for (const auto& e : errors) {
    std::fprintf(stderr, "%s: error: %s\n", location_string(sources, e.span, e.file_hint).c_str(), e.message.c_str());
  }
}

/// Reads the configuration the options name or the nearest one; nullopt with none, or when it
/// cannot be read (then `errors` says why).
std::optional<Config> read_config(const CommonOptions& o, const std::string& cwd, const Reader& reader, SourceManager& sources,
                                  std::vector<Error>& errors) {
  if (o.no_config) return std::nullopt;
  std::optional<std::string> path;
  if (!o.config.empty()) {
    path = o.config;
  } else if (!cwd.empty()) {
    path = find_config(reader, cwd);
  }
  if (!path) return std::nullopt;
  RunOptions none;
  LoadContext ctx{none, sources, reader};
  FileId id = read_source(ctx, *path, errors);
  std::optional<Config> c;
  if (id != kNoFile) {
    // Paths in the file are relative to its folder: shown relative to the working directory,
    // globs anchored like RunOptions' (absolute).
    std::string dir = path_dirname(*path);
    std::string glob_dir = cwd.empty() ? dir : path_join(cwd, dir);
    if (!cwd.empty()) dir = path_relative(glob_dir, cwd);
    c = load_config(sources, id, dir, glob_dir, output_format_names(false), errors);
  }
  return c;
}

/// Today's date in the local time zone, YYYY-MM-DD (suppressions' `until`).
std::string local_date() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  if (localtime_r(&now, &tm) == nullptr) return {};
  char buf[16];
  if (std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0) return {};
  return buf;
}

bool build_run_options(const CommonOptions& o, const std::optional<Config>& config, RunOptions& ro) {
  ro.paths = !o.paths.empty() ? o.paths : config && !config->paths.empty() ? config->paths : std::vector<std::string>{"."};
  if (config) {
    ro.exclude = config->exclude;
    ro.root_inputs = config->roots;
  }
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

/// With --output or a machine format on stdout, still tell a human about input errors.
void report_errors_on_stderr(const CommonOptions& opts, const SourceManager& sources, const std::vector<Error>& errors) {
  if (opts.format == "text" && opts.output.empty()) return;
  print_errors(sources, errors);
}

/// Turns the flags and the configuration into CheckOptions (flags win; lists that extend,
/// --extend-select, --ignore and --rule-level, add to the file's). False on a bad flag.
bool build_check_options(const CheckFlags& f, const std::optional<Config>& config, CheckOptions& co) {
  bool ok = true;
  auto bad = [&](const std::string& message) {
    std::fprintf(stderr, "tagwarden: %s\n", message.c_str());
    ok = false;
  };
  co.schema_path = !f.schema.empty() ? f.schema : config && config->schema ? *config->schema : std::string();
  auto selectors = [&](const std::vector<std::string>& raw) {
    std::vector<std::string> out = split_list(raw);
    for (const auto& s : out) {
      if (auto problem = check_selector(s)) bad(*problem);
    }
    return out;
  };
  if (config) {
    if (config->select) co.selection.select = *config->select;
    co.selection.extend_select = config->extend_select;
    co.selection.ignore = config->ignore;
    co.selection.levels = config->rule_levels;
  }
  if (!f.select.empty()) co.selection.select = selectors(f.select);
  for (auto& s : selectors(f.extend_select)) co.selection.extend_select.push_back(s);
  for (auto& s : selectors(f.ignore)) co.selection.ignore.push_back(s);
  for (const auto& item : split_list(f.rule_levels)) {
    auto kv = split_assignment(item);
    auto level = kv ? parse_level(kv->second) : std::nullopt;
    if (!kv || !level || *level == Level::kNone) {
      bad(fmt::format("--rule-level expects RULE=error|warning|note, got '{}'", item));
      continue;
    }
    if (auto problem = check_selector(kv->first)) bad(*problem);
    co.selection.levels.emplace_back(kv->first, *level);
  }
  co.fail_level = !f.fail_level.empty() ? parse_level(f.fail_level).value_or(Level::kError)
                  : config && config->fail_level ? *config->fail_level
                                                  : Level::kError;
  co.min_level = !f.min_level.empty() ? parse_level(f.min_level).value_or(Level::kNote)
                 : config && config->min_level ? *config->min_level
                                               : Level::kNote;
  co.inline_suppressions = !f.no_inline_suppressions;
  co.baseline_path = !f.baseline.empty() ? f.baseline : config && config->baseline ? *config->baseline : std::string();
  co.write_baseline_path = f.write_baseline;
  co.today = f.today.empty() ? local_date() : f.today;
  if (!f.today.empty() && !is_iso_date(f.today)) bad(fmt::format("--today expects a date YYYY-MM-DD, got '{}'", f.today));
  return ok;
}

int run(int argc, char** argv) {
  CLI::App app{"tagwarden: a static linter for cloud resource tags in Terraform, CloudFormation, SAM and CDK output.", "tagwarden"};
  app.set_version_flag("--version", kVersion);
  app.require_subcommand(1);

  CommonOptions check_opts, tags_opts;
  CheckFlags cf;
  auto* check = app.add_subcommand("check", "Check the effective tags of every resource against a schema and AWS's tag rules");
  add_input_options(check, check_opts);
  check->add_option("--schema", cf.schema, "Tag schema file (YAML or JSON, version 1); without it only AWS's own rules apply");
  check->add_option("--format", check_opts.format, "Output format")->check(CLI::IsMember(output_format_names(false)));
  check->add_option("--fail-level", cf.fail_level, "Exit 1 when a finding is at or above this level (default: error)")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}));
  check->add_option("--min-level", cf.min_level, "Show only findings at or above this level (default: note)")
      ->check(CLI::IsMember({"error", "warning", "note"}));
  auto rules_option = [&](const char* name, std::vector<std::string>& into, const char* help) {
    check->add_option(name, into, help)->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  };
  rules_option("--select", cf.select, "Report only these rules: ids, names, id prefixes or ALL (comma-separated, repeatable; replaces the config's)");
  rules_option("--extend-select", cf.extend_select, "Report these rules too (adds to --select)");
  rules_option("--ignore", cf.ignore, "Do not report these rules (the more specific of select and ignore wins)");
  rules_option("--rule-level", cf.rule_levels, "Report a rule at another level: RULE=error|warning|note (repeatable)");
  check->add_option("--baseline", cf.baseline, "Report only findings that are not in this baseline file");
  check->add_option("--write-baseline", cf.write_baseline, "Record today's findings in FILE (then report as with --baseline FILE)");
  check->add_flag("--include-suppressed", cf.include_suppressed,
                  "Also show suppressed and baselined findings (SARIF `suppressions`, JSON `suppressed`)");
  check->add_flag("--no-inline-suppressions", cf.no_inline_suppressions, "Ignore every inline suppression (for audits)");
  check->add_flag("--fix", cf.fix, "Print the safe fixes as a unified diff instead of the report (files are not changed)");
  check->add_option("--today", cf.today, "The date suppressions' `until` is compared with, YYYY-MM-DD (default: today)");

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
  SourceManager sources;
  auto reader = make_disk_reader();
  std::error_code ec;
  auto cwd_path = std::filesystem::current_path(ec);
  std::string cwd = ec ? std::string() : cwd_path.generic_string();
  std::vector<Error> config_errors;
  std::optional<Config> config = read_config(opts, cwd, *reader, sources, config_errors);
  if (!config_errors.empty() && format != nullptr) {
    // A configuration that cannot be read decides nothing: report why, check nothing.
    sort_errors(config_errors, sources);
    std::vector<Finding> none;
    std::string report = check->parsed() ? format->render_check(ReportInput{sources, none, config_errors, RunSummary{}, kVersion})
                                         : format->render_tags(sources, {}, config_errors);
    write_output(opts.output, report);
    report_errors_on_stderr(opts, sources, config_errors);
    return 2;
  }
  RunOptions ro;
  ro.working_directory = cwd;
  if (!build_run_options(opts, config, ro) || format == nullptr) return 2;

  if (tags->parsed()) {
    TagsResult result = run_tags(ro, sources, *reader);
    if (!write_output(opts.output, format->render_tags(sources, result.resources, result.errors))) return 2;
    report_errors_on_stderr(opts, sources, result.errors);
    return errors_exit_code(result.errors);
  }

  CheckOptions co;
  co.run = std::move(ro);
  if (!build_check_options(cf, config, co)) return 2;
  CheckResult result = run_check(co, sources, *reader);
  bool written = true;
  if (!co.write_baseline_path.empty()) written = write_output(co.write_baseline_path, result.baseline_text);
  ReportInput in{sources, result.findings, result.errors, result.summary, kVersion,
                 cf.include_suppressed ? &result.suppressed : nullptr};
  if (cf.fix) {
    written = write_output("", render_fix_diff(sources, result.findings)) && written;
    print_errors(sources, result.errors);
  } else {
    written = write_output(opts.output, format->render_check(in)) && written;
    report_errors_on_stderr(opts, sources, result.errors);
  }
  // The configuration's reports, unless --output names where the report goes.
  if (config && opts.output.empty()) {
    for (const auto& o : config->outputs) {
      if (const OutputFormat* of = find_output_format(o.format); of && of->render_check)
        written = write_output(o.path, of->render_check(in)) && written;
    }
  }
  if (!written) return 2;
  return exit_code(result, co.fail_level);
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
