/* 設定 → ラベル用紙を袋の品番で探す: typing (or the keypad) lists the matching sheets below the
   field; tapping one shows its layout to scale with the buttons that choose it. Without this
   script the same search and card open as pages of their own. */
(function () {
  "use strict";
  var field = document.getElementById("sheet-query");
  if (!field) { return; }
  var results = document.getElementById("sheet-results");
  var timer = null;
  var asked = 0;

  function show(url, into) {
    var mine = ++asked;
    fetch(url + (url.indexOf("?") < 0 ? "?" : "&") + "partial=1", { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.text();
      })
      .then(function (html) { if (mine === asked) { into.innerHTML = html; } })
      .catch(function () {
        if (mine === asked) { into.textContent = results.dataset.failed; }  // settings.html, in the page's language
      });
  }

  function search() {
    var query = field.value.trim();
    if (!query) { asked++; results.innerHTML = ""; return; }
    show(field.form.action + "?q=" + encodeURIComponent(query), results);
  }

  field.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 250);
  });
  field.form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    search();
  });
  results.addEventListener("click", function (event) {
    var pick = event.target.closest("a.sheet-pick");
    if (!pick) { return; }
    event.preventDefault();
    show(pick.href, results);
  });
})();
