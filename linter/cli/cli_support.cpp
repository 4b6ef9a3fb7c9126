#include "linter/cli/cli_support.hpp"

#include <algorithm>
#include <cctype>

#include "linter/model/text.hpp"
#include "linter/source/git_index.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {

OutputSpec parse_output_spec(std::string_view text, const std::vector<std::string>& formats,
                             const std::string& default_format) {
  auto colon = text.rfind(':');
  if (colon != std::string_view::npos && colon > 0) {
    std::string fmt(text.substr(colon + 1));
    if (std::find(formats.begin(), formats.end(), fmt) != formats.end())
      return {std::string(text.substr(0, colon)), fmt};
  }
  return {std::string(text), default_format};
}

namespace {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::string> closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  std::size_t best_d = 0;
  for (const auto& c : candidates) {
    // Letter case does not count as a typo.
    std::size_t d = edit_distance(ascii_lower(word), ascii_lower(c));
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
  return find_dot_git_dir(*make_disk_reader(), start, ceilings);
}

}  // namespace tagwarden
