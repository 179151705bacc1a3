/* Printing helpers (loaded with `defer`).
 * - Buttons marked `data-print-button` open the browser's print dialog (no inline handler: the site runs
 *   under a Content-Security-Policy without 'unsafe-inline').
 * - Links inside `[data-print-links]` get their full address in `data-print-url`, which the print style
 *   sheets show after the link text, so a paper copy still says where each link leads. */
(function () {
  "use strict";
  document.documentElement.classList.add("print-js");
  var buttons = document.querySelectorAll("[data-print-button]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function () { window.print(); });
  }
  var links = document.querySelectorAll("[data-print-links] a[href]");
  for (var j = 0; j < links.length; j++) {
    var link = links[j];
    var href = link.getAttribute("href");
    if (!href || href.charAt(0) === "#" || link.classList.contains("url")) continue;
    var url = link.href.replace(/^mailto:/, "");
    if (link.textContent.trim() === url) continue;
    link.setAttribute("data-print-url", url);
  }
})();
