#!/usr/bin/env bash
# Builds bench/hclsyntax_parse (HashiCorp's hclsyntax, parse only) into OUT_DIR (default
# build/bench) from Debian's golang-go and golang-github-hashicorp-hcl-v2-dev, offline: GOPATH
# mode over /usr/share/gocode, where Debian installs Go library sources. bench/setup.sh
# installs both packages. Prints the binary's path; exits 3 when Go or the library is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$(realpath -m "${1:-$root/build/bench}")"
gocode=/usr/share/gocode
if ! command -v go >/dev/null 2>&1 || [ ! -d "$gocode/src/github.com/hashicorp/hcl/v2/hclsyntax" ]; then
  echo "build_reference: Go or hcl/v2 is not installed (run bench/setup.sh)" >&2
  exit 3
fi
mkdir -p "$out"
bin="$out/hclsyntax_parse"
src="$root/bench/hclsyntax_parse/main.go"
if [ ! -x "$bin" ] || [ "$src" -nt "$bin" ]; then
  (cd "$root/bench/hclsyntax_parse" &&
     GOPATH="$gocode" GO111MODULE=off GOFLAGS= GOCACHE="$out/go-cache" go build -o "$bin" .)
fi
echo "$bin"
