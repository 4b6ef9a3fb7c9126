// Terraform values as tagwarden evaluates them: the usual types plus "unknown" (cannot be
// known statically, with a reason). Every value remembers the Span of the expression that
// produced it, and map entries remember where their key was written: that is the provenance
// that lets a finding point at the exact tag entry.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden::tf {

class Value;

struct MapEntry;
using MapData = std::map<std::string, MapEntry>;  // Terraform iterates keys in sorted order
using ListData = std::vector<Value>;

class Value {
 public:
  enum class Kind { kNull, kUnknown, kBool, kNumber, kString, kList, kMap };

  Value() = default;  ///< null
  static Value null(Span s = {});
  static Value unknown(std::string reason, Span s = {});
  static Value boolean(bool b, Span s = {});
  static Value number(double d, Span s = {});
  static Value string(std::string str, Span s = {});
  static Value list(ListData items, Span s = {});  ///< lists, tuples and sets alike
  /// Maps and objects alike. `open`: more entries may exist than are listed (a merge with an
  /// unknown map): the listed ones are still real.
  static Value map(MapData entries, Span s = {}, bool open = false);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }
  bool is_known() const { return kind_ != Kind::kUnknown; }
  /// True when this value and everything inside it is known (and no map is open).
  bool is_wholly_known() const;

  bool as_bool() const { return b_; }
  double as_number() const { return d_; }
  const std::string& as_string() const { return s_; }  ///< kString; the reason for kUnknown
  const ListData& as_list() const;
  const MapData& as_map() const;
  bool map_open() const { return open_; }
  const std::string& unknown_reason() const { return s_; }

  Span span() const { return span_; }
  Value with_span(Span s) const {
    Value v = *this;
    v.span_ = s;
    return v;
  }

  /// Terraform's string conversion of a primitive ("1", "1.5", "true"); nullopt for
  /// collections, null and unknown.
  std::optional<std::string> to_string() const;
  /// Type name for messages ("string", "number", "bool", "list", "map", "null", "unknown").
  std::string type_name() const;

 private:
  Kind kind_ = Kind::kNull;
  bool b_ = false;
  bool open_ = false;
  double d_ = 0;
  std::string s_;
  std::shared_ptr<const ListData> list_;
  std::shared_ptr<const MapData> map_;
  Span span_;
};

struct MapEntry {
  Value value;
  Span key_span;  ///< where the key was written (for `{Team = "x"}`, the `Team`)
  /// Other spellings of this exact key that the same object constructor also wrote
  /// (Terraform rejects exact duplicates; kept so a rule can still point at them).
  std::vector<Span> duplicate_key_spans;
};

}  // namespace tagwarden::tf
