/* Page-wide keyboard-wedge listener. A scanner in keyboard mode "types" a burst of keys a few
   milliseconds apart and ends it with Enter (or Tab, or its configured suffix); a person types
   far slower. A scan arrives whole or not at all:

   - every key is caught from the very first one (a capture-phase listener on window, loaded in
     the page's <head> where it can be) and held back (preventDefault), so a burst never lands
     in a focused field;
   - keys are timed by event.timeStamp (when the key arrived, not when this page got round to
     it): a page busy drawing the last scan gets the next burst's keys late, all at once, but
     with their own times, so the burst is not split;
   - a burst is decided at its terminator: long enough and clean, it is dispatched as a
     cancelable `kiosk:scan` event ({detail: {text, at}}); a page that handles scans cancels it,
     otherwise the scan opens the copy it names (/copies/?scan=…);
   - the first keys of a burst are ambiguous: if no burst follows (quiet for a moment), they
     were a person typing, and are put into the focused field as typed;
   - a burst that is cut (too short, split by a pause, no terminator) is never sent: the page
     says 「読み取りが途切れました。もう一度スキャンしてください」 (and dispatches `kiosk:scan-cut`;
     a page that shows it itself cancels that event). Keys of it already given to the field
     as typing are taken back out.

   Thresholds: <body data-wedge-gap="40" data-wedge-min="4" data-wedge-suffix="">
   (ms between keys, shortest code, the scanner's programmed suffix). */
(function () {
  "use strict";
  if (window.kioskWedge) { return; }  // one listener per page, even if a template loads this twice

  var CUT_MESSAGE = "読み取りが途切れました。もう一度スキャンしてください";
  var MODIFIERS = {Shift: 1, Control: 1, Alt: 1, Meta: 1, AltGraph: 1, CapsLock: 1, NumLock: 1, Fn: 1, OS: 1};
  var HUMAN_WINDOW_MS = 1000;  // a short burst ending in Enter right after a person typed here is theirs

  var burst = null;        // {text, start, last, field, timer}: keys held back, not yet decided
  var released = null;     // {field, start, text, last}: the last keys given to a field as typing
  var lastEnd = null;      // {at, typed, burst, byTimer}: the last burst that ended without a terminator

  function settings() {
    var data = document.body ? document.body.dataset : {};
    var gap = Number(data.wedgeGap) || 40;
    return {gap: gap, min: Number(data.wedgeMin) || 4, suffix: data.wedgeSuffix || "",
            quiet: gap + 80, unfinished: Math.max(8 * gap, 300), split: Math.max(4 * gap, 150)};
  }

  // In the page's language: base.html puts it on <body> (data-wedge-cut).
  function cutMessage() {
    return (document.body && document.body.dataset.wedgeCut) || CUT_MESSAGE;
  }

  function isTextField(element) {
    return Boolean(element) && (element.isContentEditable || element.tagName === "TEXTAREA" ||
      (element.tagName === "INPUT" && /^(text|search|tel|number|password|email|url|)$/i.test(element.type || "")));
  }

  function hold(event) { event.preventDefault(); event.stopPropagation(); }

  // --- the focused field: keys given back as typed, or taken back out -------------------------

  function caret(field) {
    try { return typeof field.selectionStart === "number" ? field.selectionStart : null; } catch (e) { return null; }
  }

  function typeInto(field, text, last) {
    if (document.activeElement !== field) { field = document.activeElement; }
    if (!isTextField(field) || field.readOnly || field.disabled) { released = null; return; }
    var start = caret(field);
    var inserted = false;
    try { inserted = document.execCommand("insertText", false, text); } catch (e) { inserted = false; }
    if (!inserted && typeof field.value === "string") {  // the key's own effect, by hand
      var from = start === null ? field.value.length : start;
      var to = start === null ? from : field.selectionEnd;
      field.value = field.value.slice(0, from) + text + field.value.slice(to);
      field.dispatchEvent(new Event("input", {bubbles: true}));
    }
    released = {field: field, start: start, text: text, last: last};
  }

  function takeBack(fragment) {
    var field = fragment && fragment.field;
    if (!field || typeof field.value !== "string" || fragment.start === null) { return; }
    var value = field.value;
    if (value.substr(fragment.start, fragment.text.length) === fragment.text) {
      field.value = value.slice(0, fragment.start) + value.slice(fragment.start + fragment.text.length);
      try { field.setSelectionRange(fragment.start, fragment.start); } catch (e) { /* not a text input */ }
      field.dispatchEvent(new Event("input", {bubbles: true}));
    }
  }

  // A burst that starts soon after one that ended without its terminator may be the rest of it.
  // Soon: within the split window; within a second when the keys before came at scanner speed
  // (two or more in a burst: a person does not type like that, a stalled scanner does).
  function recentEnd(at) {
    if (lastEnd === null) { return false; }
    return at - lastEnd.at <= (lastEnd.burst.text.length >= 2 ? HUMAN_WINDOW_MS : settings().split);
  }

  // --- what a burst turned out to be -----------------------------------------------------------

  function scan(text, at) {
    hideMessage();
    var event = new CustomEvent("kiosk:scan", {detail: {text: text, at: at}, cancelable: true});
    if (document.dispatchEvent(event)) {  // nobody on this page took it
      window.location.href = "/copies/?scan=" + encodeURIComponent(text);
    }
  }

  // A cut scan: nothing is sent; keys of it already typed into the field are taken back out.
  function cut(text, reason, start) {
    if (lastEnd && lastEnd.typed && recentEnd(start) && released) { takeBack(released); released = null; }
    var message = cutMessage();
    var event = new CustomEvent("kiosk:scan-cut", {detail: {text: text, reason: reason, message: message},
                                                   cancelable: true});
    if (document.dispatchEvent(event)) { showMessage(message); }
    if (typeof window.kioskFeedback === "function") { window.kioskFeedback(false); }
  }

  // The burst is over without its terminator (a pause, or a key of another kind).
  function endWithoutTerminator(held, byTimer) {
    var typed = false;
    if (held.text.length >= settings().min) {  // scanner speed, scanner length, but no end: cut
      cut(held.text, "no terminator", held.start);
    } else if (!(recentEnd(held.start) && !lastEnd.typed)) {  // (else more of a cut scan: not typing either)
      typeInto(held.field, held.text, held.last);  // a person typing: as if never held
      typed = true;
    }
    lastEnd = {at: held.last, typed: typed, burst: held, byTimer: byTimer};
  }

  function settle(byTimer) {
    var held = burst;
    if (!held) { return; }
    clearTimeout(held.timer);
    burst = null;
    endWithoutTerminator(held, Boolean(byTimer));
  }

  // The quiet timeout decided by this page's clock; a key that then arrives stamped within the
  // gap (it was queued while the page was busy) shows the burst had not ended: take it up again.
  function resume() {
    var held = lastEnd.burst;
    var wasCut = !lastEnd.typed && held.text.length >= settings().min;  // "no terminator" was said
    if (lastEnd.typed && released) { takeBack(released); released = null; }
    lastEnd = null;
    hideMessage();
    burst = held;
    if (wasCut) {  // the cut said too early is taken back: listeners that counted it uncount it
      document.dispatchEvent(new CustomEvent("kiosk:scan-resumed", {detail: {text: held.text}}));
    }
  }

  // The quiet timeout: no key for a while, by this page's clock. A single key may be a person's
  // and is given back soon; two or more at scanner speed are a scanner's, whose next key or
  // terminator is waited for longer before the scan is called cut. Keys queued while the page
  // was busy may not have been handed over yet: look again (once when this timer was late,
  // for as long as the browser says input is pending) before deciding.
  function armQuiet(held) {
    clearTimeout(held.timer);
    var config = settings();
    var wait = held.text.length >= 2 ? config.unfinished : config.quiet;
    var due = performance.now() + wait, looks = 0;
    held.timer = setTimeout(function check() {
      if (burst !== held) { return; }
      var pending = Boolean(navigator.scheduling && navigator.scheduling.isInputPending &&
                            navigator.scheduling.isInputPending());
      var late = looks === 0 && performance.now() - due > 15;
      if ((pending && looks < 20) || late) { looks += 1; held.timer = setTimeout(check, pending ? 5 : 0); return; }
      settle(true);
    }, wait);
  }

  // The burst ended with its terminator (``event``: the Enter or Tab; null for a suffix).
  function terminated(held, event, at) {
    var config = settings();
    var text = held.text;
    if (config.suffix && text.slice(-config.suffix.length) === config.suffix) {
      text = text.slice(0, -config.suffix.length);
    }
    var afterFragment = recentEnd(held.start);
    var typing = released !== null && released.field === document.activeElement &&
                 (afterFragment ? lastEnd.typed : held.start - released.last <= HUMAN_WINDOW_MS);
    if (text.length >= config.min && !afterFragment) {
      if (event) { hold(event); }
      released = null;
      scan(text, at);
    } else if (text.length < config.min && typing && event) {
      // "…3" then "4⏎" in a rush: the end of what a person is typing in this field (a scan cut
      // into two short parts would be shorter than any label: see docs/scanner.md)
      typeInto(held.field, text, held.last);
      // and the Enter (or Tab) does what it does
    } else {
      if (event) { hold(event); }
      cut(text, afterFragment ? "split" : "too short", held.start);
    }
    lastEnd = null;
  }

  window.addEventListener("keydown", function (event) {
    if (event.isComposing || event.key === "Process" || event.key === "Unidentified" || MODIFIERS[event.key]) {
      return;  // an IME's keys, or Shift before a capital letter
    }
    var at = event.timeStamp || performance.now();
    var config = settings();
    var terminator = event.key === "Enter" || event.key === "Tab";
    var character = event.key.length === 1 && !event.ctrlKey && !event.altKey && !event.metaKey && !event.repeat;
    if (burst && (at - burst.last > (terminator ? 2 * config.gap : config.gap) || (!terminator && !character))) {
      settle();  // a pause, or a key of another kind: the keys held so far are decided first
    }
    if (!burst && lastEnd && lastEnd.byTimer && (terminator || character) &&
        at - lastEnd.at <= (terminator ? 2 * config.gap : config.gap)) {
      resume();
    }
    if (terminator) {
      if (burst) {
        var held = burst;
        clearTimeout(held.timer);
        burst = null;
        terminated(held, event, at);
      } else if (lastEnd && !lastEnd.typed && recentEnd(at)) {
        hold(event);  // the late Enter of a cut scan: it must not submit the form
        lastEnd = null;
      }
      return;
    }
    if (!character) { return; }
    hold(event);
    if (!burst) {
      var field = isTextField(document.activeElement) ? document.activeElement : null;
      burst = {text: "", start: at, last: at, field: field, timer: null};
    }
    burst.text += event.key;
    burst.last = at;
    if (config.suffix && burst.text.length > config.suffix.length &&
        burst.text.slice(-config.suffix.length) === config.suffix) {
      var done = burst;
      clearTimeout(done.timer);
      burst = null;
      terminated(done, null, at);
      return;
    }
    armQuiet(burst);
  }, true);

  // --- the message ------------------------------------------------------------------------------

  var box = null, hideTimer = null;

  function showMessage(text) {
    if (!box) {
      box = document.createElement("p");
      box.id = "wedge-message";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);z-index:1000;" +
        "margin:0;padding:14px 24px;border-radius:10px;background:#b3261e;color:#fff;font-size:24px;" +
        "font-weight:bold;box-shadow:0 4px 16px rgba(0,0,0,.3);max-width:90vw;text-align:center";
      document.body.appendChild(box);
    }
    box.textContent = text;
    box.hidden = false;
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideMessage, 6000);
  }

  function hideMessage() {
    if (box) { box.hidden = true; }
  }

  window.kioskWedge = {message: CUT_MESSAGE};
})();
