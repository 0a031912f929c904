// Adds a row to a Django formset from its <template> (the __prefix__ placeholder gets the next index).
(function () {
  "use strict";
  document.querySelectorAll("[data-add-form]").forEach(function (button) {
    var prefix = button.getAttribute("data-add-form");
    var container = document.querySelector('[data-formset="' + prefix + '"]');
    var template = document.querySelector('[data-empty-form="' + prefix + '"]');
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    if (!container || !template || !total) { return; }
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      container.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      var first = container.lastElementChild.querySelector("input, textarea");
      if (first) { first.focus(); }
    });
  });
})();
