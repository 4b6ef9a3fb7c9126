#!/usr/bin/env bash
# Robustness and timing run of the CDK front end over the cloud assemblies of the corpus
# (../shared/corpus/awslabs__aws-solutions-constructs: 384 manifest.json folders): each
# assembly on its own (no crash, hang or internal error; exit code 0/1/2 only), then the whole
# tree in one run, timed. Usage: tools/corpus_cdk.sh [CORPUS_DIR]  (TAGWARDEN=path/to/binary)
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bin=${TAGWARDEN:-$repo/build/ci/tagwarden}
corpus=${1:-/work/shared/corpus/awslabs__aws-solutions-constructs}
per_run_timeout=${CORPUS_TIMEOUT:-30}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

[ -x "$bin" ] || { echo "no tagwarden binary at $bin (build first, or set TAGWARDEN)" >&2; exit 2; }

mapfile -t dirs < <(find "$corpus" -name manifest.json -printf '%h\n' | LC_ALL=C sort)
ok=0; input_errors=0; internal=0; crashed=0; hung=0; resources=0
for d in "${dirs[@]}"; do
  timeout "$per_run_timeout" "$bin" tags "$d" --format json >"$out/stdout" 2>"$out/stderr"
  rc=$?
  case $rc in
    0|1) ok=$((ok + 1)) ;;
    2) input_errors=$((input_errors + 1)); echo "input error: $d: $(head -c 300 "$out/stderr")" ;;
    3) internal=$((internal + 1)); echo "INTERNAL ERROR: $d: $(head -c 300 "$out/stderr")" ;;
    124) hung=$((hung + 1)); echo "TIMEOUT (${per_run_timeout}s): $d" ;;
    *) crashed=$((crashed + 1)); echo "CRASH (exit $rc): $d" ;;
  esac
  n=$(python3 -c 'import json,sys
try: print(len(json.load(open(sys.argv[1])).get("resources", [])))
except Exception: print(0)' "$out/stdout")
  resources=$((resources + n))
done
echo "assemblies: ${#dirs[@]}  ok: $ok  input errors: $input_errors  internal errors: $internal  crashes: $crashed  timeouts: $hung  resources: $resources"

# The whole tree in one run, as a user would point tagwarden at a monorepo.
start=$(date +%s.%N)
timeout 300 "$bin" tags "$corpus" --format json >"$out/all.json" 2>"$out/all.err"
rc=$?
end=$(date +%s.%N)
total=$(python3 -c 'import json,sys
try:
  d=json.load(open(sys.argv[1])); r=d.get("resources", [])
  print(len(r), sum(1 for x in r if x.get("format") == "cdk" or "/" in x.get("address", "")), len(d.get("errors", [])))
except Exception as e: print("unreadable output:", e)' "$out/all.json")
printf 'whole tree: exit %s, %.2f s wall, resources / cdk-looking / errors: %s\n' "$rc" "$(echo "$end - $start" | bc)" "$total"
[ $internal -eq 0 ] && [ $crashed -eq 0 ] && [ $hung -eq 0 ] && [ "$rc" -le 2 ]
