#!/usr/bin/env bash
# The differential oracle's recorder: plans a Terraform root module with the real `terraform`
# and AWS provider, offline, and prints each resource's tags as the plan has them (JSON, see
# tools/oracle/README.md). Nothing is written into the project or the user's ~/.terraform.d:
# the project is copied to a scratch folder (named like the project, so basename(path.cwd)
# agrees), HOME and the CLI configuration point into that folder, and every AWS endpoint is
# 127.0.0.1:1, so a call that would need the network fails at once instead of leaving the
# machine.
#
# usage: tools/oracle/plan.sh PROJECT_DIR [COPY_ROOT]
#   COPY_ROOT: the folder copied (default PROJECT_DIR): give an ancestor when the project
#   calls local modules outside itself; PROJECT_DIR is then planned inside the copy.
# env: TF_ORACLE_PLUGINS (default /opt/tf-plugins): a filesystem mirror holding
#   hashicorp/aws; TF_ORACLE_KEEP=1 keeps the scratch folder (printed on stderr).
# exit: 0 recorded; 3 terraform init or plan failed (stderr has terraform's message).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$1" && pwd)"
copy_root="$(cd "${2:-$1}" && pwd)"
case "$project/" in "$copy_root"/*) ;; *) echo "plan.sh: $1 is not inside ${2:-$1}" >&2; exit 2 ;; esac
rel="${project#"$copy_root"}"; rel="${rel#/}"
plugins="${TF_ORACLE_PLUGINS:-/opt/tf-plugins}"

scratch="$(mktemp -d)"
[ "${TF_ORACLE_KEEP:-}" = 1 ] && echo "plan.sh: scratch folder $scratch" >&2 || trap 'rm -rf "$scratch"' EXIT
work="$scratch/$(basename "$copy_root")"
mkdir -p "$work" "$scratch/home"
# The project's own files only: no .terraform folders, state or lock files.
cp -R "$copy_root/." "$work/"
find "$work" -name .terraform -prune -exec rm -rf {} +
find "$work" \( -name 'terraform.tfstate*' -o -name '.terraform.lock.hcl' \) -exec rm -f {} +
root="$work${rel:+/$rel}"

cat > "$scratch/cli.tfrc" <<CFG
provider_installation {
  filesystem_mirror {
    path    = "$plugins"
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
CFG

# Offline provider settings: an override file beside every aws provider block (matched by
# alias, developer.hashicorp.com/terraform/language/files/override), and a plain default
# configuration for a root that has none.
"$here/offline_providers.sh" "$work" "$root"
# A remote backend becomes a local one in the scratch folder (the override replaces the block).
if cat "$root"/*.tf 2>/dev/null | grep -qE '^[[:space:]]*backend[[:space:]]+"'; then
  printf 'terraform {\n  backend "local" {\n    path = "%s/terraform.tfstate"\n  }\n}\n' "$scratch" > "$root/zz_tf_oracle_backend_override.tf"
fi

export HOME="$scratch/home" TF_CLI_CONFIG_FILE="$scratch/cli.tfrc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export AWS_ENDPOINT_URL="http://127.0.0.1:1" AWS_ACCESS_KEY_ID=AKIAORACLEFAKEKEY00 AWS_SECRET_ACCESS_KEY=fake
export AWS_REGION="${AWS_REGION:-us-east-1}" AWS_EC2_METADATA_DISABLED=true
unset TF_PLUGIN_CACHE_DIR TF_DATA_DIR TF_WORKSPACE AWS_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE

cd "$root"
if ! terraform init -input=false -no-color >"$scratch/init.log" 2>&1; then
  grep -A12 "^Error" "$scratch/init.log" | head -40 >&2; exit 3
fi
if ! terraform plan -input=false -no-color -refresh=false -lock=false -out="$scratch/plan.bin" >"$scratch/plan.log" 2>&1; then
  grep -A12 "^Error" "$scratch/plan.log" | head -40 >&2; exit 3
fi
terraform show -json "$scratch/plan.bin" > "$scratch/plan.json"
jq -S -f "$here/plan_tags.jq" "$scratch/plan.json"
