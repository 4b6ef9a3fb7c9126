#!/usr/bin/env bash
# What the command line says about mistakes (README "The command line people expect"): exit 2
# and a message on stderr that names what was meant, for mistyped commands at every level,
# options and --output formats, and nothing written for a mistyped --output.
# usage: cli_messages_test.sh TAGWARDEN
set -uo pipefail
bin="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
status=0
expect() {  # expect(STDERR_SUBSTRING, ARGS...): exit code 2 and the message on stderr
  local want="$1"; shift
  "$bin" "$@" >/dev/null 2>"$tmp/err"
  local code=$?
  if [ "$code" != 2 ] || ! grep -qF -- "$want" "$tmp/err"; then
    echo "FAIL: tagwarden $*: exit $code, stderr:"; cat "$tmp/err"; echo "expected exit 2 and: $want"
    status=1
  fi
}
expect "no command 'chek'; did you mean 'check'?" chek .
# Regression: a mistyped subcommand of policy was CLI11's "A subcommand is required".
expect "tagwarden policy: no command 'efective'; did you mean 'effective'? (commands: effective, lint)" \
  policy efective x.json
expect "tagwarden policy: a command is required (commands: effective, lint)" policy
expect "tagwarden check: no option '--shema'; did you mean '--schema'?" check --shema x.yaml .
# Regression: --output x:sarf wrote a text report to a file named `x:sarf` and exited 0.
expect "--output x:sarf: unknown format 'sarf', did you mean 'sarif'?" check --output x:sarf .
[ -e "x:sarf" ] && { echo "FAIL: --output x:sarf wrote a file"; status=1; }
"$bin" check --no-config --output x:sarf:json . >/dev/null 2>&1
[ -s "x:sarf" ] || { echo "FAIL: --output x:sarf:json wrote no file x:sarf"; status=1; }
[ "$status" = 0 ] && echo "ok"
exit $status
