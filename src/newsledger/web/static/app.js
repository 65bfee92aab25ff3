// The figure timeline: the Vega-Lite spec comes as JSON in <script type="application/json"
// id="chart-spec"> (never run as script); Vega evaluates its expressions with vega-interpreter,
// so the page's Content-Security-Policy needs neither inline scripts nor eval.
(function () {
  "use strict";
  var data = document.getElementById("chart-spec");
  var box = document.getElementById("chart");
  if (!data || !box || typeof vegaEmbed !== "function") return;
  var spec;
  try {
    spec = JSON.parse(data.textContent);
  } catch (e) {
    box.textContent = "The chart's data could not be read.";
    return;
  }
  vegaEmbed(box, spec, {
    ast: true,
    expr: vega.expressionInterpreter,
    defaultStyle: false,
    actions: false,
    renderer: "svg",
    tooltip: { disableDefaultStyle: true }
  }).then(function () {
    box.setAttribute("data-rendered", "true");
  }).catch(function (err) {
    box.textContent = "The chart could not be drawn: " + (err && err.message ? err.message : err);
  });
})();
