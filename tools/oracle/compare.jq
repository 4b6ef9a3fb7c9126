# Compares `tagwarden tags --format json` (the input) with an oracle recording ($plan[0], see
# plan_tags.jq) resource by resource. Verdicts:
#   equal            tagwarden knows what the plan knows, and agrees with all of it
#   unknown-knowable tagwarden agrees where it knows, but says unknown (a value, or the key
#                    set) where the plan knows
#   plan-unknown     the plan does not know the key set (after_unknown is true for the whole
#                    map) or a value while tagwarden does; everything the plan knows agrees
#                    (SDKv2 resources plan "" values and maps holding an unknown value as
#                    known only after apply: docs/terraform.md)
#   wrong            anything else: a different value, a missing or extra key or resource
# Output: {summary: {compared, equal, unknown_knowable, plan_unknown, wrong}, resources: [...]}
# with one {address, verdict, why} per resource that is not equal.

def tw_view:
  [ .resources[] | select(.taggable)
    | {key: .address,
       value: {keys_known: .keys_known,
               tags: (.tags | map_values(if .known then .value else {unknown: true} end))}} ]
  | from_entries;

def problems($p; $t):
  [ ($p.tags | to_entries[]) as $e
    | if ($t.tags | has($e.key) | not) then
        (if $t.keys_known then "wrong: key \($e.key) is missing" else "unknown: key \($e.key) not listed" end)
      elif ($e.value | type) == "object" then
        (if ($t.tags[$e.key] | type) == "object" then empty
         else "plan: \($e.key) = \($t.tags[$e.key] | tojson), the plan knows it only after apply" end)
      elif ($t.tags[$e.key] | type) == "object" then "unknown: \($e.key) is \($e.value | tojson) in the plan"
      elif $t.tags[$e.key] != $e.value then "wrong: \($e.key) = \($t.tags[$e.key] | tojson), the plan has \($e.value | tojson)"
      else empty end ]
  + ( if $p.keys_known then
        [ ($t.tags | keys[]) as $k | select($p.tags | has($k) | not) | "wrong: key \($k) is not in the plan" ]
        + (if $t.keys_known then [] else ["unknown: tagwarden does not know the key set"] end)
      else [] end );

def verdict($p; $t):
  if $p == null then {verdict: "wrong", why: ["tagwarden has a taggable resource the plan has no tags for"]}
  elif $t == null then {verdict: "wrong", why: ["no taggable resource of this address in tagwarden"]}
  else problems($p; $t) as $w
    | if any($w[]; startswith("wrong")) then {verdict: "wrong", why: $w}
      elif any($w[]; startswith("unknown")) then {verdict: "unknown-knowable", why: $w}
      elif ($w | length) > 0 then {verdict: "plan-unknown", why: $w}
      elif ($p.keys_known | not) and $t.keys_known then {verdict: "plan-unknown", why: ["plan: the plan does not know the key set"]}
      else {verdict: "equal", why: []} end
  end;

tw_view as $tw | $plan[0].resources as $pl
| [ (($tw | keys) + ($pl | keys)) | unique[] | . as $a | verdict($pl[$a]; $tw[$a]) + {address: $a} ] as $rows
| {summary: {compared: ($rows | length),
             equal: ([$rows[] | select(.verdict == "equal")] | length),
             unknown_knowable: ([$rows[] | select(.verdict == "unknown-knowable")] | length),
             plan_unknown: ([$rows[] | select(.verdict == "plan-unknown")] | length),
             wrong: ([$rows[] | select(.verdict == "wrong")] | length)},
   resources: [$rows[] | select(.verdict != "equal")]}
