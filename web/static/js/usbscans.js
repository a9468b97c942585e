/* Scans from the USB scanner (read by the kiosk, not typed into the page) arrive as server-sent
   events and are handed to the page like wedge scans: a cancelable `kiosk:scan` event. The
   header shows whether the scanner is connected. Every event also goes out as `kiosk:stream`
   ({detail: {seq, event}}) and the connection's state as `kiosk:stream-state`
   ({detail: {connected}}), for a page that shows everything (the /scan page). Scans a page
   posted itself (scanner "wedge…", or a camera's "camera…") were handled by that page: they are not handed on again.
   A USB scan's `kiosk:scan` carries its sequence number (detail.seq): the delivery screen posts
   that number, and the server takes the scan as its feed parsed and paired it. */
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var state = document.getElementById("scanner-state");

  function tell(name, detail) { document.dispatchEvent(new CustomEvent(name, {detail: detail})); }

  function listen() {
    // Resume after the last scan this tab saw, so a scan made while a page loads is not lost.
    var seen = window.sessionStorage.getItem("kiosk-scan-seq");
    var source = new EventSource("/scans/stream" + (seen ? "?after=" + encodeURIComponent(seen) : ""));
    source.onopen = function () { tell("kiosk:stream-state", {connected: true}); };
    source.onerror = function () { tell("kiosk:stream-state", {connected: false}); };  // EventSource retries by itself
    source.onmessage = function (message) {
      if (message.lastEventId) { window.sessionStorage.setItem("kiosk-scan-seq", message.lastEventId); }
      var event = JSON.parse(message.data);
      tell("kiosk:stream", {seq: event.type === "scan" ? message.lastEventId : null, event: event});
      if (event.type === "scanner" && state) {
        state.textContent = event.state === "connected" ? state.dataset.connected : state.dataset.disconnected;  // base.html
        state.className = "scanner " + event.state;
        return;
      }
      if (event.type !== "scan" || /^(wedge|camera)/.test(event.scanner || "")) { return; }
      var scan = new CustomEvent("kiosk:scan", {detail: {text: event.text, at: performance.now(), seq: message.lastEventId},
                                                cancelable: true});
      if (document.dispatchEvent(scan)) {
        window.location.href = "/copies/?scan=" + encodeURIComponent(event.text);  // a scan: read as a whole barcode
      }
    };
  }

  // Only once every script of the page has run: a scan replayed at once must find the page's
  // own handler (else it would open the copy instead), and its listeners must hear the open.
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", listen); } else { listen(); }
})();
