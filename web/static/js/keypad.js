/* On-screen numeric keypad for fields marked data-keypad: touch the field, tap the digits.
   The pad never covers the field it fills: it goes to the first screen corner where it leaves
   the field free (bottom right, bottom left, top right, top left); when none does (a wide field
   in the middle of a small screen), it stays at the bottom and the page scrolls the field up
   above it (body.keypad-room gives the page the room to scroll). */
(function () {
  "use strict";
  var pad = document.getElementById("keypad");
  if (!pad) { return; }
  var display = document.getElementById("keypad-display");
  var target = null;
  var MARGIN = 12;
  var CORNERS = [["right", "bottom"], ["left", "bottom"], ["right", "top"], ["left", "top"]];

  function open(input) {
    target = input;
    display.textContent = input.value;
    pad.hidden = false;
    place(input);
  }

  function close() {
    pad.hidden = true;
    target = null;
    document.body.classList.remove("keypad-room");
  }

  function corner(sides) {
    ["left", "right", "top", "bottom"].forEach(function (side) { pad.style[side] = ""; });
    pad.style[sides[0]] = MARGIN + "px";
    pad.style[sides[1]] = MARGIN + "px";
  }

  function covers(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function place(input) {
    document.body.classList.remove("keypad-room");
    for (var i = 0; i < CORNERS.length; i++) {
      corner(CORNERS[i]);
      if (!covers(pad.getBoundingClientRect(), input.getBoundingClientRect())) { return; }
    }
    corner(CORNERS[0]);
    document.body.classList.add("keypad-room");
    var below = input.getBoundingClientRect().bottom - (pad.getBoundingClientRect().top - MARGIN);
    if (below > 0) { window.scrollBy(0, below); }
  }

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
      var form = target.form;
      close();
      if (form && form.classList.contains("typed-code")) { form.requestSubmit(); }
      return;
    } else { target.value += value; }
    display.textContent = target.value;
    target.dispatchEvent(new Event("input", { bubbles: true }));  // as typing would (js/sheet_search.js listens)
  });
})();
