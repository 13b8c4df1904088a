// check.js — put into a copy of an html report by browser.sh, before the
// page's own scripts. After the page has loaded it writes one line into
// the DOM, which chromium --dump-dom prints:
//   CHECK verdict=ok|fail charts=N blank=... undrawn=... errors=N requests=N height=PX
// blank: canvases of a single colour; undrawn: canvases with fewer than
// MIN_PIXELS pixels of their datasets' colours inside the chart area (axes,
// text and the legend do not count); errors: uncaught errors and
// console.error/warn calls; requests: resources the page fetched (it must
// fetch none). After the line: the errors, the requests, and the tooltip
// text of every dataset's first point.
// This file must never hold a closing-tag sequence: it sits in a <script>.
(function () {
  'use strict';
  var MIN_PIXELS = 100;
  var errors = [], tips = [];
  window.addEventListener('error', function (e) {
    errors.push('uncaught: ' + (e.message || e.type));
  }, true);
  ['error', 'warn'].forEach(function (level) {
    var orig = console[level];
    console[level] = function () {
      errors.push('console.' + level + ': ' + Array.prototype.join.call(arguments, ' '));
      return orig.apply(console, arguments);
    };
  });

  function hexColours(ds) {
    var out = [];
    [ds.backgroundColor, ds.borderColor].forEach(function (c) {
      (Array.isArray(c) ? c : [c]).forEach(function (s) {
        var m = typeof s === 'string' && /^#([0-9a-f]{6})$/i.exec(s);
        if (m) {
          var n = parseInt(m[1], 16);
          out.push([n >> 16 & 255, n >> 8 & 255, n & 255]);
        }
      });
    });
    return out;
  }

  // Data pixels are counted inside the chart area only: the legend's
  // swatches have the datasets' colours too.
  function inspect(canvas) {
    var ctx = canvas.getContext('2d');
    var d = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    var chart = window.Chart && Chart.getChart(canvas);
    var colours = [], area = null;
    if (chart) {
      chart.data.datasets.forEach(function (ds) { colours = colours.concat(hexColours(ds)); });
      var a = chart.chartArea, s = canvas.width / canvas.clientWidth;
      area = { l: a.left * s, t: a.top * s, r: a.right * s, b: a.bottom * s };
    }
    var first = null, many = false, hits = 0;
    for (var i = 0; i < d.length; i += 4) {
      var px = d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + d[i + 3];
      if (first === null) first = px; else if (px !== first) many = true;
      var x = (i / 4) % canvas.width, y = Math.floor(i / 4 / canvas.width);
      if (!area || x < area.l || x > area.r || y < area.t || y > area.b) continue;
      if (d[i + 3] < 200) continue;
      for (var k = 0; k < colours.length; k++) {
        var c = colours[k];
        if (Math.abs(d[i] - c[0]) <= 8 && Math.abs(d[i + 1] - c[1]) <= 8 &&
            Math.abs(d[i + 2] - c[2]) <= 8) { hits++; break; }
      }
    }
    return { blank: !many, drawn: hits >= MIN_PIXELS };
  }

  // Every dataset's first point through the tooltip, as a hover would: the
  // label callbacks run only then. A label that is empty or says undefined
  // or NaN counts as an error.
  function tooltips(canvas) {
    var chart = window.Chart && Chart.getChart(canvas);
    if (!chart) return;
    chart.data.datasets.forEach(function (ds, d) {
      var i = ds.data.findIndex(function (v) { return v !== null && v !== undefined; });
      if (i < 0) return;
      chart.tooltip.setActiveElements([{ datasetIndex: d, index: i }], { x: 0, y: 0 });
      chart.update();
      var lines = [].concat(chart.tooltip.title || []);
      (chart.tooltip.body || []).forEach(function (b) { lines = lines.concat(b.lines); });
      var text = lines.join(' | ');
      if (!text || /undefined|NaN/.test(text))
        errors.push('tooltip of ' + canvas.id + ' dataset ' + d + ': "' + text + '"');
      else
        tips.push(canvas.id + ': ' + text);
    });
    chart.tooltip.setActiveElements([], { x: 0, y: 0 });
    chart.update();
  }

  function check() {
    var canvases = document.querySelectorAll('canvas');
    var blank = [], undrawn = [];
    for (var i = 0; i < canvases.length; i++) {
      var r;
      try { r = inspect(canvases[i]); } catch (e) { errors.push('check: ' + e.message); continue; }
      if (r.blank) blank.push(canvases[i].id || '?');
      if (!r.drawn) undrawn.push(canvases[i].id || '?');
    }
    // After the pixels: showing a tooltip redraws the chart.
    for (var t = 0; t < canvases.length; t++) {
      try { tooltips(canvases[t]); } catch (e) { errors.push('tooltip: ' + e.message); }
    }
    var requests = performance.getEntriesByType('resource').map(function (e) { return e.name; });
    var ok = canvases.length > 0 && !blank.length && !undrawn.length && !errors.length &&
             !requests.length;
    var line = 'CHECK verdict=' + (ok ? 'ok' : 'fail') + ' charts=' + canvases.length +
               ' blank=' + (blank.join(',') || 'none') +
               ' undrawn=' + (undrawn.join(',') || 'none') +
               ' errors=' + errors.length + ' requests=' + requests.length +
               ' height=' + document.documentElement.scrollHeight;
    var pre = document.createElement('pre');
    pre.id = 'browser-check';
    pre.hidden = true;
    pre.textContent = '\n' + [line].concat(errors, requests, tips).join('\n') + '\nEND-CHECK\n';
    document.body.appendChild(pre);
  }
  window.addEventListener('load', function () { setTimeout(check, 200); });
}());
