// Renders findings and errors (and, for `tags`, the effective tag sets) in every output
// format. Byte offsets become line:column here and nowhere else.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Lines a change added or modified, per file (path relative to the source root, forward
/// slashes): closed ranges [first, last] of 1-based lines in the new version of the file.
using ChangedLines = std::map<std::string, std::vector<std::pair<std::uint32_t, std::uint32_t>>>;

/// The lines a unified diff (`git diff` output) adds, by the path after `+++ b/`. Files the
/// diff deletes are left out; anything that is not a diff header or hunk is ignored.
ChangedLines parse_unified_diff(std::string_view diff);

/// How reports place paths and what they leave out. Every field has a default that gives a
/// deterministic report; main fills them from the command line and the environment.
struct ReportOptions {
  /// Absolute working directory; display paths (SourceManager) are relative to it. Empty:
  /// display paths are taken as they are.
  std::string working_directory;
  /// Absolute folder that SARIF artifact URIs (uriBaseId %SRCROOT%) and fingerprints are
  /// relative to, so they do not depend on where tagwarden was started. Empty: the working
  /// directory.
  std::string source_root;
  /// Absolute folder that `github` annotation paths are relative to (GITHUB_WORKSPACE).
  /// Empty: the source root.
  std::string annotation_root;
  bool color = false;  ///< ANSI colours in `text`
  /// SARIF: notes beyond this many are left out (errors and warnings never are) and a
  /// notification says how many; GitHub keeps only the first 5,000 results of a run.
  std::size_t max_sarif_notes = 1000;
  /// SARIF run.automationDetails.id: "category/" (code scanning uses the part before the
  /// last slash as the analysis category).
  std::string automation_id = "tagwarden/";
  /// Web address of tagwarden's repository and the commit or tag of this build: SARIF
  /// driver.informationUri and each rule's helpUri (`<url>/blob/<ref>/rules/<name>.md`).
  /// Empty: left out rather than made up.
  std::string repository_url;
  std::string repository_ref;
  /// `github`: annotations per level (GitHub shows 10 errors, 10 warnings and 10 notices per
  /// step); the rest are counted in one notice.
  std::size_t annotations_per_level = 10;
  /// Threads that render the items of a long JSON or SARIF array (thread_pool.hpp; 0: one per
  /// core). The output is the same whatever the number.
  unsigned jobs = 1;
  /// Lines a pull request changed (paths relative to the source root): `github` and
  /// `markdown` list findings on them first. Null: no diff given.
  const ChangedLines* changed_lines = nullptr;
  /// `markdown`: prefix that turns a source-root-relative path into a link to the file
  /// ("https://github.com/OWNER/REPO/blob/SHA/"). Empty: paths are shown without links.
  std::string link_base;
};

struct ReportInput {
  const SourceManager& sources;
  const std::vector<Finding>& findings;  ///< sorted
  const std::vector<Error>& errors;      ///< sorted
  RunSummary summary;
  std::string tool_version;
  ReportOptions options = {};
  /// Suppressed findings to show (--include-suppressed), sorted; null: only counted.
  const std::vector<Finding>* suppressed = nullptr;
};

/// Where a report goes, piece by piece: the long ones (JSON, SARIF) are never held whole.
using ReportSink = std::function<void(std::string_view)>;

/// `path:line:col: level[ID] message`, the source line with a caret, then a summary line.
std::string render_text(const ReportInput& in);
/// {"findings": [...], "errors": [...], "summary": {...}}
void write_json(const ReportInput& in, const ReportSink& out);
std::string render_json(const ReportInput& in);  ///< write_json into one string
/// SARIF 2.1.0, one run, accepted by GitHub code scanning.
void write_sarif(const ReportInput& in, const ReportSink& out);
std::string render_sarif(const ReportInput& in);  ///< write_sarif into one string
/// GitHub Actions workflow commands (`::error file=...,line=...::message`): findings on changed
/// lines first, then by severity; at most `annotations_per_level` per level, then one notice
/// saying how many were left out.
std::string render_github(const ReportInput& in);
/// GitHub-flavoured Markdown for a job summary ($GITHUB_STEP_SUMMARY): the text report's counts
/// (summary_tail included), counts by rule and by tag key (every key of a finding, by level),
/// then the first findings with links to their lines; always under GitHub's 1 MiB step-summary
/// limit.
std::string render_markdown(const ReportInput& in);

/// The `tags` command: every resource's effective tag set with origins. A resource is rendered
/// on its own by append_tags_resource_* (the engine does it as soon as the unit that found it is
/// done, so the listing of a large estate holds text, not resources); write_tags_* writes the
/// listing from those texts, in the order given, and the run's errors.
void append_tags_resource_json(std::string& out, const SourceManager& sm, const Resource& r);
void append_tags_resource_text(std::string& out, const SourceManager& sm, const Resource& r);
void write_tags_json(const std::vector<std::string>& resources, const SourceManager& sm,
                     const std::vector<Error>& errors, const ReportSink& out);
void write_tags_text(const std::vector<std::string>& resources, const SourceManager& sm,
                     const std::vector<Error>& errors, const ReportSink& out);

/// A unified diff (`git apply`/`patch -p1`) applying every fix of `findings` to the files;
/// overlapping edits after the first are skipped. Empty when there is nothing to fix.
std::string render_fix_diff(const SourceManager& sm, const std::vector<Finding>& findings);
/// Appends the source line of `span` and a caret under its start (nothing for spans without a
/// position or on very long lines).
void append_source_snippet(std::string& out, const SourceManager& sm, const Span& span);

/// "path:line:col" of a span (or the hint path alone).
std::string location_string(const SourceManager& sm, const Span& span, const std::string& hint);

/// A display path (relative to `options.working_directory`, or absolute) made relative to
/// `root` (absolute; empty: the working directory), with forward slashes. A path outside
/// `root` comes back absolute.
std::string path_under_root(const std::string& display, const ReportOptions& options, const std::string& root);

/// What the summary line adds after the finding counts (text and Markdown reports): "; 9
/// suppressed (2 inline, 7 by the baseline); 1 baseline entry no longer matches (fixed); 3
/// below --min-level", each part only when it applies. Empty when none does.
std::string summary_tail(const RunSummary& s);

/// Findings in the order machine-facing reports present them: on changed lines first (when
/// `options.changed_lines` is set), then errors, warnings, notes, each in the input order.
std::vector<const Finding*> findings_by_priority(const ReportInput& in, const std::string& root);

}  // namespace tagwarden
