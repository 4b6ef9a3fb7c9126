#!/usr/bin/env bash
# The result cache (linter/source/result_cache.hpp, docs/caching.md) never changes what `check`
# reports: every `check` golden case gives its expected output with an empty cache and again
# from the cache (each unit stored by the first run is taken from it by the second); a changed,
# added or removed file, a same-size rewrite with its old times put back, another schema and a
# corrupt entry are each noticed; a touched but unchanged file still hits; --no-cache keeps
# nothing; a cache folder that cannot be written only costs time.
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
# "H M S" from the stats line on stderr file $1.
stats() { sed -n 's/^tagwarden: result cache: \([0-9]*\) units taken from it, \([0-9]*\) not found there, \([0-9]*\) stored$/\1 \2 \3/p' "$1"; }

# 1. Every check golden case, cold then warm, where the goldens run (SARIF paths are relative
# to the git top level).
cases=0 warm_hits=0
while IFS= read -r args_file; do
  dir="$(dirname "$args_file")"
  [ "$(grep -v '^[[:space:]]*$' "$args_file" | head -n1)" = check ] || continue
  cases=$((cases + 1))
  mapfile -t args < <(grep -v '^[[:space:]]*$' "$args_file")
  expected_code=0
  [ -f "$dir/expected.code" ] && expected_code="$(tr -d '[:space:]' < "$dir/expected.code")"
  for pass in cold warm; do
    (cd "$dir" && "$bin" "${args[@]}" >"$tmp/out" 2>"$tmp/err.$pass" </dev/null)
    code=$?
    if [ -f "$dir/filter.jq" ]; then jq -f "$dir/filter.jq" "$tmp/out" >"$tmp/out.f" && mv "$tmp/out.f" "$tmp/out"; fi
    cmp -s "$tmp/out" "$dir/expected.out" || fail "${dir#"$src/"} ($pass cache): output differs from expected.out"
    [ "$code" = "$expected_code" ] || fail "${dir#"$src/"} ($pass cache): exit $code, expected $expected_code"
  done
  # A run that stops before checking (a bad configuration) prints no statistics.
  [ -n "$(stats "$tmp/err.cold")" ] || continue
  read -r _ _ stored < <(stats "$tmp/err.cold")
  read -r hits misses _ < <(stats "$tmp/err.warm")
  if [ "${hits:-x}" != "${stored:-y}" ] || [ "${misses:-x}" != 0 ]; then
    fail "${dir#"$src/"}: the cold run stored ${stored:-?} units, the warm one took ${hits:-?} and missed ${misses:-?}"
  fi
  warm_hits=$((warm_hits + ${hits:-0}))
done < <(find "$src/fixtures" "$src/examples" -name args | LC_ALL=C sort)
[ "$cases" -gt 50 ] || fail "only $cases check cases found"
[ "$warm_hits" -gt 50 ] || fail "only $warm_hits units were taken from the cache over $cases cases"

# 2. Changes are noticed: each run's report equals a --no-cache run's.
work="$tmp/tree"
mkdir -p "$work/root" "$work/mod"
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
same_as_uncached() {  # $1: what changed; $2: expected "hits misses" of the cached run
  local cached uncached
  cached="$(check)"
  local got; got="$(stats "$tmp/err" | cut -d' ' -f1,2)"
  uncached="$(check --no-cache)"
  [ "$cached" = "$uncached" ] || fail "$1: the cached run reports something else than --no-cache"
  [ "$got" = "$2" ] || fail "$1: result cache hits/misses '$got', expected '$2'"
}
same_as_uncached "empty cache" "0 1"
same_as_uncached "nothing changed" "1 0"
touch "$work/mod/main.tf"
same_as_uncached "a file touched, content unchanged" "1 0"
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
same_as_uncached "nothing changed after all that" "1 0"
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
