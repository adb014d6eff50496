#!/usr/bin/env bash
# Make sure Debian's Chromium is present for the browser tests (never a downloaded browser).
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
  exit 0
fi
echo "ERROR: no Chromium at $CHROMIUM and cannot apt-get install it; set CHROMIUM=/path/to/chromium." >&2
exit 1
