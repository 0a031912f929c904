// Polls the rendering job of a reference and reloads the page when the PDF is ready or failed.
(function () {
  "use strict";
  var box = document.getElementById("job-progress");
  if (!box) { return; }
  var url = box.getAttribute("data-job-url");
  var bar = box.querySelector("[data-job-bar]");
  var message = box.querySelector("[data-job-message]");
  var delay = 1000;
  function show(state) {
    var percent = Math.max(5, state.percent || 0);
    bar.style.width = percent + "%";
    box.querySelector(".progress").setAttribute("aria-valuenow", String(percent));
    message.textContent = state.status_label + (state.message ? ": " + state.message : "");
  }
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (state.done || state.failed) { window.location.reload(); return; }
        delay = Math.min(delay * 1.3, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        message.textContent = "Нет связи с сервером, повторяем…";
        window.setTimeout(poll, 5000);
      });
  }
  bar.style.width = "5%";
  window.setTimeout(poll, 600);
})();
