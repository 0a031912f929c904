// Every page: a table's horizontal scroll box (.table-responsive) that overflows and holds nothing
// focusable becomes a named, focusable region, so that a keyboard user can reach it with Tab and
// scroll it with the arrow keys (WCAG 2.1.1; docs/accessibility.md → Tables on a phone). No inline
// scripts (CSP).
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";

  function nameOf(box) {
    var caption = box.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var card = box.closest(".card");
    var header = card && card.querySelector(".card-header, h2, h3");
    return header ? header.textContent.trim() : "Таблица";
  }

  function sync() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var needed = box.scrollWidth > box.clientWidth && !box.querySelector(FOCUSABLE);
      if (needed && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", nameOf(box) + " (прокручивается по горизонтали)");
        box.dataset.scrollFocus = "1";
      } else if (!needed && box.dataset.scrollFocus) {
        ["tabindex", "role", "aria-label", "data-scroll-focus"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }

  sync();
  // Widths settle only after the web fonts and images: check again then, and whenever a box resizes.
  window.addEventListener("resize", sync);
  window.addEventListener("load", sync);
  if (document.fonts && document.fonts.ready) { document.fonts.ready.then(sync); }
  if (window.ResizeObserver) {
    var observer = new ResizeObserver(sync);
    document.querySelectorAll(".table-responsive, .table-responsive > table").forEach(function (el) {
      observer.observe(el);
    });
  }
})();
