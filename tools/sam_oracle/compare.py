#!/usr/bin/env python3
"""The SAM transform as an oracle: the AWS SAM translator's own test suite pairs each SAM input
template (tests/translator/input/NAME.yaml) with the CloudFormation it translates to
(tests/translator/output/NAME.json). tagwarden's tags for the SAM input must equal its tags
for the translated output, resource by resource: the output's intrinsics are evaluated by the
same CloudFormation engine, so any difference is in how tagwarden models the SAM transform.

usage: tools/sam_oracle/compare.py TAGWARDEN SAM_TESTS_DIR [--details FILE]
  SAM_TESTS_DIR: a folder with input/ and output/ (e.g. the corpus copy of
  aws/serverless-application-model's tests/translator).
Per output resource that has tags, or whose tags tagwarden cannot know, or to which tagwarden
gives tags, one verdict:
  equal        the SAM input gives the same tags (values, unknowns, key set);
  not-modelled the SAM input has no resource of that logical id (a resource the transform
               generates and tagwarden does not model yet);
  different    the SAM input has the resource with other tags;
and per resource of tagwarden's for the SAM input that the translation does not have: extra.
Prints the totals and, per verdict, the resource types. Exit 0 (this measures, it does not gate).
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def tags_of(tagwarden, path):
    r = subprocess.run([tagwarden, "tags", path, "--format", "json"], capture_output=True, text=True)
    try:
        doc = json.loads(r.stdout)
    except json.JSONDecodeError:
        return None
    out = {}
    for res in doc.get("resources", []):
        if "variants" in res:
            continue  # undecided conditions: several tag sets, not compared
        tags = {k: (v.get("value") if v.get("known") else None) for k, v in res.get("tags", {}).items()}
        out[res["address"]] = {"type": res["type"], "keys_known": res.get("keys_known", True), "tags": tags,
                               "taggable": res.get("taggable", True) is not False}
    return out


def body_tags(path):
    """Tags an AWS::ApiGatewayV2::Api of the translation carries in its OpenAPI Body (SAM writes
    an HttpApi's tags there: root-level `tags` objects with `x-amazon-apigateway-tag-value`,
    API Gateway Developer Guide, OpenAPI extensions), per logical id; a value that is not a
    literal string is unknown (None)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    out = {}
    for rid, res in (doc.get("Resources") or {}).items():
        props = res.get("Properties") or {}
        body = props.get("Body")
        if res.get("Type") != "AWS::ApiGatewayV2::Api" or "Tags" in props or not isinstance(body, dict):
            continue
        tags = {}
        for t in body.get("tags") or []:
            if isinstance(t, dict) and "x-amazon-apigateway-tag-value" in t:
                v = t["x-amazon-apigateway-tag-value"]
                tags[t.get("name")] = v if isinstance(v, str) else None
        out[rid] = tags
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    tagwarden, root = sys.argv[1], sys.argv[2]
    details_path = sys.argv[sys.argv.index("--details") + 1] if "--details" in sys.argv else None
    counts = collections.Counter()
    types = collections.defaultdict(collections.Counter)
    details = []
    pairs = 0
    scratch = tempfile.mkdtemp(prefix="sam-oracle-")
    for name in sorted(os.listdir(os.path.join(root, "input"))):
        if not name.endswith(".yaml") or name.startswith("error_"):
            continue
        out_path = os.path.join(root, "output", name[:-5] + ".json")
        if not os.path.exists(out_path):
            continue
        in_path = os.path.join(root, "input", name)
        with open(in_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        if not re.search(r"^Transform\s*:", text, re.M):
            # The translator's tests feed the transform directly; a deployed template declares it.
            tmp = os.path.join(scratch, name)
            # After a `%YAML` directive and its `---`, where the document's first key goes.
            head = re.match(r"(?:%[^\n]*\n)+---[^\n]*\n", text)
            at = head.end() if head else 0
            with open(tmp, "w", encoding="utf-8") as f:
                f.write(text[:at] + "Transform: AWS::Serverless-2016-10-31\n" + text[at:])
            in_path = tmp
        sam = tags_of(tagwarden, in_path)
        cfn = tags_of(tagwarden, out_path)
        if sam is None or cfn is None:
            counts["unreadable pair"] += 1
            continue
        pairs += 1
        for address, tags in body_tags(out_path).items():
            if address in cfn and not cfn[address]["tags"]:
                cfn[address]["tags"] = tags
        for address, want in sorted(cfn.items()):
            got = sam.get(address)
            if not want["tags"] and want["keys_known"] and not (got and (got["tags"] or not got["keys_known"])):
                continue  # nothing tagged in the translation, nor by tagwarden
            if got is None:
                verdict = "not-modelled"
            elif got["tags"] == want["tags"] and got["keys_known"] == want["keys_known"]:
                verdict = "equal"
            else:
                verdict = "different"
            counts[verdict] += 1
            types[verdict][want["type"]] += 1
            details.append({"template": name, "address": address, "type": want["type"], "verdict": verdict,
                            "translated": want["tags"], "tagwarden": got["tags"] if got else None})
        for address, got in sorted(sam.items()):
            if address not in cfn and got["taggable"]:
                counts["extra"] += 1
                types["extra"][got["type"]] += 1
                details.append({"template": name, "address": address, "type": got["type"], "verdict": "extra",
                                "translated": None, "tagwarden": got["tags"]})
    compared = sum(counts[v] for v in ("equal", "not-modelled", "different"))
    print(f"sam oracle: {pairs} template pairs; {compared} tagged resources in the translations: "
          f"{counts['equal']} equal, {counts['not-modelled']} not modelled, {counts['different']} different; "
          f"{counts['extra']} resources tagwarden has that the translation does not"
          + (f"; {counts['unreadable pair']} pairs unreadable" if counts["unreadable pair"] else ""))
    for verdict in ("different", "not-modelled", "extra"):
        if types[verdict]:
            top = ", ".join(f"{t} {n}" for t, n in types[verdict].most_common(8))
            print(f"  {verdict}: {top}")
    shutil.rmtree(scratch, ignore_errors=True)
    if details_path:
        with open(details_path, "w") as f:
            json.dump(details, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
