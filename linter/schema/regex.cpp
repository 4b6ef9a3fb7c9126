#include "linter/schema/regex.hpp"

#include <re2/re2.h>

namespace tagwarden {

namespace {

/// Go's regexp (Terraform's dialect) also accepts `(?<name>...)` for a named group; the RE2 of
/// this Debian release only `(?P<name>...)`, so the first is rewritten to the second (outside
/// character classes and escapes; `(?<=`/`(?<!` stay, and RE2 rejects them as Go does).
std::string go_named_groups(std::string_view pat) {
  std::string out;
  out.reserve(pat.size());
  bool in_class = false;
  for (std::size_t i = 0; i < pat.size(); ++i) {
    char c = pat[i];
    if (c == '\\' && i + 1 < pat.size()) {
      out += c;
      out += pat[++i];
      continue;
    }
    if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      // A `]` right after `[` or `[^` is a literal member.
      out += c;
      if (i + 1 < pat.size() && pat[i + 1] == '^') out += pat[++i];
      if (i + 1 < pat.size() && pat[i + 1] == ']') out += pat[++i];
      continue;
    } else if (pat.substr(i, 3) == "(?<" && i + 3 < pat.size() && pat[i + 3] != '=' && pat[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

Regex Regex::compile(std::string_view pattern) {
  Regex r;
  r.pattern_ = std::string(pattern);
  std::string translated = go_named_groups(pattern);
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);  // errors are reported to the user with their position instead
  auto re = std::make_shared<const RE2>(translated, options);
  if (!re->ok()) {
    r.error_ = re->error();
    return r;
  }
  r.re_ = std::move(re);
  return r;
}

bool Regex::search(std::string_view text) const {
  return re_ && RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

bool Regex::full_match(std::string_view text) const {
  return re_ && RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace tagwarden
