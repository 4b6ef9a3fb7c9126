#!/bin/sh
# Runs the CloudFormation/SAM front end over every JSON/YAML/.template file of the shared
# corpus (or the folders given): no crash, hang or internal error; prints counts of templates,
# resources, tag sets, unknowns and errors, and the wall time. Needs a built tree (build/ci,
# or TW_BUILD=asan for the sanitizer build).
#   tools/corpus_cloudformation.sh [CORPUS_DIR...]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tests="$here/build/${TW_BUILD:-ci}/tests/tagwarden_tests"
[ -x "$tests" ] || { echo "build first: cmake --preset ci && cmake --build --preset ci -j2" >&2; exit 2; }
[ $# -gt 0 ] || set -- /work/shared/corpus
list=$(mktemp)
trap 'rm -f "$list"' EXIT
for dir in "$@"; do
  find "$dir" -type f \( -name '*.json' -o -name '*.yaml' -o -name '*.yml' -o -name '*.template' \) \
    -not -path '*/node_modules/*' -not -path '*/cdk.out/*' -not -name 'manifest.json' -not -name 'tree.json' \
    -not -name '*.assets.json'
done | LC_ALL=C sort > "$list"
echo "$(wc -l < "$list") candidate files"
start=$(date +%s.%N)
TW_CFN_CORPUS_LIST="$list" timeout 600 "$tests" --no-skip -tc='cloudformation corpus' --no-version
end=$(date +%s.%N)
echo "wall $(echo "$end - $start" | bc) s"
