// YAML to DocNode through yaml-cpp. Positions come from yaml-cpp marks (line and column,
// converted to byte offsets here); yaml-cpp gives no end positions, so a scalar's span ends
// after its text and a collection's after its first character.
#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include <algorithm>

#include "linter/load/doc.hpp"

namespace tagwarden {
namespace {

class YamlConverter {
 public:
  YamlConverter(FileId file, std::string_view text, const DocLimits& limits)
      : file_(file), text_(text), limits_(limits) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
    }
  }

  std::uint32_t offset(const YAML::Mark& m) const {
    if (m.line < 0) return 0;
    auto line = static_cast<std::size_t>(m.line);
    if (line >= line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
    // yaml-cpp columns count characters; walk code points to get a byte offset. Nodes come in
    // document order, so the walk goes on from the last position on the same line: one pass
    // per line, not one per node (a minified one-line document would be quadratic).
    std::uint32_t off = line_starts_[line];
    int col = std::max(0, m.column);
    if (line == walk_line_ && col >= walk_col_) {
      off = walk_off_;
      col -= walk_col_;
    }
    int walked = std::max(0, m.column) - col;
    while (col > 0 && off < text_.size() && text_[off] != '\n') {
      ++off;
      while (off < text_.size() && (static_cast<unsigned char>(text_[off]) & 0xC0) == 0x80) ++off;
      --col;
      ++walked;
    }
    walk_line_ = line;
    walk_col_ = walked;
    walk_off_ = off;
    return off;
  }

  bool convert(const YAML::Node& y, DocNode& out, int depth) {
    if (depth > limits_.max_depth) return fail(y.Mark(), "YAML nesting is too deep");
    if (++nodes_ > limits_.max_nodes)
      return fail(
          y.Mark(),
          "YAML aliases expand to more nodes than the document has bytes; not expanded (a billion-laughs document?)");
    auto b = offset(y.Mark());
    const std::string& tag = y.Tag();
    if (!tag.empty() && tag != "?" && tag != "!") out.tag = tag;
    switch (y.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.kind = DocNode::Kind::kNull;
        out.span = Span{file_, b, b};
        return true;
      case YAML::NodeType::Scalar: {
        out.scalar = y.Scalar();
        out.kind = DocNode::Kind::kString;
        if (tag == "?") resolve_plain(out);
        if (tag == "tag:yaml.org,2002:null") out.kind = DocNode::Kind::kNull;
        out.tag = (out.tag.rfind("tag:yaml.org,2002:", 0) == 0) ? "" : out.tag;
        out.span =
            Span{file_, b,
                 std::min<std::uint32_t>(static_cast<std::uint32_t>(text_.size()),
                                         b + static_cast<std::uint32_t>(std::max<std::size_t>(1, out.scalar.size())))};
        return true;
      }
      case YAML::NodeType::Sequence:
        out.kind = DocNode::Kind::kSeq;
        out.span = Span{file_, b, b + 1};
        out.items.reserve(y.size());
        for (const auto& item : y) {
          out.items.emplace_back();
          if (!convert(item, out.items.back(), depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map:
        out.kind = DocNode::Kind::kMap;
        out.span = Span{file_, b, b + 1};
        for (const auto& kv : y) {
          const YAML::Node& k = kv.first;
          std::string key = k.IsScalar() ? k.Scalar() : std::string();
          if (!k.IsScalar() && !k.IsNull()) return fail(k.Mark(), "YAML map keys must be scalars");
          // A local tag on a key (`!ImportValue Fn::Sub: x` in a flow sequence) would make the
          // key a function call; no consumer of our documents can use that as a key.
          if (const std::string& kt = k.Tag(); kt.size() > 1 && kt[0] == '!' && kt[1] != '!')
            return fail(k.Mark(), fmt::format("a map key cannot carry the YAML tag {}", kt));
          auto kb = offset(k.Mark());
          out.keys.push_back(key);
          out.key_spans.push_back(
              Span{file_, kb, kb + static_cast<std::uint32_t>(std::max<std::size_t>(1, key.size()))});
          out.items.emplace_back();
          if (!convert(kv.second, out.items.back(), depth + 1)) return false;
        }
        out.index_keys();
        return true;
    }
    return true;
  }

  static void resolve_plain(DocNode& n) {
    const std::string& s = n.scalar;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") {
      n.kind = DocNode::Kind::kNull;
    } else if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
      n.kind = DocNode::Kind::kBool;
      n.scalar = (s[0] == 't' || s[0] == 'T') ? "true" : "false";
    } else if (looks_numeric(s)) {
      n.kind = DocNode::Kind::kNumber;
    }
  }
  static bool looks_numeric(const std::string& s) {
    std::size_t i = 0;
    if (s[i] == '-' || s[i] == '+') ++i;
    bool digits = false, dot = false;
    for (; i < s.size(); ++i) {
      if (s[i] >= '0' && s[i] <= '9') {
        digits = true;
      } else if (s[i] == '.' && !dot) {
        dot = true;
      } else {
        return false;
      }
    }
    return digits;
  }

  bool fail(const YAML::Mark& m, std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      err_pos_ = offset(m);
    }
    return false;
  }

  std::string error_;
  std::uint32_t err_pos_ = 0;

 private:
  FileId file_;
  std::string_view text_;
  const DocLimits& limits_;
  std::vector<std::uint32_t> line_starts_;
  std::size_t nodes_ = 0;
  // Where offset() last stopped (mutable: offset() is a query).
  mutable std::size_t walk_line_ = SIZE_MAX;
  mutable int walk_col_ = 0;
  mutable std::uint32_t walk_off_ = 0;
};

}  // namespace

namespace {

/// yaml-cpp parses nested collections recursively: a document nested thousands of levels deep
/// would overflow the stack before our own depth limit sees it. Flow collections (`[[[[`) and
/// block indentation are measured first. Returns the offset of the first excess, or npos.
std::size_t too_deep_for_yaml_cpp(std::string_view text, int max_depth) {
  int flow = 0;
  char quote = 0;
  std::size_t line_start = 0;
  bool in_indent = true;
  constexpr std::size_t kMaxIndent = 1024;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      line_start = i + 1;
      in_indent = true;
      if (quote == '\'') quote = 0;  // keep the scan simple: quotes do not span lines here
      continue;
    }
    if (in_indent) {
      if (c == ' ' || c == '-' || c == '\t' || c == '?' || c == ':') {
        if (i - line_start > kMaxIndent) return i;
        continue;
      }
      in_indent = false;
    }
    if (quote != 0) {
      if (c == '\\' && quote == '"')
        ++i;
      else if (c == quote)
        quote = 0;
      continue;
    }
    if (c == '#' && (i == 0 || text[i - 1] == ' ' || text[i - 1] == '\t')) {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      if (++flow > max_depth) return i;
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
  }
  return std::string_view::npos;
}

}  // namespace

DocResult parse_yaml(FileId file, std::string_view text, const DocLimits& given) {
  DocResult r;
  if (std::size_t at = too_deep_for_yaml_cpp(text, given.max_depth); at != std::string_view::npos) {
    auto off = static_cast<std::uint32_t>(at);
    r.errors.push_back(Error{Span{file, off, off + 1}, {}, "YAML nesting is too deep"});
    return r;
  }
  // Aliases let a small document stand for an exponential one (a billion laughs): without
  // them every node takes at least one byte of the document, so more nodes than bytes (plus
  // some slack) can only come from alias expansion.
  DocLimits limits = given;
  limits.max_nodes = std::min(limits.max_nodes, text.size() + 4096);
  YamlConverter conv(file, text, limits);
  try {
    YAML::Node y = YAML::Load(std::string(text));
    auto root = std::make_unique<DocNode>();
    if (!conv.convert(y, *root, 0)) {
      r.errors.push_back(Error{Span{file, conv.err_pos_, conv.err_pos_ + 1}, {}, conv.error_});
      return r;
    }
    r.root = std::move(root);
  } catch (const YAML::Exception& e) {
    auto off = conv.offset(e.mark);
    r.errors.push_back(Error{Span{file, off, off + 1}, {}, fmt::format("invalid YAML: {}", e.msg)});
  } catch (const std::exception& e) {
    r.errors.push_back(Error{Span{file, 0, 1}, {}, fmt::format("invalid YAML: {}", e.what())});
  }
  return r;
}

}  // namespace tagwarden
