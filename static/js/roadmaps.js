// Roadmaps pages: reason field only when a line is not done; activity types filtered by direction;
// confirmation of destructive actions. No inline scripts (CSP): everything hangs off classes and data-*.
(function () {
  "use strict";
  var NEEDS_REASON = ["not_done", "postponed"];

  function syncReason(select) {
    var line = select.closest(".report-line");
    if (!line) { return; }
    var group = line.querySelector(".js-reason-group");
    if (!group) { return; }
    var textarea = group.querySelector("textarea");
    var needed = NEEDS_REASON.indexOf(select.value) !== -1;
    var filled = textarea && textarea.value.trim() !== "";
    group.classList.toggle("d-none", !needed && !filled);
    if (textarea) { textarea.required = needed; }
  }

  // The report's error summary: focused after a refused post, so that it is read first; each of its
  // links moves the focus to its field, not only the scroll position (docs/accessibility.md).
  var summary = document.getElementById("report-errors");
  if (summary) {
    if (summary.hasAttribute("data-focus-on-load")) { summary.focus(); }
    summary.querySelectorAll("a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (!target) { return; }
        event.preventDefault();
        target.scrollIntoView({block: "center"});
        target.focus();
      });
    });
  }

  document.querySelectorAll(".js-line-status").forEach(function (select) {
    syncReason(select);
    select.addEventListener("change", function () { syncReason(select); });
  });

  var typeSelect = document.getElementById("id_activity_type");
  var directionSelect = document.getElementById("id_direction");
  if (typeSelect && directionSelect && typeSelect.dataset.directionMap) {
    var map = {};
    typeSelect.dataset.directionMap.split(",").forEach(function (pair) {
      var parts = pair.split(":");
      map[parts[0]] = parts[1];
    });
    var filterTypes = function () {
      var direction = directionSelect.value;
      typeSelect.querySelectorAll("option").forEach(function (option) {
        if (!option.value) { return; }
        option.hidden = Boolean(direction) && map[option.value] !== direction;
      });
      typeSelect.querySelectorAll("optgroup").forEach(function (group) {
        var visible = Array.prototype.some.call(group.querySelectorAll("option"), function (o) { return !o.hidden; });
        group.hidden = !visible;
      });
      var selected = typeSelect.options[typeSelect.selectedIndex];
      if (selected && selected.hidden) { typeSelect.value = ""; }
    };
    directionSelect.addEventListener("change", filterTypes);
    typeSelect.addEventListener("change", function () {
      if (typeSelect.value && map[typeSelect.value] && directionSelect.value !== map[typeSelect.value]) {
        directionSelect.value = map[typeSelect.value];
        filterTypes();
      }
    });
    filterTypes();
  }

  document.querySelectorAll("form.js-confirm").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm || "Подтвердите действие")) { event.preventDefault(); }
    });
  });
})();
