/* The item form's 公开事项 picker (disclosures/admin.py ItemSelect): only the chosen category's items are offered,
   and choosing an item first fills in its category. Each item option carries its category in data-category. */
(function () {
  "use strict";
  function setUp() {
    var category = document.getElementById("id_category");
    var item = document.getElementById("id_item");
    if (!category || !item || category.tagName !== "SELECT") { return; }
    function offer() {
      var chosen = category.value;
      Array.prototype.forEach.call(item.options, function (option) {
        var owner = option.getAttribute("data-category");
        var other = Boolean(chosen && owner && owner !== chosen);
        option.hidden = other;
        option.disabled = other;
      });
      Array.prototype.forEach.call(item.querySelectorAll("optgroup"), function (group) {
        var other = Boolean(chosen && group.getAttribute("data-category") !== chosen);
        group.hidden = other;
      });
      var selected = item.options[item.selectedIndex];
      if (selected && selected.disabled) { item.value = ""; }
    }
    category.addEventListener("change", offer);
    item.addEventListener("change", function () {
      var selected = item.options[item.selectedIndex];
      var owner = selected && selected.getAttribute("data-category");
      if (owner && category.value !== owner) {
        category.value = owner;
        offer();
      }
    });
    offer();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
