// 驾驶舱 charts, drawn with the Apache ECharts file shipped in the package (no CDN), refreshed every few minutes.
(function () {
  "use strict";
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) return;
  var data = JSON.parse(node.textContent);
  var charts = [];
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = window.echarts.init(el, null, { renderer: "canvas" });
    c.setOption(Object.assign({ animation: false, tooltip: { trigger: "axis" }, legend: { top: 0 },
                                grid: { left: 40, right: 16, top: 32, bottom: 28 } }, option));
    charts.push(c);
  }
  var colors = data.level_colors;
  chart("chart-backlog", {
    xAxis: { type: "category", data: data.backlog.x }, yAxis: { type: "value", minInterval: 1 },
    series: data.backlog.series.map(function (s) {
      return { name: s.name, type: "line", stack: "backlog", areaStyle: {}, symbol: "none", data: s.data,
               itemStyle: { color: colors[s.level] } };
    })
  });
  chart("chart-stp", {
    xAxis: { type: "category", data: data.straight_through.x },
    yAxis: { type: "value", min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + "%"; } } },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : (v * 100).toFixed(1) + "%"; } },
    series: data.straight_through.series.map(function (s, i) {
      return { name: s.name, type: i === 0 ? "bar" : "line", data: s.data, connectNulls: true };
    })
  });
  chart("chart-times", {
    xAxis: { type: "category", data: data.times.buckets }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: "首次响应", type: "bar", data: data.times.first_touch },
             { name: "处理时长", type: "bar", data: data.times.handle }]
  });
  chart("chart-escalations", {
    xAxis: { type: "category", data: data.escalations.x }, yAxis: { type: "value", minInterval: 1 },
    series: data.escalations.series.map(function (s) { return { name: s.name, type: "bar", stack: "esc", data: s.data }; })
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  var script = document.currentScript;
  var refresh = +(script && script.dataset.refresh) || 120;
  setTimeout(function () {
    if (!document.activeElement || document.activeElement === document.body) window.location.reload();
  }, refresh * 1000);
})();
