#!/usr/bin/env bash
# Re-records the oracle fixtures: plans every project of fixtures/oracle/ (or the ones named)
# with tools/oracle/plan.sh and writes its plan_tags.json. A project's `oracle.env`
# (NAME=VALUE lines) is put in terraform's environment, as tagwarden's test puts it in its own
# (with --env-provider-tags). Needs terraform and the AWS provider mirror; the test does not.
# usage: tools/oracle/record.sh [FIXTURE_DIR...]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
fixtures="$here/../../fixtures/oracle"
dirs=("$@")
[ "${#dirs[@]}" -gt 0 ] || mapfile -t dirs < <(find "$fixtures" -mindepth 1 -maxdepth 1 -type d | sort)
status=0
for d in "${dirs[@]}"; do
  envs=()
  [ -f "$d/oracle.env" ] && mapfile -t envs < <(grep -v '^[[:space:]]*$' "$d/oracle.env")
  if env "${envs[@]}" "$here/plan.sh" "$d" > "$d/plan_tags.json.new" 2> "$d/.plan.err"; then
    mv "$d/plan_tags.json.new" "$d/plan_tags.json"; rm -f "$d/.plan.err"
    echo "recorded $(basename "$d"): $(jq '.resources | length' "$d/plan_tags.json") resources"
  else
    rm -f "$d/plan_tags.json.new"; echo "FAILED $(basename "$d"):"; sed 's/^/  /' "$d/.plan.err"; rm -f "$d/.plan.err"; status=1
  fi
done
exit $status
