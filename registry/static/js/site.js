// Keep shareable URLs short: htmx requests leave out filters the reader did not set.
document.addEventListener("htmx:configRequest", (event) => {
  const params = event.detail.parameters;
  for (const key of Array.from(params.keys ? params.keys() : Object.keys(params))) {
    const value = params.get ? params.get(key) : params[key];
    if (value === "" || value === null) {
      if (params.delete) params.delete(key);
      else delete params[key];
    }
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Catalogue listing: keep facet groups the reader opened open when htmx replaces them, say how many results there
// are to screen readers (a live region that stays in the page), and mark the results busy while they load.
(() => {
  const openFacets = new Set();
  document.addEventListener("toggle", (event) => {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.id.startsWith("facet-")) return;
    if (details.open) openFacets.add(details.id);
    else openFacets.delete(details.id);
  }, true);

  document.addEventListener("htmx:beforeRequest", (event) => {
    const results = document.getElementById("results");
    if (results && event.detail.target === results) results.setAttribute("aria-busy", "true");
  });

  document.addEventListener("htmx:afterSettle", () => {
    for (const id of openFacets) {
      const details = document.getElementById(id);
      if (details && !details.open) details.open = true;
    }
    const results = document.getElementById("results");
    if (!results) return;
    results.setAttribute("aria-busy", "false");
    const count = results.querySelector("[data-testid=result-count], [data-testid=filter-errors]");
    const status = document.getElementById("live-status");
    if (count && status) status.textContent = count.textContent.trim();
  });
})();

// ---------------------------------------------------------------------------------------------------------------
// Home charts: horizontal bars drawn by Chart.js from the figures in <script id="home-charts">, in the page's
// language and direction (Persian digits and right-to-left in Persian); a bar opens the listing filtered by it.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("home-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const rtl = document.documentElement.dir === "rtl";
  const locale = document.documentElement.lang === "fa" ? "fa-IR" : "en";
  const styles = getComputedStyle(document.body);
  Chart.defaults.font.family = styles.fontFamily;
  Chart.defaults.color = styles.getPropertyValue("--bs-body-color").trim() || "#212529";
  const colours = {sectors: "#0d6efd", provinces: "#198754"};
  for (const canvas of document.querySelectorAll("canvas[data-chart]")) {
    const series = data[canvas.dataset.chart];
    if (!series || !series.counts.length) continue;
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: series.labels,
        datasets: [{data: series.counts, backgroundColor: colours[canvas.dataset.chart], borderRadius: 4, maxBarThickness: 22}],
      },
      options: {
        indexAxis: "y",
        locale,
        maintainAspectRatio: false,
        animation: window.matchMedia("(prefers-reduced-motion: reduce)").matches ? false : undefined,
        plugins: {legend: {display: false}, tooltip: {rtl, textDirection: rtl ? "rtl" : "ltr"}},
        scales: {
          x: {reverse: rtl, beginAtZero: true, ticks: {precision: 0}, grid: {color: "rgba(0,0,0,.06)"}},
          y: {
            position: rtl ? "right" : "left",
            grid: {display: false},
            ticks: {
              autoSkip: false,
              // Long sector names are shortened on narrow screens; the tooltip and the table keep them whole.
              callback(value) {
                const label = this.getLabelForValue(value);
                const room = canvas.clientWidth < 520 ? 18 : 36;
                return label.length > room ? `${label.slice(0, room - 1)}…` : label;
              },
            },
          },
        },
        onHover: (event, elements) => {
          event.native.target.style.cursor = elements.length ? "pointer" : "default";
        },
        onClick: (event, elements) => {
          if (elements.length) window.location.href = canvas.dataset.link + encodeURIComponent(series.codes[elements[0].index]);
        },
      },
    });
  }
});
