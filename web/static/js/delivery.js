/* The scan screen: a scan (from the page-wide wedge listener's `kiosk:scan` event, or the
   typed-code field) is posted to the delivery; the reply's row HTML was rendered and escaped
   by the server. Record text is only ever set with textContent here. */
(function () {
  "use strict";
  var list = document.getElementById("items");
  if (!list) { return; }
  var token = document.querySelector("meta[name=csrf-token]").content;
  var message = document.getElementById("message");
  var latestTitle = document.getElementById("latest-title");
  var latestMeta = document.getElementById("latest-meta");
  var counts = document.getElementById("counts");
  var beep = window.kioskFeedback;  // feedback.js

  function send(url, body, isForm) {
    return fetch(url, {
      method: "POST",
      headers: isForm ? {"X-CSRF-Token": token, "Accept": "application/json"}
                      : {"Content-Type": "application/json", "X-CSRF-Token": token, "Accept": "application/json"},
      body: isForm ? body : JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (response) { return response.json(); });
  }

  function placeRow(data) {
    var existing = document.getElementById("item-" + data.item.id);
    var holder = document.createElement("ol");
    holder.innerHTML = data.row; // rendered and escaped by the server's template
    var row = holder.firstElementChild;
    if (existing) { existing.replaceWith(row); } else { list.insertBefore(row, list.firstChild); }
    bind(row);
    if (row.dataset.waiting === "1") { poll(row.dataset.item, 0); }
    return row;
  }

  function showLatest(data) {
    latestTitle.textContent = data.item.title || "…";
    latestMeta.textContent = [data.item.authors, data.item.publisher].filter(Boolean).join(" ／ ");
    if (data.counts) { counts.textContent = data.counts; }
  }

  function scan(code, startedAt) {
    message.textContent = "";
    message.className = "message";
    return send(list.dataset.scanUrl, {code: code}).then(function (data) {
      if (data.ok) {
        placeRow(data); showLatest(data); beep(true);
      } else {
        message.textContent = data.message || "読み取れませんでした";
        message.className = "message error";
        beep(false);
      }
      // For the benchmark and tests: when this scan's book reached the screen.
      document.dispatchEvent(new CustomEvent("kiosk:scanned", {detail: {
        ok: data.ok, startedAt: startedAt, shownAt: performance.now()}}));
    }).catch(function () {
      message.textContent = "送信できませんでした。もう一度スキャンしてください";
      message.className = "message error";
      beep(false);
    });
  }

  function poll(itemId, attempt) {
    if (attempt > 20) { return; }
    setTimeout(function () {
      fetch(list.dataset.itemsUrl.replace("items.json", "items/" + itemId), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (data.item && data.item.title) {
            placeRow(data);
            if (list.firstElementChild && list.firstElementChild.dataset.item === String(itemId)) { showLatest(data); }
          } else { poll(itemId, attempt + 1); }
        });
    }, 500 + attempt * 250);
  }

  function bind(row) {
    Array.prototype.forEach.call(row.querySelectorAll("form.actions button"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var form = new FormData(button.form);
        form.append(button.name, button.value);
        send(button.form.action, form, true).then(function (data) {
          if (data.removed) { row.remove(); location.reload(); return; }
          if (data.ok) { placeRow(data); if (data.counts) { counts.textContent = data.counts; } }
        });
      });
    });
  }

  Array.prototype.forEach.call(list.children, function (row) {
    bind(row);
    if (row.dataset.waiting === "1") { poll(row.dataset.item, 0); }
  });

  var typed = document.querySelector("form.typed-code");
  if (typed) {
    typed.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = typed.querySelector("input[name=code]");
      if (input.value) { scan(input.value); input.value = ""; }
    });
  }

  document.addEventListener("kiosk:scan", function (event) {
    event.preventDefault(); // this page handles the scan itself
    scan(event.detail.text, event.detail.at);
  });
  window.kioskDeliveryScan = scan;
})();
