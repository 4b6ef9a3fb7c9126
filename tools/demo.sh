#!/usr/bin/env bash
# Set up, build (release) and check the bundled example: examples/terraform against
# examples/schema.yaml. Exits with tagwarden's own exit code (1: the example has findings).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/tagwarden check examples/terraform --schema examples/schema.yaml "$@"
