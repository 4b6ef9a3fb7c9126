#!/usr/bin/env bash
# Golden-fixture runner: runs tagwarden with the case's `args` (one argument per line) from
# inside the case folder and compares stdout with `expected.out` and the exit code with
# `expected.code` (default 0). When the case has a `filter.jq`, stdout goes through that jq
# program first (SARIF cases drop the rule docs that every SARIF file embeds, so editing a
# rule's doc does not touch every SARIF golden). UPDATE_GOLDEN=1 rewrites both for review.
# SARIF URIs and `github` annotation paths are relative to the source root, by default the git
# top level: in a checkout of this repository, repository-relative paths (fixtures/...).
# usage: golden.sh TAGWARDEN CASE_DIR
set -u
bin="$1"; case_dir="$2"
cd "$case_dir" || { echo "golden: no case folder $case_dir"; exit 1; }
mapfile -t args < <(grep -v '^[[:space:]]*$' args)
actual="$(mktemp)"
# A cache folder of its own (removed after): a golden run is always cold and leaves nothing
# in the user's cache (tests/result_cache_test.sh runs the cases from a cache).
export XDG_CACHE_HOME="$(mktemp -d)"
trap 'rm -rf "$actual" "$XDG_CACHE_HOME"' EXIT
"$bin" "${args[@]}" >"$actual" 2>/dev/null
code=$?
if [ -f filter.jq ]; then
  filtered="$(mktemp)"
  jq -f filter.jq "$actual" >"$filtered" || { echo "golden: filter.jq failed"; rm -f "$filtered"; exit 1; }
  mv "$filtered" "$actual"
fi
expected_code=0
[ -f expected.code ] && expected_code="$(tr -d '[:space:]' < expected.code)"
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  cp "$actual" expected.out
  if [ "$code" != 0 ]; then echo "$code" > expected.code; else rm -f expected.code; fi
  echo "golden: updated $case_dir (exit $code)"
  exit 0
fi
status=0
if ! diff -u expected.out "$actual"; then
  echo "golden: output of $case_dir differs from expected.out (UPDATE_GOLDEN=1 to rewrite after review)"
  status=1
fi
if [ "$code" != "$expected_code" ]; then
  echo "golden: exit code $code, expected $expected_code"
  status=1
fi
exit $status
