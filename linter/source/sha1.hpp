// SHA-1 (FIPS 180-4), for git object names only: tagwarden checks that a file's content is the
// blob a git index names (linter/source/git_index.hpp). Not for anything security-related.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace tagwarden {

using Sha1 = std::array<std::uint8_t, 20>;

Sha1 sha1(std::string_view data);
/// The object name git gives a file's content: SHA-1 of "blob <size>\0" + content.
Sha1 git_blob_sha1(std::string_view content);
/// 40 lower-case hex digits.
std::string to_hex(const Sha1& digest);

}  // namespace tagwarden
