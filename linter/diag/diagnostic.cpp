#include "linter/diag/diagnostic.hpp"

#include <algorithm>
#include <tuple>

#include "linter/source/source_manager.hpp"

namespace tagwarden {

std::string_view level_name(Level level) {
  switch (level) {
    case Level::kError:
      return "error";
    case Level::kWarning:
      return "warning";
    case Level::kNote:
      return "note";
    case Level::kNone:
      return "none";
  }
  return "none";
}

std::optional<Level> parse_level(std::string_view s) {
  if (s == "error") return Level::kError;
  if (s == "warning") return Level::kWarning;
  if (s == "note") return Level::kNote;
  if (s == "none") return Level::kNone;
  return std::nullopt;
}

bool at_or_above(Level level, Level threshold) {
  if (threshold == Level::kNone || level == Level::kNone) return false;
  return static_cast<int>(level) <= static_cast<int>(threshold);
}

namespace {

/// Sorts `items` by `key(item)` (stable), computing each key once: a key holds the file's
/// display path, which is too dear to build twice per comparison on a large run.
template <typename T, typename KeyFn>
void sort_by_key(std::vector<T>& items, KeyFn key) {
  using Key = decltype(key(items.front()));
  std::vector<std::pair<Key, std::size_t>> keyed;
  keyed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) keyed.emplace_back(key(items[i]), i);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (auto& [k, i] : keyed) sorted.push_back(std::move(items[i]));
  items = std::move(sorted);
}

}  // namespace

void sort_findings(std::vector<Finding>& findings, const SourceManager& sm, bool by_root) {
  if (findings.empty()) return;
  auto key = [&](const Finding& f) {
    return std::make_tuple(span_path(sm, f.primary, f.file_hint), f.primary.has_range ? f.primary.begin : 0u, f.rule_id,
                           f.address, f.tag_key, f.message);
  };
  sort_by_key(findings, key);
  findings.erase(std::unique(findings.begin(), findings.end(),
                             [&](const Finding& a, const Finding& b) {
                               return a.primary == b.primary && (!by_root || a.root == b.root) && key(a) == key(b);
                             }),
                 findings.end());
}

void sort_errors(std::vector<Error>& errors, const SourceManager& sm) {
  if (errors.empty()) return;
  auto key = [&](const Error& e) {
    return std::make_tuple(span_path(sm, e.span, e.file_hint), e.span.has_range ? e.span.begin : 0u, e.message);
  };
  sort_by_key(errors, key);
  errors.erase(
      std::unique(errors.begin(), errors.end(), [&](const Error& a, const Error& b) { return key(a) == key(b); }),
      errors.end());
}

}  // namespace tagwarden
