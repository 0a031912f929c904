// Every job's page (templates/core/_job_status.html): poll the job's JSON state while it runs, show its
// progress and current step, and reload the page once it has stopped running (done, failed, checked…).
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status]").forEach(function (box) {
    if (box.dataset.running !== "1") { return; }
    var url = box.dataset.statusUrl;
    var label = box.querySelector("[data-job-label]");
    var bar = box.querySelector("[data-job-bar]");
    var message = box.querySelector("[data-job-message]");
    var delay = 1000;
    function width(percent) {
      if (!bar) { return; }
      var value = Math.max(5, percent || 0);
      bar.style.width = value + "%";
      bar.parentNode.setAttribute("aria-valuenow", String(value));
    }
    function show(state) {
      if (label) { label.textContent = state.status_label; }
      if (message) { message.textContent = state.message || ""; }
      width(state.percent);
    }
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (state) {
          if (!state.running) { window.location.reload(); return; }
          show(state);
          delay = Math.min(delay * 1.5, 5000);
          window.setTimeout(poll, delay);
        })
        .catch(function () {
          if (message) { message.textContent = "Нет связи с сервером, повторяем…"; }
          delay = Math.min(delay * 2, 15000);
          window.setTimeout(poll, delay);
        });
    }
    width(bar ? Number(bar.dataset.percent) : 0);
    window.setTimeout(poll, delay);
  });
})();
