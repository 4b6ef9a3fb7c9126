#!/usr/bin/env bash
# The differential oracle's fixtures (fixtures/oracle/README.md): for every project, the
# effective tags of `tagwarden tags` must agree with what a real `terraform plan` recorded in
# plan_tags.json, known and unknown alike (tools/oracle/compare.jq; "plan-unknown", where the
# plan itself does not know the key set, passes when every key the plan lists agrees).
# tagwarden runs from the source root, not from the project, as a user in a monorepo would.
# usage: oracle_fixtures.sh TAGWARDEN SOURCE_DIR
set -u
bin="$1"; src="$2"
cd "$src" || exit 1
pass=0; fail=0; resources=0; equal=0; plan_unknown=0
for d in fixtures/oracle/*/; do
  d="${d%/}"; name="$(basename "$d")"
  if [ ! -f "$d/plan_tags.json" ]; then echo "FAIL $name: no plan_tags.json (tools/oracle/record.sh $d)"; fail=$((fail+1)); continue; fi
  envs=(); flags=()
  if [ -f "$d/oracle.env" ]; then mapfile -t envs < <(grep -v '^[[:space:]]*$' "$d/oracle.env"); flags=(--env-provider-tags); fi
  out="$(env "${envs[@]}" "$bin" tags "$d" --format json "${flags[@]}" 2>/dev/null | jq --slurpfile plan "$d/plan_tags.json" -f tools/oracle/compare.jq)"
  if [ -z "$out" ]; then echo "FAIL $name: tagwarden or the comparison failed"; fail=$((fail+1)); continue; fi
  read -r n e k u w < <(jq -r '.summary | "\(.compared) \(.equal) \(.unknown_knowable) \(.plan_unknown) \(.wrong)"' <<<"$out")
  resources=$((resources+n)); equal=$((equal+e)); plan_unknown=$((plan_unknown+u))
  if [ "$w" != 0 ] || [ "$k" != 0 ]; then
    echo "FAIL $name: $n resources, $e equal, $k unknown but known to the plan, $w wrong"
    jq -r '.resources[] | select(.verdict != "plan-unknown") | "  \(.address): \(.why | join("; "))"' <<<"$out"
    fail=$((fail+1))
  else
    echo "ok   $name: $n resources, $e equal, $u the plan does not know"
    pass=$((pass+1))
  fi
done
echo "oracle fixtures: $((pass+fail)) projects, $resources resources compared, $equal equal, $plan_unknown not known to the plan"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
