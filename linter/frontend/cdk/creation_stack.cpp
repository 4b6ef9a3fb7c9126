#include "linter/frontend/cdk/creation_stack.hpp"

#include <algorithm>
#include <charconv>

namespace tagwarden::cdk {
namespace {

constexpr std::size_t kMaxFrameLength = 4096;
constexpr std::size_t kMaxComponents = 64;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

/// Parses a trailing `:<digits>` off `s`; returns the number, shrinking `s`.
std::optional<std::uint32_t> take_number_suffix(std::string_view& s) {
  std::size_t colon = s.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == s.size()) return std::nullopt;
  std::string_view digits = s.substr(colon + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  std::uint32_t n = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  s = s.substr(0, colon);
  return n;
}

std::string normalise_frame_path(std::string_view p) {
  if (p.starts_with("file://")) p.remove_prefix(7);
  std::string out(p);
  std::replace(out.begin(), out.end(), '\\', '/');
  // A Windows drive letter says nothing about where the file is here.
  if (out.size() >= 2 && out[1] == ':' && ((out[0] >= 'A' && out[0] <= 'Z') || (out[0] >= 'a' && out[0] <= 'z')))
    out.erase(0, 2);
  return out;
}

}  // namespace

std::optional<StackFrame> parse_user_frame(std::string_view text) {
  if (text.size() > kMaxFrameLength) return std::nullopt;
  std::string_view s = trim(text);
  if (s.starts_with("at ")) s = trim(s.substr(3));
  if (s.starts_with("...") || s.starts_with("(")) return std::nullopt;  // CDK summaries
  // `function (location)` or a bare `location`.
  if (s.ends_with(")")) {
    std::size_t open = s.rfind('(');
    if (open == std::string_view::npos) return std::nullopt;
    s = s.substr(open + 1, s.size() - open - 2);
  }
  s = trim(s);
  auto last = take_number_suffix(s);
  if (!last) return std::nullopt;
  StackFrame f;
  if (auto line = take_number_suffix(s)) {
    f.line = *line;
    f.column = *last;
  } else {
    f.line = *last;
  }
  if (f.line == 0 || s.empty()) return std::nullopt;
  if (s.starts_with("node:") || s.starts_with("internal/") || s == "<anonymous>" || s == "native" ||
      s.starts_with("evalmachine."))
    return std::nullopt;
  f.file = normalise_frame_path(s);
  if (f.file.find("/node_modules/") != std::string::npos || f.file.starts_with("node_modules/")) return std::nullopt;
  return f;
}

std::optional<std::string> FrameMapper::map(const std::string& frame_path) {
  if (auto it = cache_.find(frame_path); it != cache_.end()) return it->second;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= frame_path.size()) {
    std::size_t slash = frame_path.find('/', start);
    if (slash == std::string::npos) slash = frame_path.size();
    std::string part = frame_path.substr(start, slash - start);
    if (part == "..")
      parts.clear();  // never let a suffix climb out of a root
    else if (!part.empty() && part != ".")
      parts.push_back(std::move(part));
    start = slash + 1;
  }
  if (parts.size() > kMaxComponents)
    parts.erase(parts.begin(), parts.end() - static_cast<std::ptrdiff_t>(kMaxComponents));
  std::optional<std::string> found;
  for (std::size_t k = parts.size(); k >= 1 && !found; --k) {
    std::string suffix;
    for (std::size_t i = parts.size() - k; i < parts.size(); ++i) {
      if (!suffix.empty()) suffix += '/';
      suffix += parts[i];
    }
    for (const auto& root : roots_) {
      std::string candidate = path_join(root, suffix);
      if (reader_.is_file(candidate)) {
        found = candidate;
        break;
      }
    }
  }
  cache_.emplace(frame_path, found);
  return found;
}

std::optional<Span> span_of_line(const SourceManager& sm, FileId file, std::uint32_t line, std::uint32_t column) {
  const SourceFile& sf = sm.file(file);
  if (line == 0 || line > sf.line_count()) return std::nullopt;
  std::string_view text = sf.line_text(line);
  std::uint32_t begin = sf.line_start(line);
  // V8 columns count UTF-16 code units from 1; counting code points is exact for everything
  // outside the astral planes and never leaves the line.
  std::size_t at = 0;
  for (std::uint32_t c = 1; c < column && at < text.size(); ++c) {
    ++at;
    while (at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) ++at;
  }
  std::size_t end = text.size();
  while (end > at && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) --end;
  return Span{file, begin + static_cast<std::uint32_t>(at), begin + static_cast<std::uint32_t>(end), true};
}

}  // namespace tagwarden::cdk
