#!/usr/bin/env bash
# `check --changed` in a git work tree lists Terraform files from the git index and remembers,
# by content, which local modules each file calls (linter/engine/changed_files.cpp). With real
# git: the roots found are the same with a cold cache, a warm cache, --no-cache, index version 4,
# a linked work tree, a hook's GIT_INDEX_FILE, a corrupt cache file and a damaged caller index
# (saved under the git index's checksum; not saved while a work tree file differs from its
# blob); a newly staged caller is found; an untracked one is not (the index is the commit's
# content). Changed var, parameters
# and configuration inputs re-check what they feed; `exclude` applies to changed files.
# usage: changed_git_index_test.sh TAGWARDEN
set -euo pipefail
bin="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
command -v git >/dev/null || { echo "git is not installed"; exit 1; }
command -v jq >/dev/null || { echo "jq is not installed"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export XDG_CACHE_HOME="$tmp/cache"
unset GIT_INDEX_FILE GIT_DIR GIT_WORK_TREE
fail() { echo "FAIL: $*"; exit 1; }

repo="$tmp/repo"
mkdir -p "$repo"/{roots/a,roots/b,roots/c,modules/net,modules/shared}
cd "$repo"
printf 'module "net" {\n  source = "../../modules/net"\n}\n' > roots/a/main.tf
printf 'module "net" {\n  source = "../../modules/net"\n}\n' > roots/b/main.tf
printf 'resource "aws_sqs_queue" "q" {\n  tags = { Team = "x" }\n}\n' > roots/c/main.tf
printf 'module "shared" {\n  source = "../shared"\n}\n' > modules/net/main.tf
printf 'resource "aws_s3_bucket" "b" {\n}\n' > modules/shared/main.tf
printf 'version: 1\ntags:\n  Team: {required: true}\n' > schema.yaml
git init -q && git add -A && git commit -q -m init

# The number of resources the change brings into the check: one bucket per root calling net.
resources() { "$bin" check --changed modules/shared/main.tf --schema schema.yaml --format json "$@" | jq '.summary.resources'; }
[ "$(resources --no-cache)" = 2 ] || fail "--no-cache: the two roots calling the shared module"
[ ! -e "$XDG_CACHE_HOME/tagwarden" ] || fail "--no-cache wrote to the cache folder"
[ "$(resources)" = 2 ] || fail "cold cache"
cache_file="$(find "$XDG_CACHE_HOME/tagwarden" -name 'module-calls-*' | head -1)"
[ -n "$cache_file" ] || fail "no cache file written"
# One line per distinct content (header + 4: roots/a and roots/b are the same file), naming the
# local modules that content calls.
[ "$(wc -l < "$cache_file")" = 5 ] || { cat "$cache_file"; fail "cache entries"; }
grep -q "$(git rev-parse :modules/net/main.tf)t	../shared" "$cache_file" || fail "cache entry of modules/net/main.tf"
[ "$(resources)" = 2 ] || fail "warm cache"
# The caller index (linter/engine/caller_index.hpp): saved under this git index's checksum, one
# line per folder (its files, then the folders calling it); the next runs read only it.
callers_file="$(find "$XDG_CACHE_HOME/tagwarden" -name 'callers-*' | head -1)"
[ -n "$callers_file" ] || fail "no caller index written"
sed -n 2p "$callers_file" | grep -q "^$(tail -c 20 .git/index | od -An -tx1 | tr -d ' \n') \.\$" ||
  { head -2 "$callers_file"; fail "the caller index's key is the git index's checksum"; }
grep -q "^modules/shared	main.tf	modules/net\$" "$callers_file" || { cat "$callers_file"; fail "caller index line"; }
[ "$(resources)" = 2 ] || fail "warm caller index"

# A new root calling net, staged: found (its file is new to the cache).
mkdir -p roots/d && cp roots/a/main.tf roots/d/main.tf && git add roots/d
[ "$(resources)" = 3 ] || fail "a staged new caller"
# An untracked caller is not part of the commit: not listed.
mkdir -p roots/e && cp roots/a/main.tf roots/e/main.tf
[ "$(resources)" = 3 ] || fail "an untracked caller"
# ... but outside a git work tree the folder walk sees it.
cp -r "$repo" "$tmp/plain" && rm -rf "$tmp/plain/.git"
(cd "$tmp/plain" && [ "$(resources --no-cache)" = 4 ]) || fail "walk outside git"

# Index version 4 (prefix-compressed names).
git update-index --index-version 4
[ "$(resources)" = 3 ] || fail "index version 4"
[ "$(resources --no-cache)" = 3 ] || fail "index version 4, --no-cache"

# A corrupt cache file is ignored and rewritten (once the caller index for this git index, which
# a run reads instead, is gone).
rm "$callers_file"
printf 'garbage\n\x00\xff' > "$cache_file"
[ "$(resources)" = 3 ] || fail "corrupt cache"
head -1 "$cache_file" | grep -q '^tagwarden module-calls' || fail "corrupt cache not rewritten"
# A damaged caller index is not used, and is rewritten.
printf 'tagwarden callers 1\ngarbage' > "$callers_file"
[ "$(resources)" = 3 ] || fail "damaged caller index"
sed -n 2p "$callers_file" | grep -q "^$(tail -c 20 .git/index | od -An -tx1 | tr -d ' \n') " || fail "caller index not rewritten"
# A work tree file that differs from its staged blob is read as it is, and no caller index is
# saved for that git index (a saved one holds what the blobs call).
rm -f "$callers_file" "$cache_file"
printf 'module "net" {\n  source = "../../modules/net"\n}\n' > roots/c/main.tf
[ "$(resources)" = 4 ] || fail "an unstaged caller in the work tree"
[ ! -e "$callers_file" ] || fail "a caller index saved from a work tree file that is not its blob"
git checkout -q roots/c/main.tf
[ "$(resources)" = 3 ] || fail "the staged file again"
[ -e "$callers_file" ] || fail "no caller index saved once the work tree matches the index"
# A cache entry that lies is never trusted for another content: keys are object names.
git commit -q -m d
printf 'module "net" {\n  source = "../../modules/net"\n}\n# edited\n' > roots/c/main.tf && git add roots/c
[ "$(resources)" = 4 ] || fail "a caller added by editing a staged file"

# A hook of `git commit FILES` gets the commit's index in GIT_INDEX_FILE.
cp .git/index "$tmp/other-index"
git rm -q --cached roots/d/main.tf
[ "$(resources)" = 3 ] || fail "the index without roots/d"
[ "$(GIT_INDEX_FILE="$tmp/other-index" resources)" = 4 ] || fail "GIT_INDEX_FILE"
git add roots/d && git commit -q -m c

# A linked work tree (.git is a file naming the git dir).
git worktree add -q "$tmp/linked" HEAD
(cd "$tmp/linked" && [ "$(resources)" = 4 ]) || fail "linked work tree"
# Inputs that feed roots (regression: they were "not part of a root", 0 resources checked): a
# changed var file of the config's `roots` re-checks the root it feeds, a changed --parameters
# file every template; a changed file under the config's `exclude` is not checked, and said so.
mkdir -p envs stacks
printf 'team = "z"\n' > envs/c.tfvars
printf 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {}\n' > stacks/s.yaml
printf '[{"ParameterKey": "X", "ParameterValue": "y"}]\n' > stacks/params.json
printf 'roots:\n  - path: roots/c\n    var-files: [envs/c.tfvars]\n' > .tagwarden.yaml
git add -A && git commit -q -m inputs
count() { "$bin" check --changed --schema schema.yaml --format json "$@" | jq '.summary.resources'; }
[ "$(count envs/c.tfvars)" = 1 ] || fail "a var file of the config's roots"
[ "$(count --parameters stacks/params.json stacks/params.json)" = 1 ] || fail "a --parameters file"
[ "$(count stacks/s.yaml)" = 1 ] || fail "a changed template"
printf 'exclude: ["stacks/**"]\n' >> .tagwarden.yaml
[ "$(count stacks/s.yaml 2>/dev/null)" = 0 ] || fail "a changed file under exclude"
"$bin" check --changed --schema schema.yaml stacks/s.yaml 2>&1 >/dev/null | grep -q "stacks/s.yaml: excluded" ||
  fail "a changed file under exclude is named as not checked"
# A path named on the command line is checked (as ruff), unless --force-exclude.
[ "$("$bin" check --schema schema.yaml --format json stacks/s.yaml | jq '.summary.resources')" = 1 ] ||
  fail "a named path under exclude"
[ "$("$bin" check --force-exclude --schema schema.yaml --format json stacks/s.yaml 2>/dev/null |
  jq '.summary.resources')" = 0 ] || fail "--force-exclude"
echo "ok"
