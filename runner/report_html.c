/*
 * report_html.c — `format = html`: one run as a page that works offline:
 * its header (machine, environment, settings, placement), the results table
 * with the text table's figures, and three charts: the mean per call with
 * its 95% interval, the latency percentiles on a nines scale (from each
 * histogram), and where each call's time goes; with a sweep, latency against
 * the swept value (sweep_chart.c). Figures come from struct figures, never
 * computed here. Pipelined sections are a group of their own
 * everywhere, since their calls overlap; failed ones are listed, not charted.
 */
#include "report_html.h"

#include "grid.h"
#include "htmlpage.h"
#include "nines_chart.h"
#include "report_cells.h"
#include "report_tls.h"
#include "sweep_chart.h"

#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define PIPELINED_LABEL "pipelined: not dependent calls"

/* Colours: dependent calls blue, pipelined orange in every chart. */
#define COLOUR_DEPENDENT "#4e79a7"
#define COLOUR_PIPELINED "#f28e2b"

static bool pipelined(const struct result *r)
{
    return r->sec->window > 1;
}

static bool charted(const struct result *r, const struct figures *f)
{
    return f->ok && !r->failed;
}

/* The sections the charts show, dependent ones first: idx[0..return). */
static size_t chart_order(const struct report *rep, const struct figures *f, size_t *idx)
{
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < rep->n; i++)
            if (charted(&rep->results[i], &f[i]) && pipelined(&rep->results[i]) == (pass == 1))
                idx[n++] = i;
    return n;
}

/* A category label: the section's name, and what sets it apart. */
static json_t *section_label(const struct result *r, const char *second)
{
    json_t *l = json_array();
    json_array_append_new(l, htmlpage_string(r->sec->name));
    if (pipelined(r)) {
        char buf[96];
        snprintf(buf, sizeof buf, PIPELINED_LABEL " (%llu chains)",
                 (unsigned long long)r->sec->window);
        json_array_append_new(l, json_string(buf));
    }
    if (second != NULL)
        json_array_append_new(l, htmlpage_string(second));
    return l;
}

/* 10^floor(log10(v)): where a log axis holding v should start. */
static double decade_below(double v)
{
    return v > 0 ? pow(10, floor(log10(v))) : 1;
}

/* ---- chart 1: mean per call with its 95% interval ---- */

static json_t *mean_chart(const struct report *rep, const struct figures *f, const size_t *idx,
                          size_t n)
{
    double lowest = INFINITY;
    for (size_t k = 0; k < n; k++) {
        const struct figures *x = &f[idx[k]];
        if (x->mean > 0 && x->mean < lowest)
            lowest = x->mean;
        if (x->has_mean_ci && x->mean_ci.low > 0 && x->mean_ci.low < lowest)
            lowest = x->mean_ci.low;
    }
    double axis_min = decade_below(isinf(lowest) ? 1 : lowest);
    json_t *labels = json_array(), *dep = json_array(), *pip = json_array(),
           *ci = json_array(), *ci_ns = json_array();
    for (size_t k = 0; k < n; k++) {
        const struct result *r = &rep->results[idx[k]];
        const struct figures *x = &f[idx[k]];
        json_array_append_new(labels, section_label(r, NULL));
        json_array_append_new(pipelined(r) ? pip : dep, json_real(x->mean));
        json_array_append_new(pipelined(r) ? dep : pip, json_null());
        /* A log axis has no 0: an interval reaching 0 is drawn from the
         * axis' start, and its tooltip says 0 (ns: what tooltips show). */
        json_array_append_new(ci, x->has_mean_ci
            ? json_pack("[f,f]", x->mean_ci.low > axis_min ? x->mean_ci.low : axis_min,
                        x->mean_ci.high)
            : json_null());
        json_array_append_new(ci_ns, x->has_mean_ci
            ? json_pack("[f,f]", x->mean_ci.low, x->mean_ci.high) : json_null());
    }
    json_t *datasets = json_pack(
        "[{s:s, s:o, s:o, s:s, s:b, s:f, s:i},"
        " {s:s, s:o, s:s, s:b, s:f, s:i},"
        " {s:s, s:o, s:s, s:b, s:f, s:i}]",
        "label", "95% interval of the mean", "data", ci, "ns", ci_ns,
        "backgroundColor", "#222222",
        "grouped", 0, "barPercentage", 0.25, "order", 0,
        "label", "mean, dependent calls", "data", dep, "backgroundColor", COLOUR_DEPENDENT,
        "grouped", 0, "barPercentage", 0.8, "order", 1,
        "label", "mean, " PIPELINED_LABEL " (submit-to-answer)", "data", pip,
        "backgroundColor", COLOUR_PIPELINED, "grouped", 0, "barPercentage", 0.8, "order", 1);
    json_t *options = json_pack(
        "{s:s, s:{s:{s:s, s:f, s:o, s:{s:o, s:i}}},"
        " s:{s:{s:s}, s:{s:{s:o, s:o}}}}",
        "indexAxis", "y",
        "scales",
          "x", "type", "logarithmic", "min", axis_min,
               "title", htmlpage_axis_title("mean time per call (log scale)"),
               "ticks", "callback", htmlpage_fn("ns_decades"), "maxRotation", 0,
        "plugins",
          "legend", "position", "top",
          "tooltip", "callbacks", "title", htmlpage_fn("tooltip_lines_title"),
                     "label", htmlpage_fn("tooltip_ns"));
    return json_pack("{s:s, s:{s:o, s:o}, s:o}", "type", "bar", "data", "labels", labels,
                     "datasets", datasets, "options", options);
}

/* ---- chart 2: latency percentiles, HdrHistogram style ---- */

static json_t *percentile_chart(const struct report *rep, const size_t *idx, size_t n)
{
    struct nines_line *lines = calloc(n ? n : 1, sizeof *lines);
    char (*labels)[160] = calloc(n ? n : 1, sizeof *labels);
    json_t *config = NULL;
    if (lines != NULL && labels != NULL) {
        for (size_t k = 0; k < n; k++) {
            const struct result *r = &rep->results[idx[k]];
            snprintf(labels[k], sizeof labels[k], "%s%s", r->sec->name,
                     pipelined(r) ? " (" PIPELINED_LABEL ")" : "");
            lines[k] = (struct nines_line){ labels[k], r->hist, k,
                                            pipelined(r) };
        }
        config = nines_chart(lines, n);
    }
    free(lines);
    free(labels);
    return config;
}

/* ---- chart 3: where each call's time goes ---- */

enum part { PART_CLIENT, PART_SERVER, PART_WAIT, PART_UNKNOWN, N_PARTS };

/* The parts of x's time per call in ns; NAN for none. A server in the
 * client's process (thread) or none at all (in-process) has no part of its
 * own: its CPU is in the client's, or there is none. What was not measured
 * (a counter not read, an external server) is PART_UNKNOWN: the rest of the
 * time per call, never drawn as 0. */
static void split(const struct figures *x, double *part)
{
    bool unknown = !x->client.has_cpu || isnan(x->wait_ns);
    part[PART_CLIENT] = x->client.has_cpu ? x->client.cpu_ns : NAN;
    part[PART_SERVER] = NAN;
    if (x->scope == SCOPE_SEPARATE && x->server.has_cpu)
        part[PART_SERVER] = x->server.cpu_ns;
    else if (x->scope == SCOPE_SEPARATE || x->scope == SCOPE_CLIENT_ONLY)
        unknown = true;
    part[PART_WAIT] = x->wait_ns;
    double known = 0;
    for (int p = PART_CLIENT; p < PART_UNKNOWN; p++)
        if (!isnan(part[p]))
            known += part[p];
    double rest = x->per_call_ns - known;
    part[PART_UNKNOWN] = unknown && rest > 0 ? rest : NAN;
}

/* What the bar of x leaves out, for its label; NULL when nothing. */
static const char *split_note(const struct figures *x)
{
    switch (x->scope) {
    case SCOPE_COMBINED: return "server CPU: inside client CPU (server = thread)";
    case SCOPE_CLIENT_ONLY: return "server CPU, waiting: not measured (external server)";
    case SCOPE_IN_PROCESS: return "no server: in-process";
    default: break;
    }
    if (!x->server.has_cpu || !x->client.has_cpu)
        return "some CPU time not measured";
    return NULL;
}

static json_t *cost_chart(const struct report *rep, const struct figures *f, const size_t *idx,
                          size_t n)
{
    static const char *const names[N_PARTS] = {
        "client CPU", "server CPU", "waiting (on neither CPU)", "not measured"
    };
    static const char *const colours[N_PARTS] = { "#4e79a7", "#59a14f", "#edc948", "#e0e0e0" };
    json_t *labels = json_array(), *pct[N_PARTS], *ns[N_PARTS];
    for (int p = 0; p < N_PARTS; p++) {
        pct[p] = json_array();
        ns[p] = json_array();
    }
    json_t *borders = json_array();
    for (size_t k = 0; k < n; k++) {
        const struct result *r = &rep->results[idx[k]];
        const struct figures *x = &f[idx[k]];
        double part[N_PARTS], sum = 0;
        split(x, part);
        for (int p = 0; p < N_PARTS; p++)
            if (!isnan(part[p]))
                sum += part[p];
        /* CPU can pass the time per call when a side runs several threads:
         * the shares are then of the CPU total. */
        double whole = sum > x->per_call_ns ? sum : x->per_call_ns;
        char first[96], second[160];
        grid_time(x->per_call_ns, first, sizeof first);
        const char *note = split_note(x);
        snprintf(second, sizeof second, "%s per call%s%s", first, note ? "; " : "",
                 note ? note : "");
        json_array_append_new(labels, section_label(r, second));
        json_array_append_new(borders, json_string(pipelined(r) ? COLOUR_PIPELINED : "#ffffff"));
        for (int p = 0; p < N_PARTS; p++) {
            bool has = !isnan(part[p]) && whole > 0;
            json_array_append_new(pct[p], has ? json_real(100 * part[p] / whole) : json_null());
            json_array_append_new(ns[p], has ? json_real(part[p]) : json_null());
        }
    }
    json_t *datasets = json_array();
    for (int p = 0; p < N_PARTS; p++) {
        json_t *ds = json_pack("{s:s, s:o, s:o, s:s, s:o, s:i}", "label", names[p],
                               "data", pct[p], "ns", ns[p], "backgroundColor", colours[p],
                               "borderColor", json_deep_copy(borders), "borderWidth", 2);
        json_array_append_new(datasets, ds);
    }
    json_decref(borders);
    json_t *options = json_pack(
        "{s:s, s:{s:{s:b, s:i, s:i, s:o}, s:{s:b}},"
        " s:{s:{s:s}, s:{s:{s:o, s:o}}}}",
        "indexAxis", "y",
        "scales",
          "x", "stacked", 1, "min", 0, "max", 100,
               "title", htmlpage_axis_title("share of the time per call (%)"),
          "y", "stacked", 1,
        "plugins",
          "legend", "position", "top",
          "tooltip", "callbacks", "title", htmlpage_fn("tooltip_lines_title"),
                     "label", htmlpage_fn("tooltip_pct"));
    return json_pack("{s:s, s:{s:o, s:o}, s:o}", "type", "bar", "data", "labels", labels,
                     "datasets", datasets, "options", options);
}

/* ---- the page's text ---- */

static void td_text(FILE *out, const char *s, bool num)
{
    fputs(num ? "<td class=\"num\">" : "<td>", out);
    htmlpage_text(out, s);
    fputs("</td>", out);
}

static void header(const struct report *rep, FILE *out)
{
    const struct config *cfg = rep->cfg;
    char t[64];
    fputs("<h1>incbench: ", out);
    htmlpage_text(out, cfg->path);
    fputs("</h1>\n<dl class=\"meta\">\n<dt>incbench</dt><dd>" PACKAGE_VERSION "</dd>\n"
          "<dt>machine</dt><dd>", out);
    htmlpage_text(out, rep->machine.cpu_model);
    fprintf(out, ", %ld cores, ", rep->machine.cores);
    htmlpage_text(out, rep->machine.kernel);
    fputs(" (", out);
    htmlpage_text(out, rep->machine.hostname);
    grid_time(rep->loop_cost_ns, t, sizeof t);
    fprintf(out, ")</dd>\n<dt>settings</dt><dd>requests %llu, warmup %llu, repeat %u, "
            "order %s, baseline ", (unsigned long long)cfg->requests,
            (unsigned long long)cfg->warmup, cfg->repeat, config_order_name(cfg->order));
    htmlpage_text(out, cfg->baseline ? cfg->baseline : "none");
    fprintf(out, " (a section may set its own; see placement)</dd>\n"
            "<dt>runner cost</dt><dd>%s per call (clock read, check, record); "
            "&ldquo;net&rdquo; is the mean minus it</dd>\n<dt>environment</dt><dd>", t);
    size_t warned = 0;
    for (size_t i = 0; i < rep->env.n; i++) {
        const struct envcheck_item *e = &rep->env.items[i];
        if (e->status == ENVCHECK_OK)
            continue;
        fputs(warned++ ? "<br>\n" : "", out);
        fprintf(out, "<span class=\"warn\">%s: ", envcheck_status_name(e->status));
        htmlpage_text(out, e->message);
        fputs("</span>", out);
    }
    if (warned == 0)
        fputs(rep->env.n ? "no warnings" : "not checked", out);
    fputs("</dd>\n</dl>\n", out);
}

static void placement(const struct report *rep, const struct figures *f, FILE *out)
{
    fputs("<h2>Placement</h2>\n<table id=\"placement\">\n<tr><th>section</th><th>plugin</th>"
          "<th>server</th><th>address</th><th>cpu client/server</th>"
          "<th class=\"num\">requests &times; repeats</th><th class=\"num\">warmup</th>"
          "<th class=\"num\">window</th><th class=\"num\">cold call</th>"
          "<th class=\"num\">conns</th>", out);
    /* The handshake pair only when someone counted one (report_tls.h). */
    const bool tls = report_any_tls(rep->results, rep->n);
    if (tls)
        fputs("<th class=\"num\">tls handshakes</th><th class=\"num\">per repeat</th>", out);
    fputs("</tr>\n", out);
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct config_section *s = r->sec;
        char buf[160];
        fputs("<tr>", out);
        td_text(out, s->name, false);
        td_text(out, r->plugin_name[0] ? r->plugin_name : s->plugin, false);
        td_text(out, report_mode_text(r), false);
        char shown[300];
        grid_elide(r->address[0] ? r->address : "-", REPORT_ADDRESS_SHOWN, shown, sizeof shown);
        td_text(out, shown, false);
        snprintf(buf, sizeof buf, "%s / %s", r->client_place[0] ? r->client_place : "any",
                 r->mode == SERVER_DEFAULT ? "-" : r->server_place[0] ? r->server_place : "any");
        td_text(out, buf, false);
        snprintf(buf, sizeof buf, "%llu \xc3\x97 %u", (unsigned long long)s->requests, s->repeat);
        td_text(out, buf, true);
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)s->warmup);
        td_text(out, buf, true);
        snprintf(buf, sizeof buf, "%llu%s", (unsigned long long)s->window,
                 s->window > 1 ? " (pipelined)" : "");
        td_text(out, buf, true);
        if (f[i].ok)
            grid_time((double)f[i].cold_med, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "-");
        td_text(out, buf, true);
        if (r->has_connections)
            snprintf(buf, sizeof buf, "%llu", (unsigned long long)r->connections);
        else
            snprintf(buf, sizeof buf, "-");
        td_text(out, buf, true);
        if (tls) {
            report_tls_sum_cell(r, buf, sizeof buf);
            td_text(out, buf, true);
            report_tls_repeat_cell(r, buf, sizeof buf);
            td_text(out, buf, true);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    if (tls)
        fputs("<p class=\"muted\">tls handshakes: full/resumed TLS handshakes of all the "
              "repeats' clients (conns: their connections); per repeat: one client's, as a "
              "range when the repeats differ; a resumed one took up a session from an earlier "
              "connection.</p>\n", out);
}

static void result_row(const struct report *rep, const struct figures *x, size_t i,
                       const enum report_col *cols, int n_cols, FILE *out)
{
    const struct result *r = &rep->results[i];
    char c[RCOL_N][GRID_CELL];
    report_result_cells(r, x, c);
    fprintf(out, "<tr%s>", charted(r, x) ? "" : " class=\"fail\"");
    for (int k = 0; k < n_cols; k++)
        td_text(out, c[cols[k]], k > 0);
    fputs("</tr>\n", out);
}

/* The rows of one tbody (pipelined or not), a heading over each swept
 * section's runs. */
static void result_rows(const struct report *rep, const struct figures *f, bool pipe,
                        const enum report_col *cols, int n_cols, FILE *out)
{
    const struct result *prev = NULL;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        if (pipelined(r) != pipe)
            continue;
        if (r->sec->n_sweep > 0 && report_new_group(prev, r)) {
            char head[512];
            report_group_head(rep->results, rep->n, r, head, sizeof head);
            fprintf(out, "<tr class=\"group sweep\"><th colspan=\"%d\">", n_cols);
            htmlpage_text(out, head);
            fputs("</th></tr>\n", out);
        }
        result_row(rep, &f[i], i, cols, n_cols, out);
        prev = r;
    }
}

static void results(const struct report *rep, const struct figures *f, FILE *out)
{
    const struct config *cfg = rep->cfg;
    bool payload = report_any_payload(rep->results, rep->n);
    enum report_col cols[RCOL_N];
    int n_cols = report_columns(payload, cols);
    fputs("<h2>Results</h2>\n<table id=\"results\">\n<thead><tr>", out);
    for (int k = 0; k < n_cols; k++) {
        fputs(k ? "<th class=\"num\">" : "<th>", out);
        if (cols[k] == RCOL_RATIO) {
            fputs("&times; ", out);
            htmlpage_text(out, cfg->baseline ? cfg->baseline : "base");
        } else {
            htmlpage_text(out, report_col_head[cols[k]]);
        }
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    result_rows(rep, f, false, cols, n_cols, out);
    fputs("</tbody>\n", out);
    for (size_t i = 0; i < rep->n; i++)
        if (pipelined(&rep->results[i])) {
            fprintf(out, "<tbody id=\"pipelined\">\n<tr class=\"group\"><th colspan=\"%d\">"
                    PIPELINED_LABEL ": calls overlap, so latency is submit-to-answer; time "
                    "per call, ratio and wait use total / requests</th></tr>\n", n_cols);
            result_rows(rep, f, true, cols, n_cols, out);
            fputs("</tbody>\n", out);
            break;
        }
    fprintf(out, "</table>\n<p class=\"muted\">mean, p50..max: per call; total: wall time of "
            "the measured calls (median of repeats); &plusmn;95%%: half the interval of the "
            "mean from the repeat means, as a share of it; noisy: the interval is wider than "
            "%.0f%% of the mean.%s</p>\n", FIGURES_NOISE_WIDTH * 100,
            payload ? " bytes/call: payload bytes a call moves, request and answer (2 &times; "
                      "payload; the value itself not counted; rest's GET carries it in the answer "
                      "only, so moves half); MB/s: bytes/call &times; "
                      "calls/s, MB = 10<sup>6</sup> bytes." : "");
}

static void note_item(FILE *out, const char *section, const char *text, bool *open)
{
    if (!*open)
        fputs("<ul class=\"notes\" id=\"notes\">\n", out);
    *open = true;
    fputs("<li><b>", out);
    htmlpage_text(out, section);
    fputs("</b>: ", out);
    htmlpage_text(out, text);
    fputs("</li>\n", out);
}

static void notes(const struct report *rep, const struct figures *f, FILE *out)
{
    bool open = false;
    char buf[1024];
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct figures *x = &f[i];
        if (!charted(r, x))
            continue;
        if (x->noisy) {
            snprintf(buf, sizeof buf, "noisy: the 95%% interval of the mean is %.0f%% of it; "
                     "pin CPUs, quiet the machine or add repeats",
                     100 * interval_relative_width(&x->mean_ci, x->mean));
            note_item(out, r->sec->name, buf, &open);
        }
        if (x->no_clear_difference) {
            snprintf(buf, sizeof buf, "no clear difference from %s: the ratio's 95%% interval "
                     "[%.3f, %.3f] holds 1", x->baseline_run, x->ratio_ci.low,
                     x->ratio_ci.high);
            note_item(out, r->sec->name, buf, &open);
        }
        const char *why = x->client.why[0] ? x->client.why : x->server.why;
        if (why[0]) {
            snprintf(buf, sizeof buf, "some counters could not be read: %s", why);
            note_item(out, r->sec->name, buf, &open);
        }
        if (r->n_shared > 0)
            note_item(out, r->sec->name, "its process counters include idle in-process servers "
                      "(server = thread) of other sections", &open);
        if (r->note[0])
            note_item(out, r->sec->name, r->note, &open);
    }
    if (open)
        fputs("</ul>\n", out);
}

static void failed(const struct report *rep, const struct figures *f, FILE *out)
{
    bool any = false;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        if (charted(r, &f[i]))
            continue;
        if (!any)
            fputs("<h2>Not charted</h2>\n<ul class=\"notes\" id=\"failed\">\n", out);
        any = true;
        fputs("<li class=\"fail\"><b>", out);
        htmlpage_text(out, r->sec->name);
        fprintf(out, "</b>: %s: ", report_status_word(r));
        htmlpage_text(out, r->reason[0] ? r->reason : "no measurements");
        fputs("</li>\n", out);
    }
    if (any)
        fputs("</ul>\n", out);
}

/* One chart, freeing its config; -1 with err when it could not be made. */
static int chart(FILE *out, const char *id, const char *title, json_t *config,
                 const char *caption, unsigned height, char *err, size_t errlen)
{
    if (config == NULL) {
        snprintf(err, errlen, "chart %s: out of memory", id);
        return -1;
    }
    fputs("<h2>", out);
    htmlpage_text(out, title);
    fputs("</h2>\n", out);
    int rc = htmlpage_chart(out, id, config, caption, height, err, errlen);
    json_decref(config);
    return rc;
}

/* ---- latency against each swept key (issue 12) ---- */

#define MAX_SWEEP_CHARTS 8

static int sweep_charts(const struct report *rep, const struct figures *f, FILE *out,
                        char *err, size_t errlen)
{
    const char *keys[MAX_SWEEP_CHARTS];
    size_t n = sweep_chart_keys(rep->results, f, rep->n, keys, MAX_SWEEP_CHARTS);
    int rc = 0;
    for (size_t k = 0; k < n && rc == 0; k++) {
        char id[32], title[256];
        if (k == 0)
            snprintf(id, sizeof id, "sweep-chart");
        else
            snprintf(id, sizeof id, "sweep-chart-%zu", k + 1);
        snprintf(title, sizeof title, "Latency against %s", keys[k]);
        rc = chart(out, id, title, sweep_chart(rep->results, f, rep->n, keys[k]),
                   "Mean (solid) and p99 (dotted) per call, one line per section as written "
                   "and per value of its other swept keys. A gap: that run failed. Pipelined "
                   "runs' latency is submit-to-answer.", 420, err, errlen);
    }
    return rc;
}

int report_html_write(const struct report *rep, const struct figures *f, FILE *out)
{
    char err[256], title[512];
    size_t *idx = calloc(rep->n ? rep->n : 1, sizeof *idx);
    if (idx == NULL)
        return -1;
    snprintf(title, sizeof title, "incbench: %s", rep->cfg->path);
    if (htmlpage_begin(out, title, err, sizeof err) != 0) {
        free(idx);
        return -1;
    }
    header(rep, out);
    placement(rep, f, out);
    results(rep, f, out);
    notes(rep, f, out);
    failed(rep, f, out);
    size_t n = chart_order(rep, f, idx);
    if (n == 0) {
        fputs("<p class=\"fail\">No section has figures to chart.</p>\n", out);
        free(idx);
        return htmlpage_end(out);
    }
    /* Room per bar for its two or three label lines. */
    unsigned bars = (unsigned)(n < 4 ? 4 : n);
    int rc = chart(out, "mean-chart", "Mean per call", mean_chart(rep, f, idx, n),
               "The thin dark bar is the 95% interval of the mean, from the repeat means. "
               "Log scale: an in-process call is nanoseconds, a new connection per call "
               "hundreds of microseconds. Pipelined sections (orange) overlap their calls: "
               "their latency is not a dependent call's.", 120 + 44 * bars, err, sizeof err);
    if (rc == 0)
        rc = sweep_charts(rep, f, out, err, sizeof err);
    if (rc == 0)
        rc = chart(out, "percentile-chart", "Latency percentiles", percentile_chart(rep, idx, n),
                   "Each line is a section's latency at every percentile, read from its "
                   "histogram of all repeats: x = 90 is the 90th percentile, 99.9 the slowest "
                   "call in a thousand; a line ends at its slowest call. Dashed: pipelined.",
                   420, err, sizeof err);
    if (rc == 0)
        rc = chart(out, "cost-chart", "Where the time per call goes", cost_chart(rep, f, idx, n),
                   "Client and server CPU per call, and the rest (waiting: wake-ups, the wire). "
                   "Grey: not measured (never drawn as 0). Time per call is the mean "
                   "latency, and total / requests for a pipelined section (orange outline).",
                   120 + 56 * bars, err, sizeof err);
    if (rc != 0) {
        fputs("<p class=\"fail\">", out);
        htmlpage_text(out, err);
        fputs("</p>\n", out);
    }
    free(idx);
    if (htmlpage_end(out) != 0)
        rc = -1;
    return rc;
}
