#!/usr/bin/env bash
# Validates every golden case whose output is SARIF (args contain `sarif`) with the shared
# validator, in --github mode. Fails when there is no SARIF golden at all.
set -u
validator="$1"; root="$2"
files=()
while IFS= read -r args; do
  dir="$(dirname "$args")"
  if grep -qx 'sarif' "$args" && [ -f "$dir/expected.out" ]; then files+=("$dir/expected.out"); fi
done < <(find "$root/fixtures" "$root/examples" -name args | sort)
if [ "${#files[@]}" = 0 ]; then echo "no SARIF goldens found"; exit 1; fi
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
i=0
for f in "${files[@]}"; do i=$((i+1)); cp "$f" "$tmp/case$i.sarif"; done
"$validator" --github "$tmp"/*.sarif
