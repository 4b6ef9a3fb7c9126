#include "linter/model/tag_set_builder.hpp"

#include <algorithm>
#include <utility>

namespace tagwarden {

void TagSetBuilder::begin_layer(NullMeans null_means) {
  // The entries added before the first call are layer 0; every later call opens a new one.
  ++layer_;
  null_means_ = null_means;
}

void TagSetBuilder::set(TagEntry entry) {
  KeyState& ks = state(entry.key);
  ks.layer = layer_;
  ks.entries.clear();
  ks.entries.push_back(std::move(entry));
}

void TagSetBuilder::add(TagEntry entry) {
  KeyState& ks = state(entry.key);
  if (ks.layer != layer_) {
    ks.layer = layer_;
    ks.entries.clear();
  }
  ks.entries.push_back(std::move(entry));
}

void TagSetBuilder::set_null(TagEntry entry) {
  switch (null_means_) {
    case NullMeans::kRemove: {
      KeyState& ks = state(entry.key);
      ks.layer = layer_;
      ks.entries.clear();
      return;
    }
    case NullMeans::kNotSet:
      return;
    case NullMeans::kEmpty:
      entry.value = std::string();
      entry.unknown_reason.clear();
      set(std::move(entry));
      return;
  }
}

void TagSetBuilder::keys_unknown(std::string reason, Span span, bool error) {
  if (!keys_known_) return;  // the first reason is the one people can act on
  keys_known_ = false;
  keys_error_ = error;
  keys_unknown_reason_ = std::move(reason);
  keys_unknown_span_ = span;
}

void TagSetBuilder::ignore_keys(const std::vector<std::string>& keys) {
  ignored_keys_.insert(ignored_keys_.end(), keys.begin(), keys.end());
}

void TagSetBuilder::ignore_key_prefixes(const std::vector<std::string>& prefixes) {
  ignored_prefixes_.insert(ignored_prefixes_.end(), prefixes.begin(), prefixes.end());
}

TagSet TagSetBuilder::build() && {
  TagSet out;
  out.keys_known = keys_known_;
  out.keys_error = keys_error_;
  out.keys_unknown_reason = std::move(keys_unknown_reason_);
  out.keys_unknown_span = keys_unknown_span_;
  for (auto& [key, ks] : keys_) {
    bool ignored = std::find(ignored_keys_.begin(), ignored_keys_.end(), key) != ignored_keys_.end();
    for (const auto& p : ignored_prefixes_) ignored = ignored || key.starts_with(p);
    if (ignored) continue;
    for (auto& e : ks.entries) out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace tagwarden
