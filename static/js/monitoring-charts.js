/* Results dynamics charts (Chart.js). Data comes from <script type="application/json" id="dynamics-data">;
   each <canvas data-dynamics-chart="N"> draws chart N. A missing year is a gap, never a zero. */
(function () {
  "use strict";
  var source = document.getElementById("dynamics-data");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent || "[]");
  var palette = ["#0d3b66", "#c8102e", "#2a9d8f", "#e9a03b", "#6a4c93", "#1982c4", "#8ac926", "#ff595e"];
  var number = new Intl.NumberFormat("ru-RU", { maximumFractionDigits: 2 });
  document.querySelectorAll("canvas[data-dynamics-chart]").forEach(function (canvas) {
    var spec = charts[Number(canvas.getAttribute("data-dynamics-chart"))];
    if (!spec) { return; }
    var datasets = spec.datasets.map(function (ds, i) {
      var color = palette[i % palette.length];
      return {
        label: ds.label, data: ds.data, borderColor: color, backgroundColor: color,
        tension: 0, spanGaps: false, pointRadius: 4, pointHoverRadius: 6
      };
    });
    new Chart(canvas, {
      type: "line",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          title: { display: true, text: spec.title },
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) {
            return ctx.dataset.label + ": " + (ctx.parsed.y === null ? "–" : number.format(ctx.parsed.y));
          } } }
        },
        scales: { y: { ticks: { callback: function (v) { return number.format(v); } } } }
      }
    });
  });
})();
