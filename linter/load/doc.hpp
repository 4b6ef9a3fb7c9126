// A positioned document tree shared by every JSON and YAML input (CloudFormation templates,
// cdk.out manifests, Terraform JSON syntax and plans, schemas). Every node keeps its Span;
// YAML tags (short-form intrinsics such as `!Ref`) are kept verbatim.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/span.hpp"

namespace tagwarden {

struct DocNode {
  enum class Kind { kNull, kBool, kNumber, kString, kSeq, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;  ///< text of a scalar: string contents, number as written, "true"/"false"
  std::string tag;     ///< YAML tag as written ("!Ref", "!GetAtt"), empty when none
  Span span;
  std::vector<DocNode> items;  ///< sequence items, or map values (parallel to `keys`)
  std::vector<std::string> keys;
  std::vector<Span> key_spans;

  bool is_map() const { return kind == Kind::kMap; }
  bool is_seq() const { return kind == Kind::kSeq; }
  bool is_string() const { return kind == Kind::kString; }
  bool is_scalar() const { return kind != Kind::kSeq && kind != Kind::kMap; }
  /// The value of the first entry named `key` in a map; nullptr when absent or not a map.
  const DocNode* get(std::string_view key) const;
  /// Index of `key` in a map, or -1. O(log n) once index_keys() has run, else linear.
  int index_of(std::string_view key) const;
  /// Builds the key index of a big map (the parsers call it when a map is complete), so that
  /// looking up each of 10,000 resources in a template is not quadratic.
  void index_keys();

 private:
  /// Positions of `keys` sorted by key (equal keys in document order); empty for small maps,
  /// and ignored when `keys` changed size since.
  std::vector<std::uint32_t> key_order_;
};

struct DocResult {
  std::unique_ptr<DocNode> root;  ///< null when parsing failed
  std::vector<Error> errors;      ///< positioned errors (at most a few per file)
};

/// Limits that keep hostile inputs bounded (nesting depth, node count after YAML aliases).
struct DocLimits {
  int max_depth = 256;
  std::size_t max_nodes = 2'000'000;
};

/// Parses JSON (RFC 8259; duplicate keys kept in order, as CloudFormation sees them).
DocResult parse_json(FileId file, std::string_view text, const DocLimits& limits = {});
/// Parses a YAML document (the first one in the stream); JSON is accepted too.
DocResult parse_yaml(FileId file, std::string_view text, const DocLimits& limits = {});

}  // namespace tagwarden
