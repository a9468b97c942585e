/* The scan check page (/scan): every scan shown big and clear, with a sound and a colour for
   OK and for an error. Keyboard-wedge bursts (wedge.js's `kiosk:scan`) and codes typed by hand
   are posted to POST /scans, which puts them through the same feed as the USB reader's scans
   (double reads dropped, 192 paired); USB scans and the scanner's state come from the event
   stream (usbscans.js's `kiosk:stream`). A scan is shown once, by its sequence number, however
   it arrived. Text from a scan is only ever set with textContent. */
(function () {
  "use strict";
  var root = document.getElementById("scan-check");
  if (!root) { return; }
  var token = document.querySelector("meta[name=csrf-token]").content;
  var $ = function (id) { return document.getElementById(id); };
  var shownSeqs = {};
  var HISTORY = 12;
  // The page's words in its language (scan.html's data-texts); a scan's own text is data.
  var TEXT = JSON.parse(root.dataset.texts);
  var KINDS = TEXT.kinds, USB_STATES = TEXT.usb_states, USB_HINTS = TEXT.usb_hints;
  var feedback = window.kioskFeedback;  // feedback.js

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) { return name in values ? values[name] : whole; });
  }

  // A refusal as the server said it: Japanese, or its English on an English page.
  function errorOf(said) {
    var english = said.error || (said.scan && said.scan.error);
    return (TEXT.english && english) || said.error_ja || said.message_ja || "";
  }

  function yen(n) { return fill(TEXT.yen, {amount: Number(n).toLocaleString(TEXT.locale)}); }

  function details(event) {
    var scan = event.scan || {}, rows = [];
    if (scan.isbn13) { rows.push(["ISBN-13", scan.isbn13]); }
    if (scan.isbn10) { rows.push(["ISBN-10", scan.isbn10]); }
    if (scan.kind === "price_code" && scan.c_code) {
      rows.push([TEXT.list_price, yen(scan.list_price)]);
      rows.push([TEXT.c_code + " " + scan.c_code.code, [scan.c_code.readership, scan.c_code.form, scan.c_code.subject].join(" ／ ")]);
    }
    if (scan.kind === "item") { rows.push([TEXT.number, String(scan.number)]); }
    if (event.action === "attach") {
      var price = event.price_code || {};
      rows.push([TEXT.pair, fill(TEXT.pair_text, {isbn: event.isbn13}) +
                            (price.list_price ? fill(TEXT.pair_price, {price: yen(price.list_price)}) : "")]);
    }
    var by = event.scanner || "";
    rows.push([TEXT.received, by.indexOf("wedge") === 0 ? TEXT.wedge : by.indexOf("camera") === 0 ? TEXT.camera : TEXT.usb]);
    return rows;
  }

  function notice(event) {
    if (event.action === "ask_isbn") { return TEXT.ask_isbn; }
    if (event.scan && event.scan.kind === "magazine") { return TEXT.magazine_note; }
    return "";
  }

  function show(seq, event) {
    if (seq && shownSeqs[seq]) { return; }
    if (seq) { shownSeqs[seq] = true; }
    var failed = Boolean(event.error_ja) || (event.scan && event.scan.kind === "unknown");
    var box = $("last-scan");
    box.className = "last " + (failed ? "error" : "ok");
    $("last-kind").textContent = KINDS[(event.scan || {}).kind] || TEXT.scan;
    $("last-code").textContent = event.text || "";
    var list = $("last-details");
    list.textContent = "";
    details(event).forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0]; dd.textContent = row[1];
      list.appendChild(dt); list.appendChild(dd);
    });
    var error = $("last-error");
    error.textContent = event.error_ja ? errorOf(event) : "";
    error.hidden = !event.error_ja;
    $("last-notice").textContent = notice(event);
    remember(event, failed);
    feedback(!failed);
  }

  function remember(event, failed) {
    var history = $("scan-history"), item = document.createElement("li");
    var when = event.received_at ? new Date(event.received_at).toLocaleTimeString(TEXT.locale) : "";
    item.textContent = [when, KINDS[(event.scan || {}).kind] || "", event.text || "", event.error_ja ? errorOf(event) : ""].join(TEXT.english ? "  " : "　");
    if (failed) { item.className = "failed"; }
    history.insertBefore(item, history.firstChild);
    while (history.children.length > HISTORY) { history.removeChild(history.lastChild); }
  }

  function problem(text) {
    $("last-scan").className = "last error";
    $("last-error").textContent = text;
    $("last-error").hidden = false;
    feedback(false);
  }

  function post(text) {
    return fetch(root.dataset.postUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify({text: text, scanner_id: "wedge"}),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {ok: false, error_ja: TEXT.unreadable}; });
    }).then(function (data) {
      if (data.dropped) { $("last-notice").textContent = TEXT.english ? TEXT.dropped : data.message_ja; return; }
      if (data.event) { show(String(data.seq), data.event); return; }
      problem(data.error_ja ? errorOf(data) : TEXT.refused);
    }).catch(function () { problem(TEXT.send_failed); });
  }

  function showUsbState(event) {
    var box = $("usb-state");
    box.className = "state " + event.state;
    $("usb-state-text").textContent = USB_STATES[event.state] || event.state;
    // The reader's own detail is English, for the log; the screen says what to do.
    $("usb-state-detail").textContent = event.state === "connected" ? fill(TEXT.device, {device: event.device || ""})
                                                                    : USB_HINTS[event.state] || "";
  }

  document.addEventListener("kiosk:scan", function (event) {
    event.preventDefault();  // this page shows scans itself; it does not open the copy
    if (!event.detail.seq) { post(event.detail.text); }  // a USB scan comes with kiosk:stream
  });
  document.addEventListener("kiosk:scan-cut", function (event) {
    event.preventDefault();  // shown here, in the big box, instead of wedge.js's banner
    $("last-kind").textContent = TEXT.scan;
    $("last-code").textContent = "";
    $("last-details").textContent = "";
    $("last-notice").textContent = "";
    problem(event.detail.message);
  });
  document.addEventListener("kiosk:stream", function (event) {
    var data = event.detail.event;
    if (data.type === "scan") { show(event.detail.seq, data); }
    else if (data.type === "scanner") { showUsbState(data); }
    else if (data.type === "missed") { $("last-notice").textContent = TEXT.missed; }
  });
  document.addEventListener("kiosk:stream-state", function (event) {
    $("stream-state-text").textContent = event.detail.connected ? TEXT.connected : TEXT.reconnecting;
  });

  $("typed-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("typed-code");
    if (input.value.trim()) { post(input.value); }
    input.value = "";
  });
})();
