/* On-screen numeric keypad for fields marked data-keypad: touch the field, tap the digits. */
(function () {
  "use strict";
  var pad = document.getElementById("keypad");
  if (!pad) { return; }
  var display = document.getElementById("keypad-display");
  var target = null;

  function open(input) {
    target = input;
    display.textContent = input.value;
    pad.hidden = false;
  }

  function close() { pad.hidden = true; target = null; }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !pad.hidden) { close(); }
  });

  document.addEventListener("click", function (event) {
    var input = event.target.closest("[data-keypad]");
    if (input) { open(input); return; }
    var key = event.target.closest(".key");
    if (!key) {
      if (!event.target.closest("#keypad")) { close(); }  // a tap elsewhere puts the keypad away
      return;
    }
    if (!target) { return; }
    var value = key.dataset.key;
    if (value === "back") { target.value = target.value.slice(0, -1); }
    else if (value === "clear") { target.value = ""; }
    else if (value === "ok") {
      pad.hidden = true;
      if (target.form && target.form.classList.contains("typed-code")) { target.form.requestSubmit(); }
      target = null;
      return;
    } else { target.value += value; }
    display.textContent = target.value;
    target.dispatchEvent(new Event("input", { bubbles: true }));  // as typing would (js/sheet_search.js listens)
  });
})();
