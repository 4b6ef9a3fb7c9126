// Pieces of the JSON reports shared by several commands (check, diff), so a finding has one
// JSON shape everywhere.
#pragma once
#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// A finding as JSON, appended to `out` in dump(2)'s layout `depth` spaces in, written straight
/// from the finding (no JSON tree: findings are the bulk of a long report): rule_id, rule,
/// level, message, address, tag_key, location, related; with `with_root`, also the resource's
/// root module or template; with `with_pipeline` (as `check --format json` lists it), also what
/// the findings pipeline sets: tag_keys, value, fixes, fingerprint and any suppression.
void append_finding_text(std::string& out, const SourceManager& sm, const Finding& f, bool with_root,
                         bool with_pipeline, std::size_t depth);

/// An array of a report that can be long (findings, SARIF results, a diff's entries), written
/// one item at a time instead of built as one tree (32,000 findings as a JSON tree took
/// 360 MB): the skeleton dumps it empty at `slot` (its text in dump()'s layout: newline,
/// indent, `"key": []`).
struct StreamedArray {
  std::string_view slot;
  std::size_t count = 0;
  std::function<nlohmann::ordered_json(std::size_t)> item;
  /// When set, used instead of `item`: appends item i's text, laid out `depth` spaces in as
  /// dump() lays out a tree there (findings: streamed_findings).
  std::function<void(std::string& out, std::size_t i, std::size_t depth)> render;
};

/// The findings of `list` as the streamed array at `slot` (append_finding_text): one JSON shape
/// for a finding in every report (check, diff).
StreamedArray streamed_findings(std::string_view slot, const SourceManager& sm, const std::vector<Finding>& list,
                                bool with_root, bool with_pipeline);

/// How far in dump_streamed lays out the items of the array at `slot` (its text: newline, indent,
/// `"key": []`): the key's indent and two spaces more, as dump() would.
constexpr std::size_t streamed_item_depth(std::string_view slot) { return slot.find_first_not_of(' ', 1) - 1 + 2; }

/// `skeleton` dumped as the reports dump JSON (two-space indent, invalid UTF-8 replaced, a final
/// newline), written to `out` with each StreamedArray's items in its slot, laid out as a whole
/// dump would have laid them out. Slots must appear in the skeleton in the order given. Items
/// are rendered a batch at a time on up to `jobs` threads (StreamedArray::item must then be
/// safe to call concurrently) and written in order: the output does not depend on `jobs`.
void dump_streamed(const nlohmann::ordered_json& skeleton, const std::vector<StreamedArray>& arrays,
                   const std::function<void(std::string_view)>& out, unsigned jobs = 1);

/// A writer's pieces collected into one string: the render_* form of a write_* function.
/// `write` is called with the sink to write to.
template <class Write>
std::string collect(Write&& write) {
  std::string s;
  write(std::function<void(std::string_view)>([&](std::string_view piece) { s.append(piece); }));
  return s;
}

}  // namespace tagwarden
