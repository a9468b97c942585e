#!/usr/bin/env bash
# One benchmark report: installs what the benches need (the test environment, gLabels and zint as
# the anchors), then runs every benchmark in bench/ and prints one table (bench/run_all.py).
#   scripts/bench.sh [--quick] [--json FILE] [--compare OLD.json] [--runs N] [--only NAME,...]
# PostgreSQL figures appear when KIOSK_TEST_POSTGRES_URL is set. Needs root (or sudo) only when a
# Debian package is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test >/dev/null
bash scripts/install-system-packages.sh bench
if ! command -v zint >/dev/null; then  # zint's CLI: the barcode anchor (bench/bench_barcodes.py)
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq zint >/dev/null || echo "bench: zint not installed, no zint anchor" >&2
  elif command -v sudo >/dev/null; then sudo apt-get install -y -qq zint >/dev/null || echo "bench: zint not installed" >&2
  else echo "bench: zint not installed (needs root), no zint anchor" >&2; fi
fi
exec .venv/bin/python bench/run_all.py "$@"
