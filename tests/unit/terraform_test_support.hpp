// Test support for the Terraform front end: runs the front end over in-memory files and
// answers questions about the resources it produced.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/load/hcl/ast.hpp"

namespace tw_test {

using namespace tagwarden;

inline hcl::ParseResult test_parse(FileId file, std::string_view text, bool json) {
  return terraform::parse_terraform_file(file, text, json);
}

/// One front-end run over in-memory files.
struct Run {
  MemoryReader reader;
  SourceManager sources;
  RunOptions options;
  FrontendResult result;

  Run& file(std::string path, std::string text) {
    reader.add(std::move(path), std::move(text));
    return *this;
  }
  Run& go(std::vector<std::string> dirs, std::vector<ParsedDoc> plans = {}, unsigned jobs = 2) {
    options.jobs = jobs;
    if (options.paths.empty()) options.paths = dirs;  // the linted tree: file() reads inside it
    LoadContext ctx{options, sources, reader};
    TerraformInputs inputs{std::move(dirs), std::move(plans)};
    result = terraform::load_terraform_with(ctx, inputs, &test_parse);
    return *this;
  }
  const Resource* resource(std::string_view address) const {
    for (const auto& r : result.resources)
      if (r.address == address) return &r;
    return nullptr;
  }
  /// "Key=value" per entry, unknown values as "Key=?", sorted by key (the model's order).
  std::vector<std::string> tags(std::string_view address) const {
    std::vector<std::string> out;
    const Resource* r = resource(address);
    if (r == nullptr || r->variants.empty()) return {"<no resource>"};
    for (const auto& e : r->variants[0].entries) out.push_back(e.key + "=" + e.value.value_or("?"));
    return out;
  }
  const TagEntry* entry(std::string_view address, std::string_view key) const {
    const Resource* r = resource(address);
    if (r == nullptr) return nullptr;
    for (const auto& e : r->variants[0].entries)
      if (e.key == key) return &e;
    return nullptr;
  }
  std::string text(const Span& s) const { return std::string(span_text(sources, s)); }
  std::vector<std::string> addresses() const {
    std::vector<std::string> out;
    for (const auto& r : result.resources) out.push_back(r.address);
    return out;
  }
};

}  // namespace tw_test
