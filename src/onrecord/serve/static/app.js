/* onrecord reading room: keyboard navigation and charts. No HTML is ever built from data here:
   chart labels go to Chart.js as data (drawn on a canvas), and page text is only set via textContent. */
(function () {
  "use strict";

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function results() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-nav]"));
  }

  function move(step) {
    var items = results();
    if (!items.length) return false;
    var i = items.indexOf(document.activeElement);
    var next = i < 0 ? (step > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, i + step));
    items[next].focus();
    items[next].scrollIntoView({ block: "nearest" });
    return true;
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key === "Escape" && typing(document.activeElement)) {
      document.activeElement.blur();
      return;
    }
    if (typing(document.activeElement)) return;
    if (ev.key === "/") {
      var box = document.getElementById("q");
      if (box) { ev.preventDefault(); box.focus(); box.select(); }
    } else if (ev.key === "j" || ev.key === "ArrowDown") {
      if (move(1)) ev.preventDefault();
    } else if (ev.key === "k" || ev.key === "ArrowUp") {
      if (move(-1)) ev.preventDefault();
    } else if (ev.key === "n" || ev.key === "p") {
      var link = document.querySelector(ev.key === "n" ? "a[rel=next]" : "a[rel=prev]");
      if (link) link.click();
    }
  });

  /* article page: a statement picked in the side list flashes in the text */
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a[data-jump]");
    if (!a) return;
    var target = document.getElementById(a.getAttribute("data-jump"));
    if (!target) return;
    document.querySelectorAll("mark.flash").forEach(function (m) { m.classList.remove("flash"); });
    document.querySelectorAll('mark[data-st="' + target.getAttribute("data-st") + '"]').forEach(function (m) {
      m.classList.add("flash");
    });
  });

  /* charts: <script type="application/json" class="chart-data" data-canvas="ID"> holds
     {type, labels, datasets: [{label, data, color}], stacked} */
  function paletteColor(i) {
    var v = getComputedStyle(document.documentElement).getPropertyValue("--c" + i).trim();
    return v || "#6c757d";
  }

  window.onrecordCharts = [];
  function drawCharts() {
    if (typeof Chart === "undefined") return;
    document.querySelectorAll("script.chart-data").forEach(function (el) {
      var spec;
      try { spec = JSON.parse(el.textContent); } catch (e) { return; }
      var canvas = document.getElementById(el.getAttribute("data-canvas"));
      if (!canvas || !spec || !spec.labels) return;
      var horizontal = spec.type === "hbar";
      var datasets = spec.datasets.map(function (d) {
        var c = paletteColor(d.color);
        return {
          label: d.label, data: d.data, backgroundColor: spec.type === "line" ? c : c + "cc",
          borderColor: c, borderWidth: spec.type === "line" ? 2 : 0, tension: 0, pointRadius: 3, fill: false
        };
      });
      var chart = new Chart(canvas, {
        type: horizontal ? "bar" : spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          indexAxis: horizontal ? "y" : "x",
          interaction: { mode: "nearest", intersect: false },
          plugins: { legend: { display: datasets.length > 1, position: "bottom" } },
          scales: {
            x: { stacked: !!spec.stacked, ticks: { autoSkip: true, maxRotation: 0 }, beginAtZero: true },
            y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
          }
        }
      });
      canvas.setAttribute("data-rendered", "1");
      window.onrecordCharts.push(chart);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawCharts);
  else drawCharts();
})();
