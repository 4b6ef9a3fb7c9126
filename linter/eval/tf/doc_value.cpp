#include "linter/eval/tf/doc_value.hpp"

#include <charconv>
#include <optional>

namespace tagwarden::tf {
namespace {

constexpr int kMaxDepth = 256;

/// `at`: the span of every value (nullopt: each node's own).
Value convert(const DocNode& n, const std::optional<Span>& at, int depth) {
  Span span = at ? *at : n.span;
  if (depth > kMaxDepth) return Value::unknown("document nested too deeply", span);
  switch (n.kind) {
    case DocNode::Kind::kNull: return Value::null(span);
    case DocNode::Kind::kBool: return Value::boolean(n.scalar == "true", span);
    case DocNode::Kind::kNumber: {
      double d = 0;
      const char* b = n.scalar.data();
      const char* end = b + n.scalar.size();
      auto [p, ec] = std::from_chars(b, end, d);
      if (ec != std::errc() || p != end) return Value::string(n.scalar, span);
      return Value::number(d, span);
    }
    case DocNode::Kind::kString: return Value::string(n.scalar, span);
    case DocNode::Kind::kSeq: {
      ListData items;
      items.reserve(n.items.size());
      for (const DocNode& c : n.items) items.push_back(convert(c, at, depth + 1));
      return Value::list(std::move(items), span);
    }
    case DocNode::Kind::kMap: {
      MapData m;
      for (std::size_t i = 0; i < n.items.size() && i < n.keys.size(); ++i) {
        Span ks = at ? *at : i < n.key_spans.size() ? n.key_spans[i] : n.span;
        auto it = m.find(n.keys[i]);
        if (it == m.end()) {
          m.emplace(n.keys[i], MapEntry{convert(n.items[i], at, depth + 1), ks, {}});
          continue;
        }
        if (!at) it->second.duplicate_key_spans.push_back(it->second.key_span);
        it->second.key_span = ks;
        it->second.value = convert(n.items[i], at, depth + 1);
      }
      return Value::map(std::move(m), span);
    }
  }
  return Value::null(span);
}

}  // namespace

Value value_from_doc(const DocNode& node) { return convert(node, std::nullopt, 0); }
Value value_from_doc(const DocNode& node, Span at) { return convert(node, at, 0); }

}  // namespace tagwarden::tf
