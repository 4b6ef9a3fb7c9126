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

/// Sorts `items` by `key(item)` (stable) and drops an item when `same(previous kept, item)` holds
/// and its key equals that item's. Each key is computed once: a key holds the file's display
/// path, which is too dear to build twice per comparison on a large run; its other parts may
/// view the items, which stay where they are until the end.
template <typename T, typename KeyFn, typename SameFn>
void sort_unique_by_key(std::vector<T>& items, KeyFn key, SameFn same) {
  using Key = decltype(key(items.front()));
  std::vector<std::pair<Key, std::size_t>> keyed;
  keyed.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) keyed.emplace_back(key(items[i]), i);
  std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  const std::pair<Key, std::size_t>* last = nullptr;
  std::vector<char> kept(items.size(), 0);
  for (const auto& k : keyed) {
    if (last != nullptr && last->first == k.first && same(items[last->second], items[k.second])) continue;
    kept[k.second] = 1;
    last = &k;
  }
  std::vector<T> sorted;
  sorted.reserve(items.size());
  for (const auto& k : keyed)
    if (kept[k.second]) sorted.push_back(std::move(items[k.second]));
  items = std::move(sorted);
}

}  // namespace

void sort_findings(std::vector<Finding>& findings, const SourceManager& sm, bool by_root) {
  if (findings.empty()) return;
  auto key = [&](const Finding& f) {
    return std::make_tuple(span_path(sm, f.primary, f.file_hint), f.primary.has_range ? f.primary.begin : 0u,
                           std::string_view(f.rule_id), std::string_view(f.address), std::string_view(f.tag_key),
                           std::string_view(f.message));
  };
  sort_unique_by_key(findings, key, [&](const Finding& a, const Finding& b) {
    return a.primary == b.primary && (!by_root || a.root == b.root);
  });
}

void sort_errors(std::vector<Error>& errors, const SourceManager& sm) {
  if (errors.empty()) return;
  auto key = [&](const Error& e) {
    return std::make_tuple(span_path(sm, e.span, e.file_hint), e.span.has_range ? e.span.begin : 0u,
                           std::string_view(e.message));
  };
  sort_unique_by_key(errors, key, [](const Error&, const Error&) { return true; });
}

}  // namespace tagwarden
