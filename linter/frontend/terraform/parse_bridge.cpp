// Connects the front end to the HCL parser (branch `hcl`: linter/load/hcl/hcl_parser.hpp and
// tf_json.hpp). Until that parser is in the tree, every file gets one positioned error saying
// so, instead of silently producing nothing.
#include <fmt/format.h>

#include "linter/frontend/terraform/module_loader.hpp"

#if __has_include("linter/load/hcl/hcl_parser.hpp")
#include "linter/load/hcl/hcl_parser.hpp"
#define TW_HAVE_HCL_PARSER 1
#endif
#if __has_include("linter/load/hcl/tf_json.hpp")
#include "linter/load/hcl/tf_json.hpp"
#define TW_HAVE_TF_JSON 1
#endif

namespace tagwarden::terraform {

namespace {

hcl::ParseResult missing_parser(FileId file, const char* what) {
  hcl::ParseResult r;
  r.file = std::make_unique<hcl::File>();
  r.file->id = file;
  r.errors.push_back(Error{Span::whole_file(file), "", fmt::format("the {} parser is not part of this build", what)});
  return r;
}

}  // namespace

hcl::ParseResult parse_terraform_file(FileId file, std::string_view text, bool json) {
  if (json) {
#ifdef TW_HAVE_TF_JSON
    return hcl::parse_tf_json(file, text);
#else
    (void)text;
    return missing_parser(file, "Terraform JSON");
#endif
  }
#ifdef TW_HAVE_HCL_PARSER
  return hcl::parse_hcl(file, text);
#else
  (void)text;
  return missing_parser(file, "HCL");
#endif
}

}  // namespace tagwarden::terraform
