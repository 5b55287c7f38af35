// The accountability chart: median hours to a first answer (bars) and the share answered in time (line), per
// province. Numbers are formatted by Chart.js through Intl, so the Persian page shows Persian digits.
(function () {
  const source = document.getElementById("chart-data");
  const canvas = document.getElementById("response-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const persian = document.documentElement.lang === "fa";
  const rtl = document.documentElement.dir === "rtl";
  Chart.defaults.font.family = "Vazirmatn, system-ui, sans-serif";
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.median_label, data: data.median_hours, backgroundColor: "rgba(13, 110, 253, 0.7)", yAxisID: "hours" },
        {
          label: data.share_label, data: data.within_sla_pct, type: "line", yAxisID: "share",
          borderColor: "rgb(25, 135, 84)", backgroundColor: "rgb(25, 135, 84)", pointRadius: 4, spanGaps: true,
        },
      ],
    },
    options: {
      locale: persian ? "fa-IR" : "en",
      maintainAspectRatio: false,
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
      scales: {
        x: { reverse: rtl },
        hours: { position: rtl ? "right" : "left", beginAtZero: true, title: { display: true, text: data.median_label } },
        share: {
          position: rtl ? "left" : "right", beginAtZero: true, max: 100, grid: { drawOnChartArea: false },
          title: { display: true, text: data.share_label },
        },
      },
    },
  });
})();
