// Charts of the financial section and the comparison page, drawn with the vendored Chart.js.
// The data comes from a json_script block next to each canvas; labels are already translated on the server.
// Right-to-left pages mirror the charts (years run from the right, the value axis sits on the right) and every
// number is formatted for the page's locale, which gives Persian digits in Persian.
(function () {
  "use strict";

  const COLOURS = ["#0d6efd", "#d63384", "#198754", "#fd7e14"];

  function formatter(locale, digits) {
    const format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    return (value) => format.format(value);
  }

  function setDefaults() {
    const family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.family = family;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
  }

  function commonOptions(data, valueAxis) {
    const number = formatter(data.locale, 1);
    const rtl = data.rtl;
    const options = {
      responsive: true,
      locale: data.locale,
      plugins: {
        legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", labels: { boxWidth: 12 } },
        tooltip: {
          rtl: rtl,
          textDirection: rtl ? "rtl" : "ltr",
          callbacks: {
            label: (item) => `${item.dataset.label}: ${number(valueAxis === "x" ? item.parsed.x : item.parsed.y)}`,
          },
        },
      },
      scales: {},
    };
    options.scales[valueAxis] = {
      ticks: { callback: (value) => number(value) },
      grid: { color: (ctx) => (ctx.tick && ctx.tick.value === 0 ? "#6c757d" : "rgba(0,0,0,0.08)") },
    };
    return options;
  }

  function cashflowChart(canvas, data) {
    const options = commonOptions(data, "y");
    options.scales.x = { reverse: data.rtl, grid: { display: false } };
    options.scales.y.position = data.rtl ? "right" : "left";
    return new Chart(canvas, {
      data: {
        labels: data.years,
        datasets: [
          {
            type: "bar",
            label: data.text.fcf,
            data: data.fcf,
            backgroundColor: data.fcf.map((v) => (v < 0 ? "rgba(220,53,69,0.75)" : "rgba(13,110,253,0.75)")),
            order: 2,
          },
          {
            type: "line",
            label: data.text.cumulative,
            data: data.cumulative,
            borderColor: "#198754",
            backgroundColor: "#198754",
            pointRadius: 2,
            tension: 0.2,
            order: 1,
          },
        ],
      },
      options: options,
    });
  }

  function tornadoChart(canvas, data) {
    const options = commonOptions(data, "x");
    options.indexAxis = "y";
    options.scales.x.reverse = data.rtl;
    options.scales.x.stacked = true;
    options.scales.x.title = { display: true, text: `${data.text.npv_change} (${data.unit})` };
    options.scales.y = { stacked: true, position: data.rtl ? "right" : "left", grid: { display: false } };
    return new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.tornado.labels,
        datasets: [
          { label: data.text.low, data: data.tornado.low, backgroundColor: "rgba(220,53,69,0.8)" },
          { label: data.text.high, data: data.tornado.high, backgroundColor: "rgba(25,135,84,0.8)" },
        ],
      },
      options: options,
    });
  }

  function compareChart(canvas, data) {
    const options = commonOptions(data, "y");
    options.scales.x = { reverse: data.rtl, title: { display: true, text: data.text.year }, grid: { display: false } };
    options.scales.y.position = data.rtl ? "right" : "left";
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: data.years,
        datasets: data.series.map((line, index) => ({
          label: line.label,
          data: line.values,
          borderColor: COLOURS[index % COLOURS.length],
          backgroundColor: COLOURS[index % COLOURS.length],
          pointRadius: 2,
          tension: 0.2,
        })),
      },
      options: options,
    });
  }

  const DRAW = { cashflow: cashflowChart, tornado: tornadoChart, compare: compareChart };

  function draw(root) {
    if (typeof Chart === "undefined") return;
    root.querySelectorAll("canvas[data-finance-chart]").forEach((canvas) => {
      if (Chart.getChart(canvas)) return;
      const source = document.getElementById(canvas.dataset.source);
      const make = DRAW[canvas.dataset.financeChart];
      if (!source || !make) return;
      make(canvas, JSON.parse(source.textContent));
      canvas.dataset.drawn = "true";
    });
  }

  setDefaults();
  if (window.htmx) {
    // Called for the page on load and for the section each time htmx swaps it in.
    htmx.onLoad(draw);
    // A bad rate or a currency without a rate comes back as 400 with the form errors: show them in place.
    document.body.addEventListener("htmx:beforeSwap", (event) => {
      if (event.detail.xhr.status === 400 && event.detail.target.id === "finance-section") {
        event.detail.shouldSwap = true;
        event.detail.isError = false;
      }
    });
  } else {
    document.addEventListener("DOMContentLoaded", () => draw(document));
  }
})();
