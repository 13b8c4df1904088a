/*
 * report.c — the faces of one run: an aligned table for people (markdown
 * for a pull request), JSON (jansson) for programs, CSV for spreadsheets
 * (and html, report_html.c). Everything shown is derived here from struct
 * result; nothing is measured here.
 */
#include "report.h"

#include "figures.h"
#include "grid.h"
#include "report_cells.h"
#include "report_html.h"
#include "report_sweep.h"
#include "report_tls.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

static const char *status_text(const struct result *r)
{
    return r->interrupted ? "interrupted" : r->not_run ? "not_run" : r->failed ? "failed" : "ok";
}

/* The table's word for a section without figures. */
const char *report_status_word(const struct result *r)
{
    return r->interrupted ? "INTERRUPTED" : r->not_run ? "NOT RUN" : "FAILED";
}

const char *report_mode_text(const struct result *r)
{
    return r->mode == SERVER_DEFAULT ? "in-process" : config_server_name(r->mode);
}

/* ---- table ---- */

void report_fmt_rate(double r, char *buf, size_t len)
{
    if (r >= 1e6)
        snprintf(buf, len, "%.1f M", r / 1e6);
    else if (r >= 1e4)
        snprintf(buf, len, "%.1f k", r / 1e3);
    else
        snprintf(buf, len, "%.0f", r);
}

#define MAXW GRID_CELL

void report_fmt_bytes(uint64_t b, char *buf, size_t len)
{
    if (b >= 1u << 20 && b % (1u << 20) == 0)
        snprintf(buf, len, "%llu MiB", (unsigned long long)(b >> 20));
    else if (b >= 1024 && b % 1024 == 0)
        snprintf(buf, len, "%llu KiB", (unsigned long long)(b >> 10));
    else
        snprintf(buf, len, "%llu B", (unsigned long long)b);
}

/* MB/s: three significant figures, whole numbers from 100 on. */
static void fmt_mb(double v, char *buf, size_t len)
{
    if (isnan(v))
        snprintf(buf, len, "-");
    else if (v >= 100)
        snprintf(buf, len, "%.0f", v);
    else
        snprintf(buf, len, "%.3g", v);
}

const char *const report_col_head[RCOL_N] = {
    "section", "mean", "±95%", "net", "p50", "p90", "p99", "p99.9", "max", "calls/s",
    "bytes/call", "MB/s", "total", "repeats", "x base"
};

int report_columns(bool payload, enum report_col *cols)
{
    int n = 0;
    for (int c = 0; c < RCOL_N; c++)
        if (payload || (c != RCOL_BYTES && c != RCOL_MBS))
            cols[n++] = (enum report_col)c;
    return n;
}

bool report_any_payload(const struct result *results, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (results[i].sec->payload > 0)
            return true;
    return false;
}

void report_result_cells(const struct result *r, const struct figures *f,
                         char cells[RCOL_N][GRID_CELL])
{
    snprintf(cells[RCOL_SECTION], MAXW, "%s", r->sec->name);
    if (!f->ok || r->failed) {
        /* Figures of the repeats done before a failure are in the JSON,
         * marked partial; the tables do not mix them with real rows. */
        snprintf(cells[RCOL_MEAN], MAXW, "%s", report_status_word(r));
        for (int c = RCOL_MEAN + 1; c < RCOL_N; c++)
            snprintf(cells[c], MAXW, "-");
        return;
    }
    grid_time(f->mean, cells[RCOL_MEAN], MAXW);
    if (f->has_mean_ci)
        snprintf(cells[RCOL_CI], MAXW, "±%.1f%%%s",
                 100 * report_half_width(&f->mean_ci, f->mean) / f->mean,
                 f->noisy ? " noisy" : "");
    else
        snprintf(cells[RCOL_CI], MAXW, "-");
    grid_time(f->net, cells[RCOL_NET], MAXW);
    grid_time((double)f->p50, cells[RCOL_P50], MAXW);
    grid_time((double)f->p90, cells[RCOL_P90], MAXW);
    grid_time((double)f->p99, cells[RCOL_P99], MAXW);
    grid_time((double)f->p999, cells[RCOL_P999], MAXW);
    grid_time((double)f->max, cells[RCOL_MAX], MAXW);
    report_fmt_rate(f->calls_per_s, cells[RCOL_RATE], MAXW);
    report_fmt_bytes(f->bytes_per_call, cells[RCOL_BYTES], MAXW);
    fmt_mb(f->mb_per_s, cells[RCOL_MBS], MAXW);
    grid_time((double)f->total_med, cells[RCOL_TOTAL], MAXW);
    snprintf(cells[RCOL_REPEATS], MAXW, "%u", r->repeats_done);
    report_ratio_cell(f, cells[RCOL_RATIO], MAXW);
}

bool report_new_group(const struct result *prev, const struct result *r)
{
    if (prev == NULL)
        return true;
    return strcmp(report_base(prev->sec), report_base(r->sec)) != 0 &&
           (prev->sec->n_sweep > 0 || r->sec->n_sweep > 0);
}

void report_group_head(const struct result *results, size_t n, const struct result *r,
                       char *buf, size_t len)
{
    const char *base = report_base(r->sec);
    size_t runs = 0;
    for (size_t i = 0; i < n; i++)
        runs += strcmp(report_base(results[i].sec), base) == 0;
    size_t o = (size_t)snprintf(buf, len, "%s: %zu run%s over", base, runs, runs == 1 ? "" : "s");
    for (size_t k = 0; k < r->sec->n_sweep && o < len; k++)
        o += (size_t)snprintf(buf + o, len - o, "%s %s", k ? "," : "", r->sec->sweep[k].key);
}

/* A table of either face. */
static void grid_put(struct grid *g, FILE *out, bool md)
{
    if (md)
        grid_markdown(g, out);
    else
        grid_print(g, out);
}

static void fmt_ratio(double ratio, char *buf, size_t len)
{
    if (ratio >= 100)
        snprintf(buf, len, "%.0fx", ratio);
    else if (ratio >= 0.01)
        snprintf(buf, len, "%.2fx", ratio);
    else
        snprintf(buf, len, "%.2gx", ratio);   /* direct vs a network hop */
}

/* The larger distance from the centre to an end of the interval: a ratio's
 * interval, built on logs, is not symmetric, and "±" must not understate. */
double report_half_width(const struct interval *iv, double centre)
{
    double lo = centre - iv->low, hi = iv->high - centre;
    return lo > hi ? lo : hi;
}

void report_ratio_cell(const struct figures *f, char *buf, size_t len)
{
    char r[32], pm[32] = "";
    if (f->ratio <= 0) {
        snprintf(buf, len, "-");
        return;
    }
    fmt_ratio(f->ratio, r, sizeof r);
    if (f->has_ratio_ci) {
        double hw = report_half_width(&f->ratio_ci, f->ratio);
        if (f->ratio >= 100)
            snprintf(pm, sizeof pm, " ±%.0f", hw);
        else if (f->ratio >= 0.01)
            snprintf(pm, sizeof pm, " ±%.2f", hw);
        else
            snprintf(pm, sizeof pm, " ±%.1g", hw);
    }
    snprintf(buf, len, "%s%s%s", r, pm, f->no_clear_difference ? " no clear difference" : "");
}

/* Runs of one swept section stay together, a blank row around them. */
static void results_table(const struct report *rep, const struct figures *f, FILE *out,
                          bool md)
{
    const struct config *cfg = rep->cfg;
    enum report_col cols[RCOL_N];
    int n_cols = report_columns(report_any_payload(rep->results, rep->n), cols);
    char base_head[MAXW];
    snprintf(base_head, sizeof base_head, "x %s", cfg->baseline ? cfg->baseline : "base");
    const char *heads[RCOL_N];
    for (int c = 0; c < n_cols; c++)
        heads[c] = cols[c] == RCOL_RATIO ? base_head : report_col_head[cols[c]];
    size_t gaps = 0;
    for (size_t i = 1; i < rep->n; i++)
        gaps += report_new_group(&rep->results[i - 1], &rep->results[i]);
    struct grid g;
    if (grid_init(&g, rep->n + gaps, n_cols, heads) != 0)
        return;
    size_t row = 1;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        if (i > 0 && report_new_group(&rep->results[i - 1], r))
            row++;
        char cells[RCOL_N][GRID_CELL];
        report_result_cells(r, &f[i], cells);
        for (int c = 0; c < n_cols; c++)
            memcpy(g.rows[row][c], cells[cols[c]], GRID_CELL);
        row++;
    }
    grid_put(&g, out, md);
}

/* "1.85/2.00": client / server, per call. */
static void pair_cell(const struct figures *f, bool client_has, double client_v, bool server_has,
                      double server_v, char *buf, size_t len)
{
    char c[24], sv[24];
    if (client_has)
        snprintf(c, sizeof c, "%.2f", client_v);
    else
        snprintf(c, sizeof c, "-");
    if (f->scope != SCOPE_SEPARATE)
        snprintf(sv, sizeof sv, "%s", f->scope == SCOPE_COMBINED ? "in client" : "-");
    else if (server_has)
        snprintf(sv, sizeof sv, "%.2f", server_v);
    else
        snprintf(sv, sizeof sv, "-");
    snprintf(buf, len, "%s/%s", c, sv);
}

/* Where each call's time went: CPU on either side, and the rest. */
static void cost_table(const struct report *rep, const struct figures *f, FILE *out,
                       bool md)
{
    static const char *const head[8] = {
        "section", "per call", "cpu client", "cpu server", "wait", "switches c/s",
        "rd/wr syscalls c/s", "scope"
    };
    struct grid g;
    if (grid_init(&g, rep->n, 8, head) != 0)
        return;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct figures *x = &f[i];
        char (*row)[MAXW] = g.rows[i + 1];
        snprintf(row[0], MAXW, "%s", r->sec->name);
        if (!x->ok || r->failed) {
            for (int c = 1; c < 8; c++)
                snprintf(row[c], MAXW, "-");
            continue;
        }
        grid_time(x->per_call_ns, row[1], MAXW);
        if (x->client.has_cpu)
            grid_time(x->client.cpu_ns, row[2], MAXW);
        else
            snprintf(row[2], MAXW, "-");
        if (x->scope == SCOPE_SEPARATE && x->server.has_cpu)
            grid_time(x->server.cpu_ns, row[3], MAXW);
        else
            snprintf(row[3], MAXW, "%s", x->scope == SCOPE_COMBINED ? "in client" : "-");
        grid_time(x->wait_ns, row[4], MAXW);
        pair_cell(x, x->client.has_switches, x->client.vol_switches + x->client.invol_switches,
                  x->server.has_switches, x->server.vol_switches + x->server.invol_switches,
                  row[5], MAXW);
        pair_cell(x, x->client.has_io, x->client.syscalls, x->server.has_io,
                  x->server.syscalls, row[6], MAXW);
        snprintf(row[7], MAXW, "%s",
                 x->scope == SCOPE_SEPARATE ? "client, server apart" :
                 x->scope == SCOPE_COMBINED ? "client+server, one process" :
                 x->scope == SCOPE_CLIENT_ONLY ? "client only (external)" : "in-process");
    }
    grid_put(&g, out, md);
}

/* Where each section ran and what it cost to start. */
static void placement_table(const struct report *rep, const struct figures *f, FILE *out,
                            bool md)
{
    static const char *const head[9] = {
        "section", "plugin", "server", "address", "cpu client/server", "cold call", "conns",
        "tls handshakes", "per repeat"
    };
    /* The handshake pair only when someone counted one (report_tls.h). */
    const bool tls = report_any_tls(rep->results, rep->n);
    struct grid g;
    if (grid_init(&g, rep->n, tls ? 9 : 7, head) != 0)
        return;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        char (*row)[MAXW] = g.rows[i + 1];
        snprintf(row[0], MAXW, "%s", r->sec->name);
        snprintf(row[1], MAXW, "%s", r->plugin_name[0] ? r->plugin_name : r->sec->plugin);
        snprintf(row[2], MAXW, "%s", report_mode_text(r));
        /* A TLS server's pinned address runs to 90 characters: a table
         * shows 48 of them; JSON and CSV keep it whole. */
        grid_elide(r->address[0] ? r->address : "-", REPORT_ADDRESS_SHOWN, row[3], MAXW);
        snprintf(row[4], MAXW, "%.18s/%.18s", r->client_place[0] ? r->client_place : "any",
                 r->mode == SERVER_DEFAULT ? "-" : r->server_place[0] ? r->server_place : "any");
        if (f[i].ok)
            grid_time((double)f[i].cold_med, row[5], MAXW);
        else
            snprintf(row[5], MAXW, "-");
        if (r->has_connections)
            snprintf(row[6], MAXW, "%llu", (unsigned long long)r->connections);
        else
            snprintf(row[6], MAXW, "-");
        if (tls) {
            report_tls_sum_cell(r, row[7], MAXW);
            report_tls_repeat_cell(r, row[8], MAXW);
        }
    }
    grid_put(&g, out, md);
}

/* The start of one note on section `name`: an indented line in the table,
 * a list item in markdown. */
static void note_start(FILE *out, bool md, const char *name)
{
    if (md) {
        fputs("- `", out);
        grid_markdown_text(out, name);
        fputs("`: ", out);
    } else {
        fprintf(out, "  %s: ", name);
    }
}

/* One whole note: its start, then the sentence. */
__attribute__((format(printf, 4, 5)))
static void note(FILE *out, bool md, const char *name, const char *fmt, ...)
{
    va_list ap;
    note_start(out, md, name);
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

static void table_notes(const struct report *rep, const struct figures *f, FILE *out, bool md)
{
    bool notes = false;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct figures *x = &f[i];
        const struct config_section *s = r->sec;
        const char *why = !x->ok ? "" : x->client.why[0] ? x->client.why : x->server.why;
        bool unread = x->ok && (!x->client.has_cpu || !x->client.has_switches ||
                                !x->client.has_io ||
                                (x->scope == SCOPE_SEPARATE &&
                                 (!x->server.has_cpu || !x->server.has_switches ||
                                  !x->server.has_io)));
        bool exited = x->ok && x->scope == SCOPE_SEPARATE && x->server.exited_threads > 0;
        bool shared = x->ok && r->n_shared > 0;
        if (!notes && (r->failed || r->note[0] || s->window > 1 || x->noisy || unread ||
                       x->no_clear_difference || exited || shared)) {
            fputs(md ? "\n**Notes**\n\n" : "\nnotes:\n", out);
            notes = true;
        }
        if (r->failed)
            note(out, md, s->name, "%s: %s\n", report_status_word(r), r->reason);
        if (s->window > 1)
            note(out, md, s->name, "pipelined, %llu chains: calls overlap, so latency is "
                 "submit-to-answer and these are NOT dependent calls (its ratio, per call "
                 "and wait use total / requests; mean, ± and noisy are of the latency)\n",
                 (unsigned long long)s->window);
        if (x->noisy)
            note(out, md, s->name, "noisy: the 95%% interval of the mean is %.0f%% of it (more "
                 "than %.0f%%); pin CPUs, quiet the machine or add repeats\n",
                 100 * interval_relative_width(&x->mean_ci, x->mean),
                 FIGURES_NOISE_WIDTH * 100);
        if (x->no_clear_difference)
            note(out, md, s->name, "no clear difference from %s: the ratio's 95%% interval "
                 "[%.3f, %.3f] holds 1\n", x->baseline_run, x->ratio_ci.low,
                 x->ratio_ci.high);
        if (unread)
            note(out, md, s->name, "some counters could not be read (shown as -): %s\n",
                 why[0] ? why : "no reason given");
        if (exited)
            note(out, md, s->name, "%llu server thread%s exited during the measured calls; "
                 "switches it made before exiting are not counted\n",
                 (unsigned long long)x->server.exited_threads,
                 x->server.exited_threads == 1 ? "" : "s");
        if (shared) {
            note(out, md, s->name, "its process counters include the idle in-process servers "
                 "(server = thread) of");
            for (size_t k = 0; k < r->n_shared && k < RESULT_SHARED; k++)
                fprintf(out, "%s %s", k ? "," : "", r->shared_with[k]);
            if (r->n_shared > RESULT_SHARED)
                fprintf(out, " and %zu more", r->n_shared - RESULT_SHARED);
            fprintf(out, ", up during its repeats; order = sequential or server = spawn "
                    "leaves them out\n");
        }
        if (r->note[0])
            note(out, md, s->name, "%s\n", r->note);
    }
}

/* Whether the baseline names a swept section rather than one run (no run
 * of a sweep is named as its section is). */
static bool baseline_swept(const struct report *rep)
{
    const char *b = rep->cfg->baseline;
    for (size_t i = 0; b != NULL && i < rep->n; i++) {
        const struct config_section *s = rep->results[i].sec;
        if (s->n_sweep > 0 && strcmp(report_base(s), b) == 0)
            return true;
    }
    return false;
}

/* The table for people, or the same in markdown for a pull request: the
 * same rows and notes, only the frame differs. */
static void write_text(const struct report *rep, const struct figures *f, FILE *out, bool md)
{
    const struct config *cfg = rep->cfg;
    /* Markdown joins lines into paragraphs: each header line a list item. */
    const char *item = md ? "- " : "";
    char t[64];
    grid_time(rep->loop_cost_ns, t, sizeof t);
    if (md) {
        fputs("### incbench " PACKAGE_VERSION ": `", out);
        grid_markdown_text(out, cfg->path);
        fputs("`\n\n", out);
    } else {
        fprintf(out, "incbench %s: %s\n", PACKAGE_VERSION, cfg->path);
    }
    fprintf(out, "%smachine: %s, %ld cores, %s\n", item, rep->machine.cpu_model,
            rep->machine.cores, rep->machine.kernel);
    for (size_t i = 0; i < rep->env.n; i++) {
        const struct envcheck_item *e = &rep->env.items[i];
        if (e->status != ENVCHECK_OK)
            fprintf(out, "%senvironment %s: %s\n", item, envcheck_status_name(e->status),
                    e->message);
    }
    fprintf(out, "%srunner cost per call (clock read, check, record): %s; \"net\" = mean minus "
            "it\n", item, t);
    fprintf(out, "%srepeats: %s; ±95%%: interval of the mean from the repeat means\n\n", item,
            config_order_name(cfg->order));
    results_table(rep, f, out, md);
    fputc('\n', out);
    cost_table(rep, f, out, md);
    fputc('\n', out);
    placement_table(rep, f, out, md);
    table_notes(rep, f, out, md);
    fprintf(out, "\n%smean/p50..max: per call; total: wall time of %s calls (median of repeats); "
            "cold call: init + first call, median of repeats\n"
            "%scpu client: the client process (all its threads), cpu server: the server "
            "process; wait: time per call on neither CPU (wake-ups, the wire); c/s: client/server\n"
            "%srd/wr syscalls: read, write, readv, writev... (send, recv, sendmsg, recvmsg, "
            "epoll and futex are not counted by the kernel there)\n"
            "%s±95%%: half the interval, as a share of the mean; noisy: the whole interval is "
            "wider than %.0f%% of the mean\n",
            item, rep->n ? "the measured" : "no", item, item, item, FIGURES_NOISE_WIDTH * 100);
    if (report_any_payload(rep->results, rep->n))
        fprintf(out, "%sbytes/call: payload bytes a call moves, request and answer (2 x "
                "payload; the value itself not counted; rest's GET carries it in the answer "
                "only, so moves half); MB/s: bytes/call x calls/s, MB = 10^6 bytes\n", item);
    if (report_any_tls(rep->results, rep->n))
        fprintf(out, "%stls handshakes: full/resumed TLS handshakes of all the repeats' clients "
                "(conns: their connections); per repeat: one client's, as a range when the "
                "repeats differ; a resumed one took up a session from an earlier connection\n",
                item);
    if (baseline_swept(rep))
        fprintf(out, "%sx %s: each run against the run of %s with the same values of the "
                "swept keys both have; - where there is none, or more than one\n", item,
                cfg->baseline, cfg->baseline);
}

/* ---- JSON ---- */

/* A JSON string of any bytes: names and messages come from config files,
 * plugins and a server's stderr, and may hold bytes that are not UTF-8,
 * which jansson refuses. Those bytes become '?' rather than vanish. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s);
    if (j != NULL)
        return j;
    size_t n = strlen(s);
    char *copy = malloc(n + 1);
    if (copy == NULL)
        return json_null();
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        copy[i] = c < 0x20 || c >= 0x80 ? '?' : (char)c;
    }
    copy[n] = '\0';
    j = json_string(copy);
    free(copy);
    return j != NULL ? j : json_null();
}

static json_t *histogram_json(const struct histogram *h)
{
    json_t *buckets = json_array();
    for (unsigned i = 0; i < HISTOGRAM_BUCKETS; i++) {
        if (h->counts[i] == 0)
            continue;
        uint64_t lo, w;
        histogram_bucket_range(i, &lo, &w);
        json_array_append_new(buckets, json_pack("[I,I,I]", (json_int_t)lo,
                                                 (json_int_t)(lo + w - 1),
                                                 (json_int_t)h->counts[i]));
    }
    return buckets;
}

static json_t *u64_array(const uint64_t *v, unsigned n)
{
    json_t *a = json_array();
    for (unsigned i = 0; i < n; i++)
        json_array_append_new(a, json_integer((json_int_t)v[i]));
    return a;
}

static json_t *real_array(const double *v, unsigned n)
{
    json_t *a = json_array();
    for (unsigned i = 0; i < n; i++)
        json_array_append_new(a, json_real(v[i]));
    return a;
}

static json_t *interval_json(bool has, const struct interval *iv)
{
    return has ? json_pack("[f,f]", iv->low, iv->high) : json_null();
}

static json_t *maybe(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

/* One side per call; a counter that was not read is null, never 0. */
static json_t *side_json(const struct per_call *pc)
{
    json_t *o = json_object();
    json_object_set_new(o, "cpu_ns", maybe(pc->has_cpu, pc->cpu_ns));
    json_object_set_new(o, "user_ns", maybe(pc->has_split, pc->user_ns));
    json_object_set_new(o, "sys_ns", maybe(pc->has_split, pc->sys_ns));
    json_object_set_new(o, "voluntary_switches", maybe(pc->has_switches, pc->vol_switches));
    json_object_set_new(o, "involuntary_switches", maybe(pc->has_switches, pc->invol_switches));
    json_object_set_new(o, "io_syscalls", maybe(pc->has_io, pc->syscalls));
    json_object_set_new(o, "exited_threads", json_integer((json_int_t)pc->exited_threads));
    json_object_set_new(o, "unavailable", pc->why[0] ? text(pc->why) : json_null());
    return o;
}

static json_t *per_call_json(const struct figures *f)
{
    json_t *client = side_json(&f->client);
    json_object_set_new(client, "thread_cpu_ns",
                        maybe(f->client.has_thread, f->client.thread_cpu_ns));
    return json_pack("{s:s, s:o, s:o, s:o}", "scope", figures_scope_name(f->scope),
                     "client", client,
                     "server", f->scope == SCOPE_SEPARATE ? side_json(&f->server) : json_null(),
                     "wait_ns", isnan(f->wait_ns) ? json_null() : json_real(f->wait_ns));
}

/* The sections r shared its process with (the first RESULT_SHARED). */
static json_t *shared_json(const struct result *r)
{
    json_t *a = json_array();
    for (size_t k = 0; k < r->n_shared && k < RESULT_SHARED; k++)
        json_array_append_new(a, text(r->shared_with[k]));
    return a;
}

static json_t *maybe_int(bool has, uint64_t v)
{
    return has ? json_integer((json_int_t)v) : json_null();
}

/* Raw counters of one repeat's measured calls. */
static json_t *usage_json(const struct usage *u, bool client)
{
    json_t *o = json_object();
    json_object_set_new(o, "cpu_ns", maybe_int(u->has_cpu, u->cpu_ns));
    json_object_set_new(o, "user_ns", maybe_int(u->has_split, u->user_ns));
    json_object_set_new(o, "sys_ns", maybe_int(u->has_split, u->sys_ns));
    json_object_set_new(o, "voluntary_switches", maybe_int(u->has_switches, u->vol_switches));
    json_object_set_new(o, "involuntary_switches",
                        maybe_int(u->has_switches, u->invol_switches));
    json_object_set_new(o, "io_syscalls", maybe_int(u->has_io, u->syscalls));
    if (client)
        json_object_set_new(o, "thread_cpu_ns", maybe_int(u->has_thread, u->thread_cpu_ns));
    else
        json_object_set_new(o, "exited_threads", json_integer((json_int_t)u->exited_threads));
    return o;
}

/* Handshakes as connections are written: sums (over the same repeats),
 * null when the section counted none; then one figure per repeat. */
static void tls_json(json_t *o, const struct result *r)
{
    uint64_t full, resumed;
    report_tls_sums(r, &full, &resumed);
    json_object_set_new(o, "tls_full_handshakes", maybe_int(r->has_tls, full));
    json_object_set_new(o, "tls_resumed_handshakes", maybe_int(r->has_tls, resumed));
    json_object_set_new(o, "tls_full_handshakes_per_repeat",
                        r->has_tls ? u64_array(r->tls_full_rep, r->stats_repeats)
                                   : json_null());
    json_object_set_new(o, "tls_resumed_handshakes_per_repeat",
                        r->has_tls ? u64_array(r->tls_resumed_rep, r->stats_repeats)
                                   : json_null());
}

static json_t *section_json(const struct result *r, const struct figures *f)
{
    const struct config_section *s = r->sec;
    json_t *o = json_object();
    json_object_set_new(o, "name", text(s->name));
    json_object_set_new(o, "base", text(report_base(s)));
    json_t *sweep = json_object();
    for (size_t k = 0; k < s->n_sweep; k++)
        json_object_set_new(sweep, s->sweep[k].key, text(s->sweep[k].value));
    json_object_set_new(o, "sweep", sweep);
    json_object_set_new(o, "plugin", text(r->plugin_name[0] ? r->plugin_name : s->plugin));
    json_object_set_new(o, "plugin_path", text(r->plugin_path));
    json_object_set_new(o, "status", json_string(status_text(r)));
    json_object_set_new(o, "server", json_string(report_mode_text(r)));
    json_object_set_new(o, "requests", json_integer((json_int_t)s->requests));
    json_object_set_new(o, "warmup", json_integer((json_int_t)s->warmup));
    json_object_set_new(o, "repeat", json_integer((json_int_t)s->repeat));
    json_object_set_new(o, "window", json_integer((json_int_t)s->window));
    json_object_set_new(o, "pipelined", json_boolean(s->window > 1));
    json_object_set_new(o, "payload_bytes", json_integer((json_int_t)s->payload));
    json_object_set_new(o, "bytes_per_call", json_integer((json_int_t)f->bytes_per_call));
    json_object_set_new(o, "client_cpu", text(r->client_place));
    json_object_set_new(o, "server_cpu", text(r->mode == SERVER_DEFAULT ? "" : r->server_place));
    json_object_set_new(o, "address", r->address[0] ? text(r->address) : json_null());
    json_object_set_new(o, "reason", r->failed ? text(r->reason) : json_null());
    json_object_set_new(o, "note", r->note[0] ? text(r->note) : json_null());
    json_object_set_new(o, "repeats_done", json_integer(r->repeats_done));
    json_object_set_new(o, "partial", json_boolean(r->failed && r->repeats_done > 0));
    json_object_set_new(o, "connections",
                        r->has_connections ? json_integer((json_int_t)r->connections)
                                           : json_null());
    tls_json(o, r);
    if (!f->ok)
        return o;
    unsigned n = r->repeats_done;
    json_object_set_new(o, "total_ns", u64_array(r->total_ns, n));
    json_object_set_new(o, "init_ns", u64_array(r->init_ns, n));
    json_object_set_new(o, "first_call_ns", u64_array(r->first_ns, n));
    json_t *res = json_pack("{s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, s:I, s:I, s:I, s:f, s:b}",
        "mean_ns", f->mean, "p50_ns", (json_int_t)f->p50, "p90_ns", (json_int_t)f->p90,
        "p99_ns", (json_int_t)f->p99, "p999_ns", (json_int_t)f->p999,
        "min_ns", (json_int_t)f->min, "max_ns", (json_int_t)f->max,
        "calls", (json_int_t)r->hist->count, "calls_per_s", f->calls_per_s,
        "total_median_ns", (json_int_t)f->total_med, "total_min_ns", (json_int_t)f->total_min,
        "total_max_ns", (json_int_t)f->total_max, "spread", f->spread, "noisy", f->noisy);
    json_object_set_new(res, "spread_noisy", json_boolean(f->spread_noisy));
    json_object_set_new(res, "mb_per_s", isnan(f->mb_per_s) ? json_null() : json_real(f->mb_per_s));
    json_object_set_new(res, "mean_ci95_ns", interval_json(f->has_mean_ci, &f->mean_ci));
    json_object_set_new(res, "net_mean_ns", isnan(f->net) ? json_null() : json_real(f->net));
    json_object_set_new(res, "cold_median_ns", json_integer((json_int_t)f->cold_med));
    json_object_set_new(res, "per_call_ns", json_real(f->per_call_ns));
    json_object_set_new(res, "ratio_to_baseline", f->ratio > 0 ? json_real(f->ratio) : json_null());
    json_object_set_new(res, "baseline_run", f->baseline_run ? text(f->baseline_run) : json_null());
    json_object_set_new(res, "ratio_ci95", interval_json(f->has_ratio_ci, &f->ratio_ci));
    json_object_set_new(res, "ratio_ci95_paired", f->has_ratio_ci ? json_boolean(f->ratio_paired)
                                                                  : json_null());
    json_object_set_new(res, "no_clear_difference", json_boolean(f->no_clear_difference));
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "mean_per_repeat_ns", real_array(r->mean_ns, n));
    json_object_set_new(o, "per_call", per_call_json(f));
    json_object_set_new(json_object_get(o, "per_call"), "includes_in_process_servers_of",
                        shared_json(r));
    json_t *reps = json_array();
    for (unsigned k = 0; k < n; k++)
        json_array_append_new(reps, json_pack("{s:o, s:o}",
            "client", usage_json(&r->client_use[k], true),
            "server", f->scope == SCOPE_SEPARATE ? usage_json(&r->server_use[k], false)
                                                 : json_null()));
    json_object_set_new(o, "usage_per_repeat", reps);
    json_object_set_new(o, "histogram", histogram_json(r->hist));
    return o;
}

static int write_json(const struct report *rep, const struct figures *f, FILE *out)
{
    const struct config *cfg = rep->cfg;
    json_t *root = json_pack("{s:s, s:i, s:o, s:{s:I, s:I, s:I, s:o, s:s}, s:{s:o, s:I, s:o, s:o}, s:f, s:f}",
        "incbench", PACKAGE_VERSION, "schema_version", REPORT_SCHEMA_VERSION,
        "config", text(cfg->path),
        "settings", "requests", (json_int_t)cfg->requests, "warmup", (json_int_t)cfg->warmup,
        "repeat", (json_int_t)cfg->repeat,
        "baseline", cfg->baseline ? text(cfg->baseline) : json_null(),
        "format", config_format_name(cfg->format),
        "machine", "cpu_model", text(rep->machine.cpu_model), "cores", (json_int_t)rep->machine.cores,
        "kernel", text(rep->machine.kernel), "hostname", text(rep->machine.hostname),
        "loop_cost_ns", rep->loop_cost_ns, "spread_margin", FIGURES_SPREAD_MARGIN);
    if (root == NULL)
        return -1;
    json_t *env = json_object();
    for (size_t i = 0; i < rep->env.n; i++) {
        const struct envcheck_item *e = &rep->env.items[i];
        json_object_set_new(env, e->name, json_pack("{s:s, s:o, s:o}",
            "status", envcheck_status_name(e->status),
            "value", e->value[0] ? text(e->value) : json_null(),
            "message", e->message[0] ? text(e->message) : json_null()));
    }
    json_object_set_new(root, "environment", env);
    json_t *settings = json_object_get(root, "settings");
    json_object_set_new(settings, "order", json_string(config_order_name(cfg->order)));
    json_object_set_new(root, "noise_width", json_real(FIGURES_NOISE_WIDTH));
    json_t *sections = json_array();
    for (size_t i = 0; i < rep->n; i++)
        json_array_append_new(sections, section_json(&rep->results[i], &f[i]));
    json_object_set_new(root, "sections", sections);
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    fputc('\n', out);
    json_decref(root);
    return rc;
}

/* ---- CSV ---- */

/* s inside a quoted field: quotes doubled. */
static void csv_inner(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
}

static void csv_text(FILE *out, const char *s)
{
    fputc('"', out);
    csv_inner(out, s);
    fputc('"', out);
}

/* A number, or an empty field for one not known. */
static void csv_num(FILE *out, bool has, double v)
{
    fputc(',', out);
    if (has && !isnan(v))
        fprintf(out, "%.4g", v);
}

/* The interval and per-call columns, appended after the older ones so that
 * scripts reading those by position keep working. */
static void csv_tail(FILE *out, const struct figures *g)
{
    bool sep = g->scope == SCOPE_SEPARATE;
    const struct per_call *c = &g->client, *sv = &g->server;
    csv_num(out, g->has_mean_ci, g->mean_ci.low);
    csv_num(out, g->has_mean_ci, g->mean_ci.high);
    csv_num(out, g->has_ratio_ci, g->ratio_ci.low);
    csv_num(out, g->has_ratio_ci, g->ratio_ci.high);
    fprintf(out, ",%d,%s", g->no_clear_difference ? 1 : 0, figures_scope_name(g->scope));
    csv_num(out, g->ok && c->has_cpu, c->cpu_ns);
    csv_num(out, g->ok && c->has_split, c->user_ns);
    csv_num(out, g->ok && c->has_split, c->sys_ns);
    csv_num(out, g->ok && c->has_thread, c->thread_cpu_ns);
    csv_num(out, g->ok && c->has_switches, c->vol_switches);
    csv_num(out, g->ok && c->has_switches, c->invol_switches);
    csv_num(out, g->ok && c->has_io, c->syscalls);
    csv_num(out, g->ok && sep && sv->has_cpu, sv->cpu_ns);
    csv_num(out, g->ok && sep && sv->has_split, sv->user_ns);
    csv_num(out, g->ok && sep && sv->has_split, sv->sys_ns);
    csv_num(out, g->ok && sep && sv->has_switches, sv->vol_switches);
    csv_num(out, g->ok && sep && sv->has_switches, sv->invol_switches);
    csv_num(out, g->ok && sep && sv->has_io, sv->syscalls);
    csv_num(out, g->ok, g->wait_ns);
    fprintf(out, ",%d", g->spread_noisy ? 1 : 0);
}

/* Issue 12's columns, after all the others: the section as written, its
 * swept values ("payload=1k,window=4", as in its name), the payload and MB/s. */
static void csv_sweep(FILE *out, const struct config_section *s, const struct figures *g)
{
    fputc(',', out);
    csv_text(out, report_base(s));
    fputs(",\"", out);
    for (size_t k = 0; k < s->n_sweep; k++) {
        fputs(k ? "," : "", out);
        csv_inner(out, s->sweep[k].key);
        fputc('=', out);
        csv_inner(out, s->sweep[k].value);
    }
    fprintf(out, "\",%llu,%llu", (unsigned long long)s->payload,
            (unsigned long long)g->bytes_per_call);
    csv_num(out, true, g->mb_per_s);
}

/* Issue 14's columns, last of all (old readers count from the left):
 * handshakes summed as connections is, empty when the section counted
 * none. */
static void csv_tls(FILE *out, const struct result *r)
{
    uint64_t full, resumed;
    report_tls_sums(r, &full, &resumed);
    if (r->has_tls)
        fprintf(out, ",%llu,%llu", (unsigned long long)full, (unsigned long long)resumed);
    else
        fputs(",,", out);
}

static void write_csv(const struct report *rep, const struct figures *f, FILE *out)
{
    fputs("section,plugin,status,server,requests,warmup,repeat,window,mean_ns,net_mean_ns,"
          "p50_ns,p90_ns,p99_ns,p999_ns,min_ns,max_ns,calls_per_s,total_median_ns,"
          "total_min_ns,total_max_ns,spread,noisy,ratio_to_baseline,cold_median_ns,"
          "connections,client_cpu,server_cpu,reason,mean_ci95_low_ns,mean_ci95_high_ns,"
          "ratio_ci95_low,ratio_ci95_high,no_clear_difference,usage_scope,client_cpu_ns,"
          "client_user_ns,client_sys_ns,client_thread_cpu_ns,client_voluntary_switches,"
          "client_involuntary_switches,client_io_syscalls,server_cpu_ns,server_user_ns,"
          "server_sys_ns,server_voluntary_switches,server_involuntary_switches,"
          "server_io_syscalls,wait_ns,spread_noisy,base,sweep,payload_bytes,bytes_per_call,"
          "mb_per_s,tls_full_handshakes,tls_resumed_handshakes\n", out);
    /* Every CSV has the same columns, TLS or not, so that files of
     * several runs concatenate; new columns only ever go last. */
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct config_section *s = r->sec;
        const struct figures *g = &f[i];
        csv_text(out, s->name);
        fputc(',', out);
        csv_text(out, r->plugin_name[0] ? r->plugin_name : s->plugin);
        fprintf(out, ",%s,%s,%llu,%llu,%u,%llu,", status_text(r), report_mode_text(r),
                (unsigned long long)s->requests, (unsigned long long)s->warmup, s->repeat,
                (unsigned long long)s->window);
        if (g->ok) {
            fprintf(out, "%.1f,", g->mean);
            if (isnan(g->net))
                fputc(',', out);
            else
                fprintf(out, "%.1f,", g->net);
            fprintf(out, "%llu,%llu,%llu,%llu,%llu,%llu,%.1f,%llu,%llu,%llu,%.4f,%d,",
                    (unsigned long long)g->p50, (unsigned long long)g->p90,
                    (unsigned long long)g->p99, (unsigned long long)g->p999,
                    (unsigned long long)g->min, (unsigned long long)g->max, g->calls_per_s,
                    (unsigned long long)g->total_med, (unsigned long long)g->total_min,
                    (unsigned long long)g->total_max, g->spread, g->noisy ? 1 : 0);
            if (g->ratio > 0)
                fprintf(out, "%.4f,", g->ratio);
            else
                fputc(',', out);
            fprintf(out, "%llu,", (unsigned long long)g->cold_med);
        } else {
            fputs(",,,,,,,,,,,,,,,,", out);
        }
        if (r->has_connections)
            fprintf(out, "%llu", (unsigned long long)r->connections);
        fputc(',', out);
        csv_text(out, r->client_place);
        fputc(',', out);
        csv_text(out, r->mode == SERVER_DEFAULT ? "" : r->server_place);
        fputc(',', out);
        csv_text(out, r->failed ? r->reason : "");
        csv_tail(out, g);
        csv_sweep(out, s, g);
        csv_tls(out, r);
        fputc('\n', out);
    }
}

int report_write(const struct report *rep, enum config_format format, FILE *out)
{
    struct figures *f = calloc(rep->n ? rep->n : 1, sizeof *f);
    if (f == NULL)
        return -1;
    figures_derive(rep->cfg, rep->results, rep->n, rep->loop_cost_ns, f);
    int rc = 0;
    if (format == FORMAT_JSON)
        rc = write_json(rep, f, out);
    else if (format == FORMAT_HTML)
        rc = report_html_write(rep, f, out);
    else if (format == FORMAT_CSV)
        write_csv(rep, f, out);
    else
        write_text(rep, f, out, format == FORMAT_MARKDOWN);
    free(f);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}

int report_deliver(const struct report *rep, char *err, size_t errlen)
{
    const struct config *cfg = rep->cfg;
    int rc = 0;
    err[0] = '\0';
    if (report_write(rep, cfg->format, stdout) != 0 || fflush(stdout) != 0) {
        snprintf(err, errlen, "cannot write the report to stdout");
        rc = -1;
    }
    /* Every file is written even when one fails; the first failure is said. */
    for (size_t i = 0; i < cfg->n_outputs; i++) {
        const struct config_output *o = &cfg->outputs[i];
        FILE *fp = fopen(o->path, "w");
        if (fp == NULL) {
            if (rc == 0)
                snprintf(err, errlen, "cannot write output %s: %s", o->path, strerror(errno));
            rc = -1;
            continue;
        }
        int wrote = report_write(rep, o->format, fp);
        if (fclose(fp) != 0 || wrote != 0) {
            if (rc == 0)
                snprintf(err, errlen, "writing %s failed", o->path);
            rc = -1;
        }
    }
    return rc;
}
