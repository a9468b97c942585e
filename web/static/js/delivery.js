/* The delivery screens.

   One request per tap: every button that changes something is disabled from the tap until its
   answer comes (then the row is replaced, or the button given back), so a double tap sends one
   request. Forms posted the ordinary way (a typed record, 登録, a slip line) are sent once.

   The scan screen: a scan (the page-wide wedge listener's `kiosk:scan` event, a USB scan from
   usbscans.js's, the typed-code field, or the codes of one camera look from camera.js) is posted
   to the delivery; the reply is the one copy
   that changed, its row HTML rendered and escaped by the server, and the delivery's counts. The list shows one page
   (the newest copies); a row whose lookup is still running is polled until the lookup ends.
   Record text is only ever set with textContent here. */
(function () {
  "use strict";

  /* once.js (loaded on every page by base.html) guards ordinary form posts; its setBusy
     disables a row's buttons while a tap's fetch is answered. */
  var setBusy = window.kioskOnce.setBusy;

  var list = document.getElementById("items");
  if (!list) { return; }
  var token = document.querySelector("meta[name=csrf-token]").content;
  var message = document.getElementById("message");
  var latestTitle = document.getElementById("latest-title");
  var latestMeta = document.getElementById("latest-meta");
  var counts = document.getElementById("counts");
  var pager = document.getElementById("pager");
  var onFirstPage = list.dataset.page === "1";
  var perPage = parseInt(list.dataset.perPage, 10) || 50;
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

  function say(text, isError) {
    message.textContent = text || "";
    message.className = isError ? "message error" : "message";
  }

  function rowFrom(html) {
    var holder = document.createElement("ol");
    holder.innerHTML = html; // rendered and escaped by the server's template
    return holder.firstElementChild;
  }

  /* Put the answer's row on the list: in place of its old row, or on top (first page only,
     which keeps its page length: the oldest row goes to the next page). */
  function placeRow(data) {
    var existing = document.getElementById("item-" + data.item.id);
    var row = rowFrom(data.row);
    if (existing) {
      existing.replaceWith(row);
    } else if (onFirstPage) {
      list.insertBefore(row, list.firstChild);
      if (list.children.length > perPage) {
        list.removeChild(list.lastElementChild);
        pager.hidden = false;
        document.getElementById("pager-older").hidden = false;
        document.getElementById("pager-where").hidden = true;  // the counts above say the total
      }
    } else {
      say(list.dataset.elsewhere, false);
      return null;
    }
    bind(row);
    watch(row);
    return row;
  }

  /* The big panel says what the newest row says: its title, or its lookup's one state
     (searching, then found / not found) as the row's title slot words it. */
  function showLatest(data) {
    var slot = data.item.title ? null : rowFrom(data.row).querySelector(".title");
    latestTitle.textContent = data.item.title || (slot && slot.textContent.trim()) || list.dataset.searching;
    latestMeta.textContent = [data.item.authors, data.item.publisher].filter(Boolean).join(" ／ ");
    if (data.counts) { counts.textContent = data.counts; }
  }

  /* A USB scan (it came from the stream with its sequence number) is posted as that number:
     the server takes the scan as its feed parsed and paired it. A wedge burst or a typed code is
     posted as its text. */
  function scan(code, startedAt, seq) {
    return post(seq ? {seq: Number(seq)} : {code: code}, startedAt);
  }

  /* The codes the camera (camera.js) counted in one look: a book's ISBN and its 192 code go
     together, as one scan; the reply is the copy, with the price the 192 code gave. */
  function cameraLook(codes, scannerId, startedAt) {
    return post({camera: codes, scanner_id: scannerId}, startedAt);
  }

  function post(body, startedAt) {
    say("", false);
    return send(list.dataset.scanUrl, body).then(function (data) {
      if (data.ok) {
        placeRow(data); showLatest(data); beep(true);
      } else {
        say(data.message || list.dataset.unreadable, true);
        beep(false);
      }
      // For the benchmark and tests: when this scan's book reached the screen.
      document.dispatchEvent(new CustomEvent("kiosk:scanned", {detail: {
        ok: data.ok, startedAt: startedAt, shownAt: performance.now()}}));
    }).catch(function () {
      say(list.dataset.scanFailed, true);
      beep(false);
    });
  }

  function itemUrl(itemId) {
    return list.dataset.itemsUrl.replace("items.json", "items/" + itemId);
  }

  /* A row whose lookup is running is asked about again until the lookup ends (found, not
     found, or given up) or staff type the record; a lookup that takes long is said on the row
     with the typed form, and its late answer still fills the row in. */
  function watch(row) {
    if (row.dataset.waiting === "1" && !row.dataset.watched) {
      row.dataset.watched = "1";
      poll(row.dataset.item, 0);
    }
  }

  function poll(itemId, attempt) {
    if (attempt > 400) { return; }  // 20 minutes: the row keeps saying it takes long
    setTimeout(function () {
      var row = document.getElementById("item-" + itemId);
      if (!row || row.dataset.waiting !== "1") { return; }
      fetch(itemUrl(itemId), {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json(); })
        .then(function (data) {
          var current = document.getElementById("item-" + itemId);
          if (!data.ok || !data.item || !current || current.dataset.waiting !== "1") { return; }
          if (!data.item.title && data.lookup === current.dataset.lookup) { poll(itemId, attempt + 1); return; }
          if (!data.item.title && typing(current)) {
            updateState(current, rowFrom(data.row));  // keep what staff are typing
          } else {
            placeRow(data);
          }
          if (list.firstElementChild && list.firstElementChild.dataset.item === String(itemId)) {
            showLatest(data);
          }
          var now = document.getElementById("item-" + itemId);
          if (now && now.dataset.waiting === "1") { poll(itemId, attempt + 1); }
        })
        .catch(function () { poll(itemId, attempt + 1); });
    }, Math.min(500 + attempt * 250, 3000));
  }

  function typing(row) {
    var inputs = row.querySelectorAll("form.compact input:not([type=hidden])");
    return row.contains(document.activeElement) ||
      Array.prototype.some.call(inputs, function (input) { return input.value !== ""; });
  }

  function updateState(row, fresh) {
    row.querySelector(".title").replaceWith(fresh.querySelector(".title"));
    row.dataset.waiting = fresh.dataset.waiting;
    row.dataset.lookup = fresh.dataset.lookup;
  }

  function bind(row) {
    Array.prototype.forEach.call(row.querySelectorAll("form.actions button"), function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var form = button.form;
        if (form.dataset.sending === "1") { return; }
        var body = new FormData(form);
        body.append(button.name, button.value);
        setBusy(form, true);  // until the answer: a second tap sends nothing
        send(form.action, body, true).then(function (data) {
          if (data.removed) {
            var wasNewest = list.firstElementChild === row;
            row.remove();
            if (wasNewest) { latestTitle.textContent = ""; latestMeta.textContent = ""; }
            if (data.counts) { counts.textContent = data.counts; }
            return;
          }
          if (data.ok) {
            placeRow(data);
            if (data.counts) { counts.textContent = data.counts; }
          } else {
            say(data.message, true);
            setBusy(form, false);
          }
        }).catch(function () {
          say(list.dataset.sendFailed, true);
          setBusy(form, false);
        });
      });
    });
  }

  Array.prototype.forEach.call(list.children, function (row) {
    bind(row);
    watch(row);
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
    scan(event.detail.text, event.detail.at, event.detail.seq);
  });
  window.kioskDeliveryScan = scan;
  window.kioskDeliveryCameraLook = cameraLook;
})();
