// Terraform's built-in functions (developer.hashicorp.com/terraform/language/functions), as
// far as they can run statically. Each keeps Terraform's documented behaviour; deviations are
// listed in docs/terraform-functions.md.
#include "linter/model/text.hpp"
#include "linter/eval/tf/functions.hpp"
#include "linter/eval/tf/doc_value.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <regex>

#include "linter/load/doc.hpp"

namespace tagwarden::tf {
namespace {

using Args = std::vector<Value>;
using Impl = Value (*)(Args&, Span, FunctionEnv&);

/// How much of the arguments must be known before a function runs.
enum class Needs {
  kWhollyKnown,  ///< every argument wholly known (most string and number functions)
  kTopKnown,     ///< every argument itself known; unknown elements inside are carried along
  kCustom,       ///< the function handles unknown arguments itself
};

struct Fn {
  const char* name;
  int min_args;
  int max_args;  ///< -1: variadic
  Needs needs;
  Impl impl;
};

// ---- helpers ----

std::string deep_unknown_reason(const Value& v) {
  if (v.is_unknown()) return v.unknown_reason();
  if (v.kind() == Value::Kind::kList) {
    for (const Value& x : v.as_list()) {
      if (!x.is_wholly_known()) return deep_unknown_reason(x);
    }
  }
  if (v.kind() == Value::Kind::kMap) {
    for (const auto& [k, e] : v.as_map()) {
      if (!e.value.is_wholly_known()) return deep_unknown_reason(e.value);
    }
    if (v.map_open()) return "the map's keys are not all known statically";
  }
  return "a value is not known statically";
}

std::optional<std::string> as_str(const Value& v) {
  if (v.is_null()) return std::nullopt;
  return v.to_string();
}

std::vector<std::uint32_t> decode_utf8(std::string_view s) {
  std::vector<std::uint32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = c;
    std::size_t len = 1;
    if (c >= 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else if (c >= 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    }
    if (i + len > s.size()) {
      len = 1;
      cp = c;
    }
    for (std::size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encode_utf8(const std::vector<std::uint32_t>& cps, std::size_t b, std::size_t e) {
  std::string out;
  for (std::size_t i = b; i < e && i < cps.size(); ++i) append_utf8(out, cps[i]);
  return out;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += len;
  }
  return true;
}

bool is_whole(double d) { return std::isfinite(d) && d == std::floor(d); }

std::string json_quote(std::string_view s) {
  // Go's encoding/json (behind Terraform's jsonencode) escapes <, > and & as well.
  std::string out = "\"";
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

void json_encode(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
    case Value::Kind::kUnknown: out += "null"; break;
    case Value::Kind::kBool:
    case Value::Kind::kNumber: out += *v.to_string(); break;
    case Value::Kind::kString: out += json_quote(v.as_string()); break;
    case Value::Kind::kList: {
      out += '[';
      bool first = true;
      for (const Value& x : v.as_list()) {
        if (!first) out += ',';
        first = false;
        json_encode(x, out);
      }
      out += ']';
      break;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [k, e] : v.as_map()) {
        if (!first) out += ',';
        first = false;
        out += json_quote(k);
        out += ':';
        json_encode(e.value, out);
      }
      out += '}';
      break;
    }
  }
}

/// Orders primitive values for sets: numbers numerically, strings lexically, others by kind.
bool set_less(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() < b.kind();
  if (a.kind() == Value::Kind::kNumber) return a.as_number() < b.as_number();
  if (a.kind() == Value::Kind::kString) return a.as_string() < b.as_string();
  if (a.kind() == Value::Kind::kBool) return a.as_bool() < b.as_bool();
  return false;
}

ListData distinct_items(const ListData& in) {
  ListData out;
  for (const Value& v : in) {
    bool seen = false;
    for (const Value& o : out) {
      if (values_equal(o, v)) {
        seen = true;
        break;
      }
    }
    if (!seen) out.push_back(v);
  }
  return out;
}

/// Sets in Terraform have no order of their own; sets of primitives iterate sorted.
Value make_set(ListData items, Span span) {
  ListData d = distinct_items(items);
  std::stable_sort(d.begin(), d.end(), set_less);
  return Value::list(std::move(d), span);
}

// ---- RE2 subset on std::regex ----

struct Regex {
  std::regex re;
  std::vector<std::string> names;  ///< per capture group (1-based index - 1); "" if unnamed
};

/// Translates the common RE2 subset to ECMAScript: named groups `(?P<n>...)`/`(?<n>...)`
/// become plain groups with their names remembered, a leading `(?i)` becomes icase, `\A`
/// and `\z` become `^` and `$`. Other RE2-only syntax is refused (nullopt + reason).
std::optional<Regex> compile_regex(std::string_view pat, std::string& why) {
  std::string out;
  std::vector<std::string> names;
  auto flags = std::regex::ECMAScript;
  if (pat.rfind("(?i)", 0) == 0) {
    flags |= std::regex::icase;
    pat.remove_prefix(4);
  }
  bool in_class = false;
  for (std::size_t i = 0; i < pat.size(); ++i) {
    char c = pat[i];
    if (c == '\\' && i + 1 < pat.size()) {
      char n = pat[i + 1];
      if (n == 'A') {
        out += '^';
      } else if (n == 'z') {
        out += '$';
      } else if (n == 'p' || n == 'P' || n == 'Q' || n == 'C') {
        why = "regular expression uses RE2 syntax \\" + std::string(1, n) + " that is not supported";
        return std::nullopt;
      } else {
        out += c;
        out += n;
      }
      ++i;
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      if (i + 1 < pat.size() && pat[i + 1] == '^') out += pat[++i];
      if (i + 1 < pat.size() && pat[i + 1] == ']') out += pat[++i];
      continue;
    }
    if (c == '(') {
      std::string_view rest = pat.substr(i);
      if (rest.rfind("(?P<", 0) == 0 || (rest.rfind("(?<", 0) == 0 && rest.rfind("(?<=", 0) != 0 &&
                                         rest.rfind("(?<!", 0) != 0)) {
        std::size_t open = rest.find('<');
        std::size_t close = rest.find('>');
        if (close == std::string_view::npos) {
          why = "invalid named group in regular expression";
          return std::nullopt;
        }
        names.emplace_back(rest.substr(open + 1, close - open - 1));
        out += '(';
        i += close;
        continue;
      }
      if (rest.rfind("(?", 0) == 0) {
        if (rest.rfind("(?:", 0) != 0 && rest.rfind("(?=", 0) != 0 && rest.rfind("(?!", 0) != 0) {
          why = "regular expression uses flags or groups that are not supported";
          return std::nullopt;
        }
      } else {
        names.emplace_back();
      }
    }
    out += c;
  }
  try {
    return Regex{std::regex(out, flags), std::move(names)};
  } catch (const std::exception& ex) {
    why = std::string("invalid regular expression: ") + ex.what();
    return std::nullopt;
  }
}

constexpr std::size_t kMaxRegexInput = 1u << 16;

Value match_value(const Regex& r, const std::smatch& m, Span span) {
  if (r.names.empty()) return Value::string(m.str(0), span);
  bool all_named = std::all_of(r.names.begin(), r.names.end(), [](const std::string& n) { return !n.empty(); });
  if (all_named) {
    MapData out;
    for (std::size_t g = 0; g < r.names.size(); ++g) {
      Value v = m[g + 1].matched ? Value::string(m.str(g + 1), span) : Value::null(span);
      out.insert_or_assign(r.names[g], MapEntry{v, span, {}});
    }
    return Value::map(std::move(out), span);
  }
  ListData out;
  for (std::size_t g = 0; g < r.names.size(); ++g) {
    out.push_back(m[g + 1].matched ? Value::string(m.str(g + 1), span) : Value::null(span));
  }
  return Value::list(std::move(out), span);
}

/// Go's Regexp.Expand: `$1`, `${1}`, `$name`, `${name}`, `$$`.
std::string expand_replacement(std::string_view repl, const Regex& r, const std::smatch& m) {
  std::string out;
  for (std::size_t i = 0; i < repl.size(); ++i) {
    if (repl[i] != '$' || i + 1 >= repl.size()) {
      out += repl[i];
      continue;
    }
    if (repl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    std::string name;
    std::size_t j = i + 1;
    if (repl[j] == '{') {
      std::size_t close = repl.find('}', j);
      if (close == std::string_view::npos) {
        out += repl[i];
        continue;
      }
      name = std::string(repl.substr(j + 1, close - j - 1));
      j = close + 1;
    } else {
      while (j < repl.size() && (std::isalnum(static_cast<unsigned char>(repl[j])) || repl[j] == '_')) {
        name += repl[j++];
      }
      if (name.empty()) {
        out += repl[i];
        continue;
      }
    }
    i = j - 1;
    bool digits = std::all_of(name.begin(), name.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    std::size_t group = 0;
    if (digits && !name.empty() && name.size() < 6) {
      group = static_cast<std::size_t>(std::stoul(name));
      if (group < m.size()) out += m.str(group);
    } else {
      for (std::size_t g = 0; g < r.names.size(); ++g) {
        if (r.names[g] == name && g + 1 < m.size()) out += m.str(g + 1);
      }
    }
  }
  return out;
}

// ---- format ----

std::optional<std::string> format_impl(std::string_view fmt, const Args& args, std::size_t first,
                                       std::string& why) {
  std::string out;
  std::size_t next = first;
  for (std::size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) {
      why = "format string ends with %";
      return std::nullopt;
    }
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    bool minus = false, plus = false, zero = false, space = false, sharp = false;
    for (; i < fmt.size(); ++i) {
      char f = fmt[i];
      if (f == '-') minus = true;
      else if (f == '+') plus = true;
      else if (f == '0') zero = true;
      else if (f == ' ') space = true;
      else if (f == '#') sharp = true;
      else break;
    }
    if (i < fmt.size() && fmt[i] == '[') {
      std::size_t close = fmt.find(']', i);
      if (close == std::string_view::npos) {
        why = "unterminated argument index in format string";
        return std::nullopt;
      }
      int n = 0;
      auto [p, ec] = std::from_chars(fmt.data() + i + 1, fmt.data() + close, n);
      if (ec != std::errc() || n < 1) {
        why = "invalid argument index in format string";
        return std::nullopt;
      }
      next = first + static_cast<std::size_t>(n - 1);
      i = close + 1;
    }
    int width = -1, prec = -1;
    if (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
      width = 0;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])) && width < 10000) {
        width = width * 10 + (fmt[i++] - '0');
      }
    }
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      prec = 0;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i])) && prec < 10000) {
        prec = prec * 10 + (fmt[i++] - '0');
      }
    }
    if (i >= fmt.size()) {
      why = "format string ends in the middle of a verb";
      return std::nullopt;
    }
    char verb = fmt[i];
    if (next >= args.size()) {
      why = "not enough arguments for format string";
      return std::nullopt;
    }
    const Value& a = args[next++];
    std::string piece;
    bool numeric = false;
    switch (verb) {
      case 'v':
        if (a.is_null()) {
          piece = "null";
        } else if (sharp || a.kind() == Value::Kind::kList || a.kind() == Value::Kind::kMap) {
          json_encode(a, piece);
        } else {
          piece = *a.to_string();
        }
        break;
      case 's': {
        std::optional<std::string> s = as_str(a);
        if (!s) {
          why = "%s needs a string, not a " + a.type_name();
          return std::nullopt;
        }
        piece = prec >= 0 ? encode_utf8(decode_utf8(*s), 0, static_cast<std::size_t>(prec)) : *s;
        break;
      }
      case 'q': {
        std::optional<std::string> s = as_str(a);
        if (!s) {
          why = "%q needs a string, not a " + a.type_name();
          return std::nullopt;
        }
        piece = json_quote(*s);
        break;
      }
      case 't': {
        std::optional<bool> b = a.is_null() ? std::nullopt : to_bool(a);
        if (!b) {
          why = "%t needs a bool, not a " + a.type_name();
          return std::nullopt;
        }
        piece = *b ? "true" : "false";
        break;
      }
      case 'd': case 'b': case 'o': case 'x': case 'X': case 'e': case 'E': case 'f': case 'g':
      case 'G': {
        std::optional<double> n = a.is_null() ? std::nullopt : to_number(a);
        if (!n) {
          why = std::string("%") + verb + " needs a number, not a " + a.type_name();
          return std::nullopt;
        }
        numeric = true;
        double d = *n;
        char buf[512];
        if (verb == 'd' || verb == 'b' || verb == 'o' || verb == 'x' || verb == 'X') {
          if (!is_whole(d) || std::fabs(d) > 9.0e18) {
            why = std::string("%") + verb + " needs a whole number";
            return std::nullopt;
          }
          auto iv = static_cast<long long>(d);
          unsigned long long mag = iv < 0 ? static_cast<unsigned long long>(-(iv + 1)) + 1
                                          : static_cast<unsigned long long>(iv);
          int base = verb == 'd' ? 10 : verb == 'b' ? 2 : verb == 'o' ? 8 : 16;
          auto [p, ec] = std::to_chars(buf, buf + sizeof buf, mag, base);
          piece.assign(buf, p);
          if (verb == 'X') {
            for (char& ch : piece) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
          }
          if (iv < 0) piece.insert(0, "-");
          else if (plus) piece.insert(0, "+");
          else if (space) piece.insert(0, " ");
        } else {
          std::string spec = "%";
          if (plus) spec += '+';
          if (space) spec += ' ';
          spec += '.';
          spec += std::to_string(prec >= 0 ? prec : (verb == 'g' || verb == 'G' ? 17 : 6));
          spec += verb;
          if (prec < 0 && (verb == 'g' || verb == 'G')) {
            // Go's %g without precision uses the shortest representation.
            std::string s = *Value::number(d).to_string();
            piece = (plus && d >= 0) ? "+" + s : s;
          } else {
            std::snprintf(buf, sizeof buf, spec.c_str(), d);
            piece = buf;
          }
        }
        break;
      }
      default:
        why = std::string("unsupported format verb %") + verb;
        return std::nullopt;
    }
    auto len = static_cast<int>(decode_utf8(piece).size());
    if (width > len) {
      auto pad = static_cast<std::size_t>(width - len);
      if (minus) {
        piece.append(pad, ' ');
      } else if (zero && numeric) {
        std::size_t at = (!piece.empty() && (piece[0] == '-' || piece[0] == '+' || piece[0] == ' ')) ? 1 : 0;
        piece.insert(at, pad, '0');
      } else {
        piece.insert(0, pad, ' ');
      }
    }
    out += piece;
  }
  return out;
}

// ---- the functions ----

#define TW_FN(name) Value fn_##name([[maybe_unused]] Args& a, [[maybe_unused]] Span s, [[maybe_unused]] FunctionEnv& env)

Value need_str(const Value& v, std::string_view fn, Span s, FunctionEnv& env, std::string& out) {
  std::optional<std::string> str = as_str(v);
  if (!str) return env.error(std::string(fn) + "() needs a string, not a " + v.type_name(), s);
  out = std::move(*str);
  return Value();
}

#define TW_STR(var, idx, fn)                                  \
  std::string var;                                            \
  if (Value bad_ = need_str(a[idx], fn, s, env, var); bad_.is_unknown()) return bad_

#define TW_NUM(var, idx, fn)                                                           \
  double var = 0;                                                                      \
  {                                                                                    \
    std::optional<double> n_ = a[idx].is_null() ? std::nullopt : to_number(a[idx]);   \
    if (!n_) return env.error(std::string(fn) + "() needs a number, not a " + a[idx].type_name(), s); \
    var = *n_;                                                                         \
  }

#define TW_LIST(var, idx, fn)                                                              \
  if (a[idx].kind() != Value::Kind::kList)                                                 \
    return env.error(std::string(fn) + "() needs a list, not a " + a[idx].type_name(), s); \
  const ListData& var = a[idx].as_list()

std::string ascii_map(std::string str, int (*f)(int)) {
  for (char& c : str) {
    if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(f(static_cast<unsigned char>(c)));
  }
  return str;
}

TW_FN(lower) { TW_STR(x, 0, "lower"); return Value::string(ascii_map(x, [](int c) { return std::tolower(c); }), s); }
TW_FN(upper) { TW_STR(x, 0, "upper"); return Value::string(ascii_map(x, [](int c) { return std::toupper(c); }), s); }

TW_FN(title) {
  TW_STR(x, 0, "title");
  bool sep = true;
  for (char& c : x) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      sep = false;
      continue;
    }
    if (sep && std::isalpha(u)) c = static_cast<char>(std::toupper(u));
    sep = !(std::isalnum(u) || c == '_');
  }
  return Value::string(std::move(x), s);
}

bool is_ws(std::uint32_t c) { return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0; }

TW_FN(trimspace) {
  TW_STR(x, 0, "trimspace");
  auto cps = decode_utf8(x);
  std::size_t b = 0, e = cps.size();
  while (b < e && is_ws(cps[b])) ++b;
  while (e > b && is_ws(cps[e - 1])) --e;
  return Value::string(encode_utf8(cps, b, e), s);
}

TW_FN(trim) {
  TW_STR(x, 0, "trim");
  TW_STR(cut, 1, "trim");
  auto cps = decode_utf8(x);
  auto set = decode_utf8(cut);
  auto in = [&](std::uint32_t c) { return std::find(set.begin(), set.end(), c) != set.end(); };
  std::size_t b = 0, e = cps.size();
  while (b < e && in(cps[b])) ++b;
  while (e > b && in(cps[e - 1])) --e;
  return Value::string(encode_utf8(cps, b, e), s);
}

TW_FN(trimprefix) {
  TW_STR(x, 0, "trimprefix");
  TW_STR(p, 1, "trimprefix");
  if (x.rfind(p, 0) == 0) x.erase(0, p.size());
  return Value::string(std::move(x), s);
}

TW_FN(trimsuffix) {
  TW_STR(x, 0, "trimsuffix");
  TW_STR(p, 1, "trimsuffix");
  if (x.size() >= p.size() && x.compare(x.size() - p.size(), p.size(), p) == 0) x.resize(x.size() - p.size());
  return Value::string(std::move(x), s);
}

TW_FN(chomp) {
  TW_STR(x, 0, "chomp");
  while (!x.empty() && (x.back() == '\n' || x.back() == '\r')) x.pop_back();
  return Value::string(std::move(x), s);
}

TW_FN(startswith) {
  TW_STR(x, 0, "startswith");
  TW_STR(p, 1, "startswith");
  return Value::boolean(x.rfind(p, 0) == 0, s);
}

TW_FN(endswith) {
  TW_STR(x, 0, "endswith");
  TW_STR(p, 1, "endswith");
  return Value::boolean(x.size() >= p.size() && x.compare(x.size() - p.size(), p.size(), p) == 0, s);
}

TW_FN(replace) {
  TW_STR(x, 0, "replace");
  TW_STR(sub, 1, "replace");
  TW_STR(rep, 2, "replace");
  // "If substring is wrapped in forward slashes, it is treated as a regular expression."
  if (sub.size() >= 2 && sub.front() == '/' && sub.back() == '/') {
    std::string why;
    std::optional<Regex> r = compile_regex(std::string_view(sub).substr(1, sub.size() - 2), why);
    if (!r) return Value::unknown(why, s);
    if (x.size() > kMaxRegexInput) return Value::unknown("string too long for regex evaluation", s);
    try {
      std::string out;
      auto begin = x.cbegin();
      for (std::sregex_iterator it(x.begin(), x.end(), r->re), end; it != end; ++it) {
        if (!env.charge(1)) return Value::unknown("evaluation step budget exceeded", s);
        out.append(begin, x.cbegin() + it->position(0));
        out += expand_replacement(rep, *r, *it);
        begin = x.cbegin() + it->position(0) + it->length(0);
      }
      out.append(begin, x.cend());
      return Value::string(std::move(out), s);
    } catch (const std::exception& ex) {
      return Value::unknown(std::string("regular expression failed: ") + ex.what(), s);
    }
  }
  if (sub.empty()) {
    // Go's strings.Replace with an empty old string inserts at every rune boundary.
    auto cps = decode_utf8(x);
    std::string out = rep;
    for (std::uint32_t c : cps) {
      append_utf8(out, c);
      out += rep;
    }
    return Value::string(std::move(out), s);
  }
  std::string out;
  std::size_t pos = 0;
  for (std::size_t f; (f = x.find(sub, pos)) != std::string::npos; pos = f + sub.size()) {
    out.append(x, pos, f - pos);
    out += rep;
  }
  out.append(x, pos, std::string::npos);
  return Value::string(std::move(out), s);
}

TW_FN(substr) {
  TW_STR(x, 0, "substr");
  TW_NUM(off, 1, "substr");
  TW_NUM(len, 2, "substr");
  auto cps = decode_utf8(x);
  auto n = static_cast<double>(cps.size());
  if (off < 0) off += n;
  if (off < 0) off = 0;
  if (off > n) return env.error("substr() offset is past the end of the string", s);
  double end = len < 0 ? n : std::min(n, off + len);
  return Value::string(encode_utf8(cps, static_cast<std::size_t>(off), static_cast<std::size_t>(end)), s);
}

TW_FN(split) {
  TW_STR(sep, 0, "split");
  TW_STR(x, 1, "split");
  ListData out;
  if (sep.empty()) {
    for (std::uint32_t c : decode_utf8(x)) {
      std::string one;
      append_utf8(one, c);
      out.push_back(Value::string(std::move(one), s));
    }
    return Value::list(std::move(out), s);
  }
  std::size_t pos = 0;
  for (std::size_t f; (f = x.find(sep, pos)) != std::string::npos; pos = f + sep.size()) {
    out.push_back(Value::string(x.substr(pos, f - pos), s));
  }
  out.push_back(Value::string(x.substr(pos), s));
  return Value::list(std::move(out), s);
}

TW_FN(join) {
  TW_STR(sep, 0, "join");
  std::string out;
  bool first = true;
  for (std::size_t i = 1; i < a.size(); ++i) {
    TW_LIST(l, i, "join");
    for (const Value& v : l) {
      std::optional<std::string> str = as_str(v);
      if (!str) return env.error("join() elements must be strings, not " + v.type_name(), s);
      if (!first) out += sep;
      first = false;
      out += *str;
    }
  }
  return Value::string(std::move(out), s);
}

TW_FN(format) {
  TW_STR(f, 0, "format");
  std::string why;
  std::optional<std::string> out = format_impl(f, a, 1, why);
  if (!out) return env.error("format(): " + why, s);
  return Value::string(std::move(*out), s);
}

TW_FN(formatlist) {
  TW_STR(f, 0, "formatlist");
  std::optional<std::size_t> n;
  for (std::size_t i = 1; i < a.size(); ++i) {
    if (a[i].kind() == Value::Kind::kList) {
      std::size_t len = a[i].as_list().size();
      if (n && *n != len) return env.error("formatlist() lists must all have the same length", s);
      n = len;
    }
  }
  std::size_t count = n.value_or(1);
  ListData out;
  for (std::size_t row = 0; row < count; ++row) {
    Args line{a[0]};
    for (std::size_t i = 1; i < a.size(); ++i) {
      line.push_back(a[i].kind() == Value::Kind::kList ? a[i].as_list()[row] : a[i]);
    }
    std::string why;
    std::optional<std::string> str = format_impl(f, line, 1, why);
    if (!str) return env.error("formatlist(): " + why, s);
    out.push_back(Value::string(std::move(*str), s));
  }
  return Value::list(std::move(out), s);
}

Value regex_common(Args& a, Span s, FunctionEnv& env, bool all) {
  const char* fn = all ? "regexall" : "regex";
  TW_STR(pat, 0, fn);
  TW_STR(x, 1, fn);
  std::string why;
  std::optional<Regex> r = compile_regex(pat, why);
  if (!r) return Value::unknown(why, s);
  if (x.size() > kMaxRegexInput) return Value::unknown("string too long for regex evaluation", s);
  try {
    ListData matches;
    for (std::sregex_iterator it(x.begin(), x.end(), r->re), end; it != end; ++it) {
      if (!env.charge(1)) return Value::unknown("evaluation step budget exceeded", s);
      if (!all) return match_value(*r, *it, s);
      matches.push_back(match_value(*r, *it, s));
    }
    if (!all) return env.error("regex(): pattern did not match", s);
    return Value::list(std::move(matches), s);
  } catch (const std::exception& ex) {
    return Value::unknown(std::string("regular expression failed: ") + ex.what(), s);
  }
}

TW_FN(regex) { return regex_common(a, s, env, false); }
TW_FN(regexall) { return regex_common(a, s, env, true); }

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

TW_FN(base64encode) {
  TW_STR(x, 0, "base64encode");
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(x[k])); };
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < x.size(); i += 3) {
    std::uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    for (int k = 3; k >= 0; --k) out += kB64[(v >> (6 * k)) & 0x3F];
  }
  std::size_t rest = x.size() - i;
  if (rest > 0) {
    std::uint32_t v = byte(i) << 16;
    if (rest == 2) v |= byte(i + 1) << 8;
    out += kB64[(v >> 18) & 0x3F];
    out += kB64[(v >> 12) & 0x3F];
    out += rest == 2 ? kB64[(v >> 6) & 0x3F] : '=';
    out += '=';
  }
  return Value::string(std::move(out), s);
}

TW_FN(base64decode) {
  TW_STR(x, 0, "base64decode");
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t pad = 0;
  for (char c : x) {
    if (c == '=') {
      ++pad;
      continue;
    }
    const char* p = std::strchr(kB64, c);
    if (p == nullptr || c == '\0' || pad > 0) return env.error("base64decode(): invalid base64 data", s);
    acc = (acc << 6) | static_cast<std::uint32_t>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if ((x.size() % 4) != 0) return env.error("base64decode(): invalid base64 data", s);
  if (!valid_utf8(out)) return env.error("base64decode(): the result is not valid UTF-8", s);
  return Value::string(std::move(out), s);
}

TW_FN(jsonencode) {
  std::string out;
  json_encode(a[0], out);
  return Value::string(std::move(out), s);
}

Value decode_doc(Args& a, Span s, FunctionEnv& env, bool yaml) {
  const char* fn = yaml ? "yamldecode" : "jsondecode";
  TW_STR(x, 0, fn);
  DocResult r = yaml ? parse_yaml(kNoFile, x) : parse_json(kNoFile, x);
  if (!r.root || !r.errors.empty()) {
    return env.error(std::string(fn) + "(): " +
                         (r.errors.empty() ? std::string("invalid document") : r.errors.front().message),
                     s);
  }
  return value_from_doc(*r.root, s);
}

TW_FN(jsondecode) { return decode_doc(a, s, env, false); }
TW_FN(yamldecode) { return decode_doc(a, s, env, true); }

TW_FN(tostring) {
  if (a[0].is_null()) return Value::null(s);
  std::optional<std::string> str = a[0].to_string();
  if (!str) return env.error("tostring() cannot convert a " + a[0].type_name(), s);
  return Value::string(std::move(*str), a[0].span());
}

TW_FN(tonumber) {
  if (a[0].is_null()) return Value::null(s);
  std::optional<double> n = to_number(a[0]);
  if (!n) return env.error("tonumber() cannot convert this " + a[0].type_name() + " to a number", s);
  return Value::number(*n, a[0].span());
}

TW_FN(tobool) {
  if (a[0].is_null()) return Value::null(s);
  std::optional<bool> b = to_bool(a[0]);
  if (!b) return env.error("tobool() cannot convert this " + a[0].type_name() + " to a bool", s);
  return Value::boolean(*b, a[0].span());
}

TW_FN(tomap) {
  if (a[0].is_null() || a[0].kind() == Value::Kind::kMap) return a[0];
  return env.error("tomap() cannot convert a " + a[0].type_name() + " to a map", s);
}

TW_FN(tolist) {
  if (a[0].is_null() || a[0].kind() == Value::Kind::kList) return a[0];
  return env.error("tolist() cannot convert a " + a[0].type_name() + " to a list", s);
}

TW_FN(toset) {
  if (a[0].is_null()) return a[0];
  TW_LIST(l, 0, "toset");
  return make_set(l, s);
}

/// merge(): later arguments override earlier ones key by key (Terraform docs, merge). An
/// unknown or open map argument may hold any key: the result is open, and keys set by earlier
/// arguments keep existing but their values may be overridden, so they become unknown.
TW_FN(merge) {
  MapData out;
  bool open = false;
  for (const Value& v : a) {
    if (v.is_null()) continue;
    if (v.kind() != Value::Kind::kMap && !v.is_unknown()) {
      return env.error("merge() arguments must be maps or objects, not a " + v.type_name(), s);
    }
    if (v.is_unknown() || v.map_open()) {
      std::string reason = v.is_unknown() ? v.unknown_reason()
                                          : "a merged map's keys are not all known statically";
      for (auto& [k, e] : out) {
        if (v.is_unknown() || v.as_map().count(k) == 0) {
          e.value = Value::unknown("may be overridden by a later merge() argument: " + reason,
                                   e.value.span());
        }
      }
      open = true;
    }
    for (const auto& [k, e] : v.as_map()) out.insert_or_assign(k, e);
  }
  return Value::map(std::move(out), s, open);
}

TW_FN(lookup) {
  if (a[0].is_unknown()) return Value::unknown(a[0].unknown_reason(), s);
  if (a[1].is_unknown()) return Value::unknown(a[1].unknown_reason(), s);
  if (a[0].kind() != Value::Kind::kMap) return env.error("lookup() needs a map, not a " + a[0].type_name(), s);
  TW_STR(key, 1, "lookup");
  const MapData& m = a[0].as_map();
  auto it = m.find(key);
  if (it != m.end()) return it->second.value;
  if (a[0].map_open()) return Value::unknown("key \"" + key + "\" is not known statically", s);
  if (a.size() > 2) return a[2];
  return env.error("lookup(): no key \"" + key + "\" and no default", s);
}

TW_FN(concat) {
  ListData out;
  for (std::size_t i = 0; i < a.size(); ++i) {
    TW_LIST(l, i, "concat");
    out.insert(out.end(), l.begin(), l.end());
  }
  return Value::list(std::move(out), s);
}

TW_FN(coalesce) {
  for (const Value& v : a) {
    if (v.is_unknown()) return Value::unknown(v.unknown_reason(), s);
    if (v.is_null()) continue;
    if (v.kind() == Value::Kind::kString && v.as_string().empty()) continue;
    return v;
  }
  return env.error("coalesce(): no non-null, non-empty-string arguments", s);
}

TW_FN(coalescelist) {
  for (const Value& v : a) {
    if (v.is_unknown()) return Value::unknown(v.unknown_reason(), s);
    if (v.is_null()) continue;
    if (v.kind() != Value::Kind::kList) return env.error("coalescelist() arguments must be lists", s);
    if (!v.as_list().empty()) return v;
  }
  return env.error("coalescelist(): no non-empty list arguments", s);
}

TW_FN(keys) {
  if (a[0].kind() != Value::Kind::kMap) return env.error("keys() needs a map, not a " + a[0].type_name(), s);
  if (a[0].map_open()) return Value::unknown("the map's keys are not all known statically", s);
  ListData out;
  for (const auto& [k, e] : a[0].as_map()) out.push_back(Value::string(k, e.key_span));
  return Value::list(std::move(out), s);
}

TW_FN(values) {
  if (a[0].kind() != Value::Kind::kMap) return env.error("values() needs a map, not a " + a[0].type_name(), s);
  if (a[0].map_open()) return Value::unknown("the map's keys are not all known statically", s);
  ListData out;
  for (const auto& [k, e] : a[0].as_map()) out.push_back(e.value);
  return Value::list(std::move(out), s);
}

TW_FN(zipmap) {
  TW_LIST(ks, 0, "zipmap");
  TW_LIST(vs, 1, "zipmap");
  if (ks.size() != vs.size()) return env.error("zipmap() lists must have the same length", s);
  MapData out;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    if (ks[i].is_unknown()) return Value::unknown(ks[i].unknown_reason(), s);
    std::optional<std::string> k = as_str(ks[i]);
    if (!k) return env.error("zipmap() keys must be strings", s);
    out.insert_or_assign(*k, MapEntry{vs[i], ks[i].span(), {}});
  }
  return Value::map(std::move(out), s);
}

bool flatten_into(const ListData& in, ListData& out, int depth, std::string& unknown) {
  for (const Value& v : in) {
    if (v.is_unknown()) {
      unknown = v.unknown_reason();
      return false;
    }
    if (v.kind() == Value::Kind::kList && depth < 64) {
      if (!flatten_into(v.as_list(), out, depth + 1, unknown)) return false;
    } else {
      out.push_back(v);
    }
  }
  return true;
}

TW_FN(flatten) {
  TW_LIST(l, 0, "flatten");
  ListData out;
  std::string why;
  if (!flatten_into(l, out, 0, why)) return Value::unknown(why, s);
  return Value::list(std::move(out), s);
}

TW_FN(distinct) {
  TW_LIST(l, 0, "distinct");
  return Value::list(distinct_items(l), s);
}

TW_FN(contains) {
  TW_LIST(l, 0, "contains");
  for (const Value& v : l) {
    if (values_equal(v, a[1])) return Value::boolean(true, s);
  }
  return Value::boolean(false, s);
}

TW_FN(element) {
  TW_LIST(l, 0, "element");
  if (a[1].is_unknown()) return Value::unknown(a[1].unknown_reason(), s);
  TW_NUM(i, 1, "element");
  if (l.empty()) return env.error("element() cannot use an empty list", s);
  if (!is_whole(i) || i < 0) return env.error("element() index must be a non-negative whole number", s);
  // "If the given index is greater than the length of the list then the index is wrapped
  // around" (Terraform docs, element).
  return l[static_cast<std::size_t>(std::fmod(i, static_cast<double>(l.size())))];
}

TW_FN(length) {
  const Value& v = a[0];
  switch (v.kind()) {
    case Value::Kind::kList: return Value::number(static_cast<double>(v.as_list().size()), s);
    case Value::Kind::kMap:
      if (v.map_open()) return Value::unknown("the map's keys are not all known statically", s);
      return Value::number(static_cast<double>(v.as_map().size()), s);
    case Value::Kind::kString: return Value::number(static_cast<double>(decode_utf8(v.as_string()).size()), s);
    default: return env.error("length() needs a collection or string, not a " + v.type_name(), s);
  }
}

TW_FN(index) {
  TW_LIST(l, 0, "index");
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (values_equal(l[i], a[1])) return Value::number(static_cast<double>(i), s);
  }
  return env.error("index(): item not found", s);
}

TW_FN(one) {
  if (a[0].is_null()) return env.error("one() needs a list, not null", s);
  TW_LIST(l, 0, "one");
  if (l.empty()) return Value::null(s);
  if (l.size() > 1) return env.error("one() needs a list with no more than one element", s);
  return l[0];
}

TW_FN(sum) {
  TW_LIST(l, 0, "sum");
  if (l.empty()) return env.error("sum() cannot sum an empty list", s);
  double t = 0;
  for (const Value& v : l) {
    std::optional<double> n = v.is_null() ? std::nullopt : to_number(v);
    if (!n) return env.error("sum() elements must be numbers", s);
    t += *n;
  }
  return Value::number(t, s);
}

Value min_max(Args& a, Span s, FunctionEnv& env, bool want_max) {
  if (a.empty()) return env.error("min()/max() need at least one argument", s);
  double best = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    TW_NUM(n, i, want_max ? "max" : "min");
    if (i == 0 || (want_max ? n > best : n < best)) best = n;
  }
  return Value::number(best, s);
}

TW_FN(min) { return min_max(a, s, env, false); }
TW_FN(max) { return min_max(a, s, env, true); }
TW_FN(abs) { TW_NUM(n, 0, "abs"); return Value::number(std::fabs(n), s); }
TW_FN(ceil) { TW_NUM(n, 0, "ceil"); return Value::number(std::ceil(n), s); }
TW_FN(floor) { TW_NUM(n, 0, "floor"); return Value::number(std::floor(n), s); }

TW_FN(sort) {
  TW_LIST(l, 0, "sort");
  std::vector<std::string> strs;
  for (const Value& v : l) {
    std::optional<std::string> str = as_str(v);
    if (!str) return env.error("sort() elements must be strings", s);
    strs.push_back(std::move(*str));
  }
  std::sort(strs.begin(), strs.end());
  ListData out;
  for (std::string& x : strs) out.push_back(Value::string(std::move(x), s));
  return Value::list(std::move(out), s);
}

TW_FN(reverse) {
  TW_LIST(l, 0, "reverse");
  return Value::list(ListData(l.rbegin(), l.rend()), s);
}

TW_FN(range) {
  double start = 0, limit = 0, step = 1;
  if (a.size() == 1) {
    TW_NUM(n, 0, "range");
    limit = n;
  } else {
    TW_NUM(b, 0, "range");
    TW_NUM(e, 1, "range");
    start = b;
    limit = e;
    if (a.size() == 3) {
      TW_NUM(st, 2, "range");
      step = st;
    } else if (limit < start) {
      step = -1;
    }
  }
  if (step == 0) return env.error("range() step must not be zero", s);
  if ((step > 0 && limit < start) || (step < 0 && limit > start)) {
    return env.error("range() step moves away from the limit", s);
  }
  ListData out;
  for (double v = start; step > 0 ? v < limit : v > limit; v += step) {
    // Terraform refuses to generate more than 1024 values.
    if (out.size() >= 1024) return env.error("range() would generate more than 1024 values", s);
    if (!env.charge(1)) return Value::unknown("evaluation step budget exceeded", s);
    out.push_back(Value::number(v, s));
  }
  return Value::list(std::move(out), s);
}

TW_FN(setunion) {
  ListData all;
  for (std::size_t i = 0; i < a.size(); ++i) {
    TW_LIST(l, i, "setunion");
    all.insert(all.end(), l.begin(), l.end());
  }
  return make_set(std::move(all), s);
}

TW_FN(setintersection) {
  TW_LIST(first, 0, "setintersection");
  ListData out;
  for (const Value& v : first) {
    bool everywhere = true;
    for (std::size_t i = 1; i < a.size() && everywhere; ++i) {
      TW_LIST(l, i, "setintersection");
      everywhere = std::any_of(l.begin(), l.end(), [&](const Value& x) { return values_equal(x, v); });
    }
    if (everywhere) out.push_back(v);
  }
  return make_set(std::move(out), s);
}

TW_FN(slice) {
  TW_LIST(l, 0, "slice");
  if (a[1].is_unknown() || a[2].is_unknown()) return Value::unknown("slice() index is not known statically", s);
  TW_NUM(b, 1, "slice");
  TW_NUM(e, 2, "slice");
  if (!is_whole(b) || !is_whole(e) || b < 0 || e < b || e > static_cast<double>(l.size())) {
    return env.error("slice() indices are out of range", s);
  }
  return Value::list(ListData(l.begin() + static_cast<std::ptrdiff_t>(b), l.begin() + static_cast<std::ptrdiff_t>(e)), s);
}

TW_FN(compact) {
  TW_LIST(l, 0, "compact");
  ListData out;
  for (const Value& v : l) {
    if (v.is_null()) continue;
    std::optional<std::string> str = v.to_string();
    if (!str) return env.error("compact() elements must be strings", s);
    if (!str->empty()) out.push_back(v);
  }
  return Value::list(std::move(out), s);
}

TW_FN(identity) { return a[0]; }

TW_FN(alltrue) {
  TW_LIST(l, 0, "alltrue");
  for (const Value& v : l) {
    std::optional<bool> b = v.is_null() ? std::nullopt : to_bool(v);
    if (!b) return env.error("alltrue() elements must be bools", s);
    if (!*b) return Value::boolean(false, s);
  }
  return Value::boolean(true, s);
}

TW_FN(anytrue) {
  TW_LIST(l, 0, "anytrue");
  for (const Value& v : l) {
    std::optional<bool> b = v.is_null() ? std::nullopt : to_bool(v);
    if (!b) return env.error("anytrue() elements must be bools", s);
    if (*b) return Value::boolean(true, s);
  }
  return Value::boolean(false, s);
}

/// basename()/dirname() follow Go's filepath.Base/Dir with forward slashes (Terraform docs:
/// "uses forward slashes on Unix").
TW_FN(basename) {
  TW_STR(p, 0, "basename");
  if (p.empty()) return Value::string(".", s);
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  std::size_t slash = p.rfind('/');
  if (slash != std::string::npos && p.size() > 1) p = p.substr(slash + 1);
  return Value::string(p.empty() ? "/" : p, s);
}

std::string clean_path(const std::string& p) {
  bool rooted = !p.empty() && p[0] == '/';
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos <= p.size()) {
    std::size_t next = p.find('/', pos);
    if (next == std::string::npos) next = p.size();
    std::string part = p.substr(pos, next - pos);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") parts.pop_back();
      else if (!rooted) parts.push_back(part);
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    pos = next + 1;
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

TW_FN(dirname) {
  TW_STR(p, 0, "dirname");
  std::size_t slash = p.rfind('/');
  std::string dir = slash == std::string::npos ? "" : p.substr(0, slash + 1);
  return Value::string(clean_path(dir), s);
}

TW_FN(setsubtract) {
  TW_LIST(x, 0, "setsubtract");
  TW_LIST(y, 1, "setsubtract");
  ListData out;
  for (const Value& v : x) {
    if (std::none_of(y.begin(), y.end(), [&](const Value& o) { return values_equal(o, v); })) out.push_back(v);
  }
  return make_set(std::move(out), s);
}

TW_FN(setproduct) {
  std::vector<ListData> sets;
  for (std::size_t i = 0; i < a.size(); ++i) {
    TW_LIST(l, i, "setproduct");
    sets.push_back(l);
  }
  ListData out{Value::list({}, s)};
  for (const ListData& set : sets) {
    ListData next;
    for (const Value& prefix : out) {
      for (const Value& v : set) {
        if (!env.charge(1)) return Value::unknown("evaluation step budget exceeded", s);
        ListData row = prefix.as_list();
        row.push_back(v);
        next.push_back(Value::list(std::move(row), s));
      }
    }
    out = std::move(next);
  }
  return Value::list(std::move(out), s);
}

TW_FN(strrev) {
  TW_STR(x, 0, "strrev");
  auto cps = decode_utf8(x);
  std::reverse(cps.begin(), cps.end());
  return Value::string(encode_utf8(cps, 0, cps.size()), s);
}

TW_FN(pow) {
  TW_NUM(b, 0, "pow");
  TW_NUM(e, 1, "pow");
  return Value::number(std::pow(b, e), s);
}

TW_FN(signum) {
  TW_NUM(n, 0, "signum");
  return Value::number(n > 0 ? 1 : n < 0 ? -1 : 0, s);
}

TW_FN(parseint) {
  TW_STR(x, 0, "parseint");
  TW_NUM(base, 1, "parseint");
  if (!is_whole(base) || base < 2 || base > 62) return env.error("parseint() base must be between 2 and 62", s);
  bool neg = !x.empty() && x[0] == '-';
  std::size_t i = (neg || (!x.empty() && x[0] == '+')) ? 1 : 0;
  if (i >= x.size()) return env.error("parseint() cannot parse \"" + x + "\"", s);
  double v = 0;
  for (; i < x.size(); ++i) {
    char c = x[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + (base <= 36 ? 10 : 36) : 99;
    if (d >= static_cast<int>(base)) return env.error("parseint() cannot parse \"" + x + "\"", s);
    v = v * base + d;
  }
  return Value::number(neg ? -v : v, s);
}

TW_FN(indent) {
  TW_NUM(n, 0, "indent");
  TW_STR(x, 1, "indent");
  if (!is_whole(n) || n < 0 || n > 1000) return env.error("indent() needs a small non-negative number", s);
  std::string pad(static_cast<std::size_t>(n), ' ');
  std::string out;
  for (char c : x) {
    out += c;
    if (c == '\n') out += pad;
  }
  return Value::string(std::move(out), s);
}

TW_FN(urlencode) {
  TW_STR(x, 0, "urlencode");
  // Go's url.QueryEscape: unreserved characters stay, space becomes +, the rest %XX.
  std::string out;
  for (char ch : x) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += ch;
    } else if (c == ' ') {
      out += '+';
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return Value::string(std::move(out), s);
}

TW_FN(chunklist) {
  TW_LIST(l, 0, "chunklist");
  TW_NUM(n, 1, "chunklist");
  if (!is_whole(n) || n < 0) return env.error("chunklist() size must be a non-negative whole number", s);
  if (n == 0) return Value::list({a[0]}, s);
  ListData out;
  auto size = static_cast<std::size_t>(n);
  for (std::size_t i = 0; i < l.size(); i += size) {
    out.push_back(Value::list(ListData(l.begin() + static_cast<std::ptrdiff_t>(i),
                                       l.begin() + static_cast<std::ptrdiff_t>(std::min(l.size(), i + size))),
                              s));
  }
  return Value::list(std::move(out), s);
}

TW_FN(matchkeys) {
  TW_LIST(vals, 0, "matchkeys");
  TW_LIST(ks, 1, "matchkeys");
  TW_LIST(search, 2, "matchkeys");
  if (vals.size() != ks.size()) return env.error("matchkeys() lists must have the same length", s);
  ListData out;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    if (std::any_of(search.begin(), search.end(), [&](const Value& v) { return values_equal(v, ks[i]); })) {
      out.push_back(vals[i]);
    }
  }
  return Value::list(std::move(out), s);
}

TW_FN(transpose) {
  if (a[0].kind() != Value::Kind::kMap) return env.error("transpose() needs a map of lists", s);
  std::map<std::string, ListData> out;
  for (const auto& [k, e] : a[0].as_map()) {
    if (e.value.kind() != Value::Kind::kList) return env.error("transpose() needs a map of lists", s);
    for (const Value& v : e.value.as_list()) {
      std::optional<std::string> str = as_str(v);
      if (!str) return env.error("transpose() list elements must be strings", s);
      out[*str].push_back(Value::string(k, s));
    }
  }
  MapData m;
  for (auto& [k, l] : out) m.emplace(k, MapEntry{Value::list(std::move(l), s), s, {}});
  return Value::map(std::move(m), s);
}

// Sorted by name (binary search).
constexpr Fn kFunctions[] = {
    {"abs", 1, 1, Needs::kWhollyKnown, fn_abs},
    {"alltrue", 1, 1, Needs::kWhollyKnown, fn_alltrue},
    {"anytrue", 1, 1, Needs::kWhollyKnown, fn_anytrue},
    {"base64decode", 1, 1, Needs::kWhollyKnown, fn_base64decode},
    {"base64encode", 1, 1, Needs::kWhollyKnown, fn_base64encode},
    {"basename", 1, 1, Needs::kWhollyKnown, fn_basename},
    {"ceil", 1, 1, Needs::kWhollyKnown, fn_ceil},
    {"chomp", 1, 1, Needs::kWhollyKnown, fn_chomp},
    {"chunklist", 2, 2, Needs::kWhollyKnown, fn_chunklist},
    {"coalesce", 1, -1, Needs::kCustom, fn_coalesce},
    {"coalescelist", 1, -1, Needs::kCustom, fn_coalescelist},
    {"compact", 1, 1, Needs::kWhollyKnown, fn_compact},
    {"concat", 0, -1, Needs::kTopKnown, fn_concat},
    {"contains", 2, 2, Needs::kWhollyKnown, fn_contains},
    {"dirname", 1, 1, Needs::kWhollyKnown, fn_dirname},
    {"distinct", 1, 1, Needs::kWhollyKnown, fn_distinct},
    {"element", 2, 2, Needs::kTopKnown, fn_element},
    {"endswith", 2, 2, Needs::kWhollyKnown, fn_endswith},
    {"flatten", 1, 1, Needs::kTopKnown, fn_flatten},
    {"floor", 1, 1, Needs::kWhollyKnown, fn_floor},
    {"format", 1, -1, Needs::kWhollyKnown, fn_format},
    {"formatlist", 1, -1, Needs::kWhollyKnown, fn_formatlist},
    {"indent", 2, 2, Needs::kWhollyKnown, fn_indent},
    {"index", 2, 2, Needs::kWhollyKnown, fn_index},
    {"join", 1, -1, Needs::kWhollyKnown, fn_join},
    {"jsondecode", 1, 1, Needs::kWhollyKnown, fn_jsondecode},
    {"jsonencode", 1, 1, Needs::kWhollyKnown, fn_jsonencode},
    {"keys", 1, 1, Needs::kTopKnown, fn_keys},
    {"length", 1, 1, Needs::kTopKnown, fn_length},
    {"lookup", 2, 3, Needs::kCustom, fn_lookup},
    {"lower", 1, 1, Needs::kWhollyKnown, fn_lower},
    {"matchkeys", 3, 3, Needs::kWhollyKnown, fn_matchkeys},
    {"max", 1, -1, Needs::kWhollyKnown, fn_max},
    {"merge", 0, -1, Needs::kCustom, fn_merge},
    {"min", 1, -1, Needs::kWhollyKnown, fn_min},
    {"nonsensitive", 1, 1, Needs::kCustom, fn_identity},
    {"one", 1, 1, Needs::kTopKnown, fn_one},
    {"parseint", 2, 2, Needs::kWhollyKnown, fn_parseint},
    {"pow", 2, 2, Needs::kWhollyKnown, fn_pow},
    {"range", 1, 3, Needs::kWhollyKnown, fn_range},
    {"regex", 2, 2, Needs::kWhollyKnown, fn_regex},
    {"regexall", 2, 2, Needs::kWhollyKnown, fn_regexall},
    {"replace", 3, 3, Needs::kWhollyKnown, fn_replace},
    {"reverse", 1, 1, Needs::kTopKnown, fn_reverse},
    {"sensitive", 1, 1, Needs::kCustom, fn_identity},
    {"setintersection", 1, -1, Needs::kWhollyKnown, fn_setintersection},
    {"setproduct", 1, -1, Needs::kWhollyKnown, fn_setproduct},
    {"setsubtract", 2, 2, Needs::kWhollyKnown, fn_setsubtract},
    {"setunion", 1, -1, Needs::kWhollyKnown, fn_setunion},
    {"signum", 1, 1, Needs::kWhollyKnown, fn_signum},
    {"slice", 3, 3, Needs::kTopKnown, fn_slice},
    {"sort", 1, 1, Needs::kWhollyKnown, fn_sort},
    {"split", 2, 2, Needs::kWhollyKnown, fn_split},
    {"startswith", 2, 2, Needs::kWhollyKnown, fn_startswith},
    {"strrev", 1, 1, Needs::kWhollyKnown, fn_strrev},
    {"substr", 3, 3, Needs::kWhollyKnown, fn_substr},
    {"sum", 1, 1, Needs::kWhollyKnown, fn_sum},
    {"title", 1, 1, Needs::kWhollyKnown, fn_title},
    {"tobool", 1, 1, Needs::kWhollyKnown, fn_tobool},
    {"tolist", 1, 1, Needs::kTopKnown, fn_tolist},
    {"tomap", 1, 1, Needs::kTopKnown, fn_tomap},
    {"tonumber", 1, 1, Needs::kWhollyKnown, fn_tonumber},
    {"toset", 1, 1, Needs::kWhollyKnown, fn_toset},
    {"tostring", 1, 1, Needs::kWhollyKnown, fn_tostring},
    {"transpose", 1, 1, Needs::kWhollyKnown, fn_transpose},
    {"trim", 2, 2, Needs::kWhollyKnown, fn_trim},
    {"trimprefix", 2, 2, Needs::kWhollyKnown, fn_trimprefix},
    {"trimspace", 1, 1, Needs::kWhollyKnown, fn_trimspace},
    {"trimsuffix", 2, 2, Needs::kWhollyKnown, fn_trimsuffix},
    {"upper", 1, 1, Needs::kWhollyKnown, fn_upper},
    {"urlencode", 1, 1, Needs::kWhollyKnown, fn_urlencode},
    {"values", 1, 1, Needs::kTopKnown, fn_values},
    {"yamldecode", 1, 1, Needs::kWhollyKnown, fn_yamldecode},
    {"zipmap", 2, 2, Needs::kTopKnown, fn_zipmap},
};

}  // namespace

std::optional<double> to_number(const Value& v) {
  if (v.kind() == Value::Kind::kNumber) return v.as_number();
  if (v.kind() != Value::Kind::kString) return std::nullopt;
  // Terraform converts strings holding a decimal number ("1", "-2.5", "1e3").
  const std::string& s = v.as_string();
  if (s.empty() || s.front() == '+') return std::nullopt;
  double d = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
  return d;
}

std::optional<bool> to_bool(const Value& v) {
  if (v.kind() == Value::Kind::kBool) return v.as_bool();
  if (v.kind() == Value::Kind::kString) {
    if (v.as_string() == "true") return true;
    if (v.as_string() == "false") return false;
  }
  return std::nullopt;
}

bool values_equal(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::kNull: return true;
    case Value::Kind::kUnknown: return false;
    case Value::Kind::kBool: return a.as_bool() == b.as_bool();
    case Value::Kind::kNumber: return a.as_number() == b.as_number();
    case Value::Kind::kString: return a.as_string() == b.as_string();
    case Value::Kind::kList: {
      const ListData& x = a.as_list();
      const ListData& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!values_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case Value::Kind::kMap: {
      if (a.map_open() || b.map_open()) return false;
      const MapData& x = a.as_map();
      const MapData& y = b.as_map();
      if (x.size() != y.size()) return false;
      for (auto ix = x.begin(), iy = y.begin(); ix != x.end(); ++ix, ++iy) {
        if (ix->first != iy->first || !values_equal(ix->second.value, iy->second.value)) return false;
      }
      return true;
    }
  }
  return false;
}

Value call_function(std::string_view name, std::vector<Value>& args, Span span, FunctionEnv& env) {
  const Fn* fn = nullptr;
  auto it = std::lower_bound(std::begin(kFunctions), std::end(kFunctions), name,
                             [](const Fn& f, std::string_view n) { return std::string_view(f.name) < n; });
  if (it != std::end(kFunctions) && it->name == name) fn = &*it;
  if (fn == nullptr) return Value::unknown("function " + std::string(name) + " is not evaluated", span);
  auto n = static_cast<int>(args.size());
  if (n < fn->min_args || (fn->max_args >= 0 && n > fn->max_args)) {
    return env.error(std::string(name) + "() called with the wrong number of arguments", span);
  }
  for (const Value& v : args) {
    if (fn->needs == Needs::kWhollyKnown && !v.is_wholly_known()) {
      return Value::unknown(deep_unknown_reason(v), span);
    }
    if (fn->needs == Needs::kTopKnown && v.is_unknown()) {
      return Value::unknown(v.unknown_reason(), span);
    }
  }
  try {
    return fn->impl(args, span, env);
  } catch (const std::exception& ex) {
    return env.error(std::string(name) + "() failed: " + ex.what(), span);
  }
}

const std::vector<std::string>& builtin_function_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const Fn& f : kFunctions) n.emplace_back(f.name);
    return n;
  }();
  return names;
}

}  // namespace tagwarden::tf
