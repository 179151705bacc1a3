/* 「朗读」: reads an item's title, summary and text aloud with the browser's own speech synthesis (适老化; no
 * server, no third party). The button is in the page, hidden; it is shown only where the browser can speak.
 * <button class="read-aloud" data-read="#selector" data-label-stop="…" hidden> names the part to read; the
 * language is the page's (<html lang>). Pressing it again, or leaving the page, stops the reading. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") return;

  function textOf(root) {
    var parts = [];
    root.querySelectorAll("h1, .summary, .body").forEach(function (node) {
      var text = (node.innerText || node.textContent || "").replace(/\s+/g, " ").trim();
      if (text) parts.push(text);
    });
    return parts.join("。 ");
  }

  function wire(button) {
    var target = document.querySelector(button.getAttribute("data-read"));
    if (!target) return;
    var startLabel = button.textContent;
    var stopLabel = button.getAttribute("data-label-stop") || startLabel;
    var speaking = false;

    function reset() {
      speaking = false;
      button.textContent = startLabel;
      button.setAttribute("aria-pressed", "false");
    }

    button.addEventListener("click", function () {
      window.speechSynthesis.cancel();
      if (speaking) { reset(); return; }
      var utterance = new window.SpeechSynthesisUtterance(textOf(target));
      utterance.lang = document.documentElement.lang || "zh-CN";
      utterance.rate = 0.9;
      utterance.onend = reset;
      utterance.onerror = reset;
      speaking = true;
      button.textContent = stopLabel;
      button.setAttribute("aria-pressed", "true");
      window.speechSynthesis.speak(utterance);
    });
    window.addEventListener("pagehide", function () { window.speechSynthesis.cancel(); });
    button.hidden = false;
  }

  function start() {
    document.querySelectorAll("button.read-aloud[data-read]").forEach(wire);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
