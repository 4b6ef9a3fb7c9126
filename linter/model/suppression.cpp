#include "linter/model/suppression.hpp"

#include <fmt/format.h>

namespace tagwarden {
namespace {

constexpr std::string_view kDirective = "tagwarden:ignore";

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

}  // namespace

bool is_iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int year = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
  int month = (d[5] - '0') * 10 + (d[6] - '0');
  int day = (d[8] - '0') * 10 + (d[9] - '0');
  if (month < 1 || month > 12 || day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  int max = kDays[month - 1] + (month == 2 && leap ? 1 : 0);
  return day <= max;
}

std::optional<Suppression> parse_suppression_comment(std::string_view text, Span span, bool exact_text) {
  // Positions are kept relative to `text` so sub-spans can be computed.
  std::size_t pos = 0, end = text.size();
  auto skip_blank = [&] {
    while (pos < end && is_blank(text[pos])) ++pos;
  };
  skip_blank();
  if (text.compare(pos, 1, "#") == 0) {
    pos += 1;
  } else if (text.compare(pos, 2, "//") == 0) {
    pos += 2;
  } else if (text.compare(pos, 2, "/*") == 0) {
    pos += 2;
    if (end >= pos + 2 && text.compare(end - 2, 2, "*/") == 0) end -= 2;
  }
  skip_blank();
  if (text.compare(pos, kDirective.size(), kDirective) != 0) return std::nullopt;
  pos += kDirective.size();
  Suppression s;
  s.span = span;
  if (text.compare(pos, 5, "-file") == 0) {
    s.scope = Suppression::Scope::kFile;
    pos += 5;
  }
  if (pos < end && !is_blank(text[pos])) return std::nullopt;  // "tagwarden:ignored", not ours
  auto sub = [&](std::size_t b, std::size_t len) {
    if (!exact_text || !span.valid() || !span.has_range) return span;
    return Span{span.file, span.begin + static_cast<std::uint32_t>(b), span.begin + static_cast<std::uint32_t>(b + len),
                true};
  };
  // The reason follows the first `--` that starts a word.
  std::size_t dashes = std::string_view::npos;
  for (std::size_t i = pos; i + 1 < end; ++i) {
    if (text[i] == '-' && text[i + 1] == '-' && is_blank(text[i - 1])) {
      dashes = i;
      break;
    }
  }
  std::size_t list_end = dashes == std::string_view::npos ? end : dashes;
  if (dashes != std::string_view::npos) {
    std::size_t b = dashes + 2, e = end;
    while (b < e && is_blank(text[b])) ++b;
    while (e > b && is_blank(text[e - 1])) --e;
    s.reason = std::string(text.substr(b, e - b));
  }
  while (pos < list_end) {
    while (pos < list_end && (is_blank(text[pos]) || text[pos] == ',')) ++pos;
    std::size_t b = pos;
    while (pos < list_end && !is_blank(text[pos]) && text[pos] != ',') ++pos;
    if (pos == b) break;
    std::string_view word = text.substr(b, pos - b);
    if (word.starts_with("until=")) {
      s.until = std::string(word.substr(6));
      s.until_span = sub(b, word.size());
      if (!is_iso_date(s.until)) s.problem = fmt::format("`until={}` is not a date written YYYY-MM-DD", s.until);
    } else {
      s.rules.push_back(Suppression::RuleRef{std::string(word), sub(b, word.size())});
    }
  }
  if (s.rules.empty() && s.problem.empty()) {
    s.problem = fmt::format("it names no rule (write `{}{} TW001 -- reason`)", kDirective,
                            s.scope == Suppression::Scope::kFile ? "-file" : "");
  }
  return s;
}

std::string describe_suppression(const Suppression& s) {
  std::string out(kDirective);
  if (s.scope == Suppression::Scope::kFile) out += "-file";
  for (std::size_t i = 0; i < s.rules.size(); ++i) out += (i ? ", " : " ") + s.rules[i].name;
  return out;
}

}  // namespace tagwarden
