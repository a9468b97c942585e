/* What staff notice without looking at the screen: a scan that went in gives a short high beep
   and a green flash, one that did not a long low tone and a red flash. Shared by every page
   that takes scans: window.kioskFeedback(ok).

   Browsers keep a page's sound suspended until a key or tap reaches it, and an AudioContext
   created before then stays suspended unless resumed, so the context is resumed on the first
   key or tap (a keyboard-wedge scanner's keys count). Scans from a USB scanner are not keys:
   for them, start the kiosk's browser with --autoplay-policy=no-user-gesture-required (README). */
(function () {
  "use strict";
  var Context = window.AudioContext || window.webkitAudioContext;
  var audio = Context ? new Context() : null;

  function wake() {
    if (audio && audio.state === "suspended") { audio.resume().catch(function () {}); }
  }
  ["keydown", "pointerdown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, wake, {capture: true, passive: true});
  });

  function tone(ok) {
    if (!audio) { return; }
    try {
      wake();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = ok ? 1320 : 330;
      gain.gain.value = 0.08;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(); osc.stop(audio.currentTime + (ok ? 0.08 : 0.35));
    } catch (e) { /* no sound device: the colour still shows */ }
  }

  function feedback(ok) {
    document.body.classList.remove("flash-ok", "flash-error");
    void document.body.offsetWidth;  // restart the animation
    document.body.classList.add(ok ? "flash-ok" : "flash-error");
    tone(ok);
  }
  // For tests and the settings check: whether sound can play now ("running") or not yet.
  feedback.soundState = function () { return audio ? audio.state : "none"; };
  window.kioskFeedback = feedback;
})();
