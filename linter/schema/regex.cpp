#include "linter/schema/regex.hpp"

#include <re2/re2.h>

namespace tagwarden {

Regex Regex::compile(std::string_view pattern) {
  Regex r;
  r.pattern_ = std::string(pattern);
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingUTF8);
  options.set_log_errors(false);  // errors are reported to the user with their position instead
  auto re = std::make_shared<const RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
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
