/* The camera as a scanner (templates/camera/_panel.html): the カメラ button opens the front or
   back camera (the choice remembered in localStorage) in a panel at the screen's edge, beside the
   copy's card. Each new video frame goes to camera-worker.js, which decodes it (the browser's
   BarcodeDetector, else the bundled polyfill) and measures its sharpness; camera-looks.js says
   which codes count (read the same in two frames; again only after the book left the frame).

   The panel says what it sees: ピントが合っていません (a frame too blurred to trust: none of its
   codes is used), バーコードが見つかりません, 読み取り中… (a code read once, not yet counted).

   What a look does depends on the page (data-mode):
   - "delivery": its codes are posted together to the delivery (delivery.js's
     kioskDeliveryCameraLook: a book's ISBN and 192 code as one scan, with a beep and a flash);
   - "find": the code is handed to the page like any scanned barcode (a `kiosk:scan` event; not
     taken, it opens the copy it names); the camera opens again by itself on the next page of
     this tab.
   For the benchmark and the tests: window.kioskCamera.stats (frames decoded, decode time) and a
   `kiosk:camera-look` event per look ({codes, enteredAfter: the time of the last frame without a
   code before it, seenAt}). */
(function () {
  "use strict";
  var panel = document.getElementById("camera-panel");
  var openButton = document.getElementById("camera-open");
  if (!panel || !openButton) { return; }
  var video = document.getElementById("camera-video");
  var status = document.getElementById("camera-status");
  var FACING_KEY = "kiosk-camera-facing", OPEN_KEY = "kiosk-camera-open", ID_KEY = "kiosk-camera-id";
  var LAST_KEY = "kiosk-camera-last";  // the code that opened this page: not counted again while in view
  var texts = panel.dataset;
  var sharpnessMin = Number(texts.sharpnessMin) || 60, flatMax = Number(texts.flatMax) || 15;
  // One frame at a time: the next is grabbed when the worker answers. (Two in flight, the next
  // waiting while one is decoded, gave no more frames a second on two cores, and the look's
  // frame waited longer: bench/bench_camera.py, docs/camera.md.)
  var IN_FLIGHT = 1;
  var stream = null, worker = null, workerReady = false, inFlight = 0, newFrame = false, frameId = 0;
  var looks = null, lastEmptyAt = null, running = false;
  var stats = {frames: 0, decodeMs: 0, started: null, decoder: "", looks: 0};

  function scannerId() {
    var id = window.sessionStorage.getItem(ID_KEY);
    if (!id) {
      id = "camera-" + Math.random().toString(36).slice(2, 8);
      window.sessionStorage.setItem(ID_KEY, id);
    }
    return id;
  }

  function say(text, kind) {
    if (status.textContent !== text) { status.textContent = text; }
    status.className = "camera-status" + (kind ? " " + kind : "");
  }

  function facing() { return window.localStorage.getItem(FACING_KEY) || "environment"; }

  function startWorker() {
    if (worker) { return; }
    worker = new Worker(texts.worker);
    worker.onmessage = function (message) {
      var data = message.data;
      if ("ready" in data) {
        workerReady = data.ready;
        stats.decoder = panel.dataset.decoder = data.decoder || "";
        if (!data.ready) { say(texts.decoderFailed, "error"); }
        return;
      }
      inFlight = Math.max(0, inFlight - 1);
      if (data.error) { say(texts.decoderFailed, "error"); return; }
      seen(data);
    };
    worker.postMessage({setup: {decoder: new URL(texts.decoder, document.baseURI).href,
                                wasm: new URL(texts.wasm, document.baseURI).href}});
  }

  function open() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      panel.hidden = false;
      say(window.isSecureContext ? texts.noCamera : texts.insecure, "error");
      return;
    }
    panel.hidden = false;
    openButton.hidden = true;
    document.body.classList.add("camera-on");
    window.sessionStorage.setItem(OPEN_KEY, "1");
    say(texts.starting, "");
    startWorker();
    stop();
    navigator.mediaDevices.getUserMedia({audio: false, video: {
      facingMode: facing(), width: {ideal: 1280}, height: {ideal: 720}}}).then(function (got) {
      stream = got;
      video.srcObject = got;
      return video.play();
    }).then(function () {
      looks = new window.kioskCameraLooks({absentFrames: 3, absentMs: Number(texts.absentMs) || 0});
      var last = window.sessionStorage.getItem(LAST_KEY);
      if (last) { looks.remember(JSON.parse(last), performance.now()); }
      lastEmptyAt = performance.now();
      running = true;
      stats.started = performance.now();
      watchFrames();
    }).catch(function () { say(texts.noCamera, "error"); });
  }

  function stop() {
    running = false;
    if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
    stream = null;
  }

  function close() {
    stop();
    video.srcObject = null;
    panel.hidden = true;
    openButton.hidden = false;
    document.body.classList.remove("camera-on");
    window.sessionStorage.removeItem(OPEN_KEY);
    window.sessionStorage.removeItem(LAST_KEY);
  }

  // Each new frame of the video, once: a frame decoded twice would count as two reads.
  function watchFrames() {
    if (!running) { return; }
    if (video.requestVideoFrameCallback) {
      video.requestVideoFrameCallback(function () { newFrame = true; grab(); watchFrames(); });
    } else {
      newFrame = true; grab();
      setTimeout(watchFrames, 33);
    }
  }

  function grab() {
    if (!running || inFlight >= IN_FLIGHT || !newFrame || !workerReady || video.readyState < 2 || document.hidden) {
      return;
    }
    inFlight += 1; newFrame = false;
    var at = performance.now(), id = ++frameId;
    createImageBitmap(video).then(function (frame) {
      worker.postMessage({id: id, at: at, frame: frame}, [frame]);
    }, function () { inFlight -= 1; });
  }

  function seen(result) {
    stats.frames += 1;
    stats.decodeMs += result.ms || 0;
    if (!running) { return; }
    var blurred = result.sharpness < sharpnessMin;  // too blurred to trust any code of it
    var flat = result.contrast < flatMax;  // nothing in view to focus on
    var look = looks.see(blurred ? [] : result.codes, result.at);
    if (blurred && !flat) {
      say(texts.blurred, "warn");
    } else if (look.codes.length) {
      say(texts.read, "ok");
      took(look.codes, lastEmptyAt, result.at);
    } else if (look.waiting) {
      say(texts.askIsbn, "warn");
    } else if (look.inView && !blurred) {
      say(texts.reading, "");
    } else {
      say(texts.noCode, "");
    }
    if (!look.inView) { lastEmptyAt = result.at; }
    if (newFrame) { grab(); }
  }

  function took(codes, enteredAfter, seenAt) {
    stats.looks += 1;
    document.dispatchEvent(new CustomEvent("kiosk:camera-look", {detail: {
      codes: codes, enteredAfter: enteredAfter, seenAt: seenAt}}));
    if (texts.mode === "delivery" && window.kioskDeliveryCameraLook) {
      window.kioskDeliveryCameraLook(codes, scannerId(), enteredAfter);
      return;
    }
    var chosen = codes.filter(function (c) { return c.format !== "ean_13"; })[0] || codes[0];
    var scan = new CustomEvent("kiosk:scan", {detail: {text: chosen.text, at: enteredAfter, camera: true},
                                              cancelable: true});
    if (document.dispatchEvent(scan)) {  // nobody on this page took it: open the copy it names
      stop();
      if (window.kioskFeedback) { window.kioskFeedback(true); }  // the beep and flash of any scan
      window.sessionStorage.setItem(LAST_KEY, JSON.stringify(chosen));
      window.location.href = "/copies/?scan=" + encodeURIComponent(chosen.text);
    }
  }

  openButton.addEventListener("click", open);
  document.getElementById("camera-close").addEventListener("click", close);
  document.getElementById("camera-switch").addEventListener("click", function () {
    window.localStorage.setItem(FACING_KEY, facing() === "environment" ? "user" : "environment");
    open();
  });
  document.addEventListener("visibilitychange", function () { if (!document.hidden && running) { grab(); } });
  window.addEventListener("pagehide", stop);
  window.kioskCamera = {stats: stats, open: open, close: close};
  if (window.sessionStorage.getItem(OPEN_KEY) === "1") { open(); }  // it was open on the last page
})();
