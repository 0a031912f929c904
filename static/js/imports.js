// Import and template jobs: poll the job's JSON status while it runs, reload when it has finished.
(function () {
  "use strict";
  var el = document.getElementById("import-status");
  if (!el || el.dataset.running !== "1") {
    return;
  }
  var url = el.dataset.statusUrl;
  var delay = 1000;
  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.running) {
          window.location.reload();
          return;
        }
        var badge = el.querySelector(".badge");
        if (badge) {
          badge.textContent = data.status_label;
        }
        delay = Math.min(delay * 1.5, 5000);
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }
  window.setTimeout(poll, delay);
})();
