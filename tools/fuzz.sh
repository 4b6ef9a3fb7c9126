#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs each one for a
# number of executions, seeded from the fixtures and the shared corpus.
#   tools/fuzz.sh [RUNS|SECONDSs] [TARGET...]   10000 executions each by default, or e.g. 20s
#                                              each; TARGET defaults to all
#   tools/fuzz.sh --totals                      executions so far per target, from the ledger
# TW_FUZZ_MAX_LEN sets the longest input (default 16384 bytes; a long campaign may take 4096,
# libFuzzer's own default, for about twice the executions per second); TW_FUZZ_TIMEOUT the
# seconds one input may take (default 20; more for a campaign at a low CPU priority).
# Crashes, leaks and timeouts are written to build/fuzz/artifacts/<target>/ and fail the run.
# Each target's grown corpus stays in build/fuzz/corpus/<target>/ for the next run, and each
# run adds a line to the ledger build/fuzz/executions.tsv (UTC time, target, commit, longest
# input, executions, result), so a campaign's executions add up over many runs.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ledger="$root/build/fuzz/executions.tsv"
if [ "${1:-}" = "--totals" ]; then
  [ -f "$ledger" ] || { echo "no runs recorded in $ledger"; exit 0; }
  awk -F'\t' '{ n[$2] += ($5 ~ /^[0-9]+$/) ? $5 : 0; if ($6 != "ok") bad[$2]++ }
       END { for (t in n) printf "%-16s %12d executions%s\n", t, n[t], bad[t] ? "  (" bad[t] " failed runs)" : "" }' \
    "$ledger" | sort
  exit 0
fi
runs="${1:-10000}"; shift || true
max_len="${TW_FUZZ_MAX_LEN:-16384}"
timeout="${TW_FUZZ_TIMEOUT:-20}"
commit="$(git describe --always --dirty 2>/dev/null || echo "?")"  # what the targets are built from
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(hcl_fuzz hcl_parse_fuzz plan_fuzz cfn_json_fuzz cfn_yaml_fuzz cdk_fuzz schema_fuzz policy_fuzz engine_fuzz git_index_fuzz unit_output_fuzz)
tools/setup.sh
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]}"
corpus_root="$root/../shared/corpus"
out="$root/build/fuzz"

# seed TARGET PREFIX FIND-ARGS...: up to 300 small files from the fixtures and the corpus.
seed() {
  local target="$1" prefix="$2"; shift 2
  local dir="$out/corpus/$target"
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
  local n=0 f
  while IFS= read -r -d '' f; do
    { printf '%b' "$prefix"; cat "$f"; } > "$dir/seed-$n"
    n=$((n + 1)); [ "$n" -ge 300 ] && break
  done < <(find "$root/fixtures" "$root/examples" $( [ -d "$corpus_root" ] && echo "$corpus_root") -type f -size -32k "$@" -print0 2>/dev/null | sort -z)
  return 0  # fewer than 300 seeds is fine (the loop's last test would fail the script under set -e)
}
# seed_git_index TARGET: indexes of small repositories made here with git (versions 2, 3 and 4).
seed_git_index() {
  local dir="$out/corpus/$1" tmp v
  mkdir -p "$dir"
  [ -n "$(ls -A "$dir" 2>/dev/null)" ] && return 0
  command -v git >/dev/null || return 0
  tmp="$(mktemp -d)"
  (cd "$tmp" && git init -q && mkdir -p a/b c && echo x > a/b/main.tf && echo y > c/v.tfvars && ln -s a l &&
    git add -A) >/dev/null 2>&1
  for v in 2 3 4; do
    (cd "$tmp" && git update-index --index-version "$v") >/dev/null 2>&1 && cp "$tmp/.git/index" "$dir/seed-v$v"
  done
  rm -rf "$tmp"
}
# Payloads of real result cache entries: the check goldens run with an empty cache, each entry's
# payload cut out (the entry's layout: linter/source/result_cache.cpp), with a context count byte.
seed_unit_outputs() {
  local dir="$out/corpus/$1" cache
  mkdir -p "$dir"
  [ -x "$root/build/ci/tagwarden" ] || return 0
  cache="$(mktemp -d)"
  for c in "$root"/fixtures/terraform/*/ "$root"/fixtures/cloudformation/*/ "$root"/fixtures/suppressions/*/; do
    (cd "$c" && XDG_CACHE_HOME="$cache" "$root/build/ci/tagwarden" check . --no-config >/dev/null 2>&1) || true
  done
  python3 - "$cache" "$dir" <<'PY'
import os, sys
def varint(b, i):
    v = s = 0
    while True:
        c = b[i]; i += 1; v |= (c & 0x7f) << s; s += 7
        if c < 0x80: return v, i
for top, _, files in os.walk(sys.argv[1]):
    for name in files:
        b = open(os.path.join(top, name), 'rb').read()[:-8]
        i = 4 + 1 + 20
        n, i = varint(b, i); i += n          # identity
        _, i = varint(b, i)                  # written
        k, i = varint(b, i)                  # observations
        for _ in range(k):
            i += 1; _, i = varint(b, i); n, i = varint(b, i); i += n + 20
            if b[i]:
                i += 1
                for _ in range(5): _, i = varint(b, i)
            else:
                i += 1
        n, i = varint(b, i); i += n          # meta
        n, i = varint(b, i)                  # payload
        kind = b'\x80' if os.sep + 'runs' + os.sep in top + os.sep else b'\x01'  # a whole run's entry, a unit's
        open(os.path.join(sys.argv[2], 'seed-' + name), 'wb').write(kind + b[i:i + n])
PY
  rm -rf "$cache"
}
for t in "${targets[@]}"; do
  case "$t" in
    hcl_fuzz) seed "$t" '' \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tf.json' \) ;;
    hcl_parse_fuzz) seed "$t" '' \( -name '*.tf' -o -name '*.tfvars' \) ;;
    plan_fuzz) seed "$t" '' -path '*plan*' -name '*.json' ;;
    cfn_json_fuzz) seed "$t" '' \( -name '*.json' -o -name '*.template' \) -path '*cloudformation*' ;;
    cfn_yaml_fuzz) seed "$t" '' \( -name '*.yaml' -o -name '*.yml' \) ;;
    cdk_fuzz) seed "$t" '' -name 'manifest.json' ;;
    schema_fuzz) seed "$t" '' -name 'schema*' ;;
    policy_fuzz) seed "$t" '' -path '*fixtures/policy/*' -name '*.json' ;;
    engine_fuzz) seed "$t" '\\x00' -name '*.tf'; seed "$t" '\\x03' -name '*.yaml' ;;
    git_index_fuzz) seed_git_index "$t" ;;
    unit_output_fuzz) seed_unit_outputs "$t" ;;
  esac
done

status=0
for t in "${targets[@]}"; do
  mkdir -p "$out/artifacts/$t"
  log="$out/$t.log"
  start=$(date +%s)
  if [[ "$runs" == *s ]]; then limit="-max_total_time=${runs%s}"; else limit="-runs=$runs"; fi
  if "$out/$t" "$limit" -max_len="$max_len" -timeout="$timeout" -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$out/artifacts/$t/" "$out/corpus/$t" >"$log" 2>&1; then
    result=ok
  else
    result=FAIL; status=1
  fi
  execs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' || echo '?')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" \
    "$commit" "$max_len" "$execs" "$result" >>"$ledger"
  printf '%-16s %s  executions=%s  %ss  corpus=%s\n' "$t" "$result" "$execs" "$(( $(date +%s) - start ))" \
    "$(ls "$out/corpus/$t" | wc -l)"
  [ "$result" = ok ] || tail -30 "$log"
done
exit $status
