#!/usr/bin/env bash
# The differential oracle over a corpus of real Terraform: plans every root module that can be
# planned offline with tools/oracle/plan.sh and compares `tagwarden tags` with it resource by
# resource (tools/oracle/compare.jq). Roots are folders with a `provider "aws"` block, no
# Terraform sub-folders, and only local module sources (`./`, `../`) in their own files; a
# root whose init or plan fails offline (remote modules further down, data sources that call
# AWS, variables without values) is counted as not planned.
#
# usage: tools/oracle/corpus.sh TAGWARDEN [CORPUS_DIR] [MAX_ROOTS]
#   CORPUS_DIR default /work/shared/corpus; MAX_ROOTS default 0 (all candidates), else that
#   many spread evenly over the sorted candidates.
# Prints one line per root and the totals; per-resource details go to $TF_ORACLE_OUT
# (default ./oracle-corpus.json). Exit 1 when a resource is wrong.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
corpus="$(cd "${2:-/work/shared/corpus}" && pwd)"
max="${3:-0}"
out="${TF_ORACLE_OUT:-$PWD/oracle-corpus.json}"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT

# Candidate roots, sorted.
find "$corpus" -name .terraform -prune -o -name '*.tf' -print | sed 's|/[^/]*$||' | sort -u > "$tmp/tf_dirs"
find "$corpus" -name .terraform -prune -o -name '*.tf' -print0 | xargs -0 -r grep -lE '^[[:space:]]*provider[[:space:]]+"aws"' |
  sed 's|/[^/]*$||' | sort -u > "$tmp/with_provider"
# Folders with Terraform sub-folders (tagwarden would lint those as roots of their own).
awk '{ d = $0; while (sub(/\/[^\/]+$/, "", d)) print d }' "$tmp/tf_dirs" | sort -u > "$tmp/has_tf_below"
: > "$tmp/candidates"
comm -23 "$tmp/with_provider" "$tmp/has_tf_below" | while read -r d; do
  # Only local module sources in the root's own files (provider sources in required_providers,
  # "hashicorp/aws", have one slash; module registry sources have two).
  if grep -hE '^[[:space:]]*source[[:space:]]*=' "$d"/*.tf 2>/dev/null |
     grep -vE '=[[:space:]]*"(\.\.?/|[^/".:]+/[^/"]+"|registry\.terraform\.io/[^/"]+/[^/"]+")' | grep -q .; then continue; fi
  # Only the AWS provider is in the mirror (terraform_data and terraform_remote_state are built in).
  if grep -hE '^[[:space:]]*(resource|data|provider)[[:space:]]+"' "$d"/*.tf 2>/dev/null |
     grep -vE '"(aws|aws_[^"]*|terraform_data|terraform_remote_state)"' | grep -q .; then continue; fi
  echo "$d" >> "$tmp/candidates"
done
total="$(wc -l < "$tmp/candidates")"
# MAX_ROOTS spread evenly over the sorted candidates (every repository gets its share).
if [ "$max" -gt 0 ] && [ "$total" -gt "$max" ]; then
  awk -v n="$total" -v m="$max" 'BEGIN { for (i = 0; i < m; i++) pick[int(i * n / m) + 1] = 1 } pick[NR]' \
    "$tmp/candidates" > "$tmp/c" && mv "$tmp/c" "$tmp/candidates"
fi
echo "candidate roots: $total (planning $(wc -l < "$tmp/candidates"))"

planned=0; failed=0; n=0
echo '[]' > "$out"
while read -r d; do
  n=$((n+1))
  rel="${d#"$corpus"/}"; repo="${rel%%/*}"
  if ! "$here/plan.sh" "$d" "$corpus/$repo" > "$tmp/plan.json" 2> "$tmp/plan.err"; then
    failed=$((failed+1))
    echo "not planned  $rel: $(grep -m1 -E '^Error' "$tmp/plan.err" || echo 'init or plan failed')"
    continue
  fi
  planned=$((planned+1))
  "$bin" tags "$d" --format json 2>/dev/null > "$tmp/tw.json"
  jq --slurpfile plan "$tmp/plan.json" -f "$here/compare.jq" "$tmp/tw.json" > "$tmp/cmp.json"
  jq -r --arg r "$rel" '.summary | "planned      \($r): \(.compared) compared, \(.equal) equal, \(.unknown_knowable) unknown-but-knowable, \(.plan_unknown) plan-unknown, \(.wrong) wrong"' "$tmp/cmp.json"
  jq --arg r "$rel" --slurpfile c "$tmp/cmp.json" '. + [{root: $r} + $c[0]]' "$out" > "$tmp/o" && mv "$tmp/o" "$out"
done < "$tmp/candidates"
jq -r --argjson p "$planned" --argjson f "$failed" '
  (map(.summary) | {compared: (map(.compared) | add // 0), equal: (map(.equal) | add // 0),
    unknown_knowable: (map(.unknown_knowable) | add // 0), plan_unknown: (map(.plan_unknown) | add // 0),
    wrong: (map(.wrong) | add // 0)}) as $s
  | "oracle corpus: \($p) roots planned (\($f) not plannable offline); \($s.compared) resources compared: \($s.equal) equal, \($s.unknown_knowable) unknown-but-knowable, \($s.plan_unknown) the plan does not know, \($s.wrong) wrong"' "$out"
[ "$(jq '[.[].summary.wrong] | add // 0' "$out")" = 0 ]
