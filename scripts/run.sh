#!/usr/bin/env bash
# Set up and start the kiosk on SQLite, at http://localhost:8080/ (Ctrl-C stops it).
# KIOSK_DATABASE_URL / KIOSK_DATA_DIR choose the database; KIOSK_PORT the port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh
scripts/setup.sh
.venv/bin/kiosk init --name "${KIOSK_LIBRARY_NAME:-サンプル小学校図書館}" --if-empty
exec .venv/bin/kiosk serve --host 127.0.0.1 --port "${KIOSK_PORT:-8080}"
