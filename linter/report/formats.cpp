#include "linter/report/formats.hpp"

namespace tagwarden {

namespace {

/// A format whose report is short (capped, or a summary) is rendered whole, then written.
template <std::string (*Render)(const ReportInput&)>
void whole(const ReportInput& in, const ReportSink& out) {
  out(Render(in));
}

}  // namespace

const std::vector<OutputFormat>& output_formats() {
  static const std::vector<OutputFormat> kFormats = {
      {"text", "path:line:col: level[ID] message, the source line with a caret, and a summary", whole<render_text>,
       append_tags_resource_text, write_tags_text},
      {"json", "{\"findings\": [...], \"errors\": [...], \"summary\": {...}}", write_json, append_tags_resource_json,
       write_tags_json},
      {"sarif", "SARIF 2.1.0 for GitHub code scanning and other SARIF viewers", write_sarif},
      {"github",
       "GitHub Actions workflow commands that annotate pull requests (the most relevant first, within GitHub's limits)",
       whole<render_github>},
      {"markdown", "a GitHub job summary ($GITHUB_STEP_SUMMARY): counts by rule and key, the first findings with links",
       whole<render_markdown>},
  };
  return kFormats;
}

const OutputFormat* find_output_format(std::string_view name) {
  for (const auto& f : output_formats()) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<std::string> output_format_names(bool tags) {
  std::vector<std::string> out;
  for (const auto& f : output_formats()) {
    if (tags ? f.write_tags != nullptr : f.write_check != nullptr) out.emplace_back(f.name);
  }
  return out;
}

}  // namespace tagwarden
