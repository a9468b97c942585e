/* The camera scanner's decoder, off the page's thread (camera.js sends it frames).

   Each message is one video frame ({id, frame: ImageBitmap, at}); the answer is what it holds:
   {id, at, codes: [{text, format}], sharpness, contrast, ms}. Decoding is the browser's own BarcodeDetector
   where it reads the kiosk's formats, else the bundled polyfill (barcode-detector over
   zxing-wasm, web/static/vendor/barcode-detector: loaded from the kiosk itself, its .wasm too,
   never from a CDN). Sharpness is the variance of the Laplacian of the frame shrunk to 320
   pixels wide in grey: low means blurred (camera.js says ピントが合っていません and uses no code
   from such a frame); contrast the grey levels' standard deviation (low: nothing in view).

   The first message is {setup: {decoder, wasm}}: the polyfill's and its .wasm's URLs. */
"use strict";

var FORMATS = ["ean_13", "codabar", "code_39", "code_128"];
var SMALL_WIDTH = 320;
var detector = null, decoderName = "", small = null, smallContext = null, failure = null;

function setUp(urls) {
  var ready;
  if (typeof self.BarcodeDetector === "function" && self.BarcodeDetector.getSupportedFormats) {
    ready = self.BarcodeDetector.getSupportedFormats().then(function (formats) {
      var missing = FORMATS.filter(function (f) { return formats.indexOf(f) < 0; });
      return missing.length ? polyfill(urls) : {Detector: self.BarcodeDetector, name: "native"};
    }, function () { return polyfill(urls); });
  } else {
    ready = Promise.resolve(polyfill(urls));
  }
  return ready.then(function (chosen) {
    detector = new chosen.Detector({formats: FORMATS});
    decoderName = chosen.name;
    if (chosen.prepare) { return chosen.prepare(); }
  });
}

function polyfill(urls) {
  importScripts(urls.decoder);
  var api = self.BarcodeDetectionAPI;
  // The .wasm from the kiosk, not from the CDN the polyfill would ask by default.
  api.setZXingModuleOverrides({
    locateFile: function (path, prefix) { return /\.wasm$/.test(path) ? urls.wasm : prefix + path; }
  });
  return {Detector: api.BarcodeDetector, name: "polyfill",
          prepare: function () { return api.prepareZXingModule({fireImmediately: true}); }};
}

function sharpness(frame) {
  var width = SMALL_WIDTH, height = Math.max(1, Math.round(frame.height * SMALL_WIDTH / frame.width));
  if (!small || small.height !== height) {
    small = new OffscreenCanvas(width, height);
    smallContext = small.getContext("2d", {willReadFrequently: true});
  }
  smallContext.drawImage(frame, 0, 0, width, height);
  var rgba = smallContext.getImageData(0, 0, width, height).data;
  var grey = new Float32Array(width * height);
  for (var i = 0, p = 0; i < grey.length; i += 1, p += 4) {
    grey[i] = 0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2];
  }
  var sum = 0, sumSquares = 0, n = 0;
  for (var y = 1; y < height - 1; y += 1) {
    for (var x = 1; x < width - 1; x += 1) {
      var at = y * width + x;
      var laplacian = grey[at - 1] + grey[at + 1] + grey[at - width] + grey[at + width] - 4 * grey[at];
      sum += laplacian; sumSquares += laplacian * laplacian; n += 1;
    }
  }
  var mean = n ? sum / n : 0, greySum = 0, greySquares = 0;
  for (var j = 0; j < grey.length; j += 1) { greySum += grey[j]; greySquares += grey[j] * grey[j]; }
  var greyMean = greySum / grey.length;
  return {sharpness: n ? sumSquares / n - mean * mean : 0,
          contrast: Math.sqrt(Math.max(0, greySquares / grey.length - greyMean * greyMean))};
}

var setup = null;
self.onmessage = function (message) {
  var data = message.data;
  if (data.setup) {
    setup = setUp(data.setup).then(function () {
      self.postMessage({ready: true, decoder: decoderName});
    }, function (error) {
      failure = String(error && error.message || error);
      self.postMessage({ready: false, error: failure});
    });
    return;
  }
  queue = queue.then(function () { return decode(data); });  // one frame at a time, in order
};

var queue = Promise.resolve();
function decode(data) {
  var frame = data.frame, started = performance.now();
  return setup.then(function () {
    if (failure) { throw new Error(failure); }
    var measured = sharpness(frame);
    return detector.detect(frame).then(function (found) {
      return {sharpness: measured.sharpness, contrast: measured.contrast, codes: found.map(function (code) { return {text: code.rawValue, format: code.format}; })};
    });
  }).then(function (result) {
    frame.close();
    self.postMessage({id: data.id, at: data.at, codes: result.codes, sharpness: result.sharpness,
                      contrast: result.contrast, ms: performance.now() - started});
  }, function (error) {
    if (frame.close) { frame.close(); }
    self.postMessage({id: data.id, at: data.at, error: String(error && error.message || error)});
  });
}
