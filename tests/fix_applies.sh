#!/usr/bin/env bash
# `check --fix` prints a diff that applies (patch -p1) and fixes what it says: afterwards no
# finding offers a fix, and the findings that had one are gone. Runs on a copy of fixtures/fix.
# usage: fix_applies.sh TAGWARDEN FIXTURE_DIR
set -u
bin="$1"; fx="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail() { echo "fix applies: $*"; exit 1; }
cp -r "$fx" "$tmp/repo" && cd "$tmp/repo" || exit 1
rm -rf args expected.out expected.code report
check() { "$bin" check . --schema schema.yaml --no-config --format json; }
before_fixable="$(check | jq '[.findings[] | select(.fixes | length > 0)] | length')"
[ "$before_fixable" -gt 0 ] || fail "the fixture has nothing to fix"
before_total="$(check | jq '.findings | length')"
"$bin" check . --schema schema.yaml --no-config --fix > fix.diff
patch -p1 --quiet < fix.diff || fail "the diff does not apply"
after_fixable="$(check | jq '[.findings[] | select(.fixes | length > 0)] | length')"
after_total="$(check | jq '.findings | length')"
[ "$after_fixable" = 0 ] || fail "$after_fixable findings still offer a fix after applying the diff"
[ "$after_total" -le $((before_total - before_fixable)) ] || fail "applying the fixes left $after_total findings of $before_total"
"$bin" check . --schema schema.yaml --no-config --fix > again.diff
[ ! -s again.diff ] || fail "a second --fix still has changes"
echo "fix applies: ok ($before_fixable fixable of $before_total findings; $after_total left)"
