// What every input format's front end gets and gives. The engine discovers paths, then hands
// each front end its share; a front end turns it into format-neutral Resources with effective
// tag sets (linter/model/effective_tags.hpp), positioned Errors, and Facts (a module call that
// cannot be inspected, resources not explored) that rules turn into findings.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "linter/diag/diagnostic.hpp"
#include "linter/load/doc.hpp"
#include "linter/model/effective_tags.hpp"
#include "linter/model/facts.hpp"
#include "linter/source/reader.hpp"
#include "linter/source/source_manager.hpp"

namespace tagwarden {

/// Everything a run was asked to do that front ends need. `env` is a snapshot of the
/// process environment taken by main (front ends never read the environment themselves).
struct RunOptions {
  std::vector<std::string> paths;
  // Terraform
  std::vector<std::pair<std::string, std::string>> vars;  ///< --var NAME=VALUE, in order
  std::vector<std::string> var_files;                      ///< --var-file, in order
  bool env_provider_tags = false;                          ///< --env-provider-tags
  std::map<std::string, std::string> env;
  // CloudFormation / CDK
  /// --parameter NAME=VALUE; NAME may be scoped to one template: `path/t.yaml:NAME`.
  std::vector<std::pair<std::string, std::string>> parameters;
  std::vector<std::string> parameter_files;  ///< --parameters [TEMPLATE:]FILE, in order
  std::vector<std::pair<std::string, std::string>> stack_tags;  ///< --stack-tag KEY=VALUE
  std::vector<std::string> stack_tag_files;                     ///< --stack-tags FILE
  unsigned jobs = 0;  ///< worker threads; 0: one per core
  /// The process's working directory (absolute), set by main; Terraform's path.cwd is the
  /// root module directory resolved against it. Empty: path.cwd of "." is unknown.
  std::string working_directory;
  /// Non-empty: the run checks a change (a pre-commit hook, a pull request). These are the
  /// changed files; `paths` is ignored, and the root modules, templates and cloud assemblies
  /// they belong to are found under `source_root` (linter/engine/changed_files.hpp).
  std::vector<std::string> changed_files;
  std::string source_root = ".";
};

struct LoadContext {
  const RunOptions& options;
  SourceManager& sources;
  const Reader& reader;
  /// The files the current unit of work registers (read_source adds them); null outside units:
  /// files registered then are kept for the whole run.
  FileUses* uses = nullptr;
};

struct FrontendResult {
  std::vector<Resource> resources;
  std::vector<Error> errors;
  std::vector<Fact> facts;
  /// The files this result's spans point into, held until the engine has reduced the result
  /// to what the report needs (SourceManager::release).
  FileUses uses;

  void append(FrontendResult&& other);
};

/// Where a front end hands over the result of each unit of work (a root module, a template, a
/// plan, a CDK assembly) as soon as it is done, on the worker thread that ran it, so a run
/// never holds every resource at once. `unit` numbers the front end's units in the order a
/// one-thread run would produce them; the engine merges results in that order, so the output
/// does not depend on threads or timing. Each unit index is handed over once.
using UnitSink = std::function<void(std::size_t unit, FrontendResult&& result)>;

/// Reads and registers a file for the unit `ctx` belongs to; on failure adds an Error naming it
/// and returns kNoFile.
FileId read_source(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors);

}  // namespace tagwarden
