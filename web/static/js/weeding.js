/* The weeding screen (/copies/withdraw): a scanned copy barcode goes on the list (the page's
   own form, sent at once) instead of opening the copy, as it would elsewhere. */
(function () {
  "use strict";
  var form = document.getElementById("weeding-add");
  if (!form) { return; }
  document.addEventListener("kiosk:scan", function (event) {
    event.preventDefault();
    document.getElementById("weeding-code").value = event.detail.text;
    form.requestSubmit();
  });
})();
