// A small JSON parser that keeps byte spans on every value (nlohmann/json does not expose
// positions), used for every JSON input. Strict RFC 8259 apart from keeping duplicate keys.
#include <fmt/format.h>

#include <cstring>

#include "linter/load/doc.hpp"
#include "linter/model/text.hpp"

namespace tagwarden {
namespace {

class JsonParser {
 public:
  JsonParser(FileId file, std::string_view text, const DocLimits& limits) : file_(file), s_(text), limits_(limits) {}

  DocResult run() {
    DocResult r;
    auto root = std::make_unique<DocNode>();
    skip_ws();
    // A UTF-8 byte order mark is tolerated.
    if (s_.substr(pos_, 3) == "\xEF\xBB\xBF") pos_ += 3;
    skip_ws();
    if (parse_value(*root, 0)) {
      skip_ws();
      if (pos_ < s_.size()) fail("unexpected content after the JSON value");
    }
    if (!error_.empty()) {
      r.errors.push_back(Error{Span{file_, err_pos_, err_pos_ + 1}, {}, error_});
      return r;
    }
    r.root = std::move(root);
    return r;
  }

 private:
  bool fail(std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      err_pos_ = static_cast<std::uint32_t>(std::min(pos_, s_.size()));
    }
    return false;
  }
  void skip_ws() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  bool parse_value(DocNode& n, int depth) {
    if (depth > limits_.max_depth) return fail("JSON nesting is too deep");
    if (++nodes_ > limits_.max_nodes) return fail("JSON document is too large");
    skip_ws();
    if (pos_ >= s_.size()) return fail("unexpected end of JSON input");
    auto begin = static_cast<std::uint32_t>(pos_);
    char c = s_[pos_];
    bool ok = false;
    if (c == '{') {
      ok = parse_object(n, depth);
    } else if (c == '[') {
      ok = parse_array(n, depth);
    } else if (c == '"') {
      n.kind = DocNode::Kind::kString;
      ok = parse_string(n.scalar);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      ok = parse_number(n);
    } else if (s_.compare(pos_, 4, "true") == 0) {
      n.kind = DocNode::Kind::kBool, n.scalar = "true", pos_ += 4, ok = true;
    } else if (s_.compare(pos_, 5, "false") == 0) {
      n.kind = DocNode::Kind::kBool, n.scalar = "false", pos_ += 5, ok = true;
    } else if (s_.compare(pos_, 4, "null") == 0) {
      n.kind = DocNode::Kind::kNull, pos_ += 4, ok = true;
    } else {
      return fail(fmt::format("unexpected character '{}' in JSON", printable(c)));
    }
    n.span = Span{file_, begin, static_cast<std::uint32_t>(pos_)};
    return ok;
  }
  static std::string printable(char c) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7f) return fmt::format("\\x{:02x}", u);
    return std::string(1, c);
  }
  bool parse_object(DocNode& n, int depth) {
    n.kind = DocNode::Kind::kMap;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skip_ws();
      if (pos_ >= s_.size()) return fail("unexpected end of JSON input inside an object");
      if (s_[pos_] != '"') return fail("expected a string key in JSON object");
      auto kb = static_cast<std::uint32_t>(pos_);
      std::string key;
      if (!parse_string(key)) return false;
      n.keys.push_back(std::move(key));
      n.key_spans.push_back(Span{file_, kb, static_cast<std::uint32_t>(pos_)});
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':' after a JSON object key");
      ++pos_;
      n.items.emplace_back();
      if (!parse_value(n.items.back(), depth + 1)) return false;
      skip_ws();
      if (pos_ >= s_.size()) return fail("unexpected end of JSON input inside an object");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == '}') {
        ++pos_;
        n.index_keys();
        return true;
      }
      return fail("expected ',' or '}' in JSON object");
    }
  }
  bool parse_array(DocNode& n, int depth) {
    n.kind = DocNode::Kind::kSeq;
    ++pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      n.items.emplace_back();
      if (!parse_value(n.items.back(), depth + 1)) return false;
      skip_ws();
      if (pos_ >= s_.size()) return fail("unexpected end of JSON input inside an array");
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        return true;
      }
      return fail("expected ',' or ']' in JSON array");
    }
  }
  bool parse_number(DocNode& n) {
    std::size_t b = pos_;
    if (s_[pos_] == '-') ++pos_;
    auto digits = [&] {
      std::size_t d = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      return pos_ > d;
    };
    if (!digits()) return fail("invalid number in JSON");
    if (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("invalid number in JSON");
    }
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("invalid number in JSON");
    }
    n.kind = DocNode::Kind::kNumber;
    n.scalar = std::string(s_.substr(b, pos_ - b));
    return true;
  }
  bool hex4(std::uint32_t& out) {
    if (pos_ + 4 > s_.size()) return fail("truncated \\u escape in JSON string");
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return fail("invalid \\u escape in JSON string");
    }
    return true;
  }
  bool parse_string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      std::size_t run = pos_;
      while (pos_ < s_.size() && s_[pos_] != '"' && s_[pos_] != '\\' && static_cast<unsigned char>(s_[pos_]) >= 0x20)
        ++pos_;
      out.append(s_.data() + run, pos_ - run);
      if (pos_ >= s_.size()) return fail("unterminated JSON string");
      char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c != '\\') return fail("control character in JSON string");
      ++pos_;
      if (pos_ >= s_.size()) return fail("unterminated JSON string");
      char e = s_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && s_.compare(pos_, 2, "\\u") == 0) {
            pos_ += 2;
            std::uint32_t lo = 0;
            if (!hex4(lo)) return false;
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              append_utf8(out, 0xFFFD);
              cp = lo;
            }
          }
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
          append_utf8(out, cp);
          break;
        }
        default:
          --pos_;
          return fail(fmt::format("invalid escape '\\{}' in JSON string", printable(e)));
      }
    }
  }

  FileId file_;
  std::string_view s_;
  const DocLimits& limits_;
  std::size_t pos_ = 0;
  std::size_t nodes_ = 0;
  std::string error_;
  std::uint32_t err_pos_ = 0;
};

}  // namespace

DocResult parse_json(FileId file, std::string_view text, const DocLimits& limits) {
  return JsonParser(file, text, limits).run();
}

}  // namespace tagwarden
