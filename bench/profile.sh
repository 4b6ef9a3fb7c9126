#!/usr/bin/env bash
# Profiles a full `tagwarden check` of the monorepo with the five-key schema (bench/README.md,
# "Where the time goes"): a Release build with symbols and frame pointers (build/profile), perf
# with DWARF call chains at -j 1 and -j 2, summarised by bench/perf_breakdown.py. With --dhat,
# also counts allocations with valgrind's DHAT (-j 1; several minutes), summarised by
# bench/dhat_breakdown.py. Needs linux-perf and valgrind (bench/setup.sh).
# usage: bench/profile.sh [--dhat] [MONOREPO_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dhat=0
[ "${1:-}" = "--dhat" ] && { dhat=1; shift; }
if [ -n "${1:-}" ]; then mono="$1"; else source "$root/bench/corpus.sh"; mono="$corpus/ministryofjustice__cloud-platform-environments"; fi
prof="$root/build/profile"
cmake -S "$root" -B "$prof" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAGWARDEN_TESTS=OFF \
  "-DCMAKE_CXX_FLAGS=-g -fno-omit-frame-pointer" "-DCMAKE_C_FLAGS=-g -fno-omit-frame-pointer" > /dev/null
cmake --build "$prof" --target tagwarden > /dev/null
out="$prof/profile-out"; mkdir -p "$out"
args=(check "$mono" --schema "$root/bench/five-keys.yaml" --format json -o /dev/null)
for j in 1 2; do
  echo "== perf, tagwarden ${args[*]} -j $j"
  perf record -q -F 499 --call-graph dwarf,32768 -o "$out/perf-j$j.data" -- "$prof/tagwarden" "${args[@]}" -j "$j" \
    2> /dev/null || true
  perf script -i "$out/perf-j$j.data" -F pid,tid,time,period,ip,sym,dso 2> /dev/null |
    python3 "$root/bench/perf_breakdown.py"
done
if [ "$dhat" = 1 ]; then
  echo "== valgrind --tool=dhat, tagwarden ${args[*]} -j 1"
  valgrind --tool=dhat --dhat-out-file="$out/dhat.json" --num-callers=40 "$prof/tagwarden" "${args[@]}" -j 1 \
    > /dev/null 2> "$out/dhat.log" || true
  grep -E "Total:|At t-gmax:|At t-end:" "$out/dhat.log" | sed 's/^==[0-9]*== /  /'
  python3 "$root/bench/dhat_breakdown.py" "$out/dhat.json"
fi
