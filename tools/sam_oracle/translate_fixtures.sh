#!/usr/bin/env bash
# Checks SAM fixtures against the real SAM translator: translates each template with the
# translator's Python source (aws/serverless-application-model's samtranslator/, needs boto3,
# pydantic, jsonschema, PyYAML; no network: the Serverless Application Repository call and the
# region are stubbed as in the translator's own tests), then runs compare.py on the pairs.
# usage: SAM_SRC=DIR tools/sam_oracle/translate_fixtures.sh TAGWARDEN TEMPLATE...
#   SAM_SRC: a folder holding samtranslator/ (e.g. a checkout of the repository).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tagwarden="$1"; shift
: "${SAM_SRC:?set SAM_SRC to a folder holding samtranslator/}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/input" "$work/output"
for t in "$@"; do
  name="$(basename "$(dirname "$t")")"
  cp "$t" "$work/input/$name.yaml"
  SAM_SRC="$SAM_SRC" AWS_DEFAULT_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
    python3 - "$t" "$work/output/$name.json" <<'PY'
import json, os, sys
from unittest.mock import MagicMock, patch
sys.path.insert(0, os.environ["SAM_SRC"])
from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse
with open(sys.argv[1]) as f:
    manifest = yaml_parse(f.read())
policies = MagicMock()
policies.load.return_value = {}
def sar(self, call, logical_id, *args):
    return {"TemplateUrl": "https://example.com/template.yaml", "Status": "ACTIVE"}
with patch("boto3.session.Session.region_name", "us-east-1"), \
     patch("samtranslator.translator.arn_generator._get_region_from_session", return_value="us-east-1"), \
     patch("samtranslator.plugins.application.serverless_app_plugin.ServerlessAppPlugin._sar_service_call", sar):
    out = transform(manifest, {}, policies)
with open(sys.argv[2], "w") as f:
    json.dump(out, f, indent=1)
PY
done
"$here/compare.py" "$tagwarden" "$work" --details "$work/details.json"
python3 -c "
import json, sys
for x in json.load(open(sys.argv[1])):
    print(x['verdict'], x['template'], x['address'], x['type'])" "$work/details.json"
