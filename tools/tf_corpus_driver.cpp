// Maintainer tool: runs the Terraform front end over directories the way `tagwarden tags PATH`
// will (every directory holding .tf/.tf.json files, hidden folders and .terraform/ skipped)
// (`--jobs N` sets the parser threads; default 2) and prints one JSON line of figures: resources, how many have a fully
// known tag set, errors, and the most frequent reasons for unknowns. Used by tools/corpus_terraform.sh.
#include <fmt/format.h>
#include <filesystem>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "linter/frontend/terraform/terraform_frontend.hpp"

using namespace tagwarden;

namespace {

void walk(const Reader& reader, const std::string& dir, int depth, std::vector<std::string>& out) {
  if (depth > 40 || reader.is_symlink(dir)) return;
  bool has_tf = false;
  for (const auto& name : reader.list_dir(dir)) {
    std::string p = path_join(dir, name);
    if (reader.is_dir(p)) {
      if (!name.empty() && name[0] != '.') walk(reader, p, depth + 1, out);
    } else if ((name.size() > 3 && name.ends_with(".tf")) || name.ends_with(".tf.json")) {
      has_tf = true;
    }
  }
  if (has_tf) out.push_back(dir);
}

/// Groups reasons: names after var./local./module./each. and resource references become *.
std::string reason_class(const std::string& reason) {
  static const std::regex kVar(R"((var|local|module|each|count)\.[A-Za-z0-9_-]+)");
  static const std::regex kRes(
      R"(\b(aws|data|random|google|azurerm|kubernetes|helm|null|tls|time)[A-Za-z0-9_]*\.[A-Za-z0-9_.\[\]"*-]+)");
  static const std::regex kQuoted(R"("[^"]*")");
  std::string r = std::regex_replace(reason, kVar, "$1.*");
  r = std::regex_replace(r, kRes, "<resource attribute>");
  r = std::regex_replace(r, kQuoted, "\"*\"");
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  auto reader = make_disk_reader();
  SourceManager sources;
  RunOptions options;
  options.jobs = 2;
  std::error_code cwd_error;
  auto cwd = std::filesystem::current_path(cwd_error);
  if (!cwd_error) options.working_directory = cwd.generic_string();
  TerraformInputs inputs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--jobs" && i + 1 < argc) {
      options.jobs = static_cast<unsigned>(std::stoul(argv[++i]));
      continue;
    }
    walk(*reader, path_normalize(arg), 0, inputs.module_dirs);
  }
  std::sort(inputs.module_dirs.begin(), inputs.module_dirs.end());
  LoadContext ctx{options, sources, *reader};
  auto t0 = std::chrono::steady_clock::now();
  FrontendResult r = load_terraform(ctx, inputs);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::size_t taggable = 0, fully_known = 0, unexpanded = 0;
  std::map<std::string, std::size_t> reasons;
  std::map<std::string, std::string> example;  // reason class -> first resource (file:line)
  for (const auto& res : r.resources) {
    if (res.taggable != Taggable::kYes) continue;
    ++taggable;
    if (!res.expanded) ++unexpanded;
    bool known = true;
    std::set<std::string> mine;  // count each reason once per resource
    for (const auto& v : res.variants) {
      if (!v.keys_known) {
        known = false;
        mine.insert("keys: " + reason_class(v.keys_unknown_reason));
      }
      for (const auto& e : v.entries) {
        if (e.value) continue;
        known = false;
        mine.insert("value: " + reason_class(e.unknown_reason));
      }
    }
    for (const auto& m : mine) {
      ++reasons[m];
      if (!example.count(m) && res.span.valid()) {
        auto lc = sources.begin_of(res.span);
        example[m] = fmt::format("{}:{} {}", sources.file(res.span.file).path(), lc.line, res.address);
      }
    }
    if (known) ++fully_known;
  }
  std::vector<std::pair<std::size_t, std::string>> top;
  for (const auto& [k, n] : reasons) top.emplace_back(n, k);
  std::sort(top.begin(), top.end(),
            [](const auto& a, const auto& b) { return a.first != b.first ? a.first > b.first : a.second < b.second; });
  nlohmann::json out;
  out["module_dirs"] = inputs.module_dirs.size();
  out["files"] = sources.size();
  out["resources"] = r.resources.size();
  out["taggable"] = taggable;
  out["fully_known"] = fully_known;
  out["unexpanded"] = unexpanded;
  out["errors"] = r.errors.size();
  out["facts"] = r.facts.size();
  out["seconds"] = secs;
  nlohmann::json reasons_json = nlohmann::json::array();
  for (std::size_t i = 0; i < top.size() && i < 25; ++i)
    reasons_json.push_back({{"count", top[i].first}, {"reason", top[i].second}, {"example", example[top[i].second]}});
  out["top_unknown_reasons"] = reasons_json;
  nlohmann::json errs = nlohmann::json::array();
  for (std::size_t i = 0; i < r.errors.size() && i < 5; ++i) {
    const auto& e = r.errors[i];
    std::string where = e.span.valid() ? sources.file(e.span.file).path() : e.file_hint;
    errs.push_back(where + ": " + e.message);
  }
  out["first_errors"] = errs;
  std::cout << out.dump() << "\n";
  return 0;
}
