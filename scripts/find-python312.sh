#!/usr/bin/env bash
# Print the absolute path of a working Python 3.12, or explain and exit 1.
# Runs each candidate, so a broken pyenv shim is skipped.
set -u
try() {  # prints sys.executable only if "$1" runs and is 3.12
  "$1" -c 'import sys; assert sys.version_info[:2] == (3, 12); print(sys.executable)' 2>/dev/null
}
for c in "${PYTHON312:-}" python3.12; do
  [ -n "$c" ] && try "$c" && exit 0
done
root=${PYENV_ROOT:-$HOME/.pyenv}
for p in $(ls -d "$root"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -rV); do
  try "$p" && exit 0
done
for p in /usr/bin/python3.12 /usr/local/bin/python3.12; do
  [ -x "$p" ] && try "$p" && exit 0
done
echo "ERROR: no working Python 3.12 (Mesa 3.5.1 needs >=3.12). Tried \$PYTHON312, python3.12 on PATH," \
     "$root/versions/3.12.*, /usr/bin and /usr/local/bin. Install 3.12 or set PYTHON312=/path/to/python3.12." >&2
exit 1
