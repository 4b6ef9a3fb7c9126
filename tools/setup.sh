#!/usr/bin/env bash
# Installs everything tagwarden needs to build and test on a fresh Debian 12 machine of this
# project's kind (apt + npm only). Idempotent: re-running it only checks.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
packages=(cmake ninja-build g++ patch time libfmt-dev libcli11-dev nlohmann-json3-dev doctest-dev libyaml-dev libtoml11-dev
          libre2-dev pkg-config python3-jsonschema jq bc ccache git pre-commit python3-yaml clang-format clang-tidy
          clang libclang-rt-dev)  # clang and libFuzzer: the `fuzz` preset (tools/fuzz.sh)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js and npm may come from another packaging of Node (it bundles npm): only install
# Debian's when the commands are absent.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# tree-sitter runtime and HCL grammar sources, pinned by grammars/package-lock.json. Install
# scripts are skipped: they would build Node bindings we do not use.
stamp="$root/grammars/node_modules/.tagwarden-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$root/grammars/package-lock.json" "$stamp"; then
  echo "setup: fetching pinned tree-sitter sources (npm ci)"
  (cd "$root/grammars" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
  cp "$root/grammars/package-lock.json" "$stamp"
fi
