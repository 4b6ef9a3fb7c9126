// `check --fix`: the safe fixes of the reported findings as one unified diff (never applied by
// tagwarden itself; `git apply` or `patch -p1` applies it).
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "linter/report/report.hpp"

namespace tagwarden {
namespace {

constexpr std::uint32_t kContext = 3;

/// The lines of `text`, each with its line break (the last may have none).
std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(start, end - start));
    start = end;
  }
  return out;
}

void append_line(std::string& out, char marker, std::string_view line) {
  out += marker;
  out += line;
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string render_fix_diff(const SourceManager& sm, const std::vector<Finding>& findings) {
  // Every edit once, by file, in order; an edit overlapping an earlier one is left out.
  std::map<std::string, std::vector<const Edit*>> by_path;
  std::set<std::tuple<FileId, std::uint32_t, std::uint32_t, std::string>> seen;
  for (const auto& f : findings) {
    for (const auto& fix : f.fixes) {
      for (const auto& e : fix.edits) {
        if (!e.span.valid() || !sm.file(e.span.file).loaded()) continue;
        if (!seen.emplace(e.span.file, e.span.begin, e.span.end, e.replacement).second) continue;
        by_path[sm.file(e.span.file).path()].push_back(&e);
      }
    }
  }
  std::string out;
  for (auto& [path, edits] : by_path) {
    std::sort(edits.begin(), edits.end(), [](const Edit* a, const Edit* b) {
      return std::tie(a->span.begin, a->span.end) < std::tie(b->span.begin, b->span.end);
    });
    const SourceFile& file = sm.file(edits.front()->span.file);
    std::string_view text = file.contents();
    std::string changed;
    std::uint32_t at = 0;
    std::set<std::uint32_t> lines;  // 0-based lines touched by an edit
    for (const Edit* e : edits) {
      if (e->span.begin < at || e->span.end > text.size()) continue;
      changed.append(text.substr(at, e->span.begin - at));
      changed += e->replacement;
      at = e->span.end;
      for (std::uint32_t l = file.line_col(e->span.begin).line; l <= file.line_col(e->span.end).line; ++l)
        lines.insert(l - 1);
    }
    changed.append(text.substr(at));
    std::vector<std::string_view> before = split_lines(text), after = split_lines(changed);
    // Edits never add or remove line breaks (checked_fix refuses them), so line i of the
    // original is line i of the result.
    if (before.size() != after.size() || lines.empty()) continue;
    out += fmt::format("--- a/{}\n+++ b/{}\n", path, path);
    auto it = lines.begin();
    while (it != lines.end()) {
      std::uint32_t first = *it, last = *it;
      auto next = std::next(it);
      while (next != lines.end() && *next <= last + 2 * kContext + 1) last = *next++;
      std::uint32_t from = first >= kContext ? first - kContext : 0;
      std::uint32_t to = std::min<std::uint32_t>(static_cast<std::uint32_t>(before.size()) - 1, last + kContext);
      std::uint32_t count = to - from + 1;
      out += fmt::format("@@ -{},{} +{},{} @@\n", from + 1, count, from + 1, count);
      for (std::uint32_t l = from; l <= to; ++l) {
        if (before[l] == after[l]) {
          append_line(out, ' ', before[l]);
        } else {
          append_line(out, '-', before[l]);
        }
        if (before[l] != after[l]) append_line(out, '+', after[l]);
      }
      it = next;
    }
  }
  return out;
}

}  // namespace tagwarden
