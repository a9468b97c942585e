#!/usr/bin/env bash
# Create .venv with Python >= 3.11 and install the kiosk into it.
#   scripts/setup.sh          the kiosk
#   scripts/setup.sh test     the kiosk and its test tools
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

PYTHON=$(find_python) || { echo "setup: Python 3.11 or newer is needed (apt-get install python3)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    echo "setup: installing python3-venv"
    as_root apt-get update -qq && as_root apt-get install -y -qq python3-venv
    rm -rf .venv && "$PYTHON" -m venv .venv
  fi
fi
.venv/bin/python -m pip install -q --upgrade pip
TARGET=.
[ "${1:-}" = test ] && TARGET='.[test]'
# setuptools' "compat" editable mode puts the checkout on sys.path with a plain .pth line; the
# default mode's import hook costs every `kiosk` command ~25 ms before it starts. Compat is
# marked transitional: where a later setuptools drops it, the default mode is used.
.venv/bin/python -m pip install -q --config-settings editable_mode=compat -e "$TARGET" 2>/dev/null \
  || .venv/bin/python -m pip install -q -e "$TARGET"
