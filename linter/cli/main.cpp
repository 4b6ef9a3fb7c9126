// The command line: the only place that touches stdout, stderr, the environment, the files a
// run writes and exit codes. Exit codes: 0 nothing at or above --fail-level; 1 findings at or
// above it; 2 an input, the schema or an output could not be processed; 3 internal error.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "linter/cli/build_info.hpp"
#include "linter/cli/cli_support.hpp"
#include "linter/engine/check.hpp"
#include "linter/policy/schema_loader.hpp"
#include "linter/report/formats.hpp"
#include "rules/rule.hpp"

extern char** environ;

namespace tagwarden {
namespace {

std::optional<std::pair<std::string, std::string>> split_assignment(const std::string& s) {
  auto eq = s.find('=');
  if (eq == std::string::npos || eq == 0) return std::nullopt;
  return std::make_pair(s.substr(0, eq), s.substr(eq + 1));
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

struct CommonOptions {
  std::vector<std::string> paths;
  std::vector<std::string> vars, var_files, parameters, parameter_files, stack_tags, stack_tag_files;
  bool env_provider_tags = false;
  unsigned jobs = 0;
  std::string format = "text";
  std::vector<std::string> outputs;
  std::string source_root;
  std::string color = "auto";
};

/// A repeatable option that takes exactly one value per occurrence, so it never swallows the
/// paths after it (`--var-file=x.tfvars main.tf`).
CLI::Option* add_repeatable(CLI::App* cmd, const std::string& name, std::vector<std::string>& into, const std::string& help) {
  return cmd->add_option(name, into, help)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_input_options(CLI::App* cmd, CommonOptions& o, bool check) {
  cmd->add_option("paths", o.paths, check ? "Files or directories to read (default: .); with --changed, the changed files"
                                          : "Files or directories to read (default: .)");
  add_repeatable(cmd, "--var", o.vars, "Terraform root variable NAME=VALUE (repeatable; last wins)");
  add_repeatable(cmd, "--var-file", o.var_files, "Terraform variable definitions file (repeatable, in order)");
  cmd->add_flag("--env-provider-tags", o.env_provider_tags,
                "Apply TF_AWS_DEFAULT_TAGS_<key>, TF_AWS_IGNORE_TAGS_KEYS and TF_AWS_IGNORE_TAGS_KEY_PREFIXES from the environment");
  add_repeatable(cmd, "--parameter", o.parameters,
                 "CloudFormation parameter NAME=VALUE, also pseudo parameters such as AWS::Region; TEMPLATE:NAME=VALUE "
                 "gives it to one template only");
  add_repeatable(cmd, "--parameters", o.parameter_files,
                 "JSON/YAML file of CloudFormation parameter values as create-stack --parameters or deploy "
                 "--parameter-overrides take them; TEMPLATE:FILE gives them to one template only");
  add_repeatable(cmd, "--stack-tag", o.stack_tags, "CloudFormation/CDK stack tag KEY=VALUE applied to every resource (repeatable)");
  add_repeatable(cmd, "--stack-tags", o.stack_tag_files, "JSON file of stack tags ([{\"Key\":..,\"Value\":..}], {\"K\":\"V\"} or [\"K=V\"])");
  cmd->add_option("-j,--jobs", o.jobs, "Worker threads (default: one per core)")->allow_extra_args(false);
  add_repeatable(cmd, "-o,--output", o.outputs,
                 "Write a report to FILE (- for standard output) in FORMAT (default: --format); repeatable: one run, several reports");
  cmd->add_option("--source-root", o.source_root,
                  "Folder that SARIF and GitHub paths are relative to (default: the git top level, else the current folder)")
      ->allow_extra_args(false);
  cmd->add_option("--color", o.color, "Colour on a terminal: auto (default; off when NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->allow_extra_args(false);
}

/// The working directory, absolute with forward slashes.
std::string working_directory() {
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  return ec ? std::string() : path_normalize(cwd.generic_string());
}

/// --source-root, else the git top level above the working directory, else the working
/// directory; absolute.
std::string source_root(const CommonOptions& o, const std::string& cwd) {
  if (!o.source_root.empty()) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(o.source_root, ec);
    return path_normalize(ec ? o.source_root : abs.generic_string());
  }
  std::vector<std::string> ceilings;
  std::stringstream ss(env("GIT_CEILING_DIRECTORIES"));
  for (std::string c; std::getline(ss, c, ':');)
    if (!c.empty()) ceilings.push_back(path_normalize(c));
  std::string top = find_git_top_level(cwd, ceilings);
  return top.empty() ? cwd : top;
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
  ro.parameter_files = o.parameter_files;
  ro.stack_tag_files = o.stack_tag_files;
  ro.env_provider_tags = o.env_provider_tags;
  ro.jobs = o.jobs;
  ro.working_directory = working_directory();
  if (o.env_provider_tags) {
    for (char** e = environ; e && *e; ++e) {
      std::string s(*e);
      if (s.rfind("TF_AWS_", 0) != 0) continue;
      if (auto kv = split_assignment(s)) ro.env[kv->first] = kv->second;
    }
  }
  return ok;
}

/// Writes `text` to standard output or a file; false (with a message) when any byte did not
/// make it, including a full disk or a closed pipe on standard output.
bool write_output(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::size_t n = std::fwrite(text.data(), 1, text.size(), stdout);
    if (std::fflush(stdout) != 0 || n != text.size() || std::ferror(stdout)) {
      std::fprintf(stderr, "tagwarden: cannot write the report to standard output\n");
      return false;
    }
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::fprintf(stderr, "tagwarden: cannot write %s\n", path.c_str());
    return false;
  }
  return true;
}

/// Colour for the text format: only on a terminal, never with NO_COLOR set to anything
/// non-empty (no-color.org) or TERM=dumb, unless --color always.
bool use_color(const std::string& mode, const std::string& path) {
  if (mode == "never") return false;
  if (mode == "always") return true;
  if (!(path.empty() || path == "-") || !isatty(STDOUT_FILENO)) return false;
  return env("NO_COLOR").empty() && env("TERM") != "dumb";
}

/// "checking... 3s" on stderr while a run takes longer than a second and stderr is a terminal;
/// the line is erased when the run ends.
class Progress {
 public:
  explicit Progress(bool enabled) {
    if (!enabled) return;
    thread_ = std::thread([this] {
      auto start = std::chrono::steady_clock::now();
      std::unique_lock<std::mutex> lock(mu_);
      bool shown = false;
      while (!cv_.wait_for(lock, std::chrono::milliseconds(250), [this] { return done_; })) {
        auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count();
        if (secs < 1) continue;
        std::fprintf(stderr, "\rtagwarden: checking... %llds", static_cast<long long>(secs));
        std::fflush(stderr);
        shown = true;
      }
      if (shown) std::fprintf(stderr, "\r\x1b[K");
    });
  }
  ~Progress() { stop(); }
  void stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool done_ = false;
};

/// With --output files or a machine format on stdout, still tell a human about input errors.
void report_errors_on_stderr(bool text_on_stdout, const SourceManager& sources, const std::vector<Error>& errors) {
  if (text_on_stdout) return;
  for (const auto& e : errors) {
    std::fprintf(stderr, "%s: error: %s\n", location_string(sources, e.span, e.file_hint).c_str(), e.message.c_str());
  }
}

std::string version_text() {
  std::string v = fmt::format("tagwarden {}", build::kVersion);
  if (*build::kGitDescribe) v += fmt::format(" ({})", build::kGitDescribe);
  return v;
}

/// "did you mean": mistyped subcommands and options get a suggestion instead of CLI11's
/// generic message. Returns false (after printing) when the command line has such a word.
bool check_spelling(int argc, char** argv, CLI::App& app) {
  std::vector<std::string> subcommands;
  for (const auto* sc : app.get_subcommands([](const CLI::App*) { return true; })) subcommands.push_back(sc->get_name());
  int first = 1;
  while (first < argc && argv[first][0] == '-') ++first;  // --help, --version
  if (first >= argc) return true;
  std::string word = argv[first];
  CLI::App* cmd = nullptr;
  for (auto* sc : app.get_subcommands([](const CLI::App*) { return true; }))
    if (sc->get_name() == word) cmd = sc;
  if (cmd == nullptr) {
    auto guess = closest_match(word, subcommands);
    std::fprintf(stderr, "tagwarden: no command '%s'%s (commands: check, tags, rules)\n", word.c_str(),
                 guess ? fmt::format("; did you mean '{}'?", *guess).c_str() : "");
    return false;
  }
  std::vector<std::string> names{"--help"};
  for (const auto* opt : cmd->get_options()) {
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  }
  for (int i = first + 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a.rfind("--", 0) != 0) continue;
    std::string name = a.substr(0, a.find('='));
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    auto guess = closest_match(name, names);
    std::fprintf(stderr, "tagwarden %s: no option '%s'%s (see tagwarden %s --help)\n", word.c_str(), name.c_str(),
                 guess ? fmt::format("; did you mean '{}'?", *guess).c_str() : "", word.c_str());
    return false;
  }
  return true;
}

/// Without a schema, which rules ran (stderr, so reports stay clean).
void note_checks_without_schema() {
  std::vector<std::string> ran, skipped;
  for (const auto& r : all_rules()) (r.needs_schema ? skipped : ran).push_back(std::string(r.id));
  std::fprintf(stderr, "tagwarden: no --schema given: ran AWS's own tag rules (%s); %s need a schema\n",
               fmt::format("{}", fmt::join(ran, ", ")).c_str(), fmt::format("{}", fmt::join(skipped, ", ")).c_str());
}

int run(int argc, char** argv) {
  CLI::App app{"tagwarden: a static linter for cloud resource tags in Terraform, CloudFormation, SAM and CDK output.", "tagwarden"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  CommonOptions check_opts, tags_opts;
  std::vector<std::string> schema_paths;
  std::string fail_level = "error", diff_path, sarif_category = "tagwarden";
  bool changed = false;
  std::size_t max_sarif_notes = 1000, max_annotations = 10;
  auto* check = app.add_subcommand("check", "Check the effective tags of every resource against a schema and AWS's tag rules");
  add_input_options(check, check_opts, true);
  add_repeatable(check, "--schema", schema_paths,
                 "Tag schema (YAML or JSON, version 1), AWS Organizations tag policy or ListRequiredTags response; for "
                 "tag policies, repeat it per level of the organization (root first) and comma-join the policies attached "
                 "to one level; without it only AWS's own rules apply");
  std::string format_help = "Output format: ";
  for (const auto& f : output_formats())
    if (f.render_check) format_help += fmt::format("\n  {:<9}{}", f.name, f.description);
  check->add_option("--format", check_opts.format, format_help)
      ->check(CLI::IsMember(output_format_names(false)))
      ->allow_extra_args(false);
  check->add_option("--fail-level", fail_level, "Exit 1 when a finding is at or above this level")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}))
      ->allow_extra_args(false);
  check->add_flag("--changed", changed,
                  "PATHs are changed files (a pre-commit hook, a pull request): check the root modules, templates and "
                  "assemblies they belong to, found under --source-root, and report the findings in those files");
  check->add_option("--diff", diff_path,
                    "Unified diff of the change (git diff output): github and markdown reports list findings on changed lines first")
      ->allow_extra_args(false);
  check->add_option("--max-sarif-notes", max_sarif_notes, "SARIF: keep at most N notes, counting the rest in a notification (default 1000)")
      ->allow_extra_args(false);
  check->add_option("--sarif-category", sarif_category,
                    "SARIF automationDetails category, to tell several tagwarden uploads apart (default tagwarden)")
      ->allow_extra_args(false);
  check->add_option("--max-annotations", max_annotations,
                    "github: annotations per level (GitHub shows 10 errors, 10 warnings and 10 notices per step; default 10)")
      ->allow_extra_args(false);

  auto* tags = app.add_subcommand("tags", "Print the effective tag set of every resource, with where each tag came from");
  add_input_options(tags, tags_opts, false);
  tags->add_option("--format", tags_opts.format, "Output format")
      ->check(CLI::IsMember(output_format_names(true)))
      ->allow_extra_args(false);

  std::string explain;
  auto* rules = app.add_subcommand("rules", "List the rules, or print one rule's documentation");
  rules->add_option("--explain", explain, "Rule id or name, in any letter case (TW001, tw001, missing-required-tag)");

  std::vector<std::string> policy_files;
  auto* policy = app.add_subcommand("policy", "AWS Organizations tag policies offline (FILE: one level of the organization each, "
                                              "root first; comma-join the policies attached to one level)");
  policy->require_subcommand(1);
  auto* effective = policy->add_subcommand("effective", "Print the effective tag policy, as AWS displays it");
  effective->add_option("files", policy_files, "Tag policy files")->required();
  auto* policy_lint = policy->add_subcommand("lint", "Report what AWS would reject in tag policies, or what surprises their authors");
  policy_lint->add_option("files", policy_files, "Tag policy files")->required();

  if (!check_spelling(argc, argv, app)) return 2;
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
        std::vector<std::string> names;
        for (const auto& x : all_rules()) names.emplace_back(x.name);
        auto guess = closest_match(explain, names);
        std::fprintf(stderr, "tagwarden: no rule '%s'%s (see `tagwarden rules`)\n", explain.c_str(),
                     guess ? fmt::format("; did you mean '{}'?", *guess).c_str() : "");
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

  if (policy->parsed()) {
    SourceManager sources;
    CommandOutput r = run_policy_command(effective->parsed() ? PolicyCommand::kEffective : PolicyCommand::kLint,
                                         policy_files, sources, *make_disk_reader());
    std::fputs(r.err.c_str(), stderr);
    return write_output("", r.out) ? r.exit_code : 2;
  }

  const bool is_check = check->parsed();
  const CommonOptions& opts = is_check ? check_opts : tags_opts;
  RunOptions ro;
  if (!build_run_options(opts, ro)) return 2;
  const std::string cwd = ro.working_directory;
  const std::string root = source_root(opts, cwd);

  // Every report this run writes: --output FILE[:FORMAT]..., else --format on stdout.
  std::vector<OutputSpec> outputs;
  std::vector<std::string> formats = output_format_names(!is_check);
  for (const auto& o : opts.outputs) outputs.push_back(parse_output_spec(o, formats, opts.format));
  if (outputs.empty()) outputs.push_back({"-", opts.format});
  for (const auto& o : outputs) {
    if (std::find(formats.begin(), formats.end(), o.format) == formats.end()) {
      std::fprintf(stderr, "tagwarden: --output %s: no %s format '%s' (formats: %s)\n", o.path.c_str(), is_check ? "check" : "tags",
                   o.format.c_str(), fmt::format("{}", fmt::join(formats, ", ")).c_str());
      return 2;
    }
  }
  bool text_on_stdout = false;
  for (const auto& o : outputs) text_on_stdout |= (o.path == "-" && o.format == "text");

  SourceManager sources;
  auto reader = make_disk_reader();
  Progress progress(isatty(STDERR_FILENO) != 0);

  if (!is_check) {
    TagsResult result = run_tags(ro, sources, *reader);
    progress.stop();
    bool written = true;
    for (const auto& o : outputs) written &= write_output(o.path, find_output_format(o.format)->render_tags(sources, result.resources, result.errors));
    report_errors_on_stderr(text_on_stdout, sources, result.errors);
    if (!written) return 2;
    return errors_exit_code(result.errors);
  }

  ReportOptions report;
  report.working_directory = cwd;
  report.source_root = root;
  // GitHub resolves annotation paths against the workspace (the checkout).
  std::string workspace = env("GITHUB_WORKSPACE");
  if (!workspace.empty()) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(workspace, ec);
    report.annotation_root = path_normalize(ec ? workspace : abs.generic_string());
  }
  report.max_sarif_notes = max_sarif_notes;
  report.automation_id = sarif_category + "/";
  report.annotations_per_level = max_annotations;
  report.repository_url = build::kRepositoryUrl;
  report.repository_ref = *build::kGitCommit ? build::kGitCommit : fmt::format("v{}", build::kVersion);
  if (!env("GITHUB_SERVER_URL").empty() && !env("GITHUB_REPOSITORY").empty() && !env("GITHUB_SHA").empty()) {
    report.link_base = fmt::format("{}/{}/blob/{}/", env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY"), env("GITHUB_SHA"));
  }
  ChangedLines changed_lines;
  if (!diff_path.empty()) {
    std::ifstream in(diff_path, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "tagwarden: cannot read --diff %s\n", diff_path.c_str());
      return 2;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    changed_lines = parse_unified_diff(buf.str());
    report.changed_lines = &changed_lines;
  }

  CheckOptions co;
  co.run = std::move(ro);
  if (changed) {
    co.run.changed_files = co.run.paths;
    co.run.source_root = root == cwd ? "." : display_path(root);
  }
  co.schema_paths = schema_paths;
  co.fail_level = parse_level(fail_level).value_or(Level::kError);
  CheckResult result = run_check(co, sources, *reader);
  progress.stop();
  for (const auto& n : result.schema_notes) {
    std::fprintf(stderr, "%s: note: %s\n", location_string(sources, n.span, {}).c_str(), n.message.c_str());
  }

  bool written = true;
  for (const auto& o : outputs) {
    ReportInput in{sources, result.findings, result.errors, result.summary, build::kVersion, report};
    in.options.color = o.format == "text" && use_color(opts.color, o.path);
    written &= write_output(o.path, find_output_format(o.format)->render_check(in));
  }
  report_errors_on_stderr(text_on_stdout, sources, result.errors);
  if (!result.schema_given) note_checks_without_schema();
  if (changed) {
    for (const auto& f : result.not_checked)
      std::fprintf(stderr, "tagwarden: %s: not part of a Terraform root module, template or cloud assembly; not checked\n", f.c_str());
    if (result.inputs_in_scope == 0 && result.errors.empty())
      std::fprintf(stderr, "tagwarden: nothing to check: no changed file belongs to a Terraform root module, template or cloud assembly\n");
  } else if (result.summary.resources_checked == 0 && result.errors.empty() && result.findings.empty()) {
    std::fprintf(stderr, "tagwarden: nothing to check under %s: no taggable resources in Terraform, CloudFormation, SAM or CDK files\n",
                 fmt::format("{}", fmt::join(co.run.paths, ", ")).c_str());
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
