#!/usr/bin/env bash
# The result cache (linter/source/result_cache.hpp, docs/caching.md) never changes what `check`
# reports: every `check` golden case gives its expected output with an empty cache, again from
# the cache's whole-run entry, and again from its unit entries alone (each unit stored by the
# first run is taken from them); a changed, added or removed file (also one only the directory
# walk sees), a same-size rewrite with its old times put back, another schema, another
# baseline and a corrupt entry are each noticed; a touched but unchanged file still hits;
# --no-cache keeps nothing; a cache folder that cannot be written only costs time.
# usage: result_cache_test.sh TAGWARDEN SOURCE_DIR
set -uo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$2"
command -v jq >/dev/null || { echo "jq is not installed"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME="$tmp/cache" TAGWARDEN_CACHE_STATS=1
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
# From the stats line on stderr file $1: "whole" when the whole run was taken from the cache,
# else "H M S W" (units taken, not found, stored; W: the whole run was stored, 1 or 0).
stats() {
  sed -n -e 's/^tagwarden: result cache: whole run taken from it$/whole/p' \
    -e 's/^tagwarden: result cache: \([0-9]*\) units taken from it, \([0-9]*\) not found there, \([0-9]*\) stored; whole run stored$/\1 \2 \3 1/p' \
    -e 's/^tagwarden: result cache: \([0-9]*\) units taken from it, \([0-9]*\) not found there, \([0-9]*\) stored; whole run not stored$/\1 \2 \3 0/p' "$1"
}
# Removes the whole-run entries, leaving the units'.
drop_whole_runs() { find "$XDG_CACHE_HOME" -type d -path '*/results/runs' -prune -exec rm -rf {} +; }

# 1. Every check golden case, cold then warm, where the goldens run (SARIF paths are relative
# to the git top level).
cases=0 warm_hits=0 whole_runs=0
while IFS= read -r args_file; do
  dir="$(dirname "$args_file")"
  [ "$(grep -v '^[[:space:]]*$' "$args_file" | head -n1)" = check ] || continue
  cases=$((cases + 1))
  mapfile -t args < <(grep -v '^[[:space:]]*$' "$args_file")
  expected_code=0
  [ -f "$dir/expected.code" ] && expected_code="$(tr -d '[:space:]' < "$dir/expected.code")"
  for pass in cold whole units; do
    [ "$pass" = units ] && drop_whole_runs
    (cd "$dir" && "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err.$pass" </dev/null)
    code=$?
    if [ -f "$dir/filter.jq" ]; then jq -f "$dir/filter.jq" "$tmp/out" >"$tmp/out.f" && mv "$tmp/out.f" "$tmp/out"; fi
    cmp -s "$tmp/out" "$dir/expected.out" || fail "${dir#"$src/"} ($pass cache): output differs from expected.out"
    [ "$code" = "$expected_code" ] || fail "${dir#"$src/"} ($pass cache): exit $code, expected $expected_code"
  done
  # A run that stops before checking (a bad configuration) prints no statistics.
  [ -n "$(stats "$tmp/err.cold")" ] || continue
  read -r _ _ stored whole_stored < <(stats "$tmp/err.cold")
  read -r hits misses _ < <(stats "$tmp/err.units")
  if [ "${hits:-x}" != "${stored:-y}" ] || [ "${misses:-x}" != 0 ]; then
    fail "${dir#"$src/"}: the cold run stored ${stored:-?} units, the run from them took ${hits:-?} and missed ${misses:-?}"
  fi
  # A run with an internal error is not kept whole (none of the goldens has one).
  if [ "$whole_stored" = 1 ]; then
    whole_runs=$((whole_runs + 1))
    [ "$(stats "$tmp/err.whole")" = whole ] || fail "${dir#"$src/"}: the second run was not taken whole from the cache"
  fi
  warm_hits=$((warm_hits + ${hits:-0}))
done < <(find "$src/fixtures" "$src/examples" -name args | LC_ALL=C sort)
[ "$cases" -gt 50 ] || fail "only $cases check cases found"
[ "$warm_hits" -gt 50 ] || fail "only $warm_hits units were taken from the cache over $cases cases"
[ "$whole_runs" -gt 50 ] || fail "only $whole_runs of $cases runs were kept whole"

# 2. Changes are noticed: each run's report equals a --no-cache run's.
work="$tmp/tree"
mkdir -p "$work/root/notes" "$work/mod"
printf 'Nothing to check here yet.\n' > "$work/root/notes/README.md"
cat > "$work/root/main.tf" <<'TF'
module "m" {
  source = "../mod"
}
resource "aws_sqs_queue" "q" {
  tags = { Team = "alpha" }
}
TF
printf 'resource "aws_s3_bucket" "b" {\n  tags = { Team = "beta" }\n}\n' > "$work/mod/main.tf"
printf 'version: 1\ntags:\n  Team: {required: true, values: [alpha, beta]}\n' > "$work/schema.yaml"
check() { (cd "$work" && "$bin" check root --schema schema.yaml --format json --no-config "$@" 2>"$tmp/err"); }
same_as_uncached() {  # $1: what changed; $2: expected "whole" or "hits misses" of the cached run; $3...: options
  local what="$1" expected="$2" cached uncached
  shift 2
  cached="$(check "$@")"
  local got; got="$(stats "$tmp/err" | cut -d' ' -f1,2)"
  uncached="$(check --no-cache "$@")"
  [ "$cached" = "$uncached" ] || fail "$what: the cached run reports something else than --no-cache"
  [ "$got" = "$expected" ] || fail "$what: result cache '$got', expected '$expected'"
}
same_as_uncached "empty cache" "0 1"
same_as_uncached "nothing changed" "whole"
drop_whole_runs
same_as_uncached "nothing changed, no whole-run entry" "1 0"
touch "$work/mod/main.tf"
same_as_uncached "a file touched, content unchanged" "whole"
# Only the directory walk lists root/notes: a new root module there is a new unit.
printf 'resource "aws_sns_topic" "n" {\n  tags = { Team = "omega" }\n}\n' > "$work/root/notes/main.tf"
same_as_uncached "a file only the walk sees" "1 1"
[ "$(check | jq '[.findings[] | select(.message | test("omega"))] | length')" -gt 0 ] || fail "the new root is not reported"
rm "$work/root/notes/main.tf"
same_as_uncached "that file removed" "1 0"
printf 'resource "aws_s3_bucket" "b" {\n  tags = { Team = "gamma" }\n}\n' > "$work/mod/main.tf"
same_as_uncached "a called module's value changed" "0 1"
[ "$(check | jq '[.findings[] | select(.message | test("gamma"))] | length')" -gt 0 ] || fail "the changed value is not reported"
# Same size, times put back: the inode's change time still tells.
cp -p "$work/mod/main.tf" "$tmp/times"
printf 'resource "aws_s3_bucket" "b" {\n  tags = { Team = "delta" }\n}\n' > "$work/mod/main.tf"
touch -r "$tmp/times" "$work/mod/main.tf"
same_as_uncached "a same-size rewrite with its old times" "0 1"
printf 'resource "aws_sns_topic" "t" {\n}\n' > "$work/root/extra.tf"
same_as_uncached "a file added to the root" "0 1"
rm "$work/root/extra.tf"
same_as_uncached "a file removed from the root" "0 1"
printf 'version: 1\ntags:\n  Owner: {required: true}\n' > "$work/schema.yaml"
same_as_uncached "another schema" "0 1"
same_as_uncached "nothing changed after all that" "whole"
# A baseline's text is read by the run, not named in the key: a changed baseline is noticed.
(cd "$work" && "$bin" check root --schema schema.yaml --no-config --no-cache --write-baseline baseline.json >/dev/null 2>&1)
same_as_uncached "a baseline" "1 0" --baseline baseline.json
[ "$(check --baseline baseline.json | jq '.findings | length')" = 0 ] || fail "the baseline is not applied"
same_as_uncached "the same baseline" "whole" --baseline baseline.json
jq '.entries = []' "$work/baseline.json" > "$tmp/b.json" && mv "$tmp/b.json" "$work/baseline.json"
same_as_uncached "the baseline emptied" "1 0" --baseline baseline.json
[ "$(check --baseline baseline.json | jq '.findings | length')" -gt 0 ] || fail "the emptied baseline still holds findings back"
for entry in $(find "$XDG_CACHE_HOME" -path '*results/*' -type f); do
  printf 'x' | dd of="$entry" bs=1 seek=40 conv=notrunc status=none
done
same_as_uncached "a corrupt entry" "0 1"

# 3. --no-cache keeps nothing; an unusable cache folder only costs time.
rm -rf "$XDG_CACHE_HOME"
check --no-cache >/dev/null
[ ! -e "$XDG_CACHE_HOME/tagwarden" ] || fail "--no-cache wrote to the cache folder"
printf 'not a folder' > "$XDG_CACHE_HOME"
out="$(check)" || [ $? = 1 ] || fail "a cache folder that cannot be made fails the run"
[ "$out" = "$(check --no-cache)" ] || fail "a cache folder that cannot be made changes the report"

[ "$failures" = 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "result cache: $cases check cases cold and warm, $warm_hits units from the cache; change detection passed"
