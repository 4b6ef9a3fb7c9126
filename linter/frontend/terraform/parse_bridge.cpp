// Connects the front end to the parsers of linter/load/hcl: native syntax (.tf, .tfvars)
// and Terraform's JSON syntax (.tf.json, read as JSON first).
#include "linter/frontend/terraform/module_loader.hpp"
#include "linter/load/doc.hpp"
#include "linter/load/hcl/hcl_parser.hpp"
#include "linter/load/hcl/tf_json.hpp"

namespace tagwarden::terraform {

hcl::ParseResult parse_terraform_file(FileId file, std::string_view text, bool json) {
  if (!json) return hcl::parse_hcl(file, text);
  DocResult doc = parse_json(file, text);
  if (!doc.root) {
    hcl::ParseResult r;
    r.file = std::make_unique<hcl::File>();
    r.file->id = file;
    r.errors = std::move(doc.errors);
    return r;
  }
  hcl::ParseResult r = hcl::parse_tf_json(file, *doc.root);
  r.errors.insert(r.errors.begin(), doc.errors.begin(), doc.errors.end());
  return r;
}

}  // namespace tagwarden::terraform
