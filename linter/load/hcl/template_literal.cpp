#include "linter/load/hcl/template_literal.hpp"

#include <cstdint>
#include <string>

#include "linter/model/text.hpp"

namespace tagwarden::hcl {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

/// The literal parts of a heredoc's template in order, with nullptr for each non-literal part
/// (an interpolation, or the start and end of a directive whose bodies are walked in between).
void collect_literals(std::vector<ExprPtr>& parts, std::vector<Expr*>& seq) {
  for (ExprPtr& p : parts) {
    if (!p) continue;
    if (p->kind == ExprKind::kString) {
      seq.push_back(p.get());
    } else if (p->kind == ExprKind::kTemplateIf || p->kind == ExprKind::kTemplateFor) {
      seq.push_back(nullptr);
      for (std::size_t i = 1; i < p->children.size(); ++i) {
        ExprPtr& body = p->children[i];
        if (!body) continue;
        if (body->kind == ExprKind::kString) {
          seq.push_back(body.get());
        } else if (body->kind == ExprKind::kTemplate) {
          collect_literals(body->children, seq);
        }
      }
      seq.push_back(nullptr);
    } else {
      seq.push_back(nullptr);
    }
  }
}

}  // namespace

std::string decode_literal(std::string_view raw, bool quoted) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if ((c == '$' || c == '%') && i + 2 < raw.size() && raw[i + 1] == c && raw[i + 2] == '{') {
      out += c;
      out += '{';
      i += 2;
      continue;
    }
    if (c == '\\' && quoted && i + 1 < raw.size()) {
      char e = raw[i + 1];
      switch (e) {
        case 'n':
          out += '\n';
          ++i;
          continue;
        case 'r':
          out += '\r';
          ++i;
          continue;
        case 't':
          out += '\t';
          ++i;
          continue;
        case '"':
          out += '"';
          ++i;
          continue;
        case '\\':
          out += '\\';
          ++i;
          continue;
        case 'u':
        case 'U': {
          std::size_t digits = e == 'u' ? 4 : 8;
          if (i + 2 + digits <= raw.size()) {
            std::uint32_t cp = 0;
            bool ok = true;
            for (std::size_t k = 0; k < digits; ++k) {
              int h = hex_digit(raw[i + 2 + k]);
              if (h < 0) {
                ok = false;
                break;
              }
              cp = cp * 16 + static_cast<std::uint32_t>(h);
            }
            if (ok) {
              append_utf8(out, cp);
              i += 1 + digits;
              continue;
            }
          }
          break;
        }
        default:
          break;
      }
    }
    out += c;
  }
  return out;
}

ExprPtr literal_part(std::string_view raw, Span span, bool quoted, bool strip_leading, bool strip_trailing) {
  std::string s = decode_literal(raw, quoted);
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  if (strip_trailing) {
    while (!s.empty() && is_space(s.back())) s.pop_back();
  }
  if (strip_leading) {
    std::size_t k = 0;
    while (k < s.size() && is_space(s[k])) ++k;
    s.erase(0, k);
  }
  if (s.empty()) return nullptr;
  auto lit = std::make_unique<Expr>();
  lit->kind = ExprKind::kString;
  lit->span = span;
  lit->text = std::move(s);
  return lit;
}

ExprPtr make_template(std::vector<ExprPtr> parts, Span span) {
  bool all_literal = true;
  for (const ExprPtr& p : parts) all_literal = all_literal && p->kind == ExprKind::kString;
  auto e = std::make_unique<Expr>();
  e->span = span;
  if (all_literal) {
    e->kind = ExprKind::kString;
    for (const ExprPtr& p : parts) e->text += p->text;
    return e;
  }
  e->kind = ExprKind::kTemplate;
  e->children = std::move(parts);
  return e;
}

void strip_heredoc_indent(std::vector<ExprPtr>& parts) {
  std::vector<Expr*> seq;
  collect_literals(parts, seq);
  std::size_t min_indent = std::string::npos;
  bool at_start = true;
  std::size_t pending = 0;
  for (std::size_t p = 0; p < seq.size(); ++p) {
    Expr* e = seq[p];
    if (e == nullptr) {  // a non-literal part
      if (at_start) min_indent = std::min(min_indent, pending);
      at_start = false;
      pending = 0;
      continue;
    }
    const std::string& s = e->text;
    for (std::size_t i = 0; i < s.size(); ++i) {
      if (at_start) {
        if (is_blank(s[i])) {
          ++pending;
          continue;
        }
        if (s[i] != '\n' && s[i] != '\r') min_indent = std::min(min_indent, pending);
        at_start = false;
      }
      if (s[i] == '\n') {
        at_start = true;
        pending = 0;
      }
    }
  }
  if (min_indent == std::string::npos || min_indent == 0) return;
  at_start = true;
  pending = 0;
  for (Expr* e : seq) {
    if (e == nullptr) {
      at_start = false;
      continue;
    }
    std::string out;
    out.reserve(e->text.size());
    for (char c : e->text) {
      if (at_start && is_blank(c) && pending < min_indent) {
        ++pending;
        continue;
      }
      at_start = false;
      out += c;
      if (c == '\n') {
        at_start = true;
        pending = 0;
      }
    }
    e->text = std::move(out);
  }
}

}  // namespace tagwarden::hcl
