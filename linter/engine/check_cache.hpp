// The whole-run entry of the result cache (linter/source/result_cache.hpp): a `check` over a
// tree where nothing it looked at changed gives the result of the run before it, taken from
// the cache whole: no walk, no unit, no findings pipeline (docs/caching.md). The entry keeps the
// run's CheckResult with what its report needs of each file, under every question the run
// asked of the file system (its own and those of each unit's entry).
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "linter/engine/check.hpp"

namespace tagwarden {

/// Raised when the encoding changes: entries of another encoding are never read.
inline constexpr std::string_view kCheckResultEncoding = "check-result-1";

/// Everything a check's result depends on besides the files it reads: the run's key
/// (run_cache_key), the schema files' texts and every CheckOptions field run_check reads.
/// Empty when the run is not kept whole (no cache folder, a run over a change, a schema that
/// cannot be read).
std::string whole_run_key(const LoadContext& ctx, const CheckOptions& options);

/// Encodes `result` with what its report needs of the files it points into (positions, the
/// lines shown, with --fix the whole text of files a fix edits).
std::string encode_check_result(const CheckResult& result, bool fix_diff, const SourceManager& sources);
/// Decodes what encode_check_result wrote, registering its files with `sources`; nullopt when
/// the bytes are malformed.
std::optional<CheckResult> decode_check_result(std::string_view bytes, SourceManager& sources);

}  // namespace tagwarden
