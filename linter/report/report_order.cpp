// What several machine-facing formats share: paths relative to a root folder, the order in which
// findings are presented (changed lines first, then by severity), and the lines a diff changed.
#include <algorithm>
#include <charconv>

#include "linter/report/report.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {

std::string path_under_root(const std::string& display, const ReportOptions& options, const std::string& root) {
  std::string abs = display;
  if (abs.empty() || abs[0] != '/') {
    if (options.working_directory.empty()) return path_normalize(display);
    abs = path_join(options.working_directory, display);
  }
  abs = path_normalize(abs);
  std::string base = path_normalize(root.empty() ? options.working_directory : root);
  if (base.empty()) return abs;
  if (abs == base) return ".";
  if (base == "/") return abs.substr(1);
  if (abs.size() > base.size() && abs.compare(0, base.size(), base) == 0 && abs[base.size()] == '/')
    return abs.substr(base.size() + 1);
  return abs;
}

namespace {

bool on_changed_line(const ReportInput& in, const Finding& f, const std::string& root) {
  if (in.options.changed_lines == nullptr || !f.primary.valid() || !f.primary.has_range) return false;
  auto it = in.options.changed_lines->find(path_under_root(span_path(in.sources, f.primary, f.file_hint), in.options, root));
  if (it == in.options.changed_lines->end()) return false;
  std::uint32_t first = in.sources.begin_of(f.primary).line, last = in.sources.end_of(f.primary).line;
  for (const auto& [a, b] : it->second) {
    if (first <= b && a <= last) return true;
  }
  return false;
}

int severity_rank(Level l) { return l == Level::kError ? 0 : l == Level::kWarning ? 1 : l == Level::kNote ? 2 : 3; }

}  // namespace

std::vector<const Finding*> findings_by_priority(const ReportInput& in, const std::string& root) {
  std::vector<std::pair<int, const Finding*>> keyed;
  keyed.reserve(in.findings.size());
  for (const auto& f : in.findings) {
    int changed = on_changed_line(in, f, root) ? 0 : 1;
    keyed.emplace_back(changed * 4 + severity_rank(f.level), &f);
  }
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const Finding*> out;
  out.reserve(keyed.size());
  for (const auto& k : keyed) out.push_back(k.second);
  return out;
}

ChangedLines parse_unified_diff(std::string_view diff) {
  // Unified diff format (GNU diffutils manual, "Detailed Unified"): `+++ NEW` names the new
  // file, `@@ -a,b +c,d @@` starts a hunk covering d lines from line c of the new file (",d"
  // omitted means 1); within a hunk, `+` lines are added, ` ` lines are context, `-` removed.
  ChangedLines out;
  std::string file;
  std::uint32_t line = 0, remaining = 0;
  std::size_t pos = 0;
  auto number = [](std::string_view s, std::size_t& i) {
    std::uint32_t v = 0;
    auto [p, ec] = std::from_chars(s.data() + i, s.data() + s.size(), v);
    i = static_cast<std::size_t>(p - s.data());
    return ec == std::errc() ? v : 0u;
  };
  while (pos < diff.size()) {
    std::size_t nl = diff.find('\n', pos);
    std::string_view l = diff.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? diff.size() : nl + 1;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (remaining > 0 && !l.empty() && (l[0] == '+' || l[0] == ' ' || l[0] == '-')) {
      if (l[0] == '+' && !file.empty()) {
        auto& ranges = out[file];
        if (!ranges.empty() && ranges.back().second + 1 == line) ranges.back().second = line;
        else ranges.emplace_back(line, line);
      }
      if (l[0] != '-') {
        ++line;
        --remaining;
      }
      continue;
    }
    if (!l.empty() && l[0] == '\\') continue;  // "\ No newline at end of file"
    remaining = 0;
    if (l.rfind("+++ ", 0) == 0) {
      std::string_view name = l.substr(4);
      if (auto tab = name.find('\t'); tab != std::string_view::npos) name = name.substr(0, tab);
      if (name == "/dev/null") file.clear();
      else file = std::string(name.rfind("b/", 0) == 0 ? name.substr(2) : name);
    } else if (l.rfind("@@ -", 0) == 0) {
      std::size_t plus = l.find(" +");
      if (plus == std::string_view::npos) continue;
      std::size_t i = plus + 2;
      line = number(l, i);
      remaining = 1;
      if (i < l.size() && l[i] == ',') {
        ++i;
        remaining = number(l, i);
      }
    }
  }
  return out;
}

}  // namespace tagwarden
