#!/usr/bin/env bash
# Benchmark: what a pre-commit hook costs in a large monorepo. `tagwarden check --changed FILE`
# with one changed file in the 12,469-file Terraform monorepo of the shared corpus (finding the
# roots it belongs to means reading every .tf file for local module calls, then evaluating those
# roots whole), next to a full check of the same monorepo. Whole processes, wall clock, best of
# RUNS (default 3). usage: bench/changed_file.sh [BUILD_DIR] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$(realpath "${1:-$root/build/release}")"
runs="${2:-3}"
mono="$(realpath "${TAGWARDEN_CORPUS:-$root/../shared/corpus}")/ministryofjustice__cloud-platform-environments"
[ -x "$build/tagwarden" ] || { echo "bench: build first: cmake --preset release && cmake --build --preset release"; exit 2; }
[ -d "$mono" ] || { echo "bench: no monorepo at $mono"; exit 2; }
cd "$mono"
# The first file (sorted) of a root module, and a file of a module that roots call locally.
root_file="$(find namespaces -name '*.tf' | LC_ALL=C sort | head -n1)"
called="$(grep -rlE 'source\s*=\s*"\.\./' --include='*.tf' namespaces | LC_ALL=C sort | head -n1)"
module_file=""
if [ -n "$called" ]; then
  src="$(grep -hoE 'source\s*=\s*"\.\./[^"]*"' "$called" | head -n1 | sed -E 's/.*"(.*)"/\1/')"
  module_file="$(find "$(dirname "$called")/$src" -maxdepth 1 -name '*.tf' 2>/dev/null | LC_ALL=C sort | head -n1 || true)"
fi
best() {  # best wall time of $runs runs of "$@", in seconds
  local b=""
  for _ in $(seq "$runs"); do
    local s e t
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc)
    if [ -z "$b" ] || (( $(echo "$t < $b" | bc) )); then b=$t; fi
  done
  echo "$b"
}
echo "bench: $(find . -name '*.tf' | wc -l) .tf files in $(basename "$mono")"
t_root=$(best "$build/tagwarden" check --changed --source-root . "$root_file")
printf 'check --changed, a root module file   : %6.2f s   (%s)\n' "$t_root" "$root_file"
if [ -n "$module_file" ]; then
  t_mod=$(best "$build/tagwarden" check --changed --source-root . "$module_file")
  printf 'check --changed, a locally called file: %6.2f s   (%s)\n' "$t_mod" "$module_file"
fi
t_full=$(best "$build/tagwarden" check . --format json -o /dev/null)
printf 'check (full monorepo)                 : %6.2f s\n' "$t_full"
