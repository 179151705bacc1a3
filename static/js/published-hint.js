/* Search before you apply: as the applicant writes what information they seek, the items already published that
 * match are offered under the description ("This information may already be published"), without leaving the page.
 *
 * The form carries <div class="published-hint" data-api="…/api/v1/search/" data-field="id_description">; this file
 * asks the search API (describe=1: the description's telling words) at most once per pause in typing and lists
 * up to five items as plain links. Without JavaScript the plain "search the published items" link stays. */
(function () {
  "use strict";
  var WAIT_MS = 400;
  var MIN_CHARS = 2;

  function init(hint) {
    var field = document.getElementById(hint.getAttribute("data-field"));
    var list = hint.querySelector("ul");
    if (!field || !list || !window.fetch) return;
    var timer = null;
    var asked = "";
    var latest = 0;

    function show(results) {
      while (list.firstChild) list.removeChild(list.firstChild);
      results.forEach(function (item) {
        var li = document.createElement("li");
        var link = document.createElement("a");
        link.href = item.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = item.title;
        li.appendChild(link);
        if (item.excerpt) {
          var excerpt = document.createElement("span");
          excerpt.className = "muted";
          excerpt.textContent = " " + item.excerpt;
          li.appendChild(excerpt);
        }
        list.appendChild(li);
      });
      hint.hidden = results.length === 0;
    }

    function ask() {
      var text = field.value.trim();
      if (text === asked) return;
      asked = text;
      if (text.length < MIN_CHARS) { show([]); return; }
      var ticket = ++latest;
      var url = hint.getAttribute("data-api") + "?describe=1&size=5&q=" + encodeURIComponent(text.slice(0, 500));
      fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) show(data.results || []); })
        .catch(function () { if (ticket === latest) show([]); });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, WAIT_MS);
    });
    if (field.value.trim()) ask();  // a form shown again after an error keeps the description
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".published-hint[data-api]"), init);
  });
})();
