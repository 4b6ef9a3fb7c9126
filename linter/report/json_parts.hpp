// Pieces of the JSON reports shared by several commands (check, diff), so a finding has one
// JSON shape everywhere.
#pragma once
#include <nlohmann/json.hpp>

#include "linter/diag/diagnostic.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// A finding: rule_id, rule, level, message, address, tag_key, location, related; with
/// `with_root`, also the resource's root module or template; with `with_pipeline` (as
/// `check --format json` lists it), also what the findings pipeline sets: tag_keys, value,
/// fixes, fingerprint and any suppression.
nlohmann::ordered_json finding_json(const SourceManager& sm, const Finding& f, bool with_root = false,
                                    bool with_pipeline = false);

}  // namespace tagwarden
