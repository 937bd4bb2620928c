// Draws each dashboard chart from the data the page carries in <script id="dashboard-charts" type="application/json">
// (Django's json_script). No inline code: the content security policy allows scripts from this site only.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return; // the tables behind the charts stay readable without them
  }
  var charts = JSON.parse(source.textContent);
  var colours = ["#b71c1c", "#ef9a9a", "#5d4037", "#f9a825", "#455a64", "#8d6e63"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.dataset.chart];
    if (!spec) {
      return;
    }
    var stacked = Boolean(spec.stacked);
    var y = { beginAtZero: true, stacked: stacked, ticks: { precision: 0 } };
    if (spec.max) {
      y.max = spec.max;
    }
    new Chart(canvas, {
      type: spec.type || "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colours[index % colours.length] };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: spec.datasets.length > 1 }, title: { display: false } },
        scales: { x: { stacked: stacked }, y: y }
      }
    });
  });
})();
