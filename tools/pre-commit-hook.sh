#!/usr/bin/env bash
# Entry of the `tagwarden-build` pre-commit hook (.pre-commit-hooks.yaml): installs tagwarden from
# this checkout (tools/install.sh: built once per version, then reused) and checks the files
# pre-commit passes as a change. Arguments are the hook's `args:` followed by the file names.
#
# The hook runs on every commit, and finding the cached build means hashing the whole source
# tree (about 0.2 s each time). pre-commit runs hooks from its own clone of a pinned revision,
# which never changes, so the binary found for a commit is remembered in the clone's git folder;
# it is reused only while nothing the build reads differs from that commit (a working checkout
# with edits or new files asks install.sh every time). One git call decides: process start-up
# is most of what the hook costs once the binary is built.
set -euo pipefail
src="${BASH_SOURCE[0]%/*}/.."
memo="" rev=""
if [ -d "$src/.git" ] && command -v git >/dev/null 2>&1 &&
   status="$(git -C "$src" status --porcelain=v2 --branch -- CMakeLists.txt linter rules grammars tools schema data 2>/dev/null)"; then
  clean=1
  while IFS= read -r line; do
    case "$line" in
      "# branch.oid "*) rev="${line#\# branch.oid }" ;;
      "#"*) ;;
      *) clean=0 ;;
    esac
  done <<< "$status"
  if [ "$clean" = 1 ] && [ -n "$rev" ] && [ "$rev" != "(initial)" ]; then
    memo="$src/.git/tagwarden-hook-binary"
    if [ -r "$memo" ] && read -r memo_rev memo_bin < "$memo" && [ "$memo_rev" = "$rev" ] && [ -x "$memo_bin" ]; then
      exec "$memo_bin" check --changed "$@"
    fi
  fi
fi
bin="$("$src/tools/install.sh")"
if [ -n "$memo" ]; then
  { printf '%s %s\n' "$rev" "$bin" > "$memo.tmp" && mv "$memo.tmp" "$memo"; } 2>/dev/null || true
fi
exec "$bin" check --changed "$@"
