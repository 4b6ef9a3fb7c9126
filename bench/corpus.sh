# Sourced by bench scripts: sets `corpus` to the shared corpus, from TAGWARDEN_CORPUS or beside
# the checkout (../shared/corpus, or ../../shared/corpus for a git worktree under a folder).
for c in "${TAGWARDEN_CORPUS:-}" "$root/../shared/corpus" "$root/../../shared/corpus"; do
  if [ -n "$c" ] && [ -d "$c" ]; then corpus="$(realpath "$c")"; break; fi
done
[ -n "${corpus:-}" ] || { echo "bench: the shared corpus was not found (set TAGWARDEN_CORPUS)" >&2; exit 2; }
