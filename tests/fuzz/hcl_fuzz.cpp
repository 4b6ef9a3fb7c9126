// libFuzzer target: the Terraform front end over one .tf file (HCL native syntax through
// tree-sitter, module loading, the evaluator on every expression it reaches), and the same
// bytes as Terraform JSON syntax. Evaluation errors, bounds and unknowns must all come back as
// values and Errors: any crash, sanitizer report, hang or leak is a bug. The fast HCL parser is
// held to its contract on every input: what it reads, tree-sitter reads without a syntax error
// and into the same AST and comments (a difference aborts, so libFuzzer reports it).
#include "linter/eval/tf/evaluator.hpp"
#include "linter/frontend/terraform/terraform_frontend.hpp"
#include "linter/load/hcl/ast_diff.hpp"
#include "linter/load/hcl/fast_parser.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/tf_json.hpp"
#include "tests/fuzz/fuzz_support.hpp"

#include <cstdlib>
#include <optional>

namespace {

void evaluate_body(const tagwarden::hcl::Body& body, tagwarden::tf::EvalContext& ctx) {
  for (const auto& a : body.attributes) {
    if (!a.expr) continue;
    (void)tagwarden::tf::evaluate(*a.expr, ctx);
    (void)tagwarden::tf::references(*a.expr);
  }
  for (const auto& b : body.blocks) evaluate_body(b.body, ctx);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tagwarden;
  {
    fuzz::Run run(data, size, "main.tf");
    TerraformInputs in;
    in.module_dirs = {"."};
    (void)load_terraform(run.ctx, in);
  }
  std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<Error> errors;
  tf::EvalContext ctx;
  ctx.step_budget = 50'000;
  ctx.errors = &errors;
  ctx.read_file = [&](std::string_view, std::string*) -> std::optional<std::string> { return text; };
  if (std::optional<hcl::ParseResult> fast = hcl::parse_hcl_fast(0, text)) {
    hcl::ParseResult reference = hcl::parse_hcl_tree_sitter(0, text);
    if (!reference.errors.empty() || !hcl::body_difference(reference.file->body, fast->file->body, "").empty() ||
        !hcl::comments_difference(reference.comments, fast->comments).empty()) {
      std::abort();
    }
  }
  hcl::ParseResult r = hcl::parse_hcl(0, text);
  if (r.file) evaluate_body(r.file->body, ctx);
  DocResult d = parse_json(1, text);
  if (d.root) {
    hcl::ParseResult j = hcl::parse_tf_json(1, *d.root);
    if (j.file) evaluate_body(j.file->body, ctx);
    (void)tf::value_from_doc(*d.root);
  }
  hcl::release_thread_parser();  // see there: keeps the leak check for real leaks
  return 0;
}
