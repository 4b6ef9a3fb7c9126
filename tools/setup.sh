#!/usr/bin/env bash
# Installs everything tagwarden needs to build and test on a fresh Debian 12 machine of this
# project's kind (apt + npm only). Idempotent: re-running it only checks.
#
# usage: tools/setup.sh [--build-only]
#   --build-only  only what building the binary needs (tools/install.sh --setup, the GitHub
#                 Action on a cache miss): compiler, CMake, the libraries, npm for the pinned
#                 grammar; no test, lint or fuzz tools. The names are Debian 12's (Ubuntu
#                 24.04: see README "Install").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_only=0
for a in "$@"; do
  case "$a" in
    --build-only) build_only=1 ;;
    *) echo "usage: tools/setup.sh [--build-only]" >&2; exit 2 ;;
  esac
done
# Building the binary (tools/install.sh: a static Release build of the `tagwarden` target).
packages=(cmake ninja-build g++ patch pkg-config libfmt-dev libcli11-dev nlohmann-json3-dev libyaml-dev libtoml11-dev
          libre2-dev)
if [ "$build_only" = 0 ]; then
  # Tests, lint and the `fuzz` preset (clang and libFuzzer: tools/fuzz.sh).
  packages+=(time doctest-dev python3-jsonschema jq bc ccache git pre-commit python3-yaml clang-format clang-tidy
             clang libclang-rt-dev)
fi
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
