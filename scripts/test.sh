#!/usr/bin/env bash
# Set up and run the whole test suite. Extra arguments go to pytest.
# PostgreSQL tests run when KIOSK_TEST_POSTGRES_URL is set (.ci/run sets it), else are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh test
scripts/setup.sh test
exec .venv/bin/python -m pytest "$@"
