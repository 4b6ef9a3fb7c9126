#!/usr/bin/env bash
# Entry of the `tagwarden-build` pre-commit hook (.pre-commit-hooks.yaml): installs tagwarden from
# this checkout (tools/install.sh: built once per version, then reused) and checks the files
# pre-commit passes as a change. Arguments are the hook's `args:` followed by the file names.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$("$here/install.sh")"
exec "$bin" check --changed "$@"
