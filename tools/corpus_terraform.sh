#!/usr/bin/env bash
# Runs the Terraform front end over every Terraform repository of the shared corpus, one run
# per repository (all its module folders, as `tagwarden tags REPO` would), and reports crashes
# (must be 0), time, the share of taggable resources whose tag set is fully known and the top
# reasons for unknowns. Usage: tools/corpus_terraform.sh [BUILD_DIR] [CORPUS_DIR]
set -u
build=${1:-build/ci}
corpus=${2:-/work/shared/corpus}
driver="$build/tools/tf_corpus_driver"
[ -x "$driver" ] || { echo "build $driver first (cmake --build --preset ci)" >&2; exit 2; }
out=$(mktemp -d)
crashes=0
for repo in "$corpus"/*/; do
  name=$(basename "$repo")
  [ "$name" = _licenses ] && continue
  if ! find "$repo" \( -name '*.tf' -o -name '*.tf.json' \) -print -quit | grep -q .; then continue; fi
  start=$(date +%s.%N)
  timeout 600 "$driver" "$repo" > "$out/$name.json" 2> "$out/$name.err"
  rc=$?
  end=$(date +%s.%N)
  if [ $rc -ne 0 ]; then
    crashes=$((crashes + 1))
    echo "CRASH/FAIL rc=$rc $name: $(head -c 300 "$out/$name.err")"
  fi
  printf '%-55s %6.2fs %s\n' "$name" "$(echo "$end - $start" | bc)" \
    "$(jq -c '{resources, taggable, fully_known, unexpanded, errors, findings}' "$out/$name.json" 2>/dev/null)"
done
echo "crashes: $crashes"
jq -s '
  {taggable: (map(.taggable) | add), fully_known: (map(.fully_known) | add),
   unexpanded: (map(.unexpanded) | add), errors: (map(.errors) | add), findings: (map(.findings) | add)}
  | . + {fully_known_share: (if .taggable > 0 then (.fully_known / .taggable * 1000 | round / 10) else 0 end)}' \
  "$out"/*.json
echo "top reasons for unknowns (resources affected, all repositories):"
jq -s '[.[].top_unknown_reasons[]] | group_by(.reason) | map({reason: .[0].reason, count: (map(.count) | add)})
       | sort_by(-.count) | .[:15][] | "\(.count)\t\(.reason)"' -r "$out"/*.json
echo "first errors per repository:"
for f in "$out"/*.json; do jq -r --arg n "$(basename "$f" .json)" '.first_errors[:2][] | "  \($n): \(.)"' "$f"; done
rm -rf "$out"
[ $crashes -eq 0 ]
