// Terraform values as tagwarden evaluates them: the usual types plus "unknown" (cannot be
// known statically, with a reason) and "error" (a definite evaluation error in the input, such
// as `upper(3, 4)`: it propagates like an unknown, and the evaluator reports it as an input
// Error where it happened). Every value remembers the Span of the expression that produced it,
// and map entries remember where their key was written: that is the provenance that lets a
// finding point at the exact tag entry. Collections know their size as a tree (shared parts
// counted as often as they are reachable), so nothing ever walks an unbounded tree.
#pragma once
#include <cstdint>
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
  /// A definite evaluation error at `s` (wrong argument types, a bad regular expression, a
  /// missing attribute): Terraform would stop with this message. Kind kUnknown, so everything
  /// computed from it is not known either; is_error() tells it apart from a plain unknown.
  static Value error(std::string message, Span s = {});
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
  /// An unknown that stands for an input error (see error()).
  bool is_error() const { return error_; }
  /// True when this value and everything inside it is known (and no map is open). O(1).
  bool is_wholly_known() const { return wholly_known_; }
  /// The unknown (or error) this unknown value becomes when an operation at `s` consumes it:
  /// the same reason and error-ness, the new span.
  Value propagate(Span s) const;
  /// The first unknown (or error) inside this value, in iteration order, for a reason to give
  /// when a function needs its argument wholly known; an unknown "the map's keys are not all
  /// known statically" for an open map. Only meaningful when !is_wholly_known().
  Value first_unknown() const;
  /// Number of values in this value as a tree (1 for a primitive; a list of n strings is n + 1),
  /// counting shared parts once per path; saturates at UINT64_MAX.
  std::uint64_t tree_size() const { return tree_size_; }
  /// Bytes of string data (values and map keys) in this value as a tree; saturates.
  std::uint64_t text_bytes() const { return text_bytes_; }

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
  void measure();

  Kind kind_ = Kind::kNull;
  bool b_ = false;
  bool open_ = false;
  bool error_ = false;
  bool wholly_known_ = true;
  std::uint64_t tree_size_ = 1;
  std::uint64_t text_bytes_ = 0;
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
  /// Where the object constructor wrote the entry's value (`var.env` in `{Env = var.env}`),
  /// which may be an expression whose value was written elsewhere (`value.span()`); empty when
  /// the map was not written as an object constructor.
  Span value_span{};
};

}  // namespace tagwarden::tf
