#!/usr/bin/env bash
# tools/install.sh's cache key covers every file embedded in the binary (regression: schema/*.json
# is embedded but was not hashed, so an edited schema reused a stale cached build). Both sides
# come from tools/embedded_files.txt: this checks that the build embeds exactly what the list
# names, and that the key changes when any such file changes or appears.
# usage: install_key_test.sh SOURCE_DIR GENERATED_EMBEDDED_FILES_CPP
set -euo pipefail
src="$(cd "$1" && pwd)"
generated="$2"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
mapfile -t globs < <(grep -v '^#' "$src/tools/embedded_files.txt" | grep -v '^[[:space:]]*$')
[ "${#globs[@]}" -gt 0 ] || fail "tools/embedded_files.txt lists nothing"

# 1. The build embeds exactly the files the list's globs match.
(cd "$src" && shopt -s nullglob && for g in "${globs[@]}"; do printf '%s\n' $g; done) | LC_ALL=C sort > "$tmp/listed"
sed -n 's/^    {"\([^"]*\)", std::string_view(kFile.*/\1/p' "$generated" | LC_ALL=C sort > "$tmp/embedded"
diff -u "$tmp/listed" "$tmp/embedded" || fail "the build embeds other files than tools/embedded_files.txt names"

# 2. In a copy of the source tree, the key changes with each embedded file.
copy="$tmp/src"
mkdir -p "$copy"
(cd "$src" && git ls-files -z 2>/dev/null | grep -zv '^\(fixtures\|examples\|tests\|bench\|docs\)/' |
  xargs -0 cp --parents -t "$copy") || fail "cannot copy the source tree"
key() { TAGWARDEN_CACHE="$tmp/cache" "$copy/tools/install.sh" --print-key; }
before="$(key)"
[ "$before" = "$(key)" ] || fail "the key is not stable"
for g in "${globs[@]}"; do
  file="$(cd "$copy" && shopt -s nullglob && for f in $g; do echo "$f"; break; done)"
  [ -n "$file" ] || fail "no file matches $g"
  echo " " >> "$copy/$file"
  after="$(key)"
  [ "$after" != "$before" ] || fail "editing $file (embedded through $g) leaves the cache key as it was"
  before="$after"
  # A new file matching the glob is embedded too: the key changes.
  new="$(dirname "$g")/zz-install-key-test${g##*\*}"
  printf 'x\n' > "$copy/$new"
  after="$(key)"
  [ "$after" != "$before" ] || fail "a new $new (matching $g) leaves the cache key as it was"
  before="$after"
done
echo "ok"
