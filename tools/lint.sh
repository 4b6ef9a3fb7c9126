#!/usr/bin/env bash
# Style and static checks of our C++ (not grammars/, not third-party code):
#  - clang-format (.clang-format) on every file: no file may differ from its formatting;
#  - clang-tidy (.clang-tidy, a short list of bug-finding checks) on the .cpp files changed
#    since BASE (default: the previous commit, so CI checks what a merge brought), or on all
#    of them with --all. Needs build/ci/compile_commands.json (tools/test.sh makes it).
# usage: tools/lint.sh [--all] [--fix]   env: TW_LINT_BASE (default HEAD~1)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
all=0; fix=0
for a in "$@"; do
  case "$a" in --all) all=1 ;; --fix) fix=1 ;; *) echo "usage: tools/lint.sh [--all] [--fix]" >&2; exit 2 ;; esac
done
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' | grep -v '^grammars/')
if [ "$fix" = 1 ]; then
  clang-format -i "${files[@]}"
  echo "lint: formatted ${#files[@]} files"
  exit 0
fi
echo "lint: clang-format on ${#files[@]} files"
clang-format --dry-run -Werror "${files[@]}"

if [ "$all" = 1 ]; then
  mapfile -t tidy < <(printf '%s\n' "${files[@]}" | grep '\.cpp$')
else
  base="${TW_LINT_BASE:-HEAD~1}"
  if git rev-parse -q --verify "$base" >/dev/null; then
    mapfile -t tidy < <(git diff --name-only --diff-filter=AM "$base" -- '*.cpp' | grep -v '^grammars/' || true)
  else
    tidy=()
  fi
fi
[ -f build/ci/compile_commands.json ] || { echo "lint: no build/ci/compile_commands.json; run tools/test.sh first" >&2; exit 2; }
echo "lint: clang-tidy on ${#tidy[@]} files"
[ "${#tidy[@]}" -gt 0 ] || exit 0
printf '%s\n' "${tidy[@]}" | xargs -P 2 -n 4 clang-tidy -p build/ci --quiet 2>/dev/null
echo "lint: clean"
