#include "linter/cli/cli_support.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "linter/source/reader.hpp"

namespace tagwarden {

OutputSpec parse_output_spec(std::string_view text, const std::vector<std::string>& formats,
                             const std::string& default_format) {
  auto colon = text.rfind(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string fmt(text.substr(colon + 1));
    if (std::find(formats.begin(), formats.end(), fmt) != formats.end()) return {std::string(text.substr(0, colon)), fmt};
  }
  return {std::string(text), default_format};
}

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (same ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (!best || d < best_d) {
      best = c;
      best_d = d;
    }
  }
  // A typo is a few edits away: up to a third of the word, at least 1 and at most 3.
  std::size_t allowed = std::clamp<std::size_t>(word.size() / 3, 1, 3);
  if (best && best_d <= allowed) return best;
  return std::nullopt;
}

std::string find_git_top_level(const std::string& start, const std::vector<std::string>& ceilings) {
  namespace fs = std::filesystem;
  std::string dir = path_normalize(start);
  for (int guard = 0; guard < 4096 && !dir.empty(); ++guard) {
    std::error_code ec;
    if (fs::exists(fs::path(dir) / ".git", ec)) return dir;
    std::string parent = path_dirname(dir);
    if (parent == dir || parent == "." || parent.empty()) break;
    // GIT_CEILING_DIRECTORIES: git does not move up into a listed folder (git(1)).
    if (std::find(ceilings.begin(), ceilings.end(), parent) != ceilings.end()) break;
    dir = parent;
  }
  return {};
}

}  // namespace tagwarden
