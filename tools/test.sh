#!/usr/bin/env bash
# Set up, build with warnings as errors and run the whole test suite (unit tests, golden
# fixtures, SARIF validation, corpus robustness when ../shared/corpus is there).
# --sanitize: the same under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
preset=ci
[ "${1:-}" = "--sanitize" ] && preset=asan
tools/setup.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j2
