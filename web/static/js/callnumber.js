/* The call-number touch editor (templates/callnumber/_editor.html): one tap on a card's
   「請求記号を確認・修正」 opens it with the proposal; digits and class buttons fill the 分類記号,
   the 五十音 keys and the reading proposals the 図書記号; 確定 posts the form. No inline script (CSP). */
(function () {
  "use strict";
  var dialog = document.getElementById("cn-editor");
  if (!dialog) { return; }
  var form = document.getElementById("cn-editor-form");
  var fields = { top: document.getElementById("cn-top"), bottom: document.getElementById("cn-bottom"),
                 volume: document.getElementById("cn-volume") };
  var active = fields.top;
  var VOICED = { "カ": "ガ", "キ": "ギ", "ク": "グ", "ケ": "ゲ", "コ": "ゴ", "サ": "ザ", "シ": "ジ", "ス": "ズ", "セ": "ゼ",
                 "ソ": "ゾ", "タ": "ダ", "チ": "ヂ", "ツ": "ヅ", "テ": "デ", "ト": "ド", "ハ": "バ", "ヒ": "ビ", "フ": "ブ",
                 "ヘ": "ベ", "ホ": "ボ", "ウ": "ヴ" };
  var SEMI = { "ハ": "パ", "ヒ": "ピ", "フ": "プ", "ヘ": "ペ", "ホ": "ポ" };

  function activate(field) {
    active = field;
    Object.keys(fields).forEach(function (name) { fields[name].classList.toggle("active", fields[name] === field); });
  }

  function text(id, value) { document.getElementById(id).textContent = value || ""; }

  function open(button) {
    var cn = JSON.parse(button.dataset.cn || "{}");
    form.action = button.dataset.cnAction;
    fields.top.value = cn.top || "";
    fields.bottom.value = cn.bottom || "";
    fields.volume.value = cn.volume || "";
    text("cn-why-top", cn.why && cn.why.top);
    text("cn-why-bottom", cn.why && cn.why.bottom);
    text("cn-hint", cn.hint);
    text("cn-editor-book", button.dataset.cnBook);
    var readings = document.getElementById("cn-readings");
    readings.textContent = "";
    (cn.reading_marks || []).forEach(function (pair, index) {
      var choice = document.createElement("button");
      choice.type = "button";
      choice.className = "choice-key" + (index === 0 ? " proposed" : "");
      choice.dataset.setBottom = pair[1];
      choice.textContent = pair[1] + "（" + pair[0] + "）";
      readings.appendChild(choice);
    });
    activate(cn.missing && cn.missing.indexOf("top") < 0 && cn.missing.indexOf("bottom") >= 0 ? fields.bottom : fields.top);
    dialog.showModal();
  }

  function changeLast(field, table) {
    var last = field.value.slice(-1);
    var hira = last >= "ぁ" && last <= "ゖ";
    var kata = hira ? String.fromCharCode(last.charCodeAt(0) + 0x60) : last;
    var changed = table[kata];
    if (!changed) { return; }
    field.value = field.value.slice(0, -1) + (hira ? String.fromCharCode(changed.charCodeAt(0) - 0x60) : changed);
  }

  document.addEventListener("click", function (event) {
    var opener = event.target.closest(".cn-open");
    if (opener) { open(opener); return; }
    if (!dialog.open) { return; }
    var target = event.target;
    if (target.dataset.cnField) { activate(target); return; }
    var key = target.closest("[data-cn-key]");
    if (key) {
      var field = active === fields.bottom ? fields.top : active;  // digits go to the class or the volume
      var value = key.dataset.cnKey;
      if (value === "back") { field.value = field.value.slice(0, -1); }
      else if (value === "clear") { field.value = ""; }
      else { field.value += value; }
      activate(field);
      return;
    }
    var setTop = target.closest("[data-set-top]");
    if (setTop) { fields.top.value = setTop.dataset.setTop; activate(fields.bottom); return; }
    var setBottom = target.closest("[data-set-bottom]");
    if (setBottom) { fields.bottom.value = setBottom.dataset.setBottom; activate(fields.bottom); return; }
    var kana = target.closest(".kana-key");
    if (kana) {
      if (kana.dataset.kana) { fields.bottom.value += kana.dataset.kana; }
      else if (kana.dataset.kanaMod === "dakuten") { changeLast(fields.bottom, VOICED); }
      else if (kana.dataset.kanaMod === "handakuten") { changeLast(fields.bottom, SEMI); }
      else if (kana.dataset.kanaMod === "back") { fields.bottom.value = fields.bottom.value.slice(0, -1); }
      else if (kana.dataset.kanaMod === "clear") { fields.bottom.value = ""; }
      activate(fields.bottom);
      return;
    }
    if (target.id === "cn-cancel") { dialog.close(); }
  });
})();
