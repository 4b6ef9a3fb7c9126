#!/usr/bin/env bash
# Validates the SARIF that every SARIF golden case produces (args contain `sarif`), unfiltered,
# with the shared validator in --github mode. Fails when there is no SARIF case at all.
# usage: validate_sarif_goldens.sh VALIDATOR ROOT TAGWARDEN
set -u
validator="$1"; root="$2"; bin="$3"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
i=0
while IFS= read -r args_file; do
  dir="$(dirname "$args_file")"
  grep -qx 'sarif' "$args_file" || continue
  mapfile -t args < <(grep -v '^[[:space:]]*$' "$args_file")
  i=$((i+1))
  (cd "$dir" && "$bin" "${args[@]}" >"$tmp/case$i.sarif" 2>/dev/null)
done < <(find "$root/fixtures" "$root/examples" -name args | sort)
if [ "$i" = 0 ]; then echo "no SARIF goldens found"; exit 1; fi
"$validator" --github "$tmp"/*.sarif
