/* Page-wide keyboard-wedge listener. A scanner in keyboard mode "types" a burst of keys a few
   milliseconds apart and ends it with Enter (or Tab); a person types far slower. A burst is a
   scan wherever focus is: its characters are taken back out of the field they went into, and it
   is dispatched as a cancelable `kiosk:scan` event ({detail: {text}}). A page that handles scans
   (the delivery screen) cancels the event; otherwise the scan opens the copy it names.
   Thresholds: <body data-wedge-gap="40" data-wedge-min="4"> (ms between keys, shortest code). */
(function () {
  "use strict";
  var settings = document.body.dataset;
  var maxGap = Number(settings.wedgeGap || 40);
  var minLength = Number(settings.wedgeMin || 4);
  var buffer = "", last = 0, field = null, fieldStart = null;

  function isTextField(element) {
    return element && (element.tagName === "TEXTAREA" ||
      (element.tagName === "INPUT" && /^(text|search|tel|number|password|)$/i.test(element.type || "")));
  }

  function takeBack(text) {
    if (!field || fieldStart === null || typeof field.value !== "string") { return; }
    var value = field.value;
    if (value.substr(fieldStart, text.length) === text) {
      field.value = value.slice(0, fieldStart) + value.slice(fieldStart + text.length);
    }
  }

  document.addEventListener("keydown", function (event) {
    // When the key arrived, not when this page got round to it: a page busy drawing the last
    // scan must not split the next burst in two.
    var now = event.timeStamp || performance.now();
    var gap = now - last;
    if (event.key === "Enter" || event.key === "Tab") {
      if (buffer.length >= minLength && gap <= maxGap * 2) {
        event.preventDefault();
        event.stopPropagation();
        var text = buffer;
        takeBack(text);
        buffer = "";
        field = null;
        last = 0;  // whatever comes next starts a new burst
        var scan = new CustomEvent("kiosk:scan", {detail: {text: text, at: now}, cancelable: true});
        if (document.dispatchEvent(scan)) {  // nobody on this page took it
          window.location.href = "/copies/?code=" + encodeURIComponent(text);
        }
      }
      buffer = "";
      last = 0;
      return;
    }
    if (event.key.length !== 1 || event.ctrlKey || event.altKey || event.metaKey) { return; }
    if (gap > maxGap) {  // a new burst (or a person) starts here
      buffer = "";
      field = isTextField(document.activeElement) ? document.activeElement : null;
      try { fieldStart = field ? field.selectionStart : null; } catch (e) { fieldStart = null; }
    }
    buffer += event.key;
    last = now;
  }, true);
})();
