#!/usr/bin/env bash
# Entry of the `tagwarden-build` pre-commit hook (.pre-commit-hooks.yaml): installs tagwarden from
# this checkout (tools/install.sh: built once per version, then reused) and checks the files
# pre-commit passes as a change. Arguments are the hook's `args:` followed by the file names.
#
# The hook runs on every commit, and finding the cached build means hashing the whole source
# tree (0.24 s each time). pre-commit runs hooks from its own clone of a pinned revision, which
# never changes, so the binary found for a commit is remembered in the clone's git folder; it is
# reused only while nothing the build reads differs from that commit (a working checkout with
# edits, or new files, asks install.sh every time).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(dirname "$here")"
memo="" rev=""
if command -v git >/dev/null 2>&1 && rev="$(git -C "$src" rev-parse -q --verify HEAD 2>/dev/null)" &&
   [ -z "$(git -C "$src" status --porcelain -- CMakeLists.txt linter rules grammars tools schema data 2>/dev/null)" ]; then
  memo="$(git -C "$src" rev-parse --absolute-git-dir)/tagwarden-hook-binary"
  if [ -r "$memo" ] && read -r memo_rev memo_bin < "$memo" && [ "$memo_rev" = "$rev" ] && [ -x "$memo_bin" ]; then
    exec "$memo_bin" check --changed "$@"
  fi
fi
bin="$("$here/install.sh")"
if [ -n "$memo" ]; then
  { printf '%s %s\n' "$rev" "$bin" > "$memo.tmp" && mv "$memo.tmp" "$memo"; } 2>/dev/null || true
fi
exec "$bin" check --changed "$@"
