// libFuzzer target: the git index reader (linter/source/git_index.hpp), which `check --changed`
// runs on whatever .git/index (or GIT_INDEX_FILE) the work tree has. Every input is refused or
// read without running past its end; what it lists must be paths it could have read.
#include <cstddef>
#include <cstdint>
#include <string>

#include "linter/source/git_index.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto entries = tagwarden::read_git_index(bytes, &why);
  if (entries) {
    for (const auto& e : *entries) {
      if (e.path.size() > 4096) __builtin_trap();  // read_git_index refuses longer names
    }
  } else if (why.empty()) {
    __builtin_trap();  // a refusal always says why
  }
  return 0;
}
