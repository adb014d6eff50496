#!/usr/bin/env bash
# Fill Solara's CDN proxy cache from the npm registry so the page works offline.
# usage: fill_solara_cdn.sh CACHE_DIR pkg@ver [pkg@ver ...]
set -euo pipefail
cache=$1; shift
if ! command -v npm >/dev/null 2>&1; then
  echo "NOTE: npm not found; skipping the offline asset cache (the page will need cdn.jsdelivr.net)." >&2
  exit 0
fi
mkdir -p "$cache"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for spec in "$@"; do
  dest="$cache/$spec"
  [ -d "$dest" ] && continue                  # already filled
  tgz=$(cd "$work" && npm pack --silent "$spec" | tail -n1)
  rm -rf "$dest.part"; mkdir -p "$dest.part"
  tar xzf "$work/$tgz" --no-same-owner -C "$dest.part" --strip-components=1
  find "$dest.part" -name '*.map' -delete      # source maps are never requested by the page
  rm -f "$work/$tgz"; mv "$dest.part" "$dest"  # only complete dirs get the final name
done
