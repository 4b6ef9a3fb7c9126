#!/usr/bin/env python3
"""The README's five-key report example is what the command named just above it prints.

Finds the block between <!-- coverage-example:begin --> and <!-- coverage-example:end -->, takes
the last `tagwarden report ...` command quoted in the paragraph before it, runs that command
with the given binary from the repository root and compares its standard output with the
block. On a difference, prints a unified diff and what to paste into the README.

usage: readme_examples.py TAGWARDEN SOURCE_DIR
"""
import difflib
import re
import shlex
import subprocess
import sys


def main() -> int:
    binary, src = sys.argv[1], sys.argv[2]
    text = open(f"{src}/README.md", encoding="utf-8").read()
    m = re.search(r"<!-- coverage-example:begin -->\n```text\n(.*?)```\n<!-- coverage-example:end -->", text, re.S)
    if not m:
        print("README.md has no ```text block between the coverage-example markers")
        return 1
    before = text[: m.start()]
    paragraph = before[before.rstrip().rfind("\n\n") :]
    commands = re.findall(r"`(tagwarden\s+report\s[^`]+)`", paragraph)
    if not commands:
        print("no `tagwarden report ...` command in the paragraph above the coverage example")
        return 1
    args = shlex.split(commands[-1])
    command = " ".join(args)
    args[0] = binary
    run = subprocess.run(args, cwd=src, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"`{command}` exited {run.returncode}: {run.stderr}")
        return 1
    expected = m.group(1)
    if run.stdout == expected:
        return 0
    sys.stdout.writelines(
        difflib.unified_diff(expected.splitlines(True), run.stdout.splitlines(True), "README.md", command))
    print("README.md's coverage example differs from what its command prints: paste the output above into it")
    return 1


if __name__ == "__main__":
    sys.exit(main())
