#include "linter/model/text.hpp"

#include <fmt/format.h>

#include <locale.h>
#include <algorithm>
#include <clocale>
#include <cwctype>

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

std::size_t utf8_next(std::string_view s, std::size_t pos, char32_t* cp, bool* valid) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char b = byte(pos);
  auto bad = [&]() -> std::size_t {
    *cp = 0xFFFD;
    if (valid) *valid = false;
    return 1;
  };
  if (b < 0x80) {
    *cp = b;
    return 1;
  }
  std::size_t len = (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || pos + len > s.size()) return bad();
  char32_t c = len == 2 ? (b & 0x1Fu) : len == 3 ? (b & 0x0Fu) : (b & 0x07u);
  for (std::size_t k = 1; k < len; ++k) {
    unsigned char n = byte(pos + k);
    if ((n & 0xC0) != 0x80) return bad();
    c = (c << 6) | (n & 0x3Fu);
  }
  // Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8 (RFC 3629).
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (c < kMin[len] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return bad();
  *cp = c;
  return len;
}

std::vector<char32_t> utf8_decode(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size(); i += utf8_next(s, i, &cp)) {
    utf8_next(s, i, &cp);
    out.push_back(cp);
  }
  return out;
}

std::size_t utf8_invalid_offset(std::string_view s) {
  char32_t cp = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    bool valid = true;
    std::size_t len = utf8_next(s, i, &cp, &valid);
    if (!valid) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string utf8_sanitize(std::string_view s) {
  std::size_t bad = utf8_invalid_offset(s);
  if (bad == std::string_view::npos) return std::string(s);
  std::string out(s.substr(0, bad));
  char32_t cp = 0;
  for (std::size_t i = bad; i < s.size();) {
    std::size_t len = utf8_next(s, i, &cp);
    if (cp == 0xFFFD && len == 1) {
      append_utf8(out, 0xFFFD);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out;
}

std::optional<std::string> decode_text_file(std::string_view raw, std::string* what) {
  auto starts = [&](std::string_view bom) { return raw.substr(0, bom.size()) == bom; };
  auto set = [&](std::string w) {
    if (what) *what = std::move(w);
  };
  using namespace std::string_view_literals;
  // UTF-32 first: its little-endian mark begins with UTF-16's.
  struct Form {
    std::string_view bom;
    unsigned unit;
    bool big;
    const char* name;
  };
  static constexpr Form kForms[] = {{"\x00\x00\xFE\xFF"sv, 4, true, "UTF-32BE"},
                                    {"\xFF\xFE\x00\x00"sv, 4, false, "UTF-32LE"},
                                    {"\xFE\xFF"sv, 2, true, "UTF-16BE"},
                                    {"\xFF\xFE"sv, 2, false, "UTF-16LE"}};
  for (const Form& f : kForms) {
    if (!starts(f.bom)) continue;
    std::string_view body = raw.substr(f.bom.size());
    if (body.size() % f.unit != 0) {
      set(std::string(f.name) + " text with an odd number of bytes");
      return std::nullopt;
    }
    auto unit = [&](std::size_t i) {
      std::uint32_t v = 0;
      for (unsigned k = 0; k < f.unit; ++k) {
        auto byte = static_cast<unsigned char>(body[i + (f.big ? k : f.unit - 1 - k)]);
        v = (v << 8) | byte;
      }
      return v;
    };
    std::string out;
    out.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); i += f.unit) {
      std::uint32_t c = unit(i);
      if (f.unit == 2 && c >= 0xD800 && c <= 0xDBFF) {
        std::uint32_t lo = i + 2 < body.size() ? unit(i + 2) : 0;
        if (lo < 0xDC00 || lo > 0xDFFF) {
          set(std::string(f.name) + " text with an unpaired surrogate");
          return std::nullopt;
        }
        c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
        i += 2;
      } else if ((c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
        set(std::string(f.name) + " text with an invalid code unit");
        return std::nullopt;
      }
      append_utf8(out, c);
    }
    set(f.name);
    return out;
  }
  set("");
  if (starts("\xEF\xBB\xBF"sv)) return std::string(raw.substr(3));
  if (raw.find('\0') != std::string_view::npos) {
    set("a binary file (it holds NUL bytes), not text");
    return std::nullopt;
  }
  return std::string(raw);
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
  if (ascii) {
    std::string out(s);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }
  std::string out;
  out.reserve(s.size());
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

std::vector<std::string> split_nonempty(std::string_view s, char sep) {
  std::vector<std::string> out;
  for (std::string_view piece : split_view(s, sep))
    if (!piece.empty()) out.emplace_back(piece);
  return out;
}

namespace {
char ascii_lower_char(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, bool ascii_ignore_case) {
  auto fold = [&](char c) { return ascii_ignore_case ? ascii_lower_char(c) : c; };
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

bool ascii_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower_char(a[i]) != ascii_lower_char(b[i])) return false;
  }
  return true;
}

bool ascii_istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && ascii_iequal(s.substr(0, prefix.size()), prefix);
}

bool has_aws_prefix(std::string_view key) { return ascii_istarts_with(key, "aws:"); }

namespace {

/// Levenshtein distance of two sequences (bytes or code points), capped at cap + 1. Rows of up
/// to 64 entries stay on the stack: tag keys and values are short, and rules compare many.
template <class Seq>
std::size_t levenshtein(const Seq& x, const Seq& y, std::size_t cap) {
  if ((x.size() > y.size() ? x.size() - y.size() : y.size() - x.size()) > cap) return cap + 1;
  constexpr std::size_t kOnStack = 64;
  std::size_t stack_rows[2][kOnStack + 1];
  std::vector<std::size_t> heap_rows;
  std::size_t* prev = stack_rows[0];
  std::size_t* cur = stack_rows[1];
  if (y.size() > kOnStack) {
    heap_rows.resize(2 * (y.size() + 1));
    prev = heap_rows.data();
    cur = prev + y.size() + 1;
  }
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

bool all_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  // In ASCII, bytes are the code points: no decoding.
  if (all_ascii(a) && all_ascii(b)) return levenshtein(a, b, cap);
  return levenshtein(utf8_decode(a), utf8_decode(b), cap);
}

}  // namespace tagwarden
