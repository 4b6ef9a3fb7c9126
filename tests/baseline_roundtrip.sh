#!/usr/bin/env bash
# Baseline round trip (issue 11): in a temporary copy of fixtures/baseline/write, write a
# baseline, re-read it (nothing reported), move and reformat the code (still nothing), then
# change an offending tag (exactly that finding comes back). Also checks that the baseline
# committed as fixtures/baseline/moved/baseline.json is what --write-baseline writes.
# usage: baseline_roundtrip.sh TAGWARDEN FIXTURES_BASELINE_DIR
set -u
bin="$1"; fx="$2"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
fail() { echo "baseline round trip: $*"; exit 1; }
summary() { "$bin" check . --schema schema.yaml --no-config --format json "$@" | jq -c '.summary | {errors, warnings, notes, baseline_matched, baseline_unmatched}'; }

cp -r "$fx/write" "$tmp/repo"
cd "$tmp/repo" || exit 1
rm -f args expected.out expected.code
before="$(summary)"
[ "$(echo "$before" | jq '.errors + .warnings + .notes')" -gt 0 ] || fail "the case has no findings to baseline: $before"
"$bin" check . --schema schema.yaml --no-config --write-baseline baseline.json >/dev/null
cmp -s baseline.json "$fx/moved/baseline.json" || fail "fixtures/baseline/moved/baseline.json differs from what --write-baseline writes"

after="$(summary --baseline baseline.json)"
# Everything is held back (the default_tags note of the first run counted findings that are
# now baselined, so it is gone too) and every entry matched.
[ "$(echo "$after" | jq '.errors + .warnings + .notes')" = 0 ] || fail "re-read baseline still reports findings: $after"
[ "$(echo "$after" | jq '.baseline_matched > 0 and .baseline_unmatched == 0')" = true ] ||
  fail "the baseline should match every finding: $after (before: $before)"

# Move and reformat: the layout of fixtures/baseline/moved (the provider block, with a finding on
# its default_tags entry, moves into main.tf; the module call that cannot be inspected moves into
# queues.tf): findings about no resource keep their identity too.
rm -f ./*.tf
cp "$fx/moved/"*.tf .
moved="$(summary --baseline baseline.json)"
[ "$(echo "$moved" | jq '.errors + .warnings + .notes')" = 0 ] || fail "moved code resurrected findings: $moved"
[ "$(echo "$moved" | jq '.baseline_unmatched')" = 0 ] || fail "moved code left baseline entries unmatched: $moved"

# Change the offending tag: the layout of fixtures/baseline/changed.
rm -f ./*.tf
cp "$fx/changed/"*.tf .
changed="$(summary --baseline baseline.json)"
[ "$(echo "$changed" | jq '.errors')" = 1 ] || fail "a changed tag should give exactly one new finding: $changed"
[ "$(echo "$changed" | jq '.baseline_unmatched')" = 1 ] || fail "the changed tag's old entry should no longer match: $changed"
echo "baseline round trip: ok (before: $before; changed: $changed)"
