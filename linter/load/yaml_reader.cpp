// YAML to DocNode through libyaml's event parser (Debian libyaml-dev): no recursion, so a
// deeply nested document cannot overflow the stack, and no intermediate node graph. Positions
// come from libyaml's marks (line and column in characters, converted to byte offsets here).
// A scalar's span covers its text as parsed and a collection's its first character, as the
// rest of the engine expects of every YAML node.
#include <yaml.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <memory>

#include "linter/load/doc.hpp"

namespace tagwarden {
namespace {

/// One open collection while its events arrive.
struct Frame {
  DocNode node;
  std::string anchor;       ///< registered when the collection ends
  std::size_t first_node;   ///< nodes counted when it started (its size, for aliases)
  std::size_t first_child;  ///< where its items start in YamlBuilder::pending_
  bool expect_key = true;   ///< maps: the next node is a key
  yaml_mark_t start{};      ///< where it starts (errors about it point there)
};

class YamlBuilder {
 public:
  YamlBuilder(FileId file, std::string_view text, const DocLimits& limits) : file_(file), text_(text), limits_(limits) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(static_cast<std::uint32_t>(i + 1));
  }

  /// Byte offset of a libyaml mark (lines and columns count characters from 0).
  std::uint32_t offset(const yaml_mark_t& m) {
    std::size_t line = m.line;
    if (line >= line_starts_.size()) return static_cast<std::uint32_t>(text_.size());
    // Walk code points to the column. Marks come in document order, so the walk goes on from
    // the last position on the same line: one pass per line, not one per node (a minified
    // one-line document would be quadratic).
    std::uint32_t off = line_starts_[line];
    std::size_t col = m.column;
    if (line == walk_line_ && col >= walk_col_) {
      off = walk_off_;
      col -= walk_col_;
    }
    std::size_t walked = m.column - col;
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

  DocResult run() {
    DocResult r;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      r.errors.push_back(Error{Span{file_, 0, 1}, {}, "invalid YAML: out of memory"});
      return r;
    }
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text_.data()), text_.size());
    bool done = false;
    while (!done && error_.empty()) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        std::string msg = parser.problem ? parser.problem : "malformed document";
        if (parser.context)
          msg = fmt::format("{} ({} that starts at line {}, column {})", msg, parser.context,
                            parser.context_mark.line + 1, parser.context_mark.column + 1);
        fail(parser.problem_mark, "invalid YAML: " + msg);
        break;
      }
      done = handle(event);
      yaml_event_delete(&event);
    }
    yaml_parser_delete(&parser);
    if (!error_.empty()) {
      r.errors.push_back(Error{Span{file_, err_pos_, err_pos_ + 1}, {}, error_});
      return r;
    }
    if (root_) {
      r.root = std::move(root_);
    } else {  // an empty stream is null
      r.root = std::make_unique<DocNode>();
      r.root->span = Span{file_, 0, 0};
    }
    return r;
  }

 private:
  static std::string str(const yaml_char_t* s) { return s ? reinterpret_cast<const char*>(s) : std::string(); }

  /// Handles one event; true when the first document is complete.
  bool handle(const yaml_event_t& e) {
    switch (e.type) {
      case YAML_DOCUMENT_END_EVENT:
      case YAML_STREAM_END_EVENT:
        return true;
      case YAML_SCALAR_EVENT: {
        if (!count(e.start_mark)) return true;
        DocNode n;
        const auto& s = e.data.scalar;
        n.scalar.assign(reinterpret_cast<const char*>(s.value), s.length);
        n.kind = DocNode::Kind::kString;
        std::string tag = str(s.tag);
        // A map key keeps its text as written (`True: x` is the key "True"); a value is typed.
        bool key = !stack_.empty() && stack_.back().node.is_map() && stack_.back().expect_key;
        if (tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE) {
          if (key && is_null_text(n.scalar)) {
            n.kind = DocNode::Kind::kNull;
            n.scalar.clear();
          } else if (!key) {
            resolve_plain(n);
          }
        }
        if (tag == "tag:yaml.org,2002:null") n.kind = DocNode::Kind::kNull;
        // Local tags (`!Ref`) are kept; core-schema tags (`!!str`) and the non-specific `!` are not.
        if (tag.size() > 1 && tag.rfind("tag:yaml.org,2002:", 0) != 0) n.tag = tag;
        auto b = offset(e.start_mark);
        n.span = Span{file_, b,
                      std::min<std::uint32_t>(static_cast<std::uint32_t>(text_.size()),
                                              b + static_cast<std::uint32_t>(std::max<std::size_t>(1, s.length)))};
        if (s.anchor) anchors_[str(s.anchor)] = {n, 1};
        return !attach(std::move(n), e.start_mark);
      }
      case YAML_SEQUENCE_START_EVENT:
      case YAML_MAPPING_START_EVENT: {
        if (stack_.size() >= static_cast<std::size_t>(limits_.max_depth)) {
          fail(e.start_mark, "YAML nesting is too deep");
          return true;
        }
        if (!count(e.start_mark)) return true;
        bool map = e.type == YAML_MAPPING_START_EVENT;
        Frame f;
        f.node.kind = map ? DocNode::Kind::kMap : DocNode::Kind::kSeq;
        std::string tag = str(map ? e.data.mapping_start.tag : e.data.sequence_start.tag);
        if (tag.size() > 1) f.node.tag = tag;
        auto b = offset(e.start_mark);
        f.node.span = Span{file_, b, b + 1};
        f.anchor = str(map ? e.data.mapping_start.anchor : e.data.sequence_start.anchor);
        f.first_node = nodes_ - 1;
        f.first_child = pending_.size();
        f.start = e.start_mark;
        stack_.push_back(std::move(f));
        return false;
      }
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT: {
        Frame f = std::move(stack_.back());
        stack_.pop_back();
        // Items wait in one shared vector and move into an exactly sized one here: one
        // allocation per collection instead of a growing vector each.
        f.node.items.reserve(pending_.size() - f.first_child);
        for (std::size_t i = f.first_child; i < pending_.size(); ++i) f.node.items.push_back(std::move(pending_[i]));
        pending_.resize(f.first_child);
        if (f.node.is_map()) f.node.index_keys();
        if (!f.anchor.empty()) anchors_[f.anchor] = {f.node, nodes_ - f.first_node};
        return !attach(std::move(f.node), f.start);
      }
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(str(e.data.alias.anchor));
        if (it == anchors_.end()) {
          fail(e.start_mark, fmt::format("YAML alias *{} names no anchor defined before it (or one that contains it)",
                                         str(e.data.alias.anchor)));
          return true;
        }
        // Aliases let a small document stand for an exponential one (a billion laughs).
        if (!count(e.start_mark, it->second.second)) return true;
        return !attach(DocNode(it->second.first), e.start_mark);
      }
      default:
        return false;
    }
  }

  /// Counts `n` more nodes (an alias counts its anchor's); false past the limit.
  bool count(const yaml_mark_t& at, std::size_t n = 1) {
    nodes_ += n;
    if (nodes_ <= limits_.max_nodes) return true;
    fail(at,
         "YAML aliases expand to more nodes than the document has bytes; not expanded (a billion-laughs document?)");
    return false;
  }

  /// Puts a complete node where it belongs: the document, a sequence item, a map key or value.
  bool attach(DocNode n, const yaml_mark_t& at) {
    if (stack_.empty()) {
      root_ = std::make_unique<DocNode>(std::move(n));
      return true;
    }
    Frame& top = stack_.back();
    if (top.node.is_seq()) {
      pending_.push_back(std::move(n));
      return true;
    }
    if (!top.expect_key) {
      pending_.push_back(std::move(n));
      top.expect_key = true;
      return true;
    }
    if (!n.is_scalar()) return fail(at, "YAML map keys must be scalars");
    // A local tag on a key (`!ImportValue Fn::Sub: x` in a flow sequence) would make the key a
    // function call; no consumer of our documents can use that as a key.
    if (!n.tag.empty() && n.tag[0] == '!' && (n.tag.size() < 2 || n.tag[1] != '!'))
      return fail(at, fmt::format("a map key cannot carry the YAML tag {}", n.tag));
    std::string key = n.kind == DocNode::Kind::kNull ? std::string() : n.scalar;
    top.node.key_spans.push_back(
        Span{file_, n.span.begin, n.span.begin + static_cast<std::uint32_t>(std::max<std::size_t>(1, key.size()))});
    top.node.keys.push_back(std::move(key));
    top.expect_key = false;
    return true;
  }

  static bool is_null_text(const std::string& s) {
    return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
  }
  static void resolve_plain(DocNode& n) {
    const std::string& s = n.scalar;
    if (is_null_text(s)) {
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

  bool fail(const yaml_mark_t& m, std::string msg) {
    if (error_.empty()) {
      error_ = std::move(msg);
      err_pos_ = offset(m);
    }
    return false;
  }

  FileId file_;
  std::string_view text_;
  const DocLimits& limits_;
  std::vector<std::uint32_t> line_starts_;
  std::vector<Frame> stack_;
  std::vector<DocNode> pending_;                                    ///< items of the open collections, innermost last
  std::map<std::string, std::pair<DocNode, std::size_t>> anchors_;  ///< node and its node count
  std::unique_ptr<DocNode> root_;
  std::size_t nodes_ = 0;
  std::string error_;
  std::uint32_t err_pos_ = 0;
  std::size_t walk_line_ = SIZE_MAX;
  std::size_t walk_col_ = 0;
  std::uint32_t walk_off_ = 0;
};

}  // namespace

DocResult parse_yaml(FileId file, std::string_view text, const DocLimits& given) {
  // Without aliases every node takes at least one byte of the document, so more nodes than
  // bytes (plus some slack) can only come from alias expansion.
  DocLimits limits = given;
  limits.max_nodes = std::min(limits.max_nodes, text.size() + 4096);
  return YamlBuilder(file, text, limits).run();
}

}  // namespace tagwarden
