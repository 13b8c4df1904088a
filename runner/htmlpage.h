/*
 * htmlpage.h — the pieces of a self-contained HTML page with charts: the
 * page's head (with Chart.js, embedded at build time, inlined), escaped
 * text, one chart from a Chart.js config built with jansson, and the end.
 * Nothing on the page makes a request: no CDN, no font, no image. Used by
 * the run report (report_html.c) and by `--compare`'s html output.
 */
#ifndef INCBENCH_HTMLPAGE_H
#define INCBENCH_HTMLPAGE_H

#include <stddef.h>
#include <stdio.h>

/* jansson's json_t, declared here so that config.c, which needs
 * HTMLPAGE_MISSING alone, does not need jansson. */
struct json_t;

/* Why this build cannot write html (a config error quotes it), or NULL. */
#ifdef HAVE_CHARTJS
#define HTMLPAGE_MISSING NULL
#else
#define HTMLPAGE_MISSING "this runner was built without the html format: configure did not " \
    "find Chart.js (apt-get install libjs-chart.js, then ./configure again)"
#endif

/* The doctype, <head> with title (escaped), a small stylesheet, Chart.js
 * and the helpers below, then <body>. -1 with one sentence in err when
 * this build has no Chart.js (HTMLPAGE_MISSING) or writing failed. */
int htmlpage_begin(FILE *out, const char *title, char *err, size_t errlen);

/* s as HTML text or attribute value: & < > " ' become entities; bytes
 * that are not UTF-8, and control characters but tab and newline, become
 * '?' (names come from config files and plugins). */
void htmlpage_text(FILE *out, const char *s);

/* A JSON string of any bytes, with the same '?' for what is not UTF-8
 * (json_string refuses those). Never NULL but when out of memory. */
struct json_t *htmlpage_string(const char *s);

/* {"$fn": name}: where a chart config wants a function (see below). */
struct json_t *htmlpage_fn(const char *name);

/* The i-th colour of the charts' palette (it repeats past ten), "#rrggbb". */
const char *htmlpage_colour(size_t i);

/* An axis title shown with `text`. */
struct json_t *htmlpage_axis_title(const char *text);

/* A log axis of times in ns (ticks "ns_decades"), titled `title`: the
 * latency axis of every line chart. */
struct json_t *htmlpage_ns_axis(const char *title);

/* A chart: <div class="chart" id="ID"> holding a <canvas id="ID-canvas">
 * (height_px tall; 0: 380) made by the script that follows it, which calls
 * new Chart() on `config`
 * (a Chart.js configuration: type, data, options). config is serialised
 * by jansson with every '<' written as \u003c, so no string in it can
 * close the <script>. id: letters, digits, '-' and '_' only. `caption`
 * (escaped, may be NULL) is written under the chart.
 *
 * Chart.js takes functions (tick labels, tooltips) that JSON cannot hold:
 * an object {"$fn": "NAME"} anywhere in config is replaced, on the page,
 * by the helper NAME:
 *   "ns"          a tick label: a time in ns as "812 ns", "13.4 µs", "1.2 ms"
 *   "ns_decades"  the same, for a log axis: only 1, 2 and 5 of each decade
 *   "nines"       a tick label on a nines axis (x = -log10(1 - p)): 0, 90,
 *                 99, 99.9, ...
 *   "nines_ticks" afterBuildTicks of a nines axis: one tick per whole x
 *   "tooltip_ns"  a tooltip label callback: "dataset: 13.4 µs" (a floating
 *                 bar [low, high] as "dataset: 12.1 µs .. 14.2 µs"); a
 *                 dataset's "ns" array, when it has one, is shown instead
 *                 of the drawn value (a log axis cannot draw 0)
 *   "tooltip_pct" a tooltip label callback: "dataset: 41%", and the
 *                 dataset's "ns" value at that point as a time, when it
 *                 has one: "dataset: 41% (5.2 µs)"
 *   "tooltip_lines_title"  a tooltip title: the point's label, its lines
 *                 (a label may be an array of lines) joined by "; "
 *   "tooltip_nines_title"  a tooltip title: "p99.9" from the point's x
 *   "sweep_ticks" afterBuildTicks of a numeric axis of swept values: one
 *                 tick at each point's x, keeping the point's "v" (the
 *                 value as written) for "sweep_tick"
 *   "sweep_tick"  a tick label: that written value ("64k")
 *   "sweep_title" a tooltip title: "KEY = VALUE" from the point's "k", "v"
 * An unknown NAME throws on the page (a test's browser run catches it).
 * Returns -1 with one sentence when id is empty or not as above, or when
 * config cannot be serialised; nothing is written then. */
int htmlpage_chart(FILE *out, const char *id, const struct json_t *config, const char *caption,
                   unsigned height_px, char *err, size_t errlen);

/* </body></html>. -1 when the stream has failed (any earlier write too). */
int htmlpage_end(FILE *out);

#endif
