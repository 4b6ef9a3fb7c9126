#!/usr/bin/env bash
# The GitHub Action (action.yml) in a simulated runner (tests/action/runner.py): metadata checked
# against the public syntax, then the README's workflow inputs run through the composite steps
# with GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT and GITHUB_EVENT_PATH as temporary
# files and the job started from a subfolder: annotations within GitHub's limits (changed lines
# first), the job summary, the outputs, the SARIF upload, a fork's pull request skipping it,
# .tagwarden.yaml applying where inputs are left unset, and no result cache filled.
# usage: action_test.sh SOURCE_DIR [VALIDATE_SARIF]
set -euo pipefail
src="$(cd "$1" && pwd)"
validator="${2:-}"
runner="$src/tests/action/runner.py"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export TAGWARDEN_CACHE="${TAGWARDEN_TEST_CACHE:-$src/build/install-cache}"

# 1. Metadata syntax, and the validator catches what it should.
python3 "$runner" validate "$src/action.yml" || fail "action.yml does not follow the metadata syntax"
sed 's/inputs\.fail-level/inputs.fail-levle/' "$src/action.yml" > "$tmp/broken.yml"
if python3 "$runner" validate "$tmp/broken.yml" >/dev/null; then fail "validator missed an unknown input"; fi

# 2. A workspace with a base commit and a pull request on top of it.
ws="$tmp/workspace"
mkdir -p "$ws/infra/modules"
cd "$ws"
git init -q .
cat > tags.yaml <<'YAML'
version: 1
tags:
  Team: {required: true}
YAML
{
  echo 'provider "aws" {}'
  for i in $(seq 1 14); do printf 'resource "aws_sqs_queue" "q%s" {\n  tags = { Name = "q%s" }\n}\n' "$i" "$i"; done
} > infra/main.tf
git add -A && git commit -q -m base
base="$(git rev-parse HEAD)"
printf 'resource "aws_sns_topic" "pr" {\n  tags = { Name = "pr", "aws:x" = "y" }\n}\n' >> infra/main.tf
pr_line="$(grep -n 'aws_sns_topic' infra/main.tf | cut -d: -f1)"
git add -A && git commit -q -m pr

event() {  # event(HEAD_REPO)
  printf '{"pull_request": {"base": {"sha": "%s", "repo": {"full_name": "org/infra"}}, "head": {"repo": {"full_name": "%s"}}}}\n' "$base" "$1"
}
# The README's workflow: the inputs of its tagwarden step.
python3 - "$src/README.md" > "$tmp/with.json" <<'PY'
import json, re, sys, yaml
text = open(sys.argv[1]).read()
m = re.search(r"<!-- workflow:begin -->\s*```yaml\n(.*?)```\s*<!-- workflow:end -->", text, re.S)
assert m, "README has no workflow between <!-- workflow:begin/end --> markers"
wf = yaml.safe_load(m.group(1))
steps = [s for job in wf["jobs"].values() for s in job["steps"] if "tagwarden" in str(s.get("uses", ""))]
assert len(steps) == 1, "the workflow has no tagwarden step"
perms = wf.get("permissions", {})
assert perms.get("security-events") == "write" and perms.get("contents") == "read", "workflow permissions"
print(json.dumps(steps[0].get("with", {})))
PY

simulate() {  # simulate(NAME, HEAD_REPO[, WITH_JSON[, ACTION_REPOSITORY]]): runs the action from infra/modules
  local d="$tmp/$1" with="${3:-$tmp/with.json}" action_repository="${4-tagwarden-org/tagwarden}"
  mkdir -p "$d/runner-temp"
  event "$2" > "$d/event.json"
  : > "$d/summary.md"
  (cd "$ws/infra/modules" && env GITHUB_WORKSPACE="$ws" GITHUB_STEP_SUMMARY="$d/summary.md" GITHUB_EVENT_PATH="$d/event.json" \
     GITHUB_EVENT_NAME=pull_request GITHUB_REPOSITORY=org/infra GITHUB_ACTION_PATH="$src" RUNNER_TEMP="$d/runner-temp" \
     GITHUB_SERVER_URL=https://github.com GITHUB_ACTION_REPOSITORY="$action_repository" GITHUB_ACTION_REF=v1 GITHUB_SHA="$(git -C "$ws" rev-parse HEAD)" \
     XDG_CACHE_HOME="$d/xdg-cache" \
     python3 "$runner" run "$src/action.yml" "$with" "$d/result.json" > "$d/stdout" 2> "$d/stderr") \
    || { cat "$d/stderr"; fail "the runner simulation failed"; }
}

# 3. A pull request from a branch of the same repository.
simulate same org/infra
d="$tmp/same"
jq -e '.status == 1' "$d/result.json" >/dev/null || { cat "$d/stdout" "$d/stderr"; fail "the action should fail on errors (status $(jq .status "$d/result.json"))"; }
jq -e '.outputs.errors == "16" and .outputs.warnings == "0" and .outputs["exit-code"] == "1"' "$d/result.json" >/dev/null \
  || { cat "$d/result.json"; fail "outputs"; }
# A runner loses its cache folder: the result cache would only cost time (--no-cache).
[ -z "$(find "$d/xdg-cache" -path '*/results/*' 2>/dev/null)" ] || fail "the action filled the result cache"
sarif="$(jq -r '.outputs["sarif-file"]' "$d/result.json")"
[ -s "$sarif" ] || fail "no SARIF file at $sarif"
key="$("$src/tools/install.sh" --print-key)"
jq -e --arg k "tagwarden-Linux-$key" '[.uses[] | select(.uses == "actions/cache@v4")] == [{"uses": "actions/cache@v4", "with": {"path": "~/.cache/tagwarden", "key": $k}}]' \
  "$d/result.json" >/dev/null || { cat "$d/result.json"; fail "the install cache is not keyed by version"; }
jq -e --arg s "$sarif" '[.uses[] | select(.uses | startswith("github/codeql-action"))] == [{"uses": "github/codeql-action/upload-sarif@v3", "with": {"sarif_file": $s, "category": "tagwarden"}}]' \
  "$d/result.json" >/dev/null || { cat "$d/result.json"; fail "upload-sarif not called as expected"; }
[ "$(grep -c '^::error ' "$d/stdout")" = 10 ] || { cat "$d/stdout"; fail "expected 10 error annotations"; }
[ "$(head -n2 "$d/stdout" | grep -c "^::error file=infra/main.tf,line=$((pr_line + 1)),")" = 2 ] \
  || { cat "$d/stdout"; fail "the pull request's own findings are not annotated first"; }
grep -q '^::notice title=tagwarden::6 more findings were not annotated' "$d/stdout" || { cat "$d/stdout"; fail "no notice for the findings left out"; }
# 15 resources miss `Team` (15 errors) and one note says a default_tags block fixes them all.
grep -q '^## tagwarden' "$d/summary.md" && grep -q '| TW001 missing-required-tag | 16 |' "$d/summary.md" \
  || { cat "$d/summary.md"; fail "job summary"; }
grep -q "(https://github.com/org/infra/blob/$(git -C "$ws" rev-parse HEAD)/infra/main.tf#L$((pr_line + 1)))" "$d/summary.md" \
  || { cat "$d/summary.md"; fail "job summary links"; }
jq -e '.runs[0].results[0].locations[0].physicalLocation.artifactLocation == {"uri": "infra/main.tf", "uriBaseId": "%SRCROOT%"}' "$sarif" >/dev/null \
  || fail "SARIF URIs are not relative to the workspace"
if [ -n "$validator" ] && [ -x "$validator" ]; then "$validator" --github "$sarif" >/dev/null || fail "SARIF not accepted"; fi
# Rule help links into the repository and ref the action was taken from.
jq -e '.runs[0].tool.driver.informationUri == "https://github.com/tagwarden-org/tagwarden" and
       ([.runs[0].tool.driver.rules[] | select(.id == "TW001") | .helpUri] ==
        ["https://github.com/tagwarden-org/tagwarden/blob/v1/rules/missing-required-tag.md"])' "$sarif" >/dev/null \
  || fail "SARIF informationUri/helpUri do not point at the action's repository"

# 4. A pull request from a fork: no upload, a notice instead; annotations and summary still there.
simulate fork someone/infra
d="$tmp/fork"
jq -e '[.uses[] | select(.uses | startswith("github/codeql-action"))] == []' "$d/result.json" >/dev/null \
  || { cat "$d/result.json"; fail "a fork's pull request must not upload SARIF"; }
grep -q '^::notice title=tagwarden::SARIF upload skipped' "$d/stdout" || { cat "$d/stdout"; fail "no notice for the skipped upload"; }
[ "$(grep -c '^::error ' "$d/stdout")" = 10 ] || fail "fork: annotations missing"
grep -q '^## tagwarden' "$d/summary.md" || fail "fork: job summary missing"

# 5. Inputs left unset leave .tagwarden.yaml in charge (regression: the action always passed
# --fail-level error and the path ., which win over the file): its schema, paths and fail-level
# apply. A folder outside the config's paths has a finding that must not be reported.
mkdir -p "$ws/other"
printf 'resource "aws_sqs_queue" "o" {\n  tags = { "aws:x" = "y" }\n}\n' > "$ws/other/main.tf"
printf 'schema: tags.yaml\npaths: [infra]\nfail-level: none\n' > "$ws/.tagwarden.yaml"
echo '{}' > "$tmp/no-inputs.json"
simulate config org/infra "$tmp/no-inputs.json" ""
d="$tmp/config"
# A local action (`uses: ./`) has no repository to link to: no link is made up.
jq -e '.runs[0].tool.driver | (has("informationUri") | not) and ([.rules[] | select(has("helpUri"))] == [])' \
  "$(jq -r '.outputs["sarif-file"]' "$d/result.json")" >/dev/null || fail "rule help links without a repository"
jq -e '.status == 0 and .outputs["exit-code"] == "0" and .outputs.errors == "16"' "$d/result.json" >/dev/null \
  || { cat "$d/result.json" "$d/stderr"; fail "without inputs, the config's schema, paths and fail-level: none apply"; }
grep -q 'other/main.tf' "$d/stdout" && { cat "$d/stdout"; fail "a path outside the config's paths was checked"; }
# Inputs that are given still win over the file.
echo '{"fail-level": "error", "paths": "infra other"}' > "$tmp/inputs.json"
simulate given org/infra "$tmp/inputs.json"
d="$tmp/given"
jq -e '.status == 1 and .outputs.errors == "17"' "$d/result.json" >/dev/null \
  || { cat "$d/result.json"; fail "given inputs win over the config"; }
echo "GitHub Action: all checks passed"
