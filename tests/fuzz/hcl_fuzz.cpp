// libFuzzer target for the HCL loaders and the Terraform evaluator: the input is parsed as
// native HCL and as Terraform JSON, and every attribute is evaluated (all references unknown,
// files readable as the input itself). Build and run (from the repository root):
//   clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. \
//     -Igrammars/node_modules/tree-sitter/vendor/tree-sitter/lib/include \
//     tests/fuzz/hcl_fuzz.cpp linter/load/hcl/*.cpp linter/eval/tf/*.cpp linter/load/doc.cpp \
//     linter/load/json_reader.cpp linter/load/yaml_reader.cpp \
//     build/ci/grammars/libtree_sitter_hcl.a build/ci/grammars/libtree_sitter_runtime.a \
//     -lyaml-cpp -lfmt -o /tmp/hcl_fuzz
//   /tmp/hcl_fuzz -max_total_time=300 -max_len=4096 CORPUS_DIR
#include <cstddef>
#include <cstdint>
#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/load/doc.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/tf_json.hpp"

namespace {

void evaluate_body(const tagwarden::hcl::Body& body, tagwarden::tf::EvalContext& ctx) {
  for (const auto& a : body.attributes) {
    (void)tagwarden::tf::evaluate(*a.expr, ctx);
    (void)tagwarden::tf::references(*a.expr);
  }
  for (const auto& b : body.blocks) evaluate_body(b.body, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  tagwarden::tf::EvalContext ctx;
  ctx.step_budget = 50'000;
  ctx.read_file = [&](std::string_view) -> std::optional<std::string> { return text; };
  tagwarden::hcl::ParseResult r = tagwarden::hcl::parse_hcl(0, text);
  if (r.file) evaluate_body(r.file->body, ctx);
  tagwarden::DocResult d = tagwarden::parse_json(1, text);
  if (d.root) {
    tagwarden::hcl::ParseResult j = tagwarden::hcl::parse_tf_json(1, *d.root);
    if (j.file) evaluate_body(j.file->body, ctx);
    (void)tagwarden::tf::value_from_doc(*d.root);
  }
  return 0;
}
