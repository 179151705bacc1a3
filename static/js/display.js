/* The elderly-friendly mode (适老化: larger type, higher contrast, wider spacing).
 *
 * Loaded without `defer` at the top of <head>, so the mode is on before the first paint (no flash of the
 * normal page). The choice is the visitor's own and stays in this browser (localStorage, or a cookie where
 * storage is blocked): pages are cached and shared, so the server never renders it.
 * Every page's header has <button class="display-toggle" aria-pressed="false">; this file wires it.
 * It also makes a table in an item's text focusable while it scrolls sideways (keyboard users can scroll it). */
(function () {
  "use strict";
  var KEY = "portal-display";
  var ELDER = "elder";
  var CLASS = "elder-mode";
  var root = document.documentElement;

  function readChoice() {
    try {
      var stored = window.localStorage.getItem(KEY);
      if (stored !== null) return stored;
    } catch (e) { /* storage blocked: fall back to the cookie */ }
    var match = document.cookie.match(/(?:^|;\s*)portal_display=([^;]*)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function saveChoice(value) {
    var cookie = "portal_display=" + encodeURIComponent(value) + "; path=/; SameSite=Lax";
    try {
      if (value) window.localStorage.setItem(KEY, value);
      else window.localStorage.removeItem(KEY);
      // Storage worked: forget any older cookie.
      document.cookie = "portal_display=; path=/; max-age=0; SameSite=Lax";
      return;
    } catch (e) { /* storage blocked: keep the choice in a cookie instead */ }
    document.cookie = cookie + (value ? "; max-age=31536000" : "; max-age=0");
  }

  function apply(on) {
    root.classList.toggle(CLASS, on);
    var buttons = document.querySelectorAll(".display-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  root.classList.add("js");
  apply(readChoice() === ELDER);

  // A wide table in an item's text scrolls sideways (site.css): one that does must be reachable by keyboard.
  function markScrollingTables() {
    var tables = document.querySelectorAll(".rich-text table");
    for (var i = 0; i < tables.length; i++) {
      if (tables[i].scrollWidth > tables[i].clientWidth + 1) tables[i].setAttribute("tabindex", "0");
      else tables[i].removeAttribute("tabindex");
    }
  }

  function wire() {
    apply(root.classList.contains(CLASS));
    markScrollingTables();
    window.addEventListener("resize", markScrollingTables);
    var buttons = document.querySelectorAll(".display-toggle");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].addEventListener("click", function () {
        var on = !root.classList.contains(CLASS);
        saveChoice(on ? ELDER : "");
        apply(on);
        markScrollingTables();
      });
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();

  // Switched in another tab: follow it here too.
  window.addEventListener("storage", function (event) {
    if (event.key === KEY) {
      apply(event.newValue === ELDER);
      markScrollingTables();
    }
  });
})();
