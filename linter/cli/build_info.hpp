// Facts about this build, generated at build time by tools/build_version.cmake (linked into
// the `tagwarden` executable only).
#pragma once

namespace tagwarden::build {

extern const char* const kVersion;        ///< the project version, "0.1.0"
extern const char* const kGitDescribe;    ///< `git describe --tags --always --dirty` of the source tree, or ""
extern const char* const kGitCommit;      ///< full commit hash of the source tree, or ""
extern const char* const kRepositoryUrl;  ///< TAGWARDEN_REPOSITORY_URL, or ""

}  // namespace tagwarden::build
