#!/usr/bin/env bash
# Installs what bench/ needs beyond tools/setup.sh (Debian packages; idempotent): Go and
# HashiCorp's hcl/v2 sources for the hclsyntax reference (bench/build_reference.sh), and the
# profilers used for bench/README.md's breakdown. cfn-lint is not a Debian package: install it
# yourself to get the CloudFormation comparison (the bench prints "not available" without it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/tools/setup.sh"
packages=(golang-go golang-github-hashicorp-hcl-v2-dev linux-perf valgrind)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "bench/setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
