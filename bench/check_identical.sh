#!/usr/bin/env bash
# Before/after proof for grammars/patches where users see it: tagwarden built with and without
# the patches (TAGWARDEN_HCL_PATCHES=OFF, same sources otherwise) must print byte-identical
# output, with the same exit status, for `check` (JSON, SARIF, text; five-key schema) and
# `tags` (every resource's effective tags and values, JSON) over the Terraform part of the
# corpus. usage: bench/check_identical.sh [PATCHED_BUILD_DIR (default build/release)]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
patched="$(realpath "${1:-$root/build/release}")"
unpatched="$root/build/release-unpatched"
source "$root/bench/corpus.sh"
[ -x "$patched/tagwarden" ] || { echo "check_identical: build first: cmake --preset release && cmake --build --preset release" >&2; exit 2; }
cmake -S "$root" -B "$unpatched" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAGWARDEN_HCL_PATCHES=OFF \
  -DTAGWARDEN_TESTS=OFF > /dev/null
cmake --build "$unpatched" --target tagwarden ts_parse_baseline > /dev/null
mapfile -t repos < <(find "$corpus" -mindepth 1 -maxdepth 1 -type d \( -name 'terraform-*' -o -name 'aws-ia__*' \
  -o -name 'cloudposse__*' -o -name 'ministryofjustice__*' \) | sort)
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
cd "$corpus"
rel=("${repos[@]#"$corpus"/}")
status=0
for run in "check json" "check sarif" "check text" "tags json"; do
  read -r cmd format <<< "$run"
  for side in patched unpatched; do
    bin="$patched/tagwarden"; [ "$side" = unpatched ] && bin="$unpatched/tagwarden"
    code=0
    opts=(--format "$format"); [ "$cmd" = check ] && opts+=(--schema "$root/bench/five-keys.yaml")
    "$bin" "$cmd" "${rel[@]}" "${opts[@]}" > "$out/$side.out" 2> "$out/$side.err" || code=$?
    echo "$code" > "$out/$side.code"
  done
  if cmp -s "$out/patched.out" "$out/unpatched.out" && cmp -s "$out/patched.err" "$out/unpatched.err" &&
     cmp -s "$out/patched.code" "$out/unpatched.code"; then
    printf 'identical  tagwarden %-5s --format %-5s  %9d bytes, exit %s\n' "$cmd" "$format" \
      "$(wc -c < "$out/patched.out")" "$(cat "$out/patched.code")"
  else
    printf 'DIFFERENT  tagwarden %-5s --format %-5s\n' "$cmd" "$format"
    diff "$out/unpatched.out" "$out/patched.out" | head -20 || true
    status=1
  fi
done
echo "check_identical: ${#repos[@]} Terraform repositories, $(find "${repos[@]}" \( -name '*.tf' -o -name '*.tfvars' \) | wc -l) .tf/.tfvars files"
exit $status
