#include <fmt/format.h>

#include <map>

#include "linter/report/report.hpp"

namespace tagwarden {

std::string location_string(const SourceManager& sm, const Span& span, const std::string& hint) {
  std::string path = span_path(sm, span, hint);
  if (!span.valid() || !span.has_range) return path;
  LineCol lc = sm.begin_of(span);
  return fmt::format("{}:{}:{}", path, lc.line, lc.column);
}

namespace {

void append_snippet(std::string& out, const SourceManager& sm, const Span& span) {
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

}  // namespace

std::string render_text(const ReportInput& in) {
  std::string out;
  for (const auto& e : in.errors) {
    out += fmt::format("{}: error: {}\n", location_string(in.sources, e.span, e.file_hint), e.message);
    append_snippet(out, in.sources, e.span);
  }
  std::map<Level, int> counts;
  auto finding = [&](const Finding& f) {
    out += fmt::format("{}: {}[{}] {}\n", location_string(in.sources, f.primary, f.file_hint), level_name(f.level), f.rule_id,
                       f.message);
    append_snippet(out, in.sources, f.primary);
    for (const auto& r : f.related) {
      out += fmt::format("  note: {}: {}\n", location_string(in.sources, r.span, {}), r.message);
    }
    for (const auto& x : f.fixes) out += fmt::format("  fix: {}\n", x.description);
    if (f.suppression) {
      std::string where = f.suppression->span.valid() ? fmt::format(" ({})", location_string(in.sources, f.suppression->span, {})) : "";
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
                     plural(static_cast<std::size_t>(counts[Level::kNote]), "note"), plural(in.errors.size(), "input error"));
  const RunSummary& s = in.summary;
  if (s.suppressed_inline > 0 || s.baseline_used) {
    out += fmt::format("; {} suppressed", s.suppressed_inline + s.baseline_matched);
    if (s.baseline_used) out += fmt::format(" ({} inline, {} by the baseline)", s.suppressed_inline, s.baseline_matched);
  }
  if (s.baseline_used) {
    out += s.baseline_unmatched == 1 ? std::string("; 1 baseline entry no longer matches (fixed)")
                                     : fmt::format("; {} baseline entries no longer match (fixed)", s.baseline_unmatched);
  }
  if (s.below_min_level > 0) out += fmt::format("; {} below --min-level", s.below_min_level);
  out += "\n";
  return out;
}

std::string render_github(const ReportInput& in) {
  // Workflow command escaping: % \r \n in data; additionally : and , in properties.
  auto esc_data = [](std::string_view s) {
    std::string o;
    for (char c : s) {
      if (c == '%') o += "%25";
      else if (c == '\r') o += "%0D";
      else if (c == '\n') o += "%0A";
      else o += c;
    }
    return o;
  };
  auto esc_prop = [&](std::string_view s) {
    std::string o;
    for (char c : esc_data(s)) {
      if (c == ':') o += "%3A";
      else if (c == ',') o += "%2C";
      else o += c;
    }
    return o;
  };
  std::string out;
  auto emit = [&](std::string_view cmd, const Span& span, const std::string& hint, const std::string& title, const std::string& msg) {
    std::string props;
    std::string file = span_path(in.sources, span, hint);
    if (!file.empty()) props += "file=" + esc_prop(file);
    if (span.valid() && span.has_range) {
      LineCol b = in.sources.begin_of(span), e = in.sources.end_of(span);
      props += fmt::format(",line={},col={}", b.line, b.column);
      if (e.line > b.line) props += fmt::format(",endLine={}", e.line);
    }
    if (!title.empty()) props += (props.empty() ? "" : ",") + std::string("title=") + esc_prop(title);
    out += fmt::format("::{} {}::{}\n", cmd, props, esc_data(msg));
  };
  for (const auto& e : in.errors) emit("error", e.span, e.file_hint, "tagwarden input error", e.message);
  for (const auto& f : in.findings) {
    std::string_view cmd = f.level == Level::kError ? "error" : f.level == Level::kWarning ? "warning" : "notice";
    emit(cmd, f.primary, f.file_hint, f.rule_id, f.message);
  }
  return out;
}

}  // namespace tagwarden
