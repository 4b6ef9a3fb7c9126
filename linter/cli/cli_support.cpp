#include "linter/cli/cli_support.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include "linter/model/text.hpp"
#include "linter/source/git_index.hpp"
#include "linter/source/reader.hpp"

namespace tagwarden {

std::optional<OutputSpec> parse_output_spec(std::string_view text, const std::vector<std::string>& formats,
                                            const std::string& default_format,
                                            const std::function<bool(const std::string&)>& exists, std::string* error) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return OutputSpec{std::string(text), default_format};
  std::string_view suffix = text.substr(colon + 1);
  if (std::find(formats.begin(), formats.end(), suffix) != formats.end())
    return OutputSpec{std::string(text.substr(0, colon)), std::string(suffix)};
  bool format_like = std::all_of(suffix.begin(), suffix.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  });
  if (!format_like || exists(std::string(text))) return OutputSpec{std::string(text), default_format};
  if (error) {
    auto near = closest_match(suffix, formats);
    *error = fmt::format(
        "--output {}: {}{} (formats: {}); a file name with ':' in it takes its format explicitly, "
        "as in {}:{}",
        text, suffix.empty() ? "no format after ':'" : fmt::format("unknown format '{}'", suffix),
        near ? fmt::format(", did you mean '{}'?", *near) : std::string(), fmt::join(formats, ", "), text,
        default_format);
  }
  return std::nullopt;
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
