#!/usr/bin/env bash
# Debian packages the kiosk needs to run: a Japanese font for labels (no tofu), the gLabels
# template database of label sheets, lp for cups: printers and ipptool for ipp:// printers.
# With "test": also what the test suite needs: Chromium for the browser tests (driven by
# Playwright with executable_path, never a downloaded browser), zbar to decode every printed
# barcode, poppler to rasterise PDFs, and a CUPS scheduler, ippeveprinter (in cups-ipp-utils)
# and a D-Bus daemon for the private print server the printer tests start on loopback, and
# DejaVu Sans (a font with composite glyphs, for the PDF writer's subsetting test), and faketime
# (a kiosk process whose clock runs ahead of the database server's), and pg_dump (tests copy one
# migrated PostgreSQL schema instead of migrating each test's: tests/conftest.py). With
# "bench": gLabels, which the label benchmark measures the kiosk against.
# Installs only what is missing; needs root or sudo when something is.
set -euo pipefail
packages=(fonts-ipaexfont glabels-data cups-client cups-ipp-utils)
if [ "${1:-}" = test ]; then
  packages+=(chromium zbar-tools poppler-utils cups dbus-daemon fonts-dejavu-core faketime postgresql-client)
fi
if [ "${1:-}" = bench ]; then  # bench/bench_labels.py runs gLabels beside the kiosk
  packages+=(glabels zbar-tools poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "install-system-packages: need root to install ${missing[*]}" >&2; return 1; fi; }
echo "installing ${missing[*]}"
as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
