/*
 * htmlpage.c — a self-contained HTML page with Chart.js charts (see
 * htmlpage.h). Chart.js comes from the build (chartjs.c, generated from
 * Debian's libjs-chart.js by runner/local.mk), never from the network;
 * the page's own script is the few helpers charts name with {"$fn": ...}.
 * Nothing here may write "</" inside a <script> but Chart.js itself, which
 * configure checked holds no "</script".
 */
#include "htmlpage.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* chartjs.c: the bytes of chart.min.js; length 0 in a build without it. */
extern const unsigned char htmlpage_chartjs[];
extern const size_t htmlpage_chartjs_len;

/* Plain and small; system fonts only, so the page loads nothing. */
static const char style[] =
    "body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#222;"
    "margin:1.5em auto;max-width:1200px;padding:0 1em}\n"
    "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .4em;"
    "border-bottom:1px solid #ddd}\n"
    "table{border-collapse:collapse;margin:.4em 0;font-size:13px}th,td{padding:.2em .5em;"
    "border-bottom:1px solid #eee}th{text-align:left;background:#f4f4f4}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr.group th{background:#fff3e0;font-weight:normal;font-style:italic}\n"
    ".warn{color:#9a4f00}.fail{color:#b00020}.muted{color:#777}\n"
    "ul.notes{margin:.3em 0;padding-left:1.2em}pre.notes{white-space:pre-wrap}dl.meta{display:grid;"
    "grid-template-columns:max-content auto;gap:.1em 1em;margin:.4em 0}"
    "dl.meta dt{color:#555}dl.meta dd{margin:0}\n"
    ".chart{margin:.6em 0 1.6em}.chart .plot{position:relative}"
    ".chart p.caption{color:#555;margin:.3em 0 0;font-size:.92em}\n";

/* The helpers a chart's config names with {"$fn": NAME}; see htmlpage.h.
 * No "</" may appear here: it would end the <script>. */
static const char helpers[] =
    "var IB = (function () {\n"
    "  'use strict';\n"
    "  Chart.defaults.animation = false;\n"
    "  Chart.defaults.maintainAspectRatio = false;\n"
    "  function ns(v) {\n"
    "    v = Number(v);\n"
    "    if (!isFinite(v)) return '-';\n"
    "    var u = 'ns', x = v, a = Math.abs(v);\n"
    "    if (a >= 1e9) { x = v / 1e9; u = 's'; }\n"
    "    else if (a >= 1e6) { x = v / 1e6; u = 'ms'; }\n"
    "    else if (a >= 1e3) { x = v / 1e3; u = '\\u00b5s'; }\n"
    "    return Number(x.toPrecision(3)) + ' ' + u;\n"
    "  }\n"
    "  function mantissa(v) {\n"
    "    return Math.round(v / Math.pow(10, Math.floor(Math.log10(v) + 1e-9)) * 1000) / 1000;\n"
    "  }\n"
    "  function nines(x) {\n"
    "    return Number((100 * (1 - Math.pow(10, -x))).toFixed(Math.max(1, Math.ceil(x))));\n"
    "  }\n"
    "  var fns = {\n"
    "    ns: function (v) { return ns(v); },\n"
    "    ns_decades: function (v, i, ticks) {\n"
    "      if (!(v > 0)) return '';\n"
    "      var lo = ticks[0].value, hi = ticks[ticks.length - 1].value;\n"
    "      var m = mantissa(v), wide = lo > 0 && hi / lo > 300;\n"
    "      return m === 1 || (!wide && (m === 2 || m === 5)) ? ns(v) : '';\n"
    "    },\n"
    "    nines: function (v) {\n"
    "      var n = Math.round(v);\n"
    "      if (Math.abs(v - n) > 1e-9) return '';\n"
    "      return n === 0 ? '0' : (100 - Math.pow(10, 2 - n)).toFixed(Math.max(0, n - 2));\n"
    "    },\n"
    "    nines_ticks: function (axis) {\n"
    "      var t = [];\n"
    "      for (var i = Math.ceil(axis.min); i <= Math.floor(axis.max) && t.length < 20; i++)\n"
    "        t.push({ value: i });\n"
    "      axis.ticks = t;\n"
    "    },\n"
    "    tooltip_ns: function (c) {\n"
    "      var name = c.dataset.label ? c.dataset.label + ': ' : '';\n"
    "      var v = c.dataset.ns ? c.dataset.ns[c.dataIndex] : c.raw;\n"
    "      if (Array.isArray(v)) return name + ns(v[0]) + ' .. ' + ns(v[1]);\n"
    "      if (typeof v === 'number') return name + ns(v);\n"
    "      return name + ns(c.chart.options.indexAxis === 'y' ? c.parsed.x : c.parsed.y);\n"
    "    },\n"
    "    tooltip_pct: function (c) {\n"
    "      var v = c.chart.options.indexAxis === 'y' ? c.parsed.x : c.parsed.y;\n"
    "      var s = (c.dataset.label ? c.dataset.label + ': ' : '') + v.toFixed(0) + '%';\n"
    "      var t = c.dataset.ns ? c.dataset.ns[c.dataIndex] : null;\n"
    "      return t === null || t === undefined ? s : s + ' (' + ns(t) + ')';\n"
    "    },\n"
    "    tooltip_lines_title: function (items) {\n"
    "      if (!items.length) return '';\n"
    "      var l = items[0].chart.data.labels[items[0].dataIndex];\n"
    "      return Array.isArray(l) ? l.join('; ') : String(l);\n"
    "    },\n"
    "    tooltip_nines_title: function (items) {\n"
    "      return items.length ? 'p' + nines(items[0].parsed.x) : '';\n"
    "    },\n"
    "    sweep_ticks: function (axis) {\n"
    "      var seen = {}, t = [];\n"
    "      axis.chart.data.datasets.forEach(function (ds) {\n"
    "        ds.data.forEach(function (p) {\n"
    "          if (p && typeof p.x === 'number' && !seen[p.x]) {\n"
    "            seen[p.x] = true;\n"
    "            t.push({ value: p.x, written: p.v });\n"
    "          }\n"
    "        });\n"
    "      });\n"
    "      t.sort(function (a, b) { return a.value - b.value; });\n"
    "      axis.ticks = t;\n"
    "    },\n"
    "    sweep_tick: function (v, i, ticks) {\n"
    "      return ticks[i] && ticks[i].written !== undefined ? ticks[i].written : '';\n"
    "    },\n"
    "    sweep_title: function (items) {\n"
    "      var r = items.length ? items[0].raw : null;\n"
    "      return r && r.k !== undefined ? r.k + ' = ' + r.v : '';\n"
    "    }\n"
    "  };\n"
    "  function revive(o) {\n"
    "    if (Array.isArray(o)) {\n"
    "      for (var i = 0; i < o.length; i++) o[i] = revive(o[i]);\n"
    "    } else if (o !== null && typeof o === 'object') {\n"
    "      var k = Object.keys(o);\n"
    "      if (k.length === 1 && k[0] === '$fn') {\n"
    "        if (!Object.prototype.hasOwnProperty.call(fns, o.$fn))\n"
    "          throw new Error('incbench: no chart helper ' + o.$fn);\n"
    "        return fns[o.$fn];\n"
    "      }\n"
    "      for (var j = 0; j < k.length; j++) o[k[j]] = revive(o[k[j]]);\n"
    "    }\n"
    "    return o;\n"
    "  }\n"
    "  function canvas(id) {\n"
    "    var plot = document.getElementById(id).querySelector('.plot');\n"
    "    var c = document.createElement('canvas');\n"
    "    c.id = id + '-canvas';\n"
    "    plot.appendChild(c);\n"
    "    return c;\n"
    "  }\n"
    "  return { revive: revive, canvas: canvas };\n"
    "}());\n";

/* Colour-blind-safe enough, and distinct in print (Tableau 10). */
static const char *const palette[] = {
    "#4e79a7", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#ff9da7",
    "#bab0ac", "#f28e2b",
};

const char *htmlpage_colour(size_t i)
{
    return palette[i % (sizeof palette / sizeof palette[0])];
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0. Overlong forms,
 * surrogates and values past U+10FFFF are not valid. */
static size_t utf8_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned long cp;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

/* Whether byte c (ASCII) is a control character a page must not carry. */
static bool is_control(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f;
}

void htmlpage_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0 || (n == 1 && is_control(*p))) {
            fputc('?', out);
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fwrite(p, 1, n, out); break;
        }
        p += n;
    }
}

json_t *htmlpage_fn(const char *name)
{
    return json_pack("{s:s}", "$fn", name);
}

json_t *htmlpage_axis_title(const char *text)
{
    return json_pack("{s:b, s:s}", "display", 1, "text", text);
}

json_t *htmlpage_ns_axis(const char *title)
{
    return json_pack("{s:s, s:o, s:{s:o}}", "type", "logarithmic",
                     "title", htmlpage_axis_title(title),
                     "ticks", "callback", htmlpage_fn("ns_decades"));
}

json_t *htmlpage_string(const char *s)
{
    size_t len = strlen(s);
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0;
    while (*p) {
        size_t n = utf8_len(p);
        if (n == 0 || (n == 1 && is_control(*p))) {
            copy[o++] = '?';
            p++;
            continue;
        }
        memcpy(copy + o, p, n);
        o += n;
        p += n;
    }
    copy[o] = '\0';
    json_t *j = json_string(copy);
    free(copy);
    return j;
}

int htmlpage_begin(FILE *out, const char *title, char *err, size_t errlen)
{
    if (htmlpage_chartjs_len == 0) {
        snprintf(err, errlen, "%s", HTMLPAGE_MISSING != NULL ? HTMLPAGE_MISSING :
                 "this runner's embedded Chart.js is empty: rebuild it");
        return -1;
    }
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>", out);
    htmlpage_text(out, title);
    fprintf(out, "</title>\n<style>\n%s</style>\n<script>\n", style);
    fwrite(htmlpage_chartjs, 1, htmlpage_chartjs_len, out);
    fprintf(out, "\n</script>\n<script>\n%s</script>\n</head>\n<body>\n", helpers);
    if (ferror(out)) {
        snprintf(err, errlen, "writing the page failed");
        return -1;
    }
    return 0;
}

static bool id_ok(const char *id)
{
    if (id == NULL || id[0] == '\0')
        return false;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_'))
            return false;
    return true;
}

int htmlpage_chart(FILE *out, const char *id, const json_t *config, const char *caption,
                   unsigned height_px, char *err, size_t errlen)
{
    if (!id_ok(id)) {
        snprintf(err, errlen, "chart id '%s' is not letters, digits, '-' and '_'",
                 id ? id : "(null)");
        return -1;
    }
    /* ENSURE_ASCII also turns U+2028 and U+2029, line ends to older
     * JavaScript, into escapes. */
    char *json = json_dumps(config, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    if (json == NULL) {
        snprintf(err, errlen, "chart '%s': its config cannot be written as JSON", id);
        return -1;
    }
    fprintf(out, "<div class=\"chart\" id=\"%s\"><div class=\"plot\" style=\"height:%upx\">"
            "</div>\n", id, height_px ? height_px : 380);
    if (caption != NULL) {
        fputs("<p class=\"caption\">", out);
        htmlpage_text(out, caption);
        fputs("</p>\n", out);
    }
    fprintf(out, "</div>\n<script>\nnew Chart(IB.canvas(\"%s\"), IB.revive(", id);
    /* '<' only ever appears inside JSON strings, where \u003c means it. */
    for (const char *p = json; *p; p++) {
        if (*p == '<')
            fputs("\\u003c", out);
        else
            fputc(*p, out);
    }
    fputs("));\n</script>\n", out);
    free(json);
    return 0;
}

int htmlpage_end(FILE *out)
{
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}
