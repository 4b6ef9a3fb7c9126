#!/usr/bin/env bash
# Every .tagwarden.yaml under fixtures/ must validate against docs/tagwarden-config.schema.json,
# except those under a `bad/` folder, which must not (the schema and tagwarden's reader agree
# on both). Installs the pinned validator (tools/config-schema, npm ci) into a cache folder.
# usage: validate_config_schema.sh ROOT CACHE_DIR
set -u
root="$1"; cache="$2"
tool="$root/tools/config-schema"
stamp="$cache/node_modules/.tagwarden-lock"
if [ ! -f "$stamp" ] || ! cmp -s "$tool/package-lock.json" "$stamp"; then
  mkdir -p "$cache"
  cp "$tool/package.json" "$tool/package-lock.json" "$cache/"
  (cd "$cache" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci failed"; exit 1; }
  cp "$tool/package-lock.json" "$stamp"
fi
status=0
good=(); bad=()
while IFS= read -r f; do
  case "$f" in */bad/*) bad+=("$f") ;; *) good+=("$f") ;; esac
done < <(find "$root/fixtures" -name .tagwarden.yaml | sort)
[ "${#good[@]}" -gt 0 ] && [ "${#bad[@]}" -gt 0 ] || { echo "no configuration fixtures found"; exit 1; }
NODE_PATH="$cache/node_modules" node "$tool/validate.js" "$root/docs/tagwarden-config.schema.json" "${good[@]}" || status=1
for f in "${bad[@]}"; do
  NODE_PATH="$cache/node_modules" node "$tool/validate.js" "$root/docs/tagwarden-config.schema.json" "$f" >/dev/null
  case $? in
    1) echo "$f: invalid, as expected" ;;
    0) echo "$f: valid, but tagwarden rejects it"; status=1 ;;
    *) echo "$f: could not be validated"; status=1 ;;
  esac
done
exit $status
