#!/usr/bin/env bash
# Determinism by construction: `tagwarden check` of the whole shared corpus gives byte-identical
# JSON and SARIF at --jobs 1, 2 and 8 (file ids and display paths are decided before workers
# start; nothing depends on thread timing). Every run is worked out afresh: with the result
# cache, the runs after the first would be taken whole from it and compare nothing.
set -u
bin="$1"; corpus="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
status=0
for format in json sarif; do
  for jobs in 1 2 8; do
    "$bin" check "$corpus" --no-cache --format "$format" --jobs "$jobs" -o "$tmp/$format-$jobs" 2>/dev/null
    code=$?
    if [ "$code" -gt 2 ]; then echo "FAIL --format $format --jobs $jobs: exit $code"; status=1; fi
  done
  for jobs in 2 8; do
    if cmp -s "$tmp/$format-1" "$tmp/$format-$jobs"; then
      echo "ok   $format: --jobs $jobs is byte-identical to --jobs 1 ($(wc -c < "$tmp/$format-1") bytes)"
    else
      echo "FAIL $format: --jobs $jobs differs from --jobs 1:"; diff "$tmp/$format-1" "$tmp/$format-$jobs" | head -20
      status=1
    fi
  done
done
exit $status
