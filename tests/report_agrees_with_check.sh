#!/usr/bin/env bash
# `report` and `check` never disagree (docs/dry-runs.md): over each PATH, the resources `report`
# lists as failing are exactly those `check` reports TW001, TW002 or TW003 on.
# usage: report_agrees_with_check.sh TAGWARDEN SCHEMA PATH...
set -u
bin="$1"; schema="$2"; shift 2
status=0
for path in "$@"; do
  check_json="$(mktemp)"; report_json="$(mktemp)"
  # Inline suppressions hide findings from check, not resources from report: audit mode. The
  # notes that one shared edit fixes many findings name the shared entry, not a resource.
  "$bin" check "$path" --no-config --no-inline-suppressions --schema "$schema" --format json >"$check_json" 2>/dev/null
  "$bin" report "$path" --no-config --schema "$schema" --format json >"$report_json" 2>/dev/null
  flagged="$(jq -r '[.findings[] | select((.rule_id == "TW001" or .rule_id == "TW002" or .rule_id == "TW003") and .level != "note") | .address] | unique | .[]' "$check_json")"
  failing="$(jq -r '[.failing[].address] | unique | .[]' "$report_json")"
  if [ "$flagged" != "$failing" ]; then
    echo "report_agrees_with_check: $path: check flags and report fails different resources:"
    diff <(echo "$flagged") <(echo "$failing") | head -20
    status=1
  fi
  if [ -z "$failing" ]; then
    echo "report_agrees_with_check: $path: nothing fails (the comparison would prove nothing)"
    status=1
  fi
  rm -f "$check_json" "$report_json"
done
exit $status
