// Stage 1 of the Terraform loader: module directories. A module is every `.tf` and `.tf.json`
// file of one directory (developer.hashicorp.com/terraform/language/files); this stage reads
// them in sorted order, parses them in parallel and collects the blocks later stages need.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "linter/frontend/frontend.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tagwarden::terraform {

/// Parses one registered file: HCL native syntax, or Terraform JSON syntax when `json`.
/// Must be safe to call from several threads at once.
using ParseFn = std::function<hcl::ParseResult(FileId file, std::string_view text, bool json)>;

/// One module directory, parsed. The block pointers point into `files`.
struct ModuleDir {
  std::string dir;
  std::vector<std::unique_ptr<hcl::File>> files;  ///< the files that parsed, in name order
  /// Managed `resource` blocks (two labels), `provider`, `variable`, `module`, `output` blocks
  /// (one label), in file then source order.
  std::vector<const hcl::Block*> resources, providers, variables, module_calls, outputs;
  std::vector<const hcl::Block*> data_sources;  ///< `data` blocks (two labels)
  std::map<std::string, const hcl::Attribute*> locals;  ///< every `locals` attribute by name
  /// `terraform { required_providers { X = { configuration_aliases = [...] } } }`: "aws.west".
  std::set<std::string> configuration_aliases;
  bool has_files = false;  ///< the directory holds Terraform files (even unreadable ones)
};

using ModuleDirs = std::map<std::string, std::unique_ptr<ModuleDir>>;

/// True for `*.tf` (json = false) and `*.tf.json` (json = true) file names.
bool is_terraform_file(const std::string& name, bool* json);

/// Fills the block lists of `m` from its parsed files (idempotent only on a fresh ModuleDir).
void collect_blocks(ModuleDir& m);

/// Loads every directory of `wanted` not yet in `dirs`: files are read and registered on this
/// thread in sorted order (file ids never depend on timing), parsed with up to `jobs` threads.
/// Unreadable files and syntax errors go to `errors`; a parser that throws gives an internal
/// error naming the file. A directory without Terraform files is still added (has_files false).
void load_module_dirs(const LoadContext& ctx, const ParseFn& parse, const std::vector<std::string>& wanted,
                      ModuleDirs& dirs, std::vector<Error>& errors);

}  // namespace tagwarden::terraform
