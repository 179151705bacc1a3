/* On a phone the header is two buttons, 菜单 (menu) and 搜索 (search), that open the site's menu and the search
 * box (site.css hides them on narrow screens once this script can open them: the `.js` class of display.js). */
(function () {
  "use strict";
  // On a phone the catalogue's categories and the item list's filters start folded (a category named in the
  // address stays open); wider screens, and browsers without this script, show them open.
  function fold() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 40rem)").matches) return;
    var panels = document.querySelectorAll("details[data-collapse-on-phone]");
    for (var i = 0; i < panels.length; i++) {
      var panel = panels[i];
      var target = window.location.hash && panel.parentNode && "#" + panel.parentNode.id === window.location.hash;
      if (!target && !panel.hasAttribute("data-keep-open")) panel.removeAttribute("open");
    }
  }

  function wire() {
    fold();
    var header = document.querySelector(".site-header");
    if (!header) return;
    var toggles = header.querySelectorAll("[data-header-toggle]");
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].addEventListener("click", function (event) {
        var button = event.currentTarget;
        var name = button.getAttribute("data-header-toggle");
        var open = !header.classList.contains(name + "-open");
        header.classList.toggle(name + "-open", open);
        button.setAttribute("aria-expanded", open ? "true" : "false");
        if (open && name === "search") {
          var input = document.getElementById("header-q");
          if (input) input.focus();
        }
      });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
