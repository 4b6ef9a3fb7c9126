// Tag precedence in one place. Every front end (Terraform configurations and plans,
// CloudFormation, SAM, CDK) states what it read as layers (provider default_tags or stack tags,
// SAM Globals, resource tags, framework tags), nulls, removals (ignore_tags) and unknown key
// sets; this builder alone decides the effective TagSet. tests/unit/tag_set_builder_test.cpp
// is its specification.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "linter/model/effective_tags.hpp"

namespace tagwarden {

/// What a tag written with a null value means in a layer.
enum class NullMeans {
  /// No tag: the key is also removed from every lower layer.
  kRemove,
  /// Nothing is written here: a lower layer's value of the key stays. CloudFormation's
  /// `AWS::NoValue` (the entry does not exist, stack tags still apply).
  kNotSet,
  /// The empty string.
  kEmpty,
};

class TagSetBuilder {
 public:
  /// Starts the next layer. Its entries win, per exact key (AWS tag keys are case-sensitive),
  /// over the entries of every earlier layer. Entries added before the first call form layer 0.
  void begin_layer(NullMeans null_means = NullMeans::kRemove);

  /// Sets a tag in the current layer with map semantics: it replaces any entry of the same key
  /// from this layer or a lower one. An entry whose `value` is empty-optional is a tag whose
  /// value is unknown (give `unknown_reason`).
  void set(TagEntry entry);
  /// Adds a tag in the current layer with list semantics (CloudFormation `Tags` lists): an
  /// entry of the same key already in this layer stays too, a duplicate that AWS rejects and
  /// duplicate-tag-key reports; lower layers' entries of the key are replaced.
  void add(TagEntry entry);
  /// A tag written with a null value; what it does is the layer's NullMeans. `entry.value` is
  /// ignored; `key`, spans and origin are used when the null becomes the empty string.
  void set_null(TagEntry entry);

  /// The tag set may hold keys nobody can list statically (an unknown map, a merge() with an
  /// unknown argument, an unconfigured provider). The first reason given is kept. `error`: the
  /// keys are unknown because of an input error that is reported on its own.
  void keys_unknown(std::string reason, Span span, bool error = false);
  bool keys_known() const { return keys_known_; }

  /// Keys the platform neither sets nor reports (Terraform provider `ignore_tags`): removed
  /// from the result whatever layer wrote them. Matching is exact, prefixes by `starts_with`.
  void ignore_keys(const std::vector<std::string>& keys);
  void ignore_key_prefixes(const std::vector<std::string>& prefixes);

  /// The effective set: entries sorted by key, same-key duplicates of one layer in the order
  /// they were added.
  TagSet build() &&;

 private:
  struct KeyState {
    int layer = -1;                 ///< the layer that decided the key
    std::vector<TagEntry> entries;  ///< empty: the key was removed
  };
  KeyState& state(const std::string& key) { return keys_[key]; }

  int layer_ = 0;
  NullMeans null_means_ = NullMeans::kRemove;
  std::map<std::string, KeyState, std::less<>> keys_;
  std::vector<std::string> ignored_keys_;
  std::vector<std::string> ignored_prefixes_;
  bool keys_known_ = true;
  bool keys_error_ = false;
  std::string keys_unknown_reason_;
  Span keys_unknown_span_;
};

}  // namespace tagwarden
