/* One request per tap, on every page: a form posted the ordinary way is sent once. From the
   tap until the next page arrives its buttons are disabled (after this turn: a button disabled
   at once would not send its own name and value) and a second submit is dropped. Back to a
   page the browser kept in memory, the buttons work again. The server refuses a second
   request on its own (see README, "Exactly once"); this only spares staff the refusal. */
(function () {
  "use strict";

  function setBusy(form, busy) {
    form.classList.toggle("busy", busy);
    Array.prototype.forEach.call(form.querySelectorAll("button, input[type=submit]"), function (button) {
      button.disabled = busy;
    });
    if (busy) { form.dataset.sending = "1"; } else { delete form.dataset.sending; }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.method || "").toLowerCase() !== "post") { return; }
    if (form.dataset.sending === "1") { event.preventDefault(); return; }
    form.dataset.sending = "1";
    setTimeout(function () { setBusy(form, true); }, 0);
  });

  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      setBusy(form, false);
    });
  });

  window.kioskOnce = {setBusy: setBusy};
})();
