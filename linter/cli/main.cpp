// The command line: the only place that touches stdout, stderr, the environment, the files a
// run writes and exit codes. Exit codes: 0 nothing at or above --fail-level; 1 findings at or
// above it; 2 an input, the schema or an output could not be processed; 3 internal error.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "linter/cli/build_info.hpp"
#include "linter/cli/cli_support.hpp"
#include "linter/config/config.hpp"
#include "linter/engine/check.hpp"
#include "linter/engine/dry_run.hpp"
#include "linter/model/suppression.hpp"
#include "linter/model/text.hpp"
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
  bool force_exclude = false;
  unsigned jobs = 0;
  std::string format = "text";
  std::vector<std::string> outputs;
  std::string source_root;
  std::string color = "auto";
  std::string config;
  bool no_config = false;
};

/// The `check` options that a configuration file can also set (flags win), and the ones about
/// suppressions, baselines and fixes.
struct CheckFlags {
  std::string fail_level, min_level, baseline, write_baseline, today;
  std::vector<std::string> schemas, select, extend_select, ignore, rule_levels;
  bool include_suppressed = false, no_inline_suppressions = false, fix = false, no_cache = false;
};

/// The folder for files that only save time: $XDG_CACHE_HOME/tagwarden/cache/VERSION (else
/// ~/.cache/...), one per build so no version reads another's; empty without a home.
std::string cache_dir() {
  std::string base = env("XDG_CACHE_HOME");
  if (base.empty() || base[0] != '/') {
    std::string home = env("HOME");
    if (home.empty()) return {};
    base = path_join(home, ".cache");
  }
  std::string version = build::kVersion;
  if (*build::kGitCommit) version += "-" + std::string(build::kGitCommit).substr(0, 12);
  return path_join(base, "tagwarden/cache/" + version);
}

/// What tells this build apart for the result cache: the version and commit, and the executable
/// itself (a rebuild of the same commit with local changes is another build).
std::string build_identity() {
  std::string id = fmt::format("{}\n{}\n{}", build::kVersion, build::kGitDescribe, build::kGitCommit);
  struct stat st {};
  if (::stat("/proc/self/exe", &st) != 0) return {};  // unknown: no result cache
  return fmt::format("{}\n{}.{}.{}.{}", id, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ino);
}

/// "a,b" and repeated flags alike: every comma-separated item.
std::vector<std::string> split_list(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in)
    for (auto& item : split_nonempty(s, ',')) out.push_back(std::move(item));
  return out;
}

/// A repeatable option that takes exactly one value per occurrence, so it never swallows the
/// paths after it (`--var-file=x.tfvars main.tf`).
CLI::Option* add_repeatable(CLI::App* cmd, const std::string& name, std::vector<std::string>& into,
                            const std::string& help) {
  return cmd->add_option(name, into, help)
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void add_input_options(CLI::App* cmd, CommonOptions& o, bool check) {
  cmd->add_option("paths", o.paths,
                  check ? "Files or directories to read (default: .); with --changed, the changed files"
                        : "Files or directories to read (default: .)");
  cmd->add_flag("--force-exclude", o.force_exclude,
                "Apply the config's `exclude` to the PATHs named here too (a walk below them always applies it; "
                "--changed files always)");
  add_repeatable(cmd, "--var", o.vars, "Terraform root variable NAME=VALUE (repeatable; last wins)");
  add_repeatable(cmd, "--var-file", o.var_files, "Terraform variable definitions file (repeatable, in order)");
  cmd->add_flag("--env-provider-tags", o.env_provider_tags,
                "Apply TF_AWS_DEFAULT_TAGS_<key>, TF_AWS_IGNORE_TAGS_KEYS and TF_AWS_IGNORE_TAGS_KEY_PREFIXES from the "
                "environment");
  add_repeatable(cmd, "--parameter", o.parameters,
                 "CloudFormation parameter NAME=VALUE, also pseudo parameters such as AWS::Region; TEMPLATE:NAME=VALUE "
                 "gives it to one template only");
  add_repeatable(cmd, "--parameters", o.parameter_files,
                 "JSON/YAML file of CloudFormation parameter values as create-stack --parameters or deploy "
                 "--parameter-overrides take them; TEMPLATE:FILE gives them to one template only");
  add_repeatable(cmd, "--stack-tag", o.stack_tags,
                 "CloudFormation/CDK stack tag KEY=VALUE applied to every resource (repeatable)");
  add_repeatable(cmd, "--stack-tags", o.stack_tag_files,
                 "JSON file of stack tags ([{\"Key\":..,\"Value\":..}], {\"K\":\"V\"} or [\"K=V\"])");
  cmd->add_option("-j,--jobs", o.jobs, "Worker threads (default: one per core)")->allow_extra_args(false);
  add_repeatable(cmd, "-o,--output", o.outputs,
                 "Write a report to FILE (- for standard output) in FORMAT (default: --format); repeatable: one run, "
                 "several reports. An unknown FORMAT is an error; a FILE with ':' in its name takes FORMAT explicitly "
                 "(a:b:json)");
  cmd->add_option(
         "--source-root", o.source_root,
         "Folder that SARIF and GitHub paths are relative to (default: the git top level, else the current folder)")
      ->allow_extra_args(false);
  cmd->add_option("--color", o.color, "Colour on a terminal: auto (default; off when NO_COLOR is set), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->allow_extra_args(false);
  cmd->add_option("--config", o.config,
                  "Configuration file (default: the nearest .tagwarden.yaml in this folder or a parent)")
      ->allow_extra_args(false);
  cmd->add_flag("--no-config", o.no_config, "Do not read a configuration file");
}

/// Reads the configuration the options name or the nearest one; nullopt with none, or when it
/// cannot be read (then `errors` says why).
std::optional<Config> read_config(const CommonOptions& o, const std::string& cwd, const Reader& reader,
                                  SourceManager& sources, std::vector<Error>& errors) {
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
  if (id == kNoFile) return std::nullopt;
  // Paths in the file are relative to its folder: shown relative to the working directory,
  // globs anchored like RunOptions' (absolute).
  std::string dir = path_dirname(*path);
  std::string glob_dir = cwd.empty() ? dir : path_join(cwd, dir);
  if (!cwd.empty()) dir = path_relative(glob_dir, cwd);
  return load_config(sources, id, dir, glob_dir, output_format_names(false), errors);
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

/// The --output arguments (parse_output_spec); false, with the problem on stderr, for a
/// mistyped format.
bool parse_outputs(const std::vector<std::string>& args, const std::vector<std::string>& formats,
                   const std::string& default_format, std::vector<OutputSpec>& out) {
  auto exists = [](const std::string& p) {
    std::error_code ec;
    return std::filesystem::exists(p, ec);
  };
  for (const auto& a : args) {
    std::string error;
    auto spec = parse_output_spec(a, formats, default_format, exists, &error);
    if (!spec) {
      std::fprintf(stderr, "tagwarden: %s\n", error.c_str());
      return false;
    }
    out.push_back(std::move(*spec));
  }
  return true;
}

bool build_run_options(const CommonOptions& o, const std::optional<Config>& config, RunOptions& ro) {
  ro.paths = !o.paths.empty()                   ? o.paths
             : config && !config->paths.empty() ? config->paths
                                                : std::vector<std::string>{"."};
  if (config) {
    ro.exclude = config->exclude;
    ro.root_inputs = config->roots;
  }
  bool ok = true;
  auto pairs = [&](const std::vector<std::string>& in, std::vector<std::pair<std::string, std::string>>& out,
                   const char* flag) {
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
  ro.force_exclude = o.force_exclude;
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

/// Writes a report, piece by piece as `produce` hands them to its sink (a long report is never
/// held whole). A write that fails (a full disk, a closed pipe, an unwritable --output) is an
/// error: the caller exits 2, never 0 as if the report had been delivered.
bool write_report(const std::string& path, const std::function<void(const ReportSink&)>& produce) {
  const bool to_stdout = path.empty() || path == "-";
  std::FILE* f = to_stdout ? stdout : std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    std::fprintf(stderr, "tagwarden: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
    return false;
  }
  bool ok = true;
  int saved = 0;
  produce([&](std::string_view piece) {
    if (ok && std::fwrite(piece.data(), 1, piece.size(), f) != piece.size()) {
      ok = false;
      saved = errno;
    }
  });
  ok = std::fflush(f) == 0 && ok && !std::ferror(f);
  if (saved == 0) saved = errno;
  if (!to_stdout) ok = std::fclose(f) == 0 && ok;
  if (!ok) {
    std::fprintf(stderr, "tagwarden: cannot write %s: %s\n", to_stdout ? "the report to standard output" : path.c_str(),
                 std::strerror(saved ? saved : errno));
  }
  return ok;
}

bool write_output(const std::string& path, const std::string& text) {
  return write_report(path, [&](const ReportSink& out) { out(text); });
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

/// Turns the flags and the configuration into CheckOptions (flags win; lists that extend,
/// --extend-select, --ignore and --rule-level, add to the file's). False on a bad flag.
bool build_check_options(const CheckFlags& f, const std::optional<Config>& config, CheckOptions& co) {
  bool ok = true;
  auto bad = [&](const std::string& message) {
    std::fprintf(stderr, "tagwarden: %s\n", message.c_str());
    ok = false;
  };
  if (!f.schemas.empty()) {
    co.schema_paths = f.schemas;
  } else if (config) {
    co.schema_paths = config->schema;
  }
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
  co.fail_level = !f.fail_level.empty()          ? parse_level(f.fail_level).value_or(Level::kError)
                  : config && config->fail_level ? *config->fail_level
                                                 : Level::kError;
  co.min_level = !f.min_level.empty()          ? parse_level(f.min_level).value_or(Level::kNote)
                 : config && config->min_level ? *config->min_level
                                               : Level::kNote;
  co.inline_suppressions = !f.no_inline_suppressions;
  co.baseline_path = !f.baseline.empty() ? f.baseline : config && config->baseline ? *config->baseline : std::string();
  co.write_baseline_path = f.write_baseline;
  co.today = f.today.empty() ? local_date() : f.today;
  if (!f.today.empty() && !is_iso_date(f.today))
    bad(fmt::format("--today expects a date YYYY-MM-DD, got '{}'", f.today));
  return ok;
}

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

/// "did you mean": mistyped subcommands (at every level: `policy efective`) and options get a
/// suggestion instead of CLI11's generic message. Returns false (after printing) when the
/// command line has such a word.
bool check_spelling(int argc, char** argv, CLI::App& app) {
  auto any = [](const CLI::App*) { return true; };
  CLI::App* cmd = &app;
  std::string path;  // the commands named so far: " policy effective"
  int i = 1;
  for (auto subs = cmd->get_subcommands(any); !subs.empty(); subs = cmd->get_subcommands(any)) {
    int options = i;
    while (i < argc && argv[i][0] == '-') ++i;  // --help, --version
    std::vector<std::string> names;
    for (auto* sc : subs) names.push_back(sc->get_name());
    if (i >= argc) {
      if (i > options) return true;  // CLI11 answers --help and --version
      std::fprintf(stderr, "tagwarden%s: a command is required (commands: %s)\n", path.c_str(),
                   fmt::format("{}", fmt::join(names, ", ")).c_str());
      return false;
    }
    std::string word = argv[i];
    CLI::App* next = nullptr;
    for (auto* sc : subs)
      if (sc->get_name() == word) next = sc;
    if (next == nullptr) {
      auto guess = closest_match(word, names);
      std::fprintf(stderr, "tagwarden%s: no command '%s'%s (commands: %s)\n", path.c_str(), word.c_str(),
                   guess ? fmt::format("; did you mean '{}'?", *guess).c_str() : "",
                   fmt::format("{}", fmt::join(names, ", ")).c_str());
      return false;
    }
    cmd = next;
    path += " " + word;
    ++i;
  }
  std::vector<std::string> names{"--help"};
  for (const auto* opt : cmd->get_options()) {
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  }
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") break;
    if (a.rfind("--", 0) != 0) continue;
    std::string name = a.substr(0, a.find('='));
    if (std::find(names.begin(), names.end(), name) != names.end()) continue;
    auto guess = closest_match(name, names);
    std::fprintf(stderr, "tagwarden%s: no option '%s'%s (see tagwarden%s --help)\n", path.c_str(), name.c_str(),
                 guess ? fmt::format("; did you mean '{}'?", *guess).c_str() : "", path.c_str());
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

std::string render_coverage(const Coverage& c, const std::string& format) {
  if (format == "json") return render_coverage_json(c);
  if (format == "markdown") return render_coverage_markdown(c);
  return render_coverage_text(c);
}

/// `report --merge A.json B.json...`: the reports added up. Exit 2 when one cannot be read or
/// was made with other schema keys (the others are still added up).
int run_merge(const std::vector<std::string>& files, const std::vector<OutputSpec>& outputs) {
  if (files.empty()) {
    std::fprintf(stderr, "tagwarden report --merge: give the JSON reports to merge\n");
    return 2;
  }
  // Each report is named after its file (`payments.json` -> `payments`; the path without the
  // extension when two files share a name), so that its paths stay apart from the others'.
  auto stem = [](const std::string& f, bool whole) {
    std::string s = whole ? path_normalize(f) : path_basename(f);
    if (s.size() > 5 && s.ends_with(".json")) s.resize(s.size() - 5);
    return s;
  };
  std::map<std::string, int> stems;
  for (const auto& f : files) ++stems[stem(f, false)];
  std::optional<Coverage> total;
  bool ok = true;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream buf;
    buf << in.rdbuf();
    Coverage c;
    std::string why;
    if (!in) {
      why = "cannot be read";
    } else if (coverage_from_json(buf.str(), c, why)) {
      if (files.size() > 1) label_coverage(c, stem(f, stems[stem(f, false)] > 1));
      if (!total) {
        total = std::move(c);
        continue;
      }
      if (merge_coverage(*total, c, why)) continue;
    }
    std::fprintf(stderr, "tagwarden: %s: %s; left out of the merge\n", f.c_str(), why.c_str());
    ok = false;
  }
  if (!total) return 2;
  total->reports = std::max<std::size_t>(total->reports, 1);
  bool written = true;
  for (const auto& o : outputs) written &= write_output(o.path, render_coverage(*total, o.format));
  return written && ok ? (total->errors.empty() ? 0 : 2) : 2;
}

/// Ends a check or tags run without freeing what it built: the process exits right away, and
/// freeing a big estate's sources and findings one by one takes 5-10 ms of a 0.3 s run (clang's
/// -disable-free does the same). Every report was written, flushed and checked before this.
/// A build with AddressSanitizer returns normally, so that LeakSanitizer still sees runs end.
int exit_without_freeing(int code) {
#if defined(__SANITIZE_ADDRESS__)
  return code;
#else
  std::fflush(nullptr);
  std::_Exit(code);
#endif
}

int run(int argc, char** argv) {
  CLI::App app{"tagwarden: a static linter for cloud resource tags in Terraform, CloudFormation, SAM and CDK output.",
               "tagwarden"};
  app.set_version_flag("--version", version_text());
  app.require_subcommand(1);

  CommonOptions check_opts, tags_opts;
  CheckFlags cf;
  std::string diff_path, sarif_category = "tagwarden", tool_repository, tool_ref;
  bool changed = false;
  std::size_t max_sarif_notes = 1000, max_annotations = 10;
  auto* check =
      app.add_subcommand("check", "Check the effective tags of every resource against a schema and AWS's tag rules");
  add_input_options(check, check_opts, true);
  add_repeatable(
      check, "--schema", cf.schemas,
      "Tag schema (YAML or JSON, version 1), AWS Organizations tag policy or ListRequiredTags response; for "
      "tag policies, repeat it per level of the organization (root first) and comma-join the policies attached "
      "to one level; without it (and without a config file `schema`) only AWS's own rules apply");
  std::string format_help = "Output format: ";
  for (const auto& f : output_formats())
    if (f.write_check) format_help += fmt::format("\n  {:<9}{}", f.name, f.description);
  check->add_option("--format", check_opts.format, format_help)
      ->check(CLI::IsMember(output_format_names(false)))
      ->allow_extra_args(false);
  check->add_option("--fail-level", cf.fail_level, "Exit 1 when a finding is at or above this level (default: error)")
      ->check(CLI::IsMember({"error", "warning", "note", "none"}))
      ->allow_extra_args(false);
  check->add_option("--min-level", cf.min_level, "Show only findings at or above this level (default: note)")
      ->check(CLI::IsMember({"error", "warning", "note"}))
      ->allow_extra_args(false);
  add_repeatable(
      check, "--select", cf.select,
      "Report only these rules: ids, names, id prefixes or ALL (comma-separated, repeatable; replaces the config's)");
  add_repeatable(check, "--extend-select", cf.extend_select, "Report these rules too (adds to --select)");
  add_repeatable(check, "--ignore", cf.ignore,
                 "Do not report these rules (the more specific of select and ignore wins)");
  add_repeatable(check, "--rule-level", cf.rule_levels,
                 "Report a rule at another level: RULE=error|warning|note (repeatable)");
  check->add_option("--baseline", cf.baseline, "Report only findings that are not in this baseline file")
      ->allow_extra_args(false);
  check
      ->add_option("--write-baseline", cf.write_baseline,
                   "Record today's findings in FILE (- for standard output), then report as with --baseline FILE")
      ->allow_extra_args(false);
  check->add_flag("--include-suppressed", cf.include_suppressed,
                  "Also show suppressed and baselined findings (SARIF `suppressions`, JSON `suppressed`)");
  check->add_flag("--no-inline-suppressions", cf.no_inline_suppressions,
                  "Ignore every inline suppression (for audits)");
  check->add_flag(
      "--fix", cf.fix,
      "Print the safe fixes as a unified diff on standard output instead of a report there (files are not changed)");
  check->add_option("--today", cf.today, "The date suppressions' `until` is compared with, YYYY-MM-DD (default: today)")
      ->allow_extra_args(false);
  check->add_flag("--changed", changed,
                  "PATHs are changed files (a pre-commit hook, a pull request): check the root modules, templates and "
                  "assemblies they belong to, found under --source-root, and report the findings in those files");
  check->add_flag("--no-cache", cf.no_cache,
                  "Neither use nor keep anything in the cache folder ($XDG_CACHE_HOME/tagwarden, else "
                  "~/.cache/tagwarden): the result cache (each root module's, template's and assembly's findings, "
                  "and the whole run's, used again while every file it read is unchanged) and, with --changed in a git "
                  "work tree, which local modules each file calls and which folders call which");
  check
      ->add_option("--diff", diff_path,
                   "Unified diff of the change (git diff output): github and markdown reports list findings on changed "
                   "lines first")
      ->allow_extra_args(false);
  check
      ->add_option("--max-sarif-notes", max_sarif_notes,
                   "SARIF: keep at most N notes, counting the rest in a notification (default 1000)")
      ->allow_extra_args(false);
  check
      ->add_option("--tool-repository", tool_repository,
                   "SARIF: web address of the tagwarden repository this binary comes from (driver.informationUri; "
                   "rule helpUri URL/blob/REF/rules/NAME.md); default: the build's TAGWARDEN_REPOSITORY_URL, else none")
      ->allow_extra_args(false);
  check
      ->add_option("--tool-ref", tool_ref,
                   "SARIF: the tag or commit of that repository for rule helpUri (default: the build's commit, else "
                   "vVERSION)")
      ->allow_extra_args(false);
  check
      ->add_option("--sarif-category", sarif_category,
                   "SARIF automationDetails category, to tell several tagwarden uploads apart (default tagwarden)")
      ->allow_extra_args(false);
  check
      ->add_option(
          "--max-annotations", max_annotations,
          "github: annotations per level (GitHub shows 10 errors, 10 warnings and 10 notices per step; default 10)")
      ->allow_extra_args(false);

  auto* tags =
      app.add_subcommand("tags", "Print the effective tag set of every resource, with where each tag came from");
  add_input_options(tags, tags_opts, false);
  tags->add_option("--format", tags_opts.format, "Output format")
      ->check(CLI::IsMember(output_format_names(true)))
      ->allow_extra_args(false);

  std::string explain;
  auto* rules = app.add_subcommand("rules", "List the rules, or print one rule's documentation");
  rules->add_option("--explain", explain, "Rule id or name, in any letter case (TW001, tw001, missing-required-tag)");

  std::vector<std::string> policy_files;
  auto* policy = app.add_subcommand("policy",
                                    "AWS Organizations tag policies offline (FILE: one level of the organization each, "
                                    "root first; comma-join the policies attached to one level)");
  policy->require_subcommand(1);
  auto* effective = policy->add_subcommand("effective", "Print the effective tag policy, as AWS displays it");
  effective->add_option("files", policy_files, "Tag policy files")->required();
  auto* policy_lint =
      policy->add_subcommand("lint", "Report what AWS would reject in tag policies, or what surprises their authors");
  policy_lint->add_option("files", policy_files, "Tag policy files")->required();

  // Dry runs for schema authors: coverage of a schema over an estate, and two schemas compared.
  const std::vector<std::string> dry_run_formats{"text", "json", "markdown"};
  CommonOptions report_opts, diff_opts;
  std::vector<std::string> report_schema, group_by, old_schema, new_schema;
  bool merge = false;
  auto* report_cmd =
      app.add_subcommand("report",
                         "Coverage of a schema or tag policy over an estate: per key, resource type, root module "
                         "or stack, top-level folder and tag; the most common violations; failing resources");
  add_input_options(report_cmd, report_opts, false);
  add_repeatable(report_cmd, "--schema", report_schema,
                 "Tag schema, tag policy (one level per --schema, root first) or ListRequiredTags response "
                 "(default: the configuration file's schema)");
  add_repeatable(report_cmd, "--group-by", group_by,
                 "Also count by the value of this tag key (repeatable): --group-by Team");
  std::string cost_allocation_tags;
  report_cmd
      ->add_option("--cost-allocation-tags", cost_allocation_tags,
                   "JSON output of `aws ce list-cost-allocation-tags`: name the required keys not active for billing")
      ->allow_extra_args(false);
  report_cmd->add_flag(
      "--merge", merge,
      "PATHs are JSON reports (report --format json) of the same schema, one per repository: print them added up");
  report_cmd
      ->add_option("--format", report_opts.format, "Output format: text, json (the one --merge reads) or markdown")
      ->check(CLI::IsMember(dry_run_formats))
      ->allow_extra_args(false);
  auto* diff_cmd =
      app.add_subcommand("diff",
                         "What a new schema or tag policy would newly flag and newly accept compared with the "
                         "current one, over the same inputs; exit 1 when it adds findings");
  add_input_options(diff_cmd, diff_opts, false);
  add_repeatable(diff_cmd, "--old", old_schema, "The current schema (as --schema: repeat per tag policy level)")
      ->required();
  add_repeatable(diff_cmd, "--new", new_schema, "The proposed schema (as --schema: repeat per tag policy level)")
      ->required();
  diff_cmd->add_option("--format", diff_opts.format, "Output format: text, json or markdown")
      ->check(CLI::IsMember(dry_run_formats))
      ->allow_extra_args(false);

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

  if (report_cmd->parsed() || diff_cmd->parsed()) {
    const bool is_report = report_cmd->parsed();
    const CommonOptions& opts = is_report ? report_opts : diff_opts;
    std::vector<OutputSpec> outputs;
    if (!parse_outputs(opts.outputs, dry_run_formats, opts.format, outputs)) return 2;
    if (outputs.empty()) outputs.push_back({"-", opts.format});
    for (const auto& o : outputs) {
      if (std::find(dry_run_formats.begin(), dry_run_formats.end(), o.format) == dry_run_formats.end()) {
        std::fprintf(stderr, "tagwarden: --output %s: no format '%s' (formats: text, json, markdown)\n", o.path.c_str(),
                     o.format.c_str());
        return 2;
      }
    }
    bool written = true;
    if (is_report && merge) return run_merge(opts.paths, outputs);
    // The configuration file gives these runs what it gives `check`: paths, excludes, each
    // root's inputs, and for `report` the schema when --schema is not given.
    SourceManager sources;
    auto reader = make_disk_reader();
    std::vector<Error> config_errors;
    std::optional<Config> config = read_config(opts, working_directory(), *reader, sources, config_errors);
    if (!config_errors.empty()) {
      sort_errors(config_errors, sources);
      report_errors_on_stderr(false, sources, config_errors);
      return 2;
    }
    if (is_report && report_schema.empty() && config) report_schema = config->schema;
    if (is_report && report_schema.empty()) {
      std::fprintf(stderr,
                   "tagwarden report: --schema is required (or a `schema` in .tagwarden.yaml, or --merge with JSON "
                   "reports)\n");
      return 2;
    }
    RunOptions ro;
    if (!build_run_options(opts, config, ro)) return 2;
    Progress progress(isatty(STDERR_FILENO) != 0);
    if (is_report) {
      CoverageRun r =
          run_coverage(ro, CoverageRequest{report_schema, group_by, cost_allocation_tags}, sources, *reader);
      progress.stop();
      for (const auto& n : r.notes)
        std::fprintf(stderr, "%s: note: %s\n", location_string(sources, n.span, {}).c_str(), n.message.c_str());
      for (const auto& o : outputs) written &= write_output(o.path, render_coverage(r.coverage, o.format));
      bool text_on_stdout = std::any_of(outputs.begin(), outputs.end(),
                                        [](const OutputSpec& o) { return o.path == "-" && o.format == "text"; });
      report_errors_on_stderr(text_on_stdout, sources, r.errors);
      return written ? errors_exit_code(r.errors) : 2;
    }
    FindingDiff d = run_diff(ro, old_schema, new_schema, sources, *reader);
    progress.stop();
    for (const auto& o : outputs) {
      if (o.format == "json") {
        written &= write_report(o.path, [&](const ReportSink& out) { write_diff_json(sources, d, out); });
      } else {
        written &= write_output(
            o.path, o.format == "markdown" ? render_diff_markdown(sources, d) : render_diff_text(sources, d));
      }
    }
    bool text_on_stdout = std::any_of(outputs.begin(), outputs.end(),
                                      [](const OutputSpec& o) { return o.path == "-" && o.format == "text"; });
    report_errors_on_stderr(text_on_stdout, sources, d.errors);
    if (!written) return 2;
    if (int code = errors_exit_code(d.errors); code != 0) return code;
    return d.added.empty() ? 0 : 1;
  }

  const bool is_check = check->parsed();
  const CommonOptions& opts = is_check ? check_opts : tags_opts;
  const std::string cwd = working_directory();
  SourceManager sources;
  auto reader = make_disk_reader();
  std::vector<Error> config_errors;
  std::optional<Config> config = read_config(opts, cwd, *reader, sources, config_errors);
  RunOptions ro;
  if (!build_run_options(opts, config, ro)) return 2;
  const std::string root = source_root(opts, cwd);

  // Every report this run writes: --output FILE[:FORMAT]..., else --format on stdout and the
  // configuration's `outputs`.
  std::vector<OutputSpec> outputs;
  std::vector<std::string> formats = output_format_names(!is_check);
  if (!parse_outputs(opts.outputs, formats, opts.format, outputs)) return 2;
  if (outputs.empty()) {
    outputs.push_back({"-", opts.format});
    if (config && is_check) {
      for (const auto& o : config->outputs) outputs.push_back({o.path, o.format});
    }
  }
  for (const auto& o : outputs) {
    if (std::find(formats.begin(), formats.end(), o.format) == formats.end()) {
      std::fprintf(stderr, "tagwarden: --output %s: no %s format '%s' (formats: %s)\n", o.path.c_str(),
                   is_check ? "check" : "tags", o.format.c_str(), fmt::format("{}", fmt::join(formats, ", ")).c_str());
      return 2;
    }
  }
  bool text_on_stdout = false;
  for (const auto& o : outputs) text_on_stdout |= (o.path == "-" && o.format == "text");

  if (!config_errors.empty()) {
    // A configuration that cannot be read decides nothing: report why, check nothing.
    sort_errors(config_errors, sources);
    std::vector<Finding> none;
    for (const auto& o : outputs) {
      const OutputFormat* f = find_output_format(o.format);
      if (is_check) {
        write_report(o.path, [&](const ReportSink& out) {
          f->write_check(ReportInput{sources, none, config_errors, RunSummary{}, build::kVersion}, out);
        });
      } else {
        write_report(o.path, [&](const ReportSink& out) { f->write_tags({}, sources, config_errors, out); });
      }
    }
    report_errors_on_stderr(text_on_stdout, sources, config_errors);
    return 2;
  }
  Progress progress(isatty(STDERR_FILENO) != 0);

  if (!is_check) {
    // One rendering per format asked for, however many outputs take it.
    std::vector<TagsRenderer> renderers;
    std::vector<std::size_t> rendered_by;  // per output, its format's renderer
    for (const auto& o : outputs) {
      TagsRenderer r = find_output_format(o.format)->append_tags_resource;
      auto at = std::find(renderers.begin(), renderers.end(), r);
      rendered_by.push_back(static_cast<std::size_t>(at - renderers.begin()));
      if (at == renderers.end()) renderers.push_back(r);
    }
    TagsListing listing = run_tags_listing(ro, sources, *reader, renderers);
    progress.stop();
    bool written = true;
    for (std::size_t i = 0; i < outputs.size(); ++i) {
      written &= write_report(outputs[i].path, [&](const ReportSink& out) {
        find_output_format(outputs[i].format)
            ->write_tags(listing.rendered[rendered_by[i]], sources, listing.errors, out);
      });
    }
    report_errors_on_stderr(text_on_stdout, sources, listing.errors);
    return exit_without_freeing(written ? errors_exit_code(listing.errors) : 2);
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
  report.jobs = ro.jobs;
  // Rule docs are linked only where they are known to be: the build's repository, or one the
  // caller names (the GitHub Action passes the repository and ref it was taken from).
  report.repository_url = !tool_repository.empty() ? tool_repository : std::string(build::kRepositoryUrl);
  while (report.repository_url.ends_with('/')) report.repository_url.pop_back();
  report.repository_ref = !tool_ref.empty()    ? tool_ref
                          : *build::kGitCommit ? std::string(build::kGitCommit)
                                               : fmt::format("v{}", build::kVersion);
  if (!env("GITHUB_SERVER_URL").empty() && !env("GITHUB_REPOSITORY").empty() && !env("GITHUB_SHA").empty()) {
    report.link_base =
        fmt::format("{}/{}/blob/{}/", env("GITHUB_SERVER_URL"), env("GITHUB_REPOSITORY"), env("GITHUB_SHA"));
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
    // A hook of `git commit FILES` or `commit -a` sees the commit's index through this.
    if (!env("GIT_INDEX_FILE").empty()) co.run.env["GIT_INDEX_FILE"] = env("GIT_INDEX_FILE");
  }
  if (!cf.no_cache) {
    co.run.cache_dir = cache_dir();
    co.run.build_identity = build_identity();
  }
  if (!build_check_options(cf, config, co)) return 2;
  co.fix_diff = cf.fix;
  // Fingerprints (SARIF, baselines without a folder of their own) are relative to the source root.
  co.fingerprint_root = root;
  CheckResult result = run_check(co, sources, *reader);
  progress.stop();
  // For tests and for people wondering whether the cache works (docs/caching.md).
  if (!env("TAGWARDEN_CACHE_STATS").empty()) {
    if (result.whole_run_found) {
      std::fprintf(stderr, "tagwarden: result cache: whole run taken from it\n");
    } else {
      std::fprintf(stderr, "tagwarden: result cache: %zu units taken from it, %zu not found there, %zu stored; %s\n",
                   result.cache.hits, result.cache.misses, result.cache.stored,
                   result.whole_run_stored ? "whole run stored" : "whole run not stored");
    }
  }
  for (const auto& n : result.schema_notes) {
    std::fprintf(stderr, "%s: note: %s\n", location_string(sources, n.span, {}).c_str(), n.message.c_str());
  }

  bool written = true;
  if (!co.write_baseline_path.empty()) written &= write_output(co.write_baseline_path, result.baseline_text);
  if (cf.fix) written &= write_output("-", render_fix_diff(sources, result.findings));
  for (const auto& o : outputs) {
    if (cf.fix && o.path == "-") continue;  // standard output has the diff
    ReportInput in{sources,
                   result.findings,
                   result.errors,
                   result.summary,
                   build::kVersion,
                   report,
                   cf.include_suppressed ? &result.suppressed : nullptr};
    in.options.color = o.format == "text" && use_color(opts.color, o.path);
    written &= write_report(o.path, [&](const ReportSink& out) { find_output_format(o.format)->write_check(in, out); });
  }
  if (cf.fix) text_on_stdout = false;
  report_errors_on_stderr(text_on_stdout, sources, result.errors);
  if (!result.schema_given) note_checks_without_schema();
  for (const auto& f : result.excluded)
    std::fprintf(stderr, "tagwarden: %s: excluded by the configuration's `exclude`; not checked\n", f.c_str());
  if (changed) {
    for (const auto& f : result.not_checked)
      std::fprintf(stderr,
                   "tagwarden: %s: not part of a Terraform root module, template or cloud assembly; not checked\n",
                   f.c_str());
    if (result.inputs_in_scope == 0 && result.errors.empty() &&
        (result.excluded.empty() || !result.not_checked.empty()))
      std::fprintf(stderr,
                   "tagwarden: nothing to check: no changed file belongs to a Terraform root module, template or cloud "
                   "assembly\n");
  } else if (result.summary.resources_checked == 0 && result.errors.empty() && result.findings.empty() &&
             result.excluded.size() < co.run.paths.size()) {
    std::fprintf(
        stderr,
        "tagwarden: nothing to check under %s: no taggable resources in Terraform, CloudFormation, SAM or CDK files\n",
        fmt::format("{}", fmt::join(co.run.paths, ", ")).c_str());
  }
  return exit_without_freeing(written ? exit_code(result, co.fail_level) : 2);
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
