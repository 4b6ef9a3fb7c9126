// `--format markdown`: a job summary for $GITHUB_STEP_SUMMARY (GitHub-flavoured Markdown).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "linter/report/markdown_text.hpp"
#include "linter/report/report.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

std::string md_text(std::string_view s) {
  std::string o;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\n' || c == '\r') {
      o += ' ';
      continue;
    }
    if (c == '`') {
      // A code span (a run of backticks up to the next run of the same length) shows its text
      // as written: a backslash there would be shown, not read as an escape (CommonMark, "Code
      // spans"). Only `|` is escaped, which GitHub's tables read before code spans.
      auto run_end = [&](std::size_t at) { return std::min(s.find_first_not_of('`', at), s.size()); };
      std::size_t run = run_end(i);
      std::size_t close = std::string_view::npos;
      for (std::size_t j = s.find('`', run); j != std::string_view::npos; j = s.find('`', run_end(j))) {
        if (run_end(j) - j == run - i) {
          close = j;
          break;
        }
      }
      if (close != std::string_view::npos) {
        for (std::size_t j = i; j < close + (run - i); ++j) {
          char d = s[j] == '\n' || s[j] == '\r' ? ' ' : s[j];
          if (d == '|') o += '\\';
          o += d;
        }
        i = close + (run - i) - 1;
        continue;
      }
      for (; i < run; ++i) o += "\\`";  // an unmatched run of backticks is literal text
      --i;
      continue;
    }
    if (c == '|' || c == '<' || c == '>' || c == '*' || c == '_' || c == '[' || c == ']' || c == '\\' || c == '#')
      o += '\\';
    o += c;
  }
  return o;
}

std::string md_code(std::string_view s) {
  std::size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  std::string body;
  for (char c : s) body += (c == '\n' || c == '\r' || c == '|') ? ' ' : c;
  bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string render_markdown(const ReportInput& in) {
  const ReportOptions& opt = in.options;
  // GitHub caps each step's summary at 1 MiB ("Workflow commands for GitHub Actions", step
  // isolation and limits) and drops an oversized one entirely: stay well under it.
  constexpr std::size_t kBudget = 900 * 1024;
  constexpr std::size_t kMaxRows = 500;

  std::map<Level, std::size_t> by_level;
  std::map<std::string, std::size_t> by_rule;
  // Per tag key, every key a finding is about (a missing-required-tag finding lists several),
  // by level: notes (values that could not be checked, one-edit hints) are not violations.
  std::map<std::string, std::map<Level, std::size_t>> by_key;
  for (const auto& f : in.findings) {
    ++by_level[f.level];
    ++by_rule[f.rule_id];
    if (!f.tag_keys.empty()) {
      for (const auto& k : f.tag_keys) ++by_key[k][f.level];
    } else if (!f.tag_key.empty()) {
      ++by_key[f.tag_key][f.level];
    }
  }
  std::string out = "## tagwarden\n\n";
  out += fmt::format("{} resource{} checked: **{} error{}**, {} warning{}, {} note{}", in.summary.resources_checked,
                     in.summary.resources_checked == 1 ? "" : "s", by_level[Level::kError],
                     by_level[Level::kError] == 1 ? "" : "s", by_level[Level::kWarning],
                     by_level[Level::kWarning] == 1 ? "" : "s", by_level[Level::kNote],
                     by_level[Level::kNote] == 1 ? "" : "s");
  if (!in.errors.empty())
    out += fmt::format(", **{} input error{}**", in.errors.size(), in.errors.size() == 1 ? "" : "s");
  out += md_text(summary_tail(in.summary));
  out += ".\n\n";

  auto link = [&](const Span& span, const std::string& hint) {
    std::string path = path_under_root(span_path(in.sources, span, hint), opt, opt.source_root);
    std::string label = path;
    std::string anchor;
    if (span.valid() && span.has_range) {
      LineCol lc = in.sources.begin_of(span);
      label += fmt::format(":{}", lc.line);
      anchor = fmt::format("#L{}", lc.line);
    }
    if (opt.link_base.empty() || path.empty() || path[0] == '/') return md_code(label);
    return fmt::format("[{}]({}{}{})", md_code(label), opt.link_base, path, anchor);
  };

  if (!in.errors.empty()) {
    out += "### Input errors\n\n";
    std::size_t shown = 0;
    for (const auto& e : in.errors) {
      if (shown == 50 || out.size() > kBudget / 4) {
        out += fmt::format("- ... and {} more\n", in.errors.size() - shown);
        break;
      }
      out += fmt::format("- {} {}\n", link(e.span, e.file_hint), md_text(e.message));
      ++shown;
    }
    out += "\n";
  }
  if (!by_rule.empty()) {
    out += "### By rule\n\n| rule | findings |\n|---|---:|\n";
    for (const auto& [id, n] : by_rule) {
      const Rule* r = find_rule(id);
      out += fmt::format("| {} {} | {} |\n", id, r ? md_text(r->name) : std::string(), n);
    }
    out += "\n";
  }
  if (!by_key.empty()) {
    // Keys with most errors and warnings first: they are where fixing pays most.
    using Counts = std::map<Level, std::size_t>;
    auto count = [](const Counts& c, Level l) {
      auto it = c.find(l);
      return it == c.end() ? std::size_t{0} : it->second;
    };
    auto violations = [&](const Counts& c) { return count(c, Level::kError) + count(c, Level::kWarning); };
    std::vector<std::pair<std::string, Counts>> keys(by_key.begin(), by_key.end());
    std::stable_sort(keys.begin(), keys.end(), [&](const auto& a, const auto& b) {
      return violations(a.second) != violations(b.second)
                 ? violations(a.second) > violations(b.second)
                 : count(a.second, Level::kNote) > count(b.second, Level::kNote);
    });
    out += "### By tag key\n\n| key | errors | warnings | notes |\n|---|---:|---:|---:|\n";
    std::size_t shown = 0;
    for (const auto& [k, c] : keys) {
      if (shown++ == 50) {
        out += fmt::format("| ({} more keys) | | | |\n", keys.size() - 50);
        break;
      }
      out += fmt::format("| {} | {} | {} | {} |\n", md_code(k), count(c, Level::kError), count(c, Level::kWarning),
                         count(c, Level::kNote));
    }
    out += "\n";
  }
  if (!in.findings.empty()) {
    out += "### Findings\n\n| | location | rule | message |\n|---|---|---|---|\n";
    std::size_t shown = 0;
    std::vector<const Finding*> order = findings_by_priority(in, opt.source_root);
    for (const Finding* f : order) {
      std::string row = fmt::format("| {} | {} | {} | {} |\n", level_name(f->level), link(f->primary, f->file_hint),
                                    f->rule_id, md_text(f->message));
      if (shown == kMaxRows || out.size() + row.size() > kBudget) break;
      out += row;
      ++shown;
    }
    if (shown < order.size()) {
      out += fmt::format("\n{} more finding{} not listed here; the full report has them all.\n", order.size() - shown,
                         order.size() - shown == 1 ? " is" : "s are");
    }
  }
  return out;
}

}  // namespace tagwarden
