#include "linter/frontend/frontend.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace tagwarden {

void FrontendResult::append(FrontendResult&& other) {
  for (auto& r : other.resources) resources.push_back(std::move(r));
  for (auto& e : other.errors) errors.push_back(std::move(e));
  for (auto& f : other.facts) facts.push_back(std::move(f));
  for (auto& s : other.suppressions) suppressions.push_back(std::move(s));
}

void RootInputs::append(const RootInputs& later) {
  var_files.insert(var_files.end(), later.var_files.begin(), later.var_files.end());
  vars.insert(vars.end(), later.vars.begin(), later.vars.end());
  parameters.insert(parameters.end(), later.parameters.begin(), later.parameters.end());
  stack_tags.insert(stack_tags.end(), later.stack_tags.begin(), later.stack_tags.end());
  stack_tag_files.insert(stack_tag_files.end(), later.stack_tag_files.begin(), later.stack_tag_files.end());
}

bool RootInputs::empty() const {
  return var_files.empty() && vars.empty() && parameters.empty() && stack_tags.empty() && stack_tag_files.empty();
}

namespace {

/// A path as the root_inputs and exclude globs see it: absolute when the working directory
/// is known.
std::string glob_subject(const RunOptions& o, const std::string& path) {
  return o.working_directory.empty() ? path_normalize(path) : path_join(o.working_directory, path);
}

}  // namespace

RootInputs RunOptions::configured_inputs_for(const std::string& root_path) const {
  RootInputs out;
  std::string subject = glob_subject(*this, root_path);
  for (const auto& rule : root_inputs) {
    if (glob_match(rule.pattern, subject)) out.append(rule.inputs);
  }
  return out;
}

RootInputs RunOptions::inputs_for(const std::string& root_path) const {
  RootInputs out = configured_inputs_for(root_path);
  out.append(RootInputs{var_files, vars, parameters, stack_tags, stack_tag_files});
  return out;
}

bool RunOptions::has_root_inputs(const std::string& root_path) const {
  std::string subject = glob_subject(*this, root_path);
  return std::any_of(root_inputs.begin(), root_inputs.end(), [&](const RootInputsRule& r) { return glob_match(r.pattern, subject); });
}

bool RunOptions::excluded(const std::string& path) const {
  if (exclude.empty()) return false;
  std::string subject = glob_subject(*this, path);
  return std::any_of(exclude.begin(), exclude.end(), [&](const std::string& g) { return glob_match(g, subject); });
}

FileId read_source(const LoadContext& ctx, const std::string& path, std::vector<Error>& errors) {
  std::string why;
  auto text = ctx.reader.read(path, &why);
  std::string shown = display_path(path);
  if (!text) {
    errors.push_back(Error{Span{}, shown, fmt::format("cannot read file: {}", why)});
    return kNoFile;
  }
  constexpr std::size_t kMaxFileSize = 64u << 20;
  if (text->size() > kMaxFileSize) {
    errors.push_back(Error{Span{}, shown, fmt::format("file is larger than {} MiB; skipped", kMaxFileSize >> 20)});
    return kNoFile;
  }
  return ctx.sources.add(shown, std::move(*text));
}

}  // namespace tagwarden
