#!/bin/sh
# Runs the CDK front end over every cloud assembly (folder with a manifest.json) of the corpus
# (default: ../shared/corpus/awslabs__aws-solutions-constructs, 384 assemblies): no crash, hang
# or internal error; prints counts and the wall time. Needs a built tree (build/ci, or
# TW_BUILD=asan for the sanitizer build). With TAGWARDEN=path/to/tagwarden it also runs
# `tagwarden tags` on each assembly and on the whole tree (exit codes 0-2 only).
#   tools/corpus_cdk.sh [CORPUS_DIR...]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tests="$here/build/${TW_BUILD:-ci}/tests/tagwarden_tests"
[ -x "$tests" ] || { echo "build first: cmake --preset ci && cmake --build --preset ci -j2" >&2; exit 2; }
[ $# -gt 0 ] || set -- /work/shared/corpus/awslabs__aws-solutions-constructs
list=$(mktemp)
out=$(mktemp)
trap 'rm -f "$list" "$out"' EXIT
for dir in "$@"; do
  find "$dir" -type f -name manifest.json -not -path '*/node_modules/*' -printf '%h\n'
done | LC_ALL=C sort > "$list"
echo "$(wc -l < "$list") folders with a manifest.json"
start=$(date +%s.%N)
TW_CDK_CORPUS_LIST="$list" timeout 600 "$tests" --no-skip -tc='cdk corpus' --no-version > "$out" 2>&1 || { cat "$out"; exit 1; }
end=$(date +%s.%N)
cat "$out"
grep -q '^folders ' "$out" || { echo "the corpus harness did not run (is the test binary current?)" >&2; exit 1; }
echo "front end: wall $(echo "$end - $start" | bc) s"

if [ -n "${TAGWARDEN:-}" ]; then
  bad=0
  while IFS= read -r d; do
    rc=0
    timeout 30 "$TAGWARDEN" tags "$d" --format json > "$out" 2>&1 || rc=$?
    if [ "$rc" -gt 2 ]; then bad=$((bad + 1)); echo "exit $rc: $d"; fi
  done < "$list"
  start=$(date +%s.%N)
  rc=0
  timeout 300 "$TAGWARDEN" tags "$@" --format json > "$out" 2>&1 || rc=$?
  end=$(date +%s.%N)
  echo "tagwarden tags per assembly: $bad runs exited above 2; whole tree: exit $rc, wall $(echo "$end - $start" | bc) s"
  [ "$bad" -eq 0 ] && [ "$rc" -le 2 ]
fi
