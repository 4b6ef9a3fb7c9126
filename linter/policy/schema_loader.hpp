// Reading what `--schema` names: a native tagwarden schema, AWS Organizations tag policies
// (several files: the levels of the organization tree) or a ListRequiredTags response, told
// apart by content; and the two `tagwarden policy` commands over tag policy files.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/frontend/frontend.hpp"
#include "linter/policy/tag_policy.hpp"
#include "linter/schema/schema.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Splits --schema / policy arguments into levels of the organization tree: each argument is
/// one level (root first); files attached to one level are joined with commas, in attachment
/// order ("root.json" "ou-a.json,ou-b.json" "account.json").
std::vector<std::vector<std::string>> policy_levels(const std::vector<std::string>& args);

/// Reads the files of `args` (see policy_levels) into `ctx.sources`, level by level; a file that
/// cannot be read is an error and left out.
std::vector<std::vector<FileId>> read_schema_levels(const LoadContext& ctx, const std::vector<std::string>& args,
                                                    std::vector<Error>& errors);

/// Reads the schema the --schema arguments name. One file: a native schema, a tag policy or a
/// ListRequiredTags response (by content). Several files: tag policies, merged into the
/// effective policy. nullopt with positioned errors when the schema cannot be used.
std::optional<Schema> load_schema_files(const SourceManager& sm, const std::vector<std::vector<FileId>>& levels,
                                        std::vector<Error>& errors);

/// Reads tag policy files level by level; false (with errors) when one cannot be read as JSON.
bool read_policy_levels(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                        std::vector<std::vector<PolicyDoc>>& out, std::vector<Error>& errors);

struct CommandOutput {
  std::string out;  ///< for standard output
  std::string err;  ///< for standard error
  int exit_code = 0;
};

enum class PolicyCommand { kEffective, kLint };
/// `tagwarden policy effective|lint FILE...`: reads the files (one level each, comma-joined
/// files on one level) and runs the command below.
CommandOutput run_policy_command(PolicyCommand command, const std::vector<std::string>& args, SourceManager& sources,
                                 const Reader& reader);

/// `tagwarden policy effective FILE...`: the effective policy as AWS displays it; problems met
/// while merging go to `err`. Exit 0, or 2 when a file cannot be read.
CommandOutput run_policy_effective(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                                   std::vector<Error> read_errors);
/// `tagwarden policy lint FILE...`: every problem, `path:line:col: level[code] message` with the
/// source line; exit 1 when one is an error, 2 when a file cannot be read.
CommandOutput run_policy_lint(const SourceManager& sm, const std::vector<std::vector<FileId>>& files,
                              std::vector<Error> read_errors);

}  // namespace tagwarden
