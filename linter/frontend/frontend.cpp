#include "linter/frontend/frontend.hpp"

#include <fmt/format.h>

namespace tagwarden {

void FrontendResult::append(FrontendResult&& other) {
  for (auto& r : other.resources) resources.push_back(std::move(r));
  for (auto& e : other.errors) errors.push_back(std::move(e));
  for (auto& f : other.facts) facts.push_back(std::move(f));
  uses.append(std::move(other.uses));
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
  return ctx.sources.add(shown, std::move(*text), ctx.uses);
}

}  // namespace tagwarden
