#!/usr/bin/env bash
# The camera scanner's barcode decoder, copied from npm into the kiosk's own static files:
#   web/static/vendor/barcode-detector/barcode-detector.js   the BarcodeDetector polyfill
#       (barcode-detector's IIFE "ponyfill" build: window/self.BarcodeDetectionAPI, no eval)
#   web/static/vendor/barcode-detector/zxing_reader.wasm     the zxing-cpp reader it runs
#   web/static/vendor/barcode-detector/LICENSE-*             the licences that come with them
# The built files are committed: a clean checkout runs the kiosk without npm. Run this only to
# change the decoder's version (camera-decoder/package.json, then `npm install` there once, with
# network, to update package-lock.json). Without network it works once node_modules is there:
#   scripts/build-camera-decoder.sh            npm ci (needs the registry) then copy
#   scripts/build-camera-decoder.sh --offline  copy from the node_modules already installed
set -euo pipefail
cd "$(dirname "$0")/.."
SOURCE=camera-decoder
OUT=web/static/vendor/barcode-detector
if [ "${1:-}" != --offline ]; then
  (cd "$SOURCE" && npm ci --no-audit --no-fund --ignore-scripts)
fi
MODULES=$SOURCE/node_modules
[ -f "$MODULES/barcode-detector/dist/iife/ponyfill.js" ] || {
  echo "build-camera-decoder: $MODULES is not installed (run without --offline, with network, once)" >&2; exit 1; }
mkdir -p "$OUT"
DETECTOR_VERSION=$(node -p "require('./$MODULES/barcode-detector/package.json').version")
ZXING_VERSION=$(node -p "require('./$MODULES/zxing-wasm/package.json').version")
{
  echo "/* barcode-detector $DETECTOR_VERSION (MIT, LICENSE-barcode-detector) with zxing-wasm $ZXING_VERSION"
  echo "   (MIT, LICENSE-zxing-wasm; zxing-cpp, Apache-2.0, LICENSE-zxing-cpp). Built by"
  echo "   scripts/build-camera-decoder.sh from camera-decoder/package-lock.json: do not edit. */"
  cat "$MODULES/barcode-detector/dist/iife/ponyfill.js"
} > "$OUT/barcode-detector.js"
cp "$MODULES/zxing-wasm/dist/reader/zxing_reader.wasm" "$OUT/zxing_reader.wasm"
cp "$MODULES/barcode-detector/LICENSE" "$OUT/LICENSE-barcode-detector"
cp "$MODULES/zxing-wasm/LICENSE" "$OUT/LICENSE-zxing-wasm"
cp /usr/share/common-licenses/Apache-2.0 "$OUT/LICENSE-zxing-cpp" 2>/dev/null || [ -f "$OUT/LICENSE-zxing-cpp" ] || {
  echo "build-camera-decoder: the Apache-2.0 text (zxing-cpp) is not at /usr/share/common-licenses" >&2; exit 1; }
echo "$DETECTOR_VERSION $ZXING_VERSION" > "$OUT/VERSION"
(cd "$OUT" && sha256sum barcode-detector.js zxing_reader.wasm > SHA256SUMS)
echo "build-camera-decoder: barcode-detector $DETECTOR_VERSION, zxing-wasm $ZXING_VERSION → $OUT"
