#!/usr/bin/env bash
# The pre-commit hooks (.pre-commit-hooks.yaml) run by the real `pre-commit` tool against a
# Terraform monorepo made here: two roots sharing a local module. Checks that a bad change fails
# with the finding, a good one passes, a change to the shared module re-checks both roots, and
# that the README's configuration (the build-from-source hook with `--schema` and
# `--var-file=x.tfvars` arguments) works as written.
# usage: precommit_test.sh TAGWARDEN SOURCE_DIR
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
src="$(cd "$2" && pwd)"
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (tools/setup.sh installs it)"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export PRE_COMMIT_HOME="$tmp/pre-commit-home"
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export NO_COLOR=1
# The build hook's install cache is shared by test runs (a build takes minutes, a reuse < 1 s).
export TAGWARDEN_CACHE="${TAGWARDEN_TEST_CACHE:-$src/build/install-cache}"
fail() { echo "FAIL: $*"; exit 1; }

# A repository to install the hooks from: this source tree as it is now, committed (what
# `pre-commit try-repo` does with uncommitted changes, done here so the config below can name a
# revision).
hooks="$tmp/tagwarden-src"
git clone -q --no-hardlinks "$src" "$hooks"
(cd "$src" && git diff HEAD --binary) | (cd "$hooks" && git apply --allow-empty --binary 2>/dev/null || true)
(cd "$src" && git ls-files --others --exclude-standard -z) | (cd "$src" && xargs -0 -r cp --parents -t "$hooks")
(cd "$hooks" && git add -A && git commit -q -m "tagwarden under test" --allow-empty)
rev="$(git -C "$hooks" rev-parse HEAD)"

# The monorepo.
repo="$tmp/infra"
mkdir -p "$repo/roots/app" "$repo/roots/data" "$repo/modules/bucket" "$repo/envs"
cd "$repo"
git init -q .
cat > tags.yaml <<'EOF'
version: 1
tags:
  Team: {required: true}
  Environment: {required: true, values: [production, staging, dev]}
EOF
cat > modules/bucket/main.tf <<'EOF'
variable "environment" { type = string }
resource "aws_s3_bucket" "this" {
  tags = { Team = "platform", Environment = var.environment }
}
EOF
for r in app data; do
  cat > "roots/$r/main.tf" <<'EOF'
provider "aws" {}
variable "environment" {
  type    = string
  default = "dev"
}
module "bucket" {
  source      = "../../modules/bucket"
  environment = var.environment
}
EOF
done
echo 'environment = "dev"' > envs/x.tfvars
git add -A && git commit -q -m "infra"

# 1. pre-commit try-repo with the installed-binary hook (tagwarden on PATH).
export PATH="$(dirname "$bin"):$PATH"
try() { pre-commit try-repo "$hooks" tagwarden --verbose --files "$@" >"$tmp/out" 2>&1; }

# A good change passes.
printf 'resource "aws_sqs_queue" "q" {\n  tags = { Team = "payments" }\n}\n' > roots/app/queue.tf
git add -A
try roots/app/queue.tf || { cat "$tmp/out"; fail "a good change failed"; }
grep -q "Passed" "$tmp/out" || { cat "$tmp/out"; fail "no Passed line"; }

# A bad change fails with the finding (reserved prefix: AWS's own rule, no schema needed).
printf 'resource "aws_sqs_queue" "q" {\n  tags = { Team = "payments", "aws:owner" = "me" }\n}\n' > roots/app/queue.tf
git add -A
if try roots/app/queue.tf; then cat "$tmp/out"; fail "a bad change passed"; fi
grep -q 'roots/app/queue.tf:2:.*error\[TW007\]' "$tmp/out" || { cat "$tmp/out"; fail "the finding is not reported"; }
rm -f roots/app/queue.tf
git add -A

# A change to the shared module re-checks both roots: two bucket instances, one finding each
# way it is reached (the finding is in the changed file).
sed -i 's/Team = "platform"/"aws:team" = "platform"/' modules/bucket/main.tf
git add -A
if try modules/bucket/main.tf; then cat "$tmp/out"; fail "a bad shared-module change passed"; fi
grep -q '2 resources checked' "$tmp/out" || { cat "$tmp/out"; fail "the shared module change did not re-check both roots"; }
grep -q 'modules/bucket/main.tf:3:.*error\[TW007\]' "$tmp/out" || { cat "$tmp/out"; fail "shared module finding missing"; }
git checkout -q HEAD -- modules/bucket/main.tf

# A changed file outside every root: nothing to check, passes.
echo '{"not": "a template"}' > envs/notes.json
git add -A
try envs/notes.json || { cat "$tmp/out"; fail "an unrelated JSON file failed"; }
rm envs/notes.json
git add -A

# 2. The README's .pre-commit-config.yaml as written (build-from-source hook, --schema and
#    --var-file=x.tfvars), with this checkout as the repository and its revision.
sed -n '/<!-- pre-commit-config:begin -->/,/<!-- pre-commit-config:end -->/p' "$src/README.md" | sed '1,2d;$d' | sed '$d' \
  | sed "s|repo: .*|repo: $hooks|; s|rev: .*|rev: $rev|" > .pre-commit-config.yaml
grep -q "id: tagwarden-build" .pre-commit-config.yaml || { cat .pre-commit-config.yaml; fail "README has no tagwarden-build configuration"; }
grep -q -- "--var-file=envs/x.tfvars" .pre-commit-config.yaml || { cat .pre-commit-config.yaml; fail "README configuration has no --var-file"; }
run_hooks() { pre-commit run --verbose --files "$@" >"$tmp/out" 2>&1; }

# --var-file=envs/x.tfvars feeds both roots: a bad value in it fails on the module's tag entry.
echo 'environment = "prod"' > envs/x.tfvars
git add -A
if run_hooks envs/x.tfvars; then cat "$tmp/out"; fail "a bad --var-file value passed"; fi
grep -q 'modules/bucket/main.tf:3:.*error\[TW002\].*`prod`' "$tmp/out" || { cat "$tmp/out"; fail "--var-file value not checked"; }
echo 'environment = "production"' > envs/x.tfvars
git add -A
run_hooks envs/x.tfvars || { cat "$tmp/out"; fail "a good --var-file value failed"; }

# The schema argument applies: a missing required tag in a changed root file fails.
printf 'resource "aws_sqs_queue" "q" {\n  tags = { Environment = "dev" }\n}\n' > roots/data/queue.tf
git add -A
if run_hooks roots/data/queue.tf; then cat "$tmp/out"; fail "a missing required tag passed"; fi
grep -q 'roots/data/queue.tf:2:.*error\[TW001\].*`Team`' "$tmp/out" || { cat "$tmp/out"; fail "TW001 not reported"; }
echo "pre-commit hooks: all checks passed"
