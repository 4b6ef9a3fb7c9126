#!/usr/bin/env python3
"""Checks schema/tagwarden-schema.json with a reference JSON Schema implementation (the Python
`jsonschema` package): it must be a valid draft 2020-12 schema, every native schema file in
fixtures/ and examples/ must validate against it, and those under fixtures/schema/errors/ must
not. tagwarden validates schema files with its own reader of the same JSON Schema
(linter/schema/json_schema.cpp); this keeps the shipped JSON Schema honest for editors.

Usage: tests/check_schema_files.py SOURCE_DIR
"""
import glob
import json
import os
import sys

import jsonschema
import yaml


def main() -> int:
    root = sys.argv[1]
    with open(os.path.join(root, "schema", "tagwarden-schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failures = 0
    checked = 0
    for pattern in ("fixtures/**/*.yaml", "fixtures/**/*.yml", "fixtures/**/*.json", "examples/**/*.yaml"):
        for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
            with open(path, encoding="utf-8") as f:
                try:
                    doc = yaml.safe_load(f)
                except yaml.YAMLError:
                    continue
            if not isinstance(doc, dict) or "version" not in doc or "tags" not in doc:
                continue  # not a native schema (templates, tag policies, plans)
            if os.sep + os.path.join("fixtures", "policy") + os.sep in path:
                continue  # tag policies, some deliberately malformed
            checked += 1
            errors = list(validator.iter_errors(doc))
            expect_invalid = os.sep + os.path.join("fixtures", "schema", "errors") + os.sep in path
            if bool(errors) != expect_invalid:
                failures += 1
                rel = os.path.relpath(path, root)
                what = "; ".join(e.message for e in errors) if errors else "valid"
                print(f"{rel}: expected {'invalid' if expect_invalid else 'valid'}, got {what}")
    print(f"{checked} schema files checked against schema/tagwarden-schema.json, {failures} unexpected")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
