// Test support for the Terraform loader's stages: a file of HCL parsed into a module
// directory, and an expression evaluator with no references (what tfvars see).
#pragma once
#include <memory>
#include <string>

#include "linter/eval/tf/evaluator.hpp"
#include "linter/frontend/terraform/expansion.hpp"
#include "linter/frontend/terraform/module_dir.hpp"
#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/load/hcl/hcl_parser.hpp"

namespace tw_test {

using namespace tagwarden;

/// One module directory made of one HCL text, its blocks collected.
struct Module {
  SourceManager sources;
  terraform::ModuleDir dir;

  explicit Module(const std::string& text, const std::string& path = "m/main.tf") {
    FileId id = sources.add(path, text);
    hcl::ParseResult r = hcl::parse_hcl(id, sources.file(id).contents());
    dir.dir = path.substr(0, path.rfind('/'));
    dir.has_files = true;
    dir.files.push_back(std::move(r.file));
    terraform::collect_blocks(dir);
  }
  const hcl::Block& block(std::size_t i = 0) const { return dir.files[0]->body.blocks[i]; }
};

/// Evaluates with references resolved only from `each`/`count` bindings (everything else is
/// unknown, as for a reference the evaluator cannot know).
inline terraform::ExprEval literal_eval() {
  return [](const hcl::Expr* e, const terraform::Iter* it) -> tf::Value {
    if (e == nullptr) return tf::Value::null();
    tf::EvalContext ec;
    ec.resolve = [it](std::string_view root, std::string_view attr, Span span) -> std::optional<tf::Value> {
      if (it != nullptr && root == "each" && attr == "key" && it->each_key) return *it->each_key;
      if (it != nullptr && root == "each" && attr == "value" && it->each_value) return *it->each_value;
      if (it != nullptr && root == "count" && attr == "index" && it->count_index) return *it->count_index;
      (void)span;
      return std::nullopt;
    };
    return tf::evaluate(*e, ec);
  };
}

}  // namespace tw_test
