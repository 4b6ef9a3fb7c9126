#!/usr/bin/env bash
# Robustness over the shared corpus through the real command line: `tagwarden check` on every
# corpus folder must finish (no crash, hang or internal error: exit 0, 1 or 2 only), and each
# of the five deliberately broken cfn-lint fixtures must give a positioned error.
set -u
bin="$1"; corpus="$2"
status=0
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
for repo in "$corpus"/*/; do
  name="$(basename "$repo")"
  [ "$name" = "_licenses" ] && continue
  start=$(date +%s.%N)
  timeout 600 "$bin" check "$repo" --format json -o "$tmp/$name.json" 2>"$tmp/$name.err"
  code=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  if [ "$code" -gt 2 ]; then
    echo "FAIL $name: exit $code"; head -5 "$tmp/$name.err"; status=1; continue
  fi
  printf '%-60s exit=%s findings=%s errors=%s %.1fs\n' "$name" "$code" \
    "$(jq '.findings|length' "$tmp/$name.json")" "$(jq '.errors|length' "$tmp/$name.json")" "$secs"
done
broken=(test/fixtures/templates/bad/json_parse.json test/fixtures/templates/bad/template.yaml
        test/fixtures/templates/bad/core/config_invalid_json.json test/fixtures/templates/bad/core/config_invalid_yaml.yaml
        test/fixtures/templates/bad/core/parse_invalid_map.yaml)
for b in "${broken[@]}"; do
  f="$corpus/aws-cloudformation__cfn-lint/$b"
  [ -f "$f" ] || continue
  out="$("$bin" check "$f" 2>&1)"; code=$?
  if [ "$code" != 2 ] || ! grep -Eq ':[0-9]+:[0-9]+: error: ' <<<"$out"; then
    echo "FAIL $b: expected a positioned error and exit 2, got exit $code:"; echo "$out" | head -3; status=1
  else
    echo "ok   $b: $(grep -E ':[0-9]+:[0-9]+: error: ' <<<"$out" | head -1)"
  fi
done
exit $status
