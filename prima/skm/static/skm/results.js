// Charts of the SKM result pages, drawn with Plotly from the JSON in #skm-chart-data.
// Each chart sits beside a table holding the same figures; without JavaScript (or
// Plotly) the tables alone are shown, and the charts are hidden from screen readers.
(function () {
  "use strict";

  function numbers(values) {
    return values.map(function (value) { return value === null ? null : Number(value); });
  }

  var CONFIG = { displayModeBar: false, responsive: true };
  // Decimal comma and thousands dot in Indonesian (76,54), as in the tables.
  var SEPARATORS = document.documentElement.lang === "en" ? ".," : ",.";
  var FONT = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" };

  function bar(element, labels, values, range, horizontal) {
    var trace = horizontal
      ? { type: "bar", orientation: "h", y: labels, x: values, marker: { color: "#0b3d91" } }
      : { type: "bar", x: labels, y: values, marker: { color: "#0b3d91" } };
    var axis = range ? { range: range } : { rangemode: "tozero" };
    var layout = {
      font: FONT,
      separators: SEPARATORS,
      margin: { l: horizontal ? 220 : 40, r: 10, t: 10, b: horizontal ? 30 : 60 },
      height: Math.max(220, horizontal ? labels.length * 28 + 50 : 260),
      xaxis: horizontal ? axis : { automargin: true },
      yaxis: horizontal ? { automargin: true, autorange: "reversed" } : axis,
    };
    window.Plotly.newPlot(element, [trace], layout, CONFIG);
  }

  function line(element, labels, values) {
    var layout = {
      font: FONT,
      separators: SEPARATORS,
      margin: { l: 40, r: 10, t: 10, b: 40 },
      height: 260,
      yaxis: { range: [25, 100] },
      xaxis: { type: "category" },
    };
    window.Plotly.newPlot(
      element,
      [{ type: "scatter", mode: "lines+markers", x: labels, y: values, line: { color: "#0b3d91" } }],
      layout,
      CONFIG
    );
  }

  function draw() {
    var source = document.getElementById("skm-chart-data");
    if (!source || !window.Plotly) { return; }
    var data = JSON.parse(source.textContent);
    document.querySelectorAll(".skm-chart").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      if (kind === "nrr") {
        bar(element, data.nrr.labels, numbers(data.nrr.values), [1, 4], true);
      } else if (kind === "services" && data.services.labels.length) {
        bar(element, data.services.labels, numbers(data.services.values), [25, 100], true);
      } else if (kind === "trend" && data.trend.labels.length) {
        line(element, data.trend.labels, numbers(data.trend.values));
      } else if (kind === "profile") {
        var profile = data.profile[Number(element.getAttribute("data-index"))];
        if (profile && profile.labels.length) {
          bar(element, profile.labels, profile.values, null, false);
        }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
