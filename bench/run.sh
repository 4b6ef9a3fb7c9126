#!/usr/bin/env bash
# Benchmark: a full `tagwarden check` over the Terraform part of the shared corpus against a
# raw tree-sitter parse of the same .tf files, both as whole processes, timed the same way
# (wall clock, best of N runs). usage: bench/run.sh [BUILD_DIR] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build/release}"
runs="${2:-3}"
corpus="$(realpath "${TAGWARDEN_CORPUS:-$root/../shared/corpus}")"
[ -x "$build/tagwarden" ] || { echo "bench: build first: cmake --preset release && cmake --build --preset release"; exit 2; }
mapfile -t repos < <(find "$corpus" -mindepth 1 -maxdepth 1 -type d \( -name 'terraform-*' -o -name 'aws-ia__*' \
  -o -name 'cloudposse__*' -o -name 'ministryofjustice__*' \) | sort)
list="$(mktemp)"; trap 'rm -f "$list"' EXIT
find "${repos[@]}" -name '*.tf' -not -path '*/.*' | sort > "$list"
echo "bench: ${#repos[@]} Terraform repositories, $(wc -l < "$list") .tf files, $(cat "$list" | tr '\n' '\0' | xargs -0 cat | wc -c) bytes"
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
jobs="$(nproc)"
parse1=$(best sh -c "'$build/ts_parse_baseline' -j 1 < '$list'")
parsen=$(best sh -c "'$build/ts_parse_baseline' -j $jobs < '$list'")
check1=$(best "$build/tagwarden" check "${repos[@]}" --format json -o /dev/null -j 1)
checkn=$(best "$build/tagwarden" check "${repos[@]}" --format json -o /dev/null -j "$jobs")
printf 'raw tree-sitter parse, 1 thread      : %6.2f s\n' "$parse1"
printf 'raw tree-sitter parse, %s threads     : %6.2f s\n' "$jobs" "$parsen"
printf 'tagwarden check (full), 1 thread     : %6.2f s   ratio to raw parse (1 thread): %.2f\n' "$check1" "$(echo "$check1 / $parse1" | bc -l)"
printf 'tagwarden check (full), %s threads    : %6.2f s   ratio to raw parse (%s threads): %.2f\n' "$jobs" "$checkn" "$jobs" "$(echo "$checkn / $parsen" | bc -l)"
"$build/ts_parse_baseline" -j 1 < "$list"
