// SHA-1 (FIPS 180-4), for names only: tagwarden checks that a file's content is the blob a git
// index names (linter/source/git_index.hpp), and computes the logical ids the SAM transform
// derives from it (sam_transform.cpp), and digests of what the result cache recorded
// (result_cache.hpp). Not for anything security-related.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tagwarden {

using Sha1 = std::array<std::uint8_t, 20>;

Sha1 sha1(std::string_view data);
/// SHA-1 of `prefix` followed by `data` (without joining them first).
Sha1 sha1(std::string_view prefix, std::string_view data);
/// sha1() computed by the portable code whatever the processor (tests compare the two).
Sha1 sha1_portable(std::string_view data);
/// True when sha1() runs on the processor's SHA instructions (x86-64 SHA extensions).
bool sha1_uses_sha_instructions();
/// The object name git gives a file's content: SHA-1 of "blob <size>\0" + content.
Sha1 git_blob_sha1(std::string_view content);
/// 40 lower-case hex digits.
std::string to_hex(const Sha1& digest);
/// The digest that 40 lower-case hex digits spell (to_hex's text); nullopt for any other text.
std::optional<Sha1> sha1_from_hex(std::string_view hex);

}  // namespace tagwarden
