/*
 * report.c — the three faces of one run: an aligned table for people, JSON
 * (jansson) for programs, CSV for spreadsheets. Everything shown is derived
 * here from struct result; nothing is measured here.
 */
#include "report.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* ---- figures derived from a result ---- */

struct figures {
    bool ok;                      /* has measurements */
    double mean, net;             /* ns */
    uint64_t p50, p90, p99, p999, min, max;
    double calls_per_s;
    uint64_t total_med, total_min, total_max;
    double spread;                /* (max - min) / median of totals */
    bool noisy;
    uint64_t cold_med;            /* median of init + first call */
    double ratio;                 /* mean / baseline mean; 0 = none */
};

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t median(const uint64_t *v, unsigned n, uint64_t *lo, uint64_t *hi)
{
    uint64_t tmp[n ? n : 1];
    memcpy(tmp, v, n * sizeof *v);
    qsort(tmp, n, sizeof *tmp, cmp_u64);
    if (lo)
        *lo = tmp[0];
    if (hi)
        *hi = tmp[n - 1];
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static void derive(const struct report *rep, const struct result *r, struct figures *f)
{
    memset(f, 0, sizeof *f);
    unsigned n = r->repeats_done;
    if (n == 0 || r->hist == NULL || r->hist->count == 0)
        return;
    const struct histogram *h = r->hist;
    f->ok = true;
    f->mean = histogram_mean(h);
    f->net = r->sec->window > 1 ? NAN : f->mean - rep->loop_cost_ns;
    if (f->net < 0)
        f->net = 0;
    f->p50 = histogram_percentile(h, 50);
    f->p90 = histogram_percentile(h, 90);
    f->p99 = histogram_percentile(h, 99);
    f->p999 = histogram_percentile(h, 99.9);
    f->min = h->min;
    f->max = h->max;
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++)
        sum += r->total_ns[i];
    f->calls_per_s = sum ? (double)r->sec->requests * n / ((double)sum / 1e9) : 0;
    f->total_med = median(r->total_ns, n, &f->total_min, &f->total_max);
    f->spread = f->total_med ? (double)(f->total_max - f->total_min) / (double)f->total_med : 0;
    f->noisy = n > 1 && f->spread > REPORT_NOISE_MARGIN;
    uint64_t cold[n];
    for (unsigned i = 0; i < n; i++)
        cold[i] = r->init_ns[i] + r->first_ns[i];
    f->cold_med = median(cold, n, NULL, NULL);
}

static const struct result *baseline_of(const struct report *rep)
{
    if (rep->cfg->baseline == NULL)
        return NULL;
    for (size_t i = 0; i < rep->n; i++)
        if (strcmp(rep->results[i].sec->name, rep->cfg->baseline) == 0)
            return &rep->results[i];
    return NULL;
}

/* Time per call a ratio compares: the mean of a dependent section; for a
 * pipelined one (calls overlap) the wall time per call, total / requests. */
static double per_call(const struct result *r, const struct figures *f)
{
    if (r->sec->window > 1)
        return (double)f->total_med / (double)r->sec->requests;
    return f->mean;
}

static void derive_all(const struct report *rep, struct figures *f)
{
    const struct result *base = baseline_of(rep);
    struct figures bf;
    /* A failed baseline is no yardstick, even with some repeats done. */
    if (base != NULL && !base->failed)
        derive(rep, base, &bf);
    else
        base = NULL;
    for (size_t i = 0; i < rep->n; i++) {
        derive(rep, &rep->results[i], &f[i]);
        double b = base != NULL && bf.ok ? per_call(base, &bf) : 0;
        if (b > 0 && f[i].ok && !rep->results[i].failed)
            f[i].ratio = per_call(&rep->results[i], &f[i]) / b;
    }
}

static const char *mode_text(const struct result *r)
{
    return r->mode == SERVER_DEFAULT ? "in-process" : config_server_name(r->mode);
}

/* ---- table ---- */

/* "812 ns", "13.4 µs", "1.23 ms", "4.56 s": three significant figures. */
static void fmt_time(double ns, char *buf, size_t len)
{
    if (isnan(ns)) {
        snprintf(buf, len, "-");
        return;
    }
    const char *unit = "ns";
    double v = ns;
    if (ns >= 1e9) {
        v = ns / 1e9;
        unit = "s";
    } else if (ns >= 1e6) {
        v = ns / 1e6;
        unit = "ms";
    } else if (ns >= 1e3) {
        v = ns / 1e3;
        unit = "µs";
    }
    if (v >= 100 || (v == floor(v) && unit[0] == 'n'))
        snprintf(buf, len, "%.0f %s", v, unit);
    else if (v >= 10)
        snprintf(buf, len, "%.1f %s", v, unit);
    else
        snprintf(buf, len, "%.2f %s", v, unit);
}

static void fmt_rate(double r, char *buf, size_t len)
{
    if (r >= 1e6)
        snprintf(buf, len, "%.1f M", r / 1e6);
    else if (r >= 1e4)
        snprintf(buf, len, "%.1f k", r / 1e3);
    else
        snprintf(buf, len, "%.0f", r);
}

/* Display width: UTF-8 continuation bytes take no column. */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

static void cell(FILE *out, const char *s, int w, bool left)
{
    int pad = w - width(s);
    if (!left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
    fputs(s, out);
    if (left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
}

#define COLS 13
#define MAXW 40

static void table_row(FILE *out, char cells[COLS][MAXW], const int *w, int n)
{
    for (int c = 0; c < n; c++) {
        if (c)
            fputs("  ", out);
        cell(out, cells[c], w[c], c == 0);
    }
    fputc('\n', out);
}

static void write_table(const struct report *rep, const struct figures *f, FILE *out)
{
    const struct config *cfg = rep->cfg;
    char t[64];
    fmt_time(rep->loop_cost_ns, t, sizeof t);
    fprintf(out, "incbench %s: %s\n", PACKAGE_VERSION, cfg->path);
    fprintf(out, "machine: %s, %ld cores, %s\n", rep->machine.cpu_model, rep->machine.cores,
            rep->machine.kernel);
    fprintf(out, "runner cost per call (clock read, check, record): %s; \"net\" = mean minus it\n\n",
            t);

    static const char *const head[COLS] = {
        "section", "mean", "net", "p50", "p90", "p99", "p99.9", "max",
        "calls/s", "total", "repeats", "spread", "ratio"
    };
    char base_head[MAXW];
    snprintf(base_head, sizeof base_head, "x %s", cfg->baseline ? cfg->baseline : "base");
    char (*rows)[COLS][MAXW] = calloc(rep->n + 1, sizeof *rows);
    if (rows == NULL)
        return;
    for (int c = 0; c < COLS; c++)
        snprintf(rows[0][c], MAXW, "%s", c == COLS - 1 ? base_head : head[c]);
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        char (*row)[MAXW] = rows[i + 1];
        snprintf(row[0], MAXW, "%s", r->sec->name);
        if (!f[i].ok || r->failed) {
            /* Figures of the repeats done before a failure are in the JSON,
             * marked partial; the table does not mix them with real rows. */
            snprintf(row[1], MAXW, "FAILED");
            for (int c = 2; c < COLS; c++)
                snprintf(row[c], MAXW, "-");
            continue;
        }
        fmt_time(f[i].mean, row[1], MAXW);
        fmt_time(f[i].net, row[2], MAXW);
        fmt_time((double)f[i].p50, row[3], MAXW);
        fmt_time((double)f[i].p90, row[4], MAXW);
        fmt_time((double)f[i].p99, row[5], MAXW);
        fmt_time((double)f[i].p999, row[6], MAXW);
        fmt_time((double)f[i].max, row[7], MAXW);
        fmt_rate(f[i].calls_per_s, row[8], MAXW);
        fmt_time((double)f[i].total_med, row[9], MAXW);
        snprintf(row[10], MAXW, "%u%s", r->repeats_done, r->failed ? "!" : "");
        snprintf(row[11], MAXW, "%.1f%%%s", f[i].spread * 100, f[i].noisy ? " noisy" : "");
        if (f[i].ratio >= 100)
            snprintf(row[12], MAXW, "%.0fx", f[i].ratio);
        else if (f[i].ratio >= 0.01)
            snprintf(row[12], MAXW, "%.2fx", f[i].ratio);
        else if (f[i].ratio > 0)
            snprintf(row[12], MAXW, "%.2gx", f[i].ratio);   /* direct vs a network hop */
        else
            snprintf(row[12], MAXW, "-");
    }
    int w[COLS] = { 0 };
    for (size_t i = 0; i <= rep->n; i++)
        for (int c = 0; c < COLS; c++)
            if (width(rows[i][c]) > w[c])
                w[c] = width(rows[i][c]);
    for (size_t i = 0; i <= rep->n; i++)
        table_row(out, rows[i], w, COLS);

    /* Second table: where each section ran and what it cost to start. */
    static const char *const head2[7] = {
        "section", "plugin", "server", "address", "cpu client/server", "cold call", "conns"
    };
    for (int c = 0; c < 7; c++)
        snprintf(rows[0][c], MAXW, "%s", head2[c]);
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        char (*row)[MAXW] = rows[i + 1];
        snprintf(row[0], MAXW, "%s", r->sec->name);
        snprintf(row[1], MAXW, "%s", r->plugin_name[0] ? r->plugin_name : r->sec->plugin);
        snprintf(row[2], MAXW, "%s", mode_text(r));
        snprintf(row[3], MAXW, "%.*s", MAXW - 1, r->address[0] ? r->address : "-");
        snprintf(row[4], MAXW, "%.18s/%.18s", r->client_place[0] ? r->client_place : "any",
                 r->mode == SERVER_DEFAULT ? "-" : r->server_place[0] ? r->server_place : "any");
        if (f[i].ok)
            fmt_time((double)f[i].cold_med, row[5], MAXW);
        else
            snprintf(row[5], MAXW, "-");
        if (r->has_connections)
            snprintf(row[6], MAXW, "%llu", (unsigned long long)r->connections);
        else
            snprintf(row[6], MAXW, "-");
    }
    memset(w, 0, sizeof w);
    for (size_t i = 0; i <= rep->n; i++)
        for (int c = 0; c < 7; c++)
            if (width(rows[i][c]) > w[c])
                w[c] = width(rows[i][c]);
    fputc('\n', out);
    for (size_t i = 0; i <= rep->n; i++)
        table_row(out, rows[i], w, 7);
    free(rows);

    bool notes = false;
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct config_section *s = r->sec;
        if (!notes && (r->failed || r->note[0] || s->window > 1 || f[i].noisy)) {
            fprintf(out, "\nnotes:\n");
            notes = true;
        }
        if (r->failed)
            fprintf(out, "  %s: FAILED: %s\n", s->name, r->reason);
        if (s->window > 1)
            fprintf(out, "  %s: pipelined, %llu chains: calls overlap, so latency is "
                    "submit-to-answer and these are NOT dependent calls (its ratio uses "
                    "total / requests)\n", s->name, (unsigned long long)s->window);
        if (f[i].noisy)
            fprintf(out, "  %s: noisy: repeat totals differ by %.0f%% (more than %.0f%%); "
                    "pin CPUs or quiet the machine\n", s->name, f[i].spread * 100,
                    REPORT_NOISE_MARGIN * 100);
        if (r->note[0])
            fprintf(out, "  %s: %s\n", s->name, r->note);
    }
    fprintf(out, "\nmean/p50..max: per call; total: wall time of %s calls (median of repeats); "
            "cold call: init + first call, median of repeats\n",
            rep->n ? "the measured" : "no");
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

static json_t *section_json(const struct result *r, const struct figures *f)
{
    const struct config_section *s = r->sec;
    json_t *o = json_object();
    json_object_set_new(o, "name", text(s->name));
    json_object_set_new(o, "plugin", text(r->plugin_name[0] ? r->plugin_name : s->plugin));
    json_object_set_new(o, "plugin_path", text(r->plugin_path));
    json_object_set_new(o, "status", json_string(r->failed ? "failed" : "ok"));
    json_object_set_new(o, "server", json_string(mode_text(r)));
    json_object_set_new(o, "requests", json_integer((json_int_t)s->requests));
    json_object_set_new(o, "warmup", json_integer((json_int_t)s->warmup));
    json_object_set_new(o, "repeat", json_integer((json_int_t)s->repeat));
    json_object_set_new(o, "window", json_integer((json_int_t)s->window));
    json_object_set_new(o, "pipelined", json_boolean(s->window > 1));
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
    json_object_set_new(res, "net_mean_ns", isnan(f->net) ? json_null() : json_real(f->net));
    json_object_set_new(res, "cold_median_ns", json_integer((json_int_t)f->cold_med));
    json_object_set_new(res, "ratio_to_baseline", f->ratio > 0 ? json_real(f->ratio) : json_null());
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "histogram", histogram_json(r->hist));
    return o;
}

static int write_json(const struct report *rep, const struct figures *f, FILE *out)
{
    const struct config *cfg = rep->cfg;
    json_t *root = json_pack("{s:s, s:o, s:{s:I, s:I, s:I, s:o, s:s}, s:{s:o, s:I, s:o, s:o}, s:f, s:f}",
        "incbench", PACKAGE_VERSION, "config", text(cfg->path),
        "settings", "requests", (json_int_t)cfg->requests, "warmup", (json_int_t)cfg->warmup,
        "repeat", (json_int_t)cfg->repeat,
        "baseline", cfg->baseline ? text(cfg->baseline) : json_null(),
        "format", config_format_name(cfg->format),
        "machine", "cpu_model", text(rep->machine.cpu_model), "cores", (json_int_t)rep->machine.cores,
        "kernel", text(rep->machine.kernel), "hostname", text(rep->machine.hostname),
        "loop_cost_ns", rep->loop_cost_ns, "noise_margin", REPORT_NOISE_MARGIN);
    if (root == NULL)
        return -1;
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

static void csv_text(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void write_csv(const struct report *rep, const struct figures *f, FILE *out)
{
    fputs("section,plugin,status,server,requests,warmup,repeat,window,mean_ns,net_mean_ns,"
          "p50_ns,p90_ns,p99_ns,p999_ns,min_ns,max_ns,calls_per_s,total_median_ns,"
          "total_min_ns,total_max_ns,spread,noisy,ratio_to_baseline,cold_median_ns,"
          "connections,client_cpu,server_cpu,reason\n", out);
    for (size_t i = 0; i < rep->n; i++) {
        const struct result *r = &rep->results[i];
        const struct config_section *s = r->sec;
        const struct figures *g = &f[i];
        csv_text(out, s->name);
        fputc(',', out);
        csv_text(out, r->plugin_name[0] ? r->plugin_name : s->plugin);
        fprintf(out, ",%s,%s,%llu,%llu,%u,%llu,", r->failed ? "failed" : "ok", mode_text(r),
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
        fputc('\n', out);
    }
}

int report_write(const struct report *rep, enum config_format format, FILE *out)
{
    struct figures *f = calloc(rep->n ? rep->n : 1, sizeof *f);
    if (f == NULL)
        return -1;
    derive_all(rep, f);
    int rc = 0;
    if (format == FORMAT_JSON)
        rc = write_json(rep, f, out);
    else if (format == FORMAT_CSV)
        write_csv(rep, f, out);
    else
        write_table(rep, f, out);
    free(f);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    return rc;
}
