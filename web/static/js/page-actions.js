/* Buttons that act in the page itself, without inline script (the CSP allows none):
   data-action="print" prints the page, data-action="back" goes back a page (or home when
   there is nothing to go back to), and <body data-print-on-load> prints once loaded. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-action]") : null;
    if (!target) { return; }
    if (target.dataset.action === "print") {
      event.preventDefault();
      window.print();
    } else if (target.dataset.action === "back" && window.history.length > 1) {
      event.preventDefault();  // else the link's own href (home) is followed
      window.history.back();
    }
  });

  window.addEventListener("load", function () {
    if (document.body.hasAttribute("data-print-on-load") && window.print) { window.print(); }
  });
})();
