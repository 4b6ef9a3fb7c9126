// Regular expressions with RE2 semantics (https://github.com/google/re2/wiki/Syntax): UTF-8
// text, linear-time matching, no backreferences or lookaround. The dialect users of Terraform's
// regex() know; shared by the schema's `pattern` and anything else that needs RE2 matching.
#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace tagwarden {

class Regex {
 public:
  /// Compiles `pattern` (UTF-8). On failure the result is not ok() and error() says why.
  static Regex compile(std::string_view pattern);

  bool ok() const { return re_ != nullptr; }
  const std::string& error() const { return error_; }
  const std::string& pattern() const { return pattern_; }
  /// True when the pattern matches somewhere in `text` (unanchored, like Terraform's regex()).
  bool search(std::string_view text) const;
  /// True when the pattern matches all of `text`.
  bool full_match(std::string_view text) const;
  /// The compiled expression, for callers that need captures (null when !ok()).
  const re2::RE2* re2() const { return re_.get(); }

 private:
  std::shared_ptr<const re2::RE2> re_;  ///< shared: compiled once, copied with the spec
  std::string pattern_;
  std::string error_;
};

}  // namespace tagwarden
