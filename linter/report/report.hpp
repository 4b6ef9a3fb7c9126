// Renders findings and errors (and, for `tags`, the effective tag sets) in every output
// format. Byte offsets become line:column here and nowhere else.
#pragma once
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

struct ReportInput {
  const SourceManager& sources;
  const std::vector<Finding>& findings;  ///< sorted
  const std::vector<Error>& errors;      ///< sorted
  RunSummary summary;
  std::string tool_version;
  /// Suppressed findings to show (--include-suppressed), sorted; null: only counted.
  const std::vector<Finding>* suppressed = nullptr;
};

/// `path:line:col: level[ID] message`, the source line with a caret, then a summary line.
std::string render_text(const ReportInput& in);
/// {"findings": [...], "errors": [...], "summary": {...}}
std::string render_json(const ReportInput& in);
/// SARIF 2.1.0, one run, accepted by GitHub code scanning.
std::string render_sarif(const ReportInput& in);
/// GitHub Actions workflow commands (`::error file=...,line=...::message`).
std::string render_github(const ReportInput& in);

/// The `tags` command: every resource's effective tag set with origins.
std::string render_tags_json(const SourceManager& sm, const std::vector<Resource>& resources, const std::vector<Error>& errors);
std::string render_tags_text(const SourceManager& sm, const std::vector<Resource>& resources, const std::vector<Error>& errors);

/// A unified diff (`git apply`/`patch -p1`) applying every fix of `findings` to the files;
/// overlapping edits after the first are skipped. Empty when there is nothing to fix.
std::string render_fix_diff(const SourceManager& sm, const std::vector<Finding>& findings);

/// "path:line:col" of a span (or the hint path alone).
std::string location_string(const SourceManager& sm, const Span& span, const std::string& hint);

}  // namespace tagwarden
