#!/usr/bin/env bash
# Builds tagwarden from this source tree (the version you checked out) and installs it into a
# cache folder keyed by that version; prints the path of the installed binary on stdout. A second
# run for the same version finds it there and builds nothing. The pre-commit hook
# (tools/pre-commit-hook.sh) and the GitHub Action (action.yml) both install through this script.
#
# The binary is self-contained (CMake option TAGWARDEN_STATIC: glibc, libstdc++ and every library
# linked in), so it runs on any x86-64 Linux and a cached copy needs nothing else installed.
#
# usage: tools/install.sh [--prefix DIR] [--setup] [--print-key]
#   --prefix DIR  also copy the binary to DIR/bin (e.g. --prefix ~/.local)
#   --setup       when a build is needed, first install what building needs (tools/setup.sh
#                 --build-only: apt, npm)
#   --print-key   print the cache key of this source tree and exit
# environment: TAGWARDEN_CACHE (default ${XDG_CACHE_HOME:-~/.cache}/tagwarden), JOBS (build jobs, default 2)
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
prefix="" setup=0 print_key=0
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
    --prefix=*) prefix="${1#--prefix=}"; shift ;;
    --print-key) print_key=1; shift ;;
    --setup) setup=1; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
cache="${TAGWARDEN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tagwarden}"

# The cache key: the project version and a hash of every file the build reads, so two
# checkouts of the same version share one build and a changed tree never reuses a stale one.
# (`tagwarden --version` shows the git describe of the checkout it was built from.) The files
# embedded in the binary are the globs of tools/embedded_files.txt, the list CMake embeds.
version="$(sed -n 's/^project(tagwarden VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")"
hash="$(cd "$src" && shopt -s nullglob && mapfile -t globs < <(grep -v '^#' tools/embedded_files.txt) &&
        { find CMakeLists.txt linter rules grammars tools/CMakeLists.txt tools/embedded_files.txt \
            tools/embed_files.cmake tools/build_version.cmake -name node_modules -prune -o -type f -print 2>/dev/null
          for g in "${globs[@]}"; do [ -n "$g" ] && printf '%s\n' $g; done; } |
        LC_ALL=C sort -u | xargs sha256sum | sha256sum | cut -c1-12)"
key="$version-$hash"
if [ "$print_key" = 1 ]; then echo "$key"; exit 0; fi
dest="$cache/$key"
bin="$dest/bin/tagwarden"

finish() {
  if [ -n "$prefix" ]; then
    mkdir -p "$prefix/bin"
    install -m 0755 "$bin" "$prefix/bin/tagwarden"
    echo "$prefix/bin/tagwarden"
  else
    echo "$bin"
  fi
}
if [ -x "$bin" ]; then finish; exit 0; fi

# One build at a time per cache (parallel hook runs, two jobs on one runner).
mkdir -p "$cache"
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.lock"
  flock 9
  if [ -x "$bin" ]; then finish; exit 0; fi
fi
[ "$setup" = 1 ] && "$src/tools/setup.sh" --build-only >&2
for tool in cmake ninja c++ npm; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install.sh: '$tool' is missing; run $src/tools/setup.sh (or pass --setup)" >&2; exit 2; }
done
# The pinned tree-sitter sources (grammars/package-lock.json) come from npm.
stamp="$src/grammars/node_modules/.tagwarden-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$src/grammars/package-lock.json" "$stamp"; then
  (cd "$src/grammars" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >&2
  cp "$src/grammars/package-lock.json" "$stamp"
fi
# Without git (a source archive such as a GitHub Action's copy) the key is the version label.
label=""
[ -e "$src/.git" ] && command -v git >/dev/null 2>&1 || label="$key"
echo "install.sh: building tagwarden $key (once; later runs reuse $dest)" >&2
build="$(mktemp -d "$cache/build-XXXXXX")"
trap 'rm -rf "$build" "$dest.tmp"' EXIT
# ccache (when installed) shares objects between checkouts in different folders.
export CCACHE_BASEDIR="$src"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTAGWARDEN_TESTS=OFF -DTAGWARDEN_STATIC=ON \
  -DTAGWARDEN_GIT_DESCRIBE="$label" -DCMAKE_INSTALL_PREFIX="$dest.tmp" >/dev/null
cmake --build "$build" --target tagwarden -j "${JOBS:-2}" >&2
rm -rf "$dest.tmp"
cmake --install "$build" >/dev/null
"$dest.tmp/bin/tagwarden" --version >/dev/null
rm -rf "$dest"
mv "$dest.tmp" "$dest"
finish
