// The one diagnostics layer behind every output format. A Finding means a rule fired; an
// Error means tagwarden could not do its job on some input (unreadable file, syntax error,
// bad schema). They are kept apart everywhere (STYLE.md section 4).
#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "linter/source/span.hpp"

namespace tagwarden {

enum class Level { kError, kWarning, kNote, kNone };

std::string_view level_name(Level level);  ///< "error", "warning", "note", "none"
std::optional<Level> parse_level(std::string_view s);
/// True when `level` is at least as severe as `threshold` (kNone as threshold: never).
bool at_or_above(Level level, Level threshold);

/// A secondary location with a short explanation ("inherited from provider aws.west
/// default_tags", "value set by module argument").
struct Related {
  Span span;
  std::string message;
};

struct Finding {
  std::string rule_id;   ///< "TW001"
  Level level = Level::kWarning;
  std::string message;
  Span primary;          ///< the tag entry, else the tags attribute, else the resource header
  std::string file_hint; ///< display path when `primary` has no file (plan-only resources)
  std::string address;   ///< logical location: the resource address
  std::string tag_key;   ///< the key concerned, if any (for fingerprints and JSON)
  std::vector<Related> related;
};

struct Error {
  Span span;             ///< where; may be a whole-file span or point nowhere
  std::string file_hint; ///< display path when `span` has no file
  std::string message;
  /// A bug in tagwarden rather than a problem with the input (a task that threw): the run
  /// goes on and exits 3.
  bool internal = false;
};

/// What a run covered, for every report's summary.
struct RunSummary {
  std::size_t resources_checked = 0;  ///< resources whose type can be tagged (or may be)
  std::size_t files_seen = 0;         ///< files under the given paths
  /// Resources left out of the check on purpose (a CloudFormation resource whose `Condition`
  /// is false in every combination of parameter values explored), counted per reason.
  std::map<std::string, std::size_t> left_out;
};

/// Deterministic order: file, position, rule, address, message.
void sort_findings(std::vector<Finding>& findings, const class SourceManager& sm);
void sort_errors(std::vector<Error>& errors, const class SourceManager& sm);

}  // namespace tagwarden
