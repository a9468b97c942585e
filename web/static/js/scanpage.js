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
  var KINDS = {isbn: "本（ISBN）", price_code: "価格コード（192）", magazine: "雑誌", item: "この図書館の登録番号",
               unknown: "本のバーコードではありません"};
  var USB_STATES = {connected: "接続中", disconnected: "未接続", waiting: "未接続", stopped: "停止"};
  var USB_HINTS = {disconnected: "ケーブルを確かめてください（つなぎ直すと自動で読み取りを再開します）",
                   waiting: "スキャナーをUSBにつないでください", stopped: "キオスクを起動し直してください"};
  var feedback = window.kioskFeedback;  // feedback.js

  function yen(n) { return Number(n).toLocaleString("ja-JP") + "円"; }

  function details(event) {
    var scan = event.scan || {}, rows = [];
    if (scan.isbn13) { rows.push(["ISBN-13", scan.isbn13]); }
    if (scan.isbn10) { rows.push(["ISBN-10", scan.isbn10]); }
    if (scan.kind === "price_code" && scan.c_code) {
      rows.push(["本体価格", yen(scan.list_price)]);
      rows.push(["Cコード " + scan.c_code.code, [scan.c_code.readership, scan.c_code.form, scan.c_code.subject].join(" ／ ")]);
    }
    if (scan.kind === "item") { rows.push(["登録番号", String(scan.number)]); }
    if (event.action === "attach") {
      var price = event.price_code || {};
      rows.push(["組み合わせ", "ISBN " + event.isbn13 + " の本" + (price.list_price ? "（本体 " + yen(price.list_price) + "）" : "")]);
    }
    rows.push(["受信", (event.scanner || "").indexOf("wedge") === 0 ? "キーボード入力" : "USBスキャナー"]);
    return rows;
  }

  function notice(event) {
    if (event.action === "ask_isbn") { return "この本のISBN（上のバーコード）もスキャンしてください"; }
    if (event.scan && event.scan.kind === "magazine") { return "雑誌は貸出用でなければ登録しません"; }
    return "";
  }

  function show(seq, event) {
    if (seq && shownSeqs[seq]) { return; }
    if (seq) { shownSeqs[seq] = true; }
    var failed = Boolean(event.error_ja) || (event.scan && event.scan.kind === "unknown");
    var box = $("last-scan");
    box.className = "last " + (failed ? "error" : "ok");
    $("last-kind").textContent = KINDS[(event.scan || {}).kind] || "スキャン";
    $("last-code").textContent = event.text || "";
    var list = $("last-details");
    list.textContent = "";
    details(event).forEach(function (row) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = row[0]; dd.textContent = row[1];
      list.appendChild(dt); list.appendChild(dd);
    });
    var error = $("last-error");
    error.textContent = event.error_ja || "";
    error.hidden = !event.error_ja;
    $("last-notice").textContent = notice(event);
    remember(event, failed);
    feedback(!failed);
  }

  function remember(event, failed) {
    var history = $("scan-history"), item = document.createElement("li");
    var when = event.received_at ? new Date(event.received_at).toLocaleTimeString("ja-JP") : "";
    item.textContent = [when, KINDS[(event.scan || {}).kind] || "", event.text || "", event.error_ja || ""].join("　");
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
      return response.json().catch(function () { return {ok: false, error_ja: "サーバーの応答が読めませんでした"}; });
    }).then(function (data) {
      if (data.dropped) { $("last-notice").textContent = data.message_ja; return; }
      if (data.event) { show(String(data.seq), data.event); return; }
      problem(data.error_ja || "スキャンを受け付けられませんでした");
    }).catch(function () { problem("送信できませんでした。もう一度スキャンしてください"); });
  }

  function showUsbState(event) {
    var box = $("usb-state");
    box.className = "state " + event.state;
    $("usb-state-text").textContent = USB_STATES[event.state] || event.state;
    // The reader's own detail is English, for the log; the screen says what to do.
    $("usb-state-detail").textContent = event.state === "connected" ? "機器 " + (event.device || "")
                                                                    : USB_HINTS[event.state] || "";
  }

  document.addEventListener("kiosk:scan", function (event) {
    event.preventDefault();  // this page shows scans itself; it does not open the copy
    if (!event.detail.seq) { post(event.detail.text); }  // a USB scan comes with kiosk:stream
  });
  document.addEventListener("kiosk:scan-cut", function (event) {
    event.preventDefault();  // shown here, in the big box, instead of wedge.js's banner
    $("last-kind").textContent = "スキャン";
    $("last-code").textContent = "";
    $("last-details").textContent = "";
    $("last-notice").textContent = "";
    problem(event.detail.message);
  });
  document.addEventListener("kiosk:stream", function (event) {
    var data = event.detail.event;
    if (data.type === "scan") { show(event.detail.seq, data); }
    else if (data.type === "scanner") { showUsbState(data); }
    else if (data.type === "missed") { $("last-notice").textContent = "接続が切れている間のスキャンの一部は表示できません"; }
  });
  document.addEventListener("kiosk:stream-state", function (event) {
    $("stream-state-text").textContent = event.detail.connected ? "接続中" : "再接続中…";
  });

  $("typed-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var input = $("typed-code");
    if (input.value.trim()) { post(input.value); }
    input.value = "";
  });
})();
