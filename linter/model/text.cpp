#include "linter/model/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <clocale>
#include <cwctype>
#include <locale.h>

namespace tagwarden {
namespace {

// Unicode classification and case mapping come from glibc's C.UTF-8 locale, used through the
// thread-safe *_l functions so no global locale is changed.
locale_t utf8_locale() {
  static locale_t loc = [] {
    locale_t l = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    if (!l) l = newlocale(LC_CTYPE_MASK, "C.utf8", static_cast<locale_t>(nullptr));
    return l;
  }();
  return loc;
}

}  // namespace

void append_utf8(std::string& out, std::uint32_t c) {
  if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

std::vector<char32_t> utf8_decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    bool ok = true;
    for (int k = 1; k < len; ++k) {
      auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
      if ((c & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    if (!ok) {
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(len);
  }
  return out;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string fold_case(std::string_view s) {
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string out;
  out.reserve(s.size());
  if (ascii) {
    for (char c : s) out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    return out;
  }
  locale_t loc = utf8_locale();
  for (char32_t cp : utf8_decode(s)) {
    if (loc) cp = static_cast<char32_t>(towlower_l(static_cast<wint_t>(cp), loc));
    append_utf8(out, static_cast<std::uint32_t>(cp));
  }
  return out;
}

bool is_allowed_tag_char(char32_t c, std::string_view punctuation) {
  // AWS documents the pattern ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$ for tag keys and values.
  if (c < 0x80) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' ||
           (c != 0 && punctuation.find(static_cast<char>(c)) != std::string_view::npos);
  }
  // \p{Z}: space, line and paragraph separators.
  if (c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
      c == 0x205F || c == 0x3000) {
    return true;
  }
  if (c == 0xFFFD) return false;
  locale_t loc = utf8_locale();
  if (!loc) return true;  // no Unicode tables: do not flag what we cannot classify
  auto w = static_cast<wint_t>(c);
  return iswalpha_l(w, loc) || iswdigit_l(w, loc);
}

std::vector<std::string_view> split_view(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) break;
    s = s.substr(p + 1);
  }
  return out;
}

bool glob_match(std::string_view pattern, std::string_view text, bool ascii_ignore_case) {
  auto fold = [&](char c) { return ascii_ignore_case && c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  // Backtrack to the last '*' on a mismatch: no recursion, linear in practice.
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && fold(pattern[p]) == fold(text[t])) {
      ++p, ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool has_upper(std::string_view s) {
  locale_t loc = utf8_locale();
  for (char32_t cp : utf8_decode(s)) {
    if (cp < 0x80 ? (cp >= 'A' && cp <= 'Z') : loc && iswupper_l(static_cast<wint_t>(cp), loc)) return true;
  }
  return false;
}

bool has_lower(std::string_view s) {
  locale_t loc = utf8_locale();
  for (char32_t cp : utf8_decode(s)) {
    if (cp < 0x80 ? (cp >= 'a' && cp <= 'z') : loc && iswlower_l(static_cast<wint_t>(cp), loc)) return true;
  }
  return false;
}

std::string describe_char(char32_t c) {
  if (c < 0x20 || c == 0x7F) return fmt::format("U+{:04X} (control character)", static_cast<std::uint32_t>(c));
  std::string glyph;
  append_utf8(glyph, static_cast<std::uint32_t>(c));
  return fmt::format("'{}' (U+{:04X})", glyph, static_cast<std::uint32_t>(c));
}

bool has_aws_prefix(std::string_view key) {
  if (key.size() < 4) return false;
  return (key[0] == 'a' || key[0] == 'A') && (key[1] == 'w' || key[1] == 'W') && (key[2] == 's' || key[2] == 'S') &&
         key[3] == ':';
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  auto x = utf8_decode(a), y = utf8_decode(b);
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) > cap) return cap + 1;
  std::vector<std::size_t> prev(y.size() + 1), cur(y.size() + 1);
  for (std::size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= y.size(); ++j) {
      std::size_t sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return std::min(prev[y.size()], cap + 1);
}

}  // namespace tagwarden
