/* The camera's double-read rule: which codes of a decoded frame count now (window.kioskCameraLooks).

   A camera sees a book for many frames; a code must count once per look:
   - a code counts when it was read the same in two decoded frames in a row (one frame's read
     is never taken: no guessing);
   - it counts again only after it has been absent from `absentFrames` decoded frames in a row
     and for at least `absentMs` (the library's double-read interval): the book left the frame
     and came back (a second copy of the same title shown after the first);
   - a book's ISBN and its 192 price code seen together count together (one look, posted as
     one: the server pairs them at once). An ISBN read twice while its 192 code was read only
     once waits one more frame for it. A 192 code alone waits for its ISBN, unless that ISBN
     counted already and is still in view (then it goes alone: the server pairs it with that
     ISBN, the scanner's last);
   - a frame too blurred to trust (camera.js) is no read at all.

   Pure: frames come in with their time; `see(codes, at)` answers the codes to post (ISBN first)
   and `waiting` (a 192 code held for its ISBN). */
(function () {
  "use strict";

  function kindOf(code) {
    if (code.format !== "ean_13") { return "other"; }
    if (/^97[89]/.test(code.text)) { return "isbn"; }
    return /^192/.test(code.text) ? "price" : "other";
  }

  function Looks(options) {
    this.absentFrames = (options && options.absentFrames) || 3;
    this.absentMs = (options && options.absentMs) || 0;
    this.frame = 0;
    this.codes = {};  // text → {code, kind, streak, lastFrame, lastAt, counted, held}
  }

  /* A code counted on the page before (本をさがす goes to the copy's page, whose camera sees the
     same label): it counts again only once it has left the frame. */
  Looks.prototype.remember = function (code, at) {
    this.codes[code.text] = {code: code, kind: kindOf(code), streak: 0, counted: true, held: 0,
                             lastFrame: this.frame, lastAt: at};
  };

  Looks.prototype.see = function (found, at) {
    var frame = ++this.frame, codes = this.codes, inView = {};
    found.forEach(function (code) {
      if (inView[code.text]) { return; }
      inView[code.text] = true;
      var entry = codes[code.text];
      if (!entry) { entry = codes[code.text] = {code: code, kind: kindOf(code), streak: 0, counted: false, held: 0}; }
      entry.streak = entry.lastFrame === frame - 1 ? entry.streak + 1 : 1;
      entry.lastFrame = frame;
      entry.lastAt = at;
    });
    var self = this;
    Object.keys(codes).forEach(function (text) {
      var entry = codes[text];
      if (inView[text]) { return; }
      if (!entry.counted || (frame - entry.lastFrame >= self.absentFrames && at - entry.lastAt >= self.absentMs)) {
        delete codes[text];  // gone: a read not yet confirmed is forgotten; a counted one may count again
      }
    });
    var ready = [], waiting = false;
    var fresh = Object.keys(inView).map(function (text) { return codes[text]; })
      .filter(function (entry) { return !entry.counted; });
    var isbn = fresh.filter(function (e) { return e.kind === "isbn" && e.streak >= 2; });
    var priceSeen = fresh.filter(function (e) { return e.kind === "price"; });
    var priceConfirmed = priceSeen.filter(function (e) { return e.streak >= 2; });
    var countedIsbnInView = Object.keys(inView).some(function (text) {
      return codes[text].kind === "isbn" && codes[text].counted;
    });
    var isbnInView = Object.keys(inView).some(function (text) { return codes[text].kind === "isbn"; });
    if (isbn.length && priceSeen.length && !priceConfirmed.length && isbn[0].held < 1) {
      isbn[0].held += 1;  // its 192 code was read once: one more frame, and they go together
      isbn = [];
    }
    isbn.forEach(function (e) { ready.push(e); });
    if (isbn.length || countedIsbnInView) {
      priceConfirmed.forEach(function (e) { ready.push(e); });
    } else if (priceSeen.length && !isbnInView) {
      waiting = true;  // a 192 code alone: which book? wait for its ISBN
    }
    fresh.forEach(function (e) { if (e.kind === "other" && e.streak >= 2) { ready.push(e); } });
    ready.forEach(function (e) { e.counted = true; });
    return {codes: ready.map(function (e) { return {text: e.code.text, format: e.code.format}; }), waiting: waiting,
            inView: Object.keys(inView).length};
  };

  window.kioskCameraLooks = Looks;
})();
