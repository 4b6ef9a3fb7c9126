// libFuzzer target: HCL native syntax through both parsers and nothing else (hcl_fuzz also runs
// the Terraform front end and the evaluator on each input). The fast parser (linter/load/hcl/fast_parser.hpp) must only
// read what tree-sitter reads without a syntax error, into the same AST, spans and comments; a difference aborts, so
// libFuzzer reports the input. Crashes, sanitizer reports and hangs in either parser are bugs too.
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "linter/load/hcl/ast_diff.hpp"
#include "linter/load/hcl/fast_parser.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::optional<hcl::ParseResult> fast = hcl::parse_hcl_fast(0, text);
  hcl::ParseResult reference = hcl::parse_hcl_tree_sitter(0, text);
  if (fast && (!reference.errors.empty() || !hcl::body_difference(reference.file->body, fast->file->body, "").empty() ||
               !hcl::comments_difference(reference.comments, fast->comments).empty())) {
    std::abort();
  }
  hcl::release_thread_parser();  // see there: keeps the leak check for real leaks
  return 0;
}
