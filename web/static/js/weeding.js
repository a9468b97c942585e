/* The weeding screen (/copies/withdraw): a scanned copy barcode goes on the list (the page's
   own form, sent at once) instead of opening the copy, as it would elsewhere. It is sent as
   `scan`, not as the typed `add`: the server reads a scan as a whole item barcode only, so a
   cut scan is refused instead of read as a short number. */
(function () {
  "use strict";
  var form = document.getElementById("weeding-add");
  if (!form) { return; }
  document.addEventListener("kiosk:scan", function (event) {
    event.preventDefault();
    var scanned = form.querySelector("input[name=scan]");
    if (!scanned) {
      scanned = document.createElement("input");
      scanned.type = "hidden";
      scanned.name = "scan";
      form.appendChild(scanned);
    }
    scanned.value = event.detail.text;
    document.getElementById("weeding-code").value = "";
    form.requestSubmit();
  });
})();
