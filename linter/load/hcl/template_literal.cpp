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
void collect_literals(const ExprList& parts, std::vector<Expr*>& seq) {
  for (Expr* p : parts) {
    if (p == nullptr) continue;
    if (p->kind == ExprKind::kString) {
      seq.push_back(p);
    } else if (p->kind == ExprKind::kTemplateIf || p->kind == ExprKind::kTemplateFor) {
      seq.push_back(nullptr);
      for (std::size_t i = 1; i < p->children.size(); ++i) {
        Expr* body = p->children[i];
        if (body == nullptr) continue;
        if (body->kind == ExprKind::kString) {
          seq.push_back(body);
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

/// True when decode_literal would return `raw` as it is: no `$${` or `%%{`, and no backslash in
/// a quoted template.
bool decodes_to_itself(std::string_view raw, bool quoted) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '\\' && quoted) return false;
    if ((c == '$' || c == '%') && i + 1 < raw.size() && raw[i + 1] == c) return false;
  }
  return true;
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

Expr* literal_part(AstArena& arena, std::string_view raw, Span span, bool quoted, bool strip_leading,
                   bool strip_trailing) {
  std::string decoded;
  std::string_view s = raw;
  if (!decodes_to_itself(raw, quoted)) {
    decoded = decode_literal(raw, quoted);
    s = decoded;
  }
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  if (strip_trailing) {
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  }
  if (strip_leading) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  }
  if (s.empty()) return nullptr;
  Expr* lit = arena.node(ExprKind::kString, span);
  lit->text = arena.text(s);
  return lit;
}

Expr* make_template(AstArena& arena, const ExprList& parts, Span span) {
  bool all_literal = true;
  for (const Expr* p : parts) all_literal = all_literal && p->kind == ExprKind::kString;
  if (all_literal) {
    Expr* e = arena.node(ExprKind::kString, span);
    if (parts.size() == 1) {
      e->text = parts[0]->text;
    } else if (parts.size() > 1) {
      std::string joined;
      for (const Expr* p : parts) joined += p->text;
      e->text = arena.text(joined);
    }
    return e;
  }
  Expr* e = arena.node(ExprKind::kTemplate, span);
  e->children = parts;
  return e;
}

void strip_heredoc_indent(AstArena& arena, ExprList& parts) {
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
    std::string_view s = e->text;
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
    e->text = arena.text(out);
  }
}

}  // namespace tagwarden::hcl
