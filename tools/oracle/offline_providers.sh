#!/usr/bin/env bash
# Makes the aws provider configurations of a copied Terraform tree plan offline: beside every
# `provider "aws"` block (by its alias) an override file adds fake credentials and the skip_*
# settings; a root module without a default aws configuration gets one with only those.
# Override files merge into the blocks they match (developer.hashicorp.com/terraform/language/
# files/override); these settings do not change any tag.
# usage: offline_providers.sh TREE ROOT_MODULE_DIR
set -euo pipefail
tree="$1"; root="$2"
settings='  access_key                  = "AKIAORACLEFAKEKEY00"
  secret_key                  = "fake"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  max_retries                 = 1'
# dir<TAB>alias ("" for the default configuration) for every provider "aws" block.
blocks="$(find "$tree" -name '*.tf' ! -name '*_override.tf' ! -name 'override.tf' -print0 |
  xargs -0 -r awk '
    FNR == 1 { depth = 0; inblock = 0 }
    {
      line = $0
      if (!inblock && line ~ /^[[:space:]]*provider[[:space:]]+"?aws"?[[:space:]]*\{/) { inblock = 1; depth = 0; alias = "" }
      if (inblock) {
        if (match(line, /^[[:space:]]*alias[[:space:]]*=[[:space:]]*"[^"]+"/)) {
          a = substr(line, RSTART, RLENGTH); sub(/^[^"]*"/, "", a); sub(/"$/, "", a)
          if (depth == 1) alias = a
        }
        n = split(line, ch, "")
        for (i = 1; i <= n; i++) { if (ch[i] == "{") depth++; else if (ch[i] == "}") depth-- }
        if (depth <= 0) { d = FILENAME; sub(/\/[^\/]*$/, "", d); print d "\t" alias; inblock = 0 }
      }
    }' | sort -u)"
while IFS=$'\t' read -r dir alias; do
  [ -n "$dir" ] || continue
  {
    echo "provider \"aws\" {"
    [ -n "$alias" ] && echo "  alias                       = \"$alias\""
    echo "$settings"
    echo "}"
  } >> "$dir/zz_tf_oracle_override.tf"
done <<< "$blocks"
if ! grep -qP "^\Q$root\E\t$" <<< "$blocks"; then
  printf 'provider "aws" {\n%s\n}\n' "$settings" > "$root/zz_tf_oracle_provider.tf"
fi
