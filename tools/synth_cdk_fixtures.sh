#!/usr/bin/env bash
# Regenerates the synthesised cloud assemblies under fixtures/cdk/apps/<app>/cdk.out with the
# real aws-cdk-lib pinned by fixtures/cdk/apps/package-lock.json (`npm ci`). Each app is run
# from /home/runner/work/app/app/, laid out like a GitHub Actions checkout, so the committed
# creation stacks name no path of this machine and the tests exercise the suffix mapping.
# Needs node and npm (registry access for `npm ci`). Usage: tools/synth_cdk_fixtures.sh [APP...]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
apps_dir=$repo/fixtures/cdk/apps
runner=/home/runner/work/app/app

apps=("$@")
if [ ${#apps[@]} -eq 0 ]; then apps=(tagged nested staged suppressed); fi

rm -rf "$runner"
mkdir -p "$runner"
cp "$apps_dir/package.json" "$apps_dir/package-lock.json" "$runner/"
(cd "$runner" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)

# What `cdk synth` would pass (the CLI sets these context keys by default), plus CDK_DEBUG,
# which `cdk synth --debug` sets: aws-cdk-lib then records aws:cdk:creationStack for every
# CfnElement even when the aws:cdk:disable-creation-stack-traces context key is set.
context='{"aws:cdk:enable-path-metadata":true,"aws:cdk:enable-asset-metadata":true}'

for app in "${apps[@]}"; do
  src=$apps_dir/$app
  [ -d "$src" ] || { echo "no app $app" >&2; exit 2; }
  # Fresh checkout of this app next to the installed node_modules.
  find "$runner" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name package.json ! -name package-lock.json -exec rm -rf {} +
  (cd "$src" && tar cf - --exclude=cdk.out .) | (cd "$runner" && tar xf -)
  entry=app.js
  [ -f "$runner/bin/app.js" ] && entry=bin/app.js
  (cd "$runner" && CDK_DEBUG=true CDK_CONTEXT_JSON="$context" CDK_OUTDIR=cdk.out node "$entry")
  # Asset payloads (Lambda handler bundles) are not needed by the tests.
  find "$runner/cdk.out" -maxdepth 3 -type d -name 'asset.*' -prune -exec rm -rf {} +
  rm -rf "$src/cdk.out"
  cp -r "$runner/cdk.out" "$src/cdk.out"
  if grep -rq -- "$repo" "$src/cdk.out"; then
    echo "synthesised output of $app names this machine's path $repo" >&2
    exit 1
  fi
  echo "synthesised $app: $(find "$src/cdk.out" -type f | wc -l) files"
done
