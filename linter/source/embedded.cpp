#include "linter/source/embedded.hpp"

namespace tagwarden {

std::string_view embedded_file(std::string_view path) {
  for (const auto& f : embedded_files()) {
    if (f.path == path) return f.contents;
  }
  return {};
}

}  // namespace tagwarden
