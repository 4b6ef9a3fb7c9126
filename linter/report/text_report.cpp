#include <fmt/format.h>

#include <map>

#include "linter/model/text.hpp"
#include "linter/report/report.hpp"
#include "rules/rule.hpp"

namespace tagwarden {

std::string location_string(const SourceManager& sm, const Span& span, const std::string& hint) {
  std::string path = span_path(sm, span, hint);
  if (!span.valid() || !span.has_range) return path;
  LineCol lc = sm.begin_of(span);
  return fmt::format("{}:{}:{}", path, lc.line, lc.column);
}

void append_source_snippet(std::string& out, const SourceManager& sm, const Span& span) {
  if (!span.valid() || !span.has_range || !sm.file(span.file).loaded()) return;
  const SourceFile& f = sm.file(span.file);
  LineCol lc = f.line_col(span.begin);
  std::string_view line = f.line_text(lc.line);
  if (line.size() > 200) return;  // minified JSON: the location says enough
  std::string caret;
  std::uint32_t col = 1;
  for (std::size_t i = 0; i < line.size() && col < lc.column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    caret += line[i] == '\t' ? '\t' : ' ';
    ++col;
  }
  out += fmt::format("  {}\n  {}^\n", line, caret);
}

std::string render_text(const ReportInput& in) {
  // ANSI SGR colours (ECMA-48): bold locations, red errors, yellow warnings, cyan notes.
  const bool c = in.options.color;
  auto paint = [c](std::string_view code, std::string_view text) {
    return c ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  auto level_colour = [](Level l) { return l == Level::kError ? "1;31" : l == Level::kWarning ? "1;33" : "1;36"; };
  std::string out;
  for (const auto& e : in.errors) {
    out += fmt::format("{}: {} {}\n", paint("1", location_string(in.sources, e.span, e.file_hint)),
                       paint("1;31", "error:"), e.message);
    append_source_snippet(out, in.sources, e.span);
  }
  std::map<Level, int> counts;
  auto finding = [&](const Finding& f) {
    out += fmt::format("{}: {} {}\n", paint("1", location_string(in.sources, f.primary, f.file_hint)),
                       paint(level_colour(f.level), fmt::format("{}[{}]", level_name(f.level), f.rule_id)), f.message);
    append_source_snippet(out, in.sources, f.primary);
    for (const auto& r : f.related) {
      out += fmt::format("  {} {}: {}\n", paint("1;36", "note:"), location_string(in.sources, r.span, {}), r.message);
    }
    for (const auto& x : f.fixes) out += fmt::format("  fix: {}\n", x.description);
    if (f.suppression) {
      std::string where =
          f.suppression->span.valid() ? fmt::format(" ({})", location_string(in.sources, f.suppression->span, {})) : "";
      out += fmt::format("  suppressed{}: {}\n", where, f.suppression->justification);
    }
  };
  for (const auto& f : in.findings) {
    ++counts[f.level];
    finding(f);
  }
  if (in.suppressed != nullptr) {
    for (const auto& f : *in.suppressed) finding(f);
  }
  auto plural = [](std::size_t n, std::string_view word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
  out += fmt::format("{} checked: {}, {}, {}; {}", plural(in.summary.resources_checked, "resource"),
                     plural(static_cast<std::size_t>(counts[Level::kError]), "error"),
                     plural(static_cast<std::size_t>(counts[Level::kWarning]), "warning"),
                     plural(static_cast<std::size_t>(counts[Level::kNote]), "note"),
                     plural(in.errors.size(), "input error"));
  out += summary_tail(in.summary);
  out += "\n";
  // Resources deliberately not checked are counted, never dropped silently.
  std::size_t left_out = 0;
  std::string why;
  for (const auto& [reason, n] : in.summary.left_out) {
    left_out += n;
    why += fmt::format("{}{} ({})", why.empty() ? "" : "; ", reason, n);
  }
  if (left_out) out += fmt::format("{} left out: {}\n", plural(left_out, "resource"), why);
  return utf8_sanitize(out);
}

namespace {

// Workflow command escaping (GitHub docs, "Workflow commands for GitHub Actions"; the runner's
// ActionCommand escaping): % CR LF in data; additionally : and , in properties.
std::string esc_data(std::string_view s) {
  std::string o;
  for (char ch : s) {
    if (ch == '%')
      o += "%25";
    else if (ch == '\r')
      o += "%0D";
    else if (ch == '\n')
      o += "%0A";
    else
      o += ch;
  }
  return o;
}

std::string esc_prop(std::string_view s) {
  std::string o;
  for (char ch : esc_data(s)) {
    if (ch == ':')
      o += "%3A";
    else if (ch == ',')
      o += "%2C";
    else
      o += ch;
  }
  return o;
}

}  // namespace

std::string render_github(const ReportInput& in) {
  const ReportOptions& opt = in.options;
  const std::string& root = opt.annotation_root.empty() ? opt.source_root : opt.annotation_root;
  std::string out;
  auto emit = [&](std::string_view cmd, const Span& span, const std::string& hint, const std::string& title,
                  const std::string& msg) {
    std::string props;
    std::string file = path_under_root(span_path(in.sources, span, hint), opt, root);
    if (!file.empty()) props += "file=" + esc_prop(file);
    if (span.valid() && span.has_range) {
      LineCol b = in.sources.begin_of(span), e = in.sources.end_of(span);
      props += fmt::format(",line={},col={}", b.line, b.column);
      if (e.line > b.line) props += fmt::format(",endLine={}", e.line);
    }
    if (!title.empty()) props += (props.empty() ? "" : ",") + std::string("title=") + esc_prop(title);
    out += fmt::format("::{} {}::{}\n", cmd, props, esc_data(msg));
  };
  // GitHub shows 10 error, 10 warning and 10 notice annotations per step and 50 per job
  // (actions/toolkit docs/problem-matchers.md, "Limitations"). Input errors and the most
  // relevant findings come first; one notice says how many were not annotated.
  std::size_t limit = opt.annotations_per_level;
  std::size_t errors = 0, warnings = 0, notices = 0, left_out = 0;
  auto room = [&](Level l) -> std::size_t& {
    return l == Level::kError ? errors : l == Level::kWarning ? warnings : notices;
  };
  for (const auto& e : in.errors) {
    if (errors >= limit) {
      ++left_out;
      continue;
    }
    ++errors;
    emit("error", e.span, e.file_hint, "tagwarden: input error", e.message);
  }
  std::vector<const Finding*> order = findings_by_priority(in, root);
  // Keep one notice free for the count of what was left out.
  std::size_t would_leave = 0;
  {
    std::size_t e = errors, w = 0, n = 0;
    for (const Finding* f : order) {
      std::size_t& r = f->level == Level::kError ? e : f->level == Level::kWarning ? w : n;
      if (r >= limit)
        ++would_leave;
      else
        ++r;
    }
    would_leave += left_out;
  }
  for (const Finding* f : order) {
    std::size_t& used = room(f->level);
    std::size_t cap = f->level == Level::kNote && would_leave > 0 && limit > 0 ? limit - 1 : limit;
    if (used >= cap) {
      ++left_out;
      continue;
    }
    ++used;
    std::string_view cmd = f->level == Level::kError ? "error" : f->level == Level::kWarning ? "warning" : "notice";
    const Rule* rule = find_rule(f->rule_id);
    std::string title = rule ? fmt::format("{} {}", f->rule_id, rule->name) : f->rule_id;
    emit(cmd, f->primary, f->file_hint, title, f->message);
  }
  if (left_out > 0) {
    out += fmt::format(
        "::notice title=tagwarden::{} more finding{} not annotated (GitHub shows at most {} error, {} warning and "
        "{} notice annotations per step): see the full report\n",
        left_out, left_out == 1 ? " was" : "s were", limit, limit, limit);
  }
  return utf8_sanitize(out);
}

std::string summary_tail(const RunSummary& s) {
  std::string out;
  if (s.suppressed_inline > 0 || s.baseline_used) {
    out += fmt::format("; {} suppressed", s.suppressed_inline + s.baseline_matched);
    if (s.baseline_used)
      out += fmt::format(" ({} inline, {} by the baseline)", s.suppressed_inline, s.baseline_matched);
  }
  if (s.baseline_used && s.baseline_unmatched_known) {
    out += s.baseline_unmatched == 1
               ? std::string("; 1 baseline entry no longer matches (fixed)")
               : fmt::format("; {} baseline entries no longer match (fixed)", s.baseline_unmatched);
  }
  if (s.below_min_level > 0) out += fmt::format("; {} below --min-level", s.below_min_level);
  return out;
}

}  // namespace tagwarden
