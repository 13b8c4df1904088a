/*
 * sweep_test.c — payloads and sweeps in the report (issue 12), on results
 * made by hand: bytes per call and MB/s in the table, markdown, CSV and
 * JSON (and no new column without a payload), a swept section's runs kept
 * together and set apart, JSON's base and sweep, the JSON read back by
 * --compare, and the html page's chart of latency against the swept value.
 * `sweep_test --write FILE.html` writes that page for browser.sh (any
 * format by its extension, to look at).
 */
#include "compare.h"
#include "compare_read.h"
#include "figures.h"
#include "madefix.h"
#include "renderfix.h"
#include "report_sweep.h"
#include "testutil.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPEATS 3
#define REQUESTS MADE_REQUESTS

/* Written in this order: direct, then tcp and rest each swept over payload;
 * rest's 64k run failed. */
enum { R_DIRECT, R_TCP0, R_TCP1K, R_TCP64K, R_REST0, R_REST1K, R_REST64K, N_RUNS };

static struct made made[N_RUNS];
static struct result results[N_RUNS];
static struct config cfg;

/* Calls of about ns each, repeat means 1% apart. */
static void calls(struct made *m, const char *name, double ns)
{
    made_wire(m, name, SERVER_SPAWN, REPEATS, 1);
    for (unsigned k = 0; k < REPEATS; k++) {
        double v = ns * (1 + 0.01 * k);
        for (unsigned i = 0; i < REQUESTS; i++)
            histogram_record(&m->hist, (uint64_t)v);
        m->mean[k] = v;
        m->total[k] = (uint64_t)(v * REQUESTS);
        m->init[k] = 1000;
        m->first[k] = 2000;
        m->client[k].cpu_ns = (uint64_t)(v / 4 * REQUESTS);
        m->server[k].cpu_ns = (uint64_t)(v / 4 * REQUESTS);
    }
}

static void setup(void)
{
    calls(&made[R_DIRECT], "direct", 50);
    made[R_DIRECT].r.mode = SERVER_DEFAULT;
    calls(&made[R_TCP0], "tcp[payload=0]", 20000);
    made_sweep(&made[R_TCP0], "tcp", "payload", "0", NULL);
    calls(&made[R_TCP1K], "tcp[payload=1k]", 21000);
    made_sweep(&made[R_TCP1K], "tcp", "payload", "1k", NULL);
    calls(&made[R_TCP64K], "tcp[payload=64k]", 40000);
    made_sweep(&made[R_TCP64K], "tcp", "payload", "64k", NULL);
    calls(&made[R_REST0], "rest[payload=0]", 60000);
    made_sweep(&made[R_REST0], "rest", "payload", "0", NULL);
    calls(&made[R_REST1K], "rest[payload=1k]", 63000);
    made_sweep(&made[R_REST1K], "rest", "payload", "1k", NULL);
    calls(&made[R_REST64K], "rest[payload=64k]", 1);
    made_sweep(&made[R_REST64K], "rest", "payload", "64k", NULL);
    made[R_REST64K].r.failed = true;
    made[R_REST64K].r.repeats_done = 0;
    snprintf(made[R_REST64K].r.reason, sizeof made[R_REST64K].r.reason,
             "rest: payload 65536 bytes is over the server's body limit");
    memset(&cfg, 0, sizeof cfg);
    cfg.path = (char *)"sweep.ini";
    cfg.requests = REQUESTS;
    cfg.repeat = REPEATS;
    cfg.baseline = "tcp";
}

/* The results as the report sees them (after the test changed the made). */
static void collect(void)
{
    for (int i = 0; i < N_RUNS; i++)
        results[i] = made[i].r;
}

static char *render(enum config_format format)
{
    collect();
    struct report rep = rf_report(&cfg, results, N_RUNS);
    int rc;
    char *text = rf_render(&rep, format, &rc);
    ck_assert_int_eq(rc, 0);
    return text;
}

static void figures_of(struct figures *f)
{
    collect();
    figures_derive(&cfg, results, N_RUNS, 10, f);
}

/* No sweeps at all: every run its own section, as before issue 12. */
static void unswept(void)
{
    for (int i = 0; i < N_RUNS; i++) {
        made[i].sec.base = NULL;
        made[i].sec.n_sweep = 0;
    }
    cfg.baseline = "direct";
}

static void no_payload(void)
{
    for (int i = 0; i < N_RUNS; i++)
        made[i].sec.payload = 0;
}

/* ---- sizes as numbers ---- */

START_TEST(swept_values_read_as_numbers_the_way_sizes_are_written)
{
    static const struct { const char *text; double value; } good[] = {
        { "0", 0 }, { "512", 512 }, { "4k", 4096 }, { "64K", 65536 }, { "1m", 1048576 },
        { "2G", 2147483648.0 }, { "-5", -5 }, { "1.5", 1.5 }, { "+3", 3 }, { ".5k", 512 },
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        double v = -1;
        ck_assert_msg(report_sweep_number(good[i].text, &v), "'%s' refused", good[i].text);
        ck_assert_double_eq(v, good[i].value);
    }
    static const char *const bad[] = {
        "", "k", "fast", "0x10", "1e3", "inf", "nan", " 4k", "4k ", "4kb", "4 k", "1-3", "-",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v;
        ck_assert_msg(!report_sweep_number(bad[i], &v), "'%s' taken as a number", bad[i]);
    }
    ck_assert(report_sweep_same("1k", "1024"));
    ck_assert(report_sweep_same("post", "post"));
    ck_assert(!report_sweep_same("1k", "1000"));
    ck_assert(!report_sweep_same("post", "get"));
}
END_TEST

/* ---- the table and markdown ---- */

START_TEST(the_table_shows_bytes_per_call_and_mb_per_s)
{
    char *table = render(FORMAT_TABLE);
    struct figures f[N_RUNS];
    figures_of(f);
    char c[16][RF_CELL];
    ck_assert_uint_eq(rf_table_cells(table, "section", c, 16), 15);
    ck_assert_str_eq(c[9], "calls/s");
    ck_assert_str_eq(c[10], "bytes/call");
    ck_assert_str_eq(c[11], "MB/s");
    ck_assert_str_eq(c[12], "total");
    ck_assert_uint_eq(rf_table_cells(table, "tcp[payload=1k]", c, 16), 15);
    ck_assert_str_eq(c[10], "2 KiB");
    double want = 2048 * f[R_TCP1K].calls_per_s / 1e6;
    ck_assert_double_eq_tol(strtod(c[11], NULL), want, want * 0.005);
    ck_assert_uint_eq(rf_table_cells(table, "tcp[payload=64k]", c, 16), 15);
    ck_assert_str_eq(c[10], "128 KiB");
    /* no payload: nothing moved, no rate */
    ck_assert_uint_eq(rf_table_cells(table, "tcp[payload=0]", c, 16), 15);
    ck_assert_str_eq(c[10], "0 B");
    ck_assert_str_eq(c[11], "-");
    ck_assert_uint_eq(rf_table_cells(table, "rest[payload=64k]", c, 16), 15);
    ck_assert_str_eq(c[1], "FAILED");
    ck_assert_str_eq(c[10], "-");
    ck_assert_msg(strstr(table, "bytes/call: payload bytes a call moves, request and answer "
                                "(2 x payload; the value itself not counted; rest's GET "
                                "carries it in the answer only, so moves half); MB/s: "
                                "bytes/call x calls/s, MB = 10^6 bytes\n") != NULL, "%s", table);
    free(table);
}
END_TEST

START_TEST(without_a_payload_the_table_is_as_before)
{
    no_payload();
    char *table = render(FORMAT_TABLE);
    ck_assert_ptr_null(strstr(table, "bytes/call"));
    ck_assert_ptr_null(strstr(table, "MB/s"));
    char c[16][RF_CELL];
    ck_assert_uint_eq(rf_table_cells(table, "tcp[payload=1k]", c, 16), 13);
    free(table);
    char *md = render(FORMAT_MARKDOWN);
    ck_assert_ptr_null(strstr(md, "bytes/call"));
    free(md);
    /* one byte in one section is a payload */
    made[R_REST1K].sec.payload = 1;
    table = render(FORMAT_TABLE);
    ck_assert_uint_eq(rf_table_cells(table, "rest[payload=1k]", c, 16), 15);
    ck_assert_str_eq(c[10], "2 B");
    ck_assert_uint_eq(rf_table_cells(table, "tcp[payload=1k]", c, 16), 15);
    ck_assert_str_eq(c[10], "0 B");
    free(table);
}
END_TEST

START_TEST(bytes_count_the_payload_only_a_non_multiple_in_bytes)
{
    made[R_TCP1K].sec.payload = 1000;
    char *table = render(FORMAT_TABLE);
    char c[16][RF_CELL];
    rf_table_cells(table, "tcp[payload=1k]", c, 16);
    ck_assert_str_eq(c[10], "2000 B");
    free(table);
    made[R_TCP1K].sec.payload = 1 << 20;
    table = render(FORMAT_TABLE);
    rf_table_cells(table, "tcp[payload=1k]", c, 16);
    ck_assert_str_eq(c[10], "2 MiB");
    free(table);
}
END_TEST

/* The lines of the results table: from its header to the next table's. */
static char **results_lines(const char *text, size_t *n)
{
    const char *start = strstr(text, "\nsection  ");
    ck_assert_ptr_nonnull(start);
    const char *end = strstr(start + 1, "\nsection  ");
    ck_assert_ptr_nonnull(end);
    char **lines = calloc(64, sizeof *lines);
    *n = 0;
    for (const char *l = start + 1; l < end && *n < 64;) {
        const char *nl = strchr(l, '\n');
        lines[(*n)++] = strndup(l, (size_t)(nl - l));
        l = nl + 1;
    }
    return lines;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* Line i starts with `name` and a blank, or is empty when name is "". */
static void line_is(char **lines, size_t i, const char *name)
{
    if (name[0] == '\0') {
        ck_assert_msg(lines[i][0] == '\0', "line %zu: '%s', wanted a blank row", i, lines[i]);
        return;
    }
    size_t n = strlen(name);
    ck_assert_msg(strncmp(lines[i], name, n) == 0 && lines[i][n] == ' ',
                  "line %zu: '%s', wanted %s", i, lines[i], name);
}

START_TEST(a_swept_sections_runs_stay_together_between_blank_rows)
{
    char *table = render(FORMAT_TABLE);
    size_t n;
    char **lines = results_lines(table, &n);
    static const char *const want[] = {
        "section", "direct", "", "tcp[payload=0]", "tcp[payload=1k]", "tcp[payload=64k]", "",
        "rest[payload=0]", "rest[payload=1k]", "rest[payload=64k]",
    };
    ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        line_is(lines, i, want[i]);
    free_lines(lines, n);
    free(table);
    /* Nothing swept: no blank row inside the table. */
    unswept();
    table = render(FORMAT_TABLE);
    lines = results_lines(table, &n);
    ck_assert_uint_eq(n, 1 + N_RUNS);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(lines[i][0] != '\0', "blank row %zu without a sweep", i);
    free_lines(lines, n);
    free(table);
}
END_TEST

START_TEST(markdown_has_the_columns_and_the_group_rows)
{
    char *md = render(FORMAT_MARKDOWN);
    ck_assert_ptr_nonnull(strstr(md, "| calls/s | bytes/call | MB/s | total |"));
    /* a group's blank row keeps the table whole: as many cells as the header */
    char *blank = tu_fmt("\n%s|\n", "|  |  |  |  |  |  |  |  |  |  |  |  |  |  |  ");
    ck_assert_uint_eq(tu_count(md, blank), 2);
    ck_assert_ptr_nonnull(strstr(md, "| direct |"));
    ck_assert_ptr_nonnull(strstr(md, "- bytes/call: payload bytes a call moves"));
    free(blank);
    free(md);
}
END_TEST

START_TEST(a_swept_baseline_is_explained_under_the_table)
{
    char *table = render(FORMAT_TABLE);
    ck_assert_ptr_nonnull(strstr(table, "x tcp: each run against the run of tcp with the same "
                                        "values of the swept keys both have; - where there is "
                                        "none, or more than one\n"));
    char c[16][RF_CELL];
    rf_table_cells(table, "rest[payload=1k]", c, 16);
    ck_assert_msg(strncmp(c[14], "3.00x", 5) == 0, "rest[payload=1k] x tcp: %s", c[14]);
    free(table);
    cfg.baseline = "tcp[payload=0]";
    table = render(FORMAT_TABLE);
    ck_assert_ptr_null(strstr(table, "with the same values of the swept keys"));
    free(table);
}
END_TEST

/* ---- JSON ---- */

static json_t *report_json(void)
{
    char *text = render(FORMAT_JSON);
    json_error_t e;
    json_t *root = json_loads(text, 0, &e);
    ck_assert_msg(root != NULL, "not JSON: %s", e.text);
    free(text);
    return root;
}

static const json_t *section_at(const json_t *root, size_t i)
{
    return json_array_get(json_object_get(root, "sections"), i);
}

START_TEST(json_records_the_base_the_sweep_and_the_payload)
{
    json_t *root = report_json();
    struct figures f[N_RUNS];
    figures_of(f);
    ck_assert_int_eq(json_integer_value(json_object_get(root, "schema_version")), 1);
    const json_t *s = section_at(root, R_TCP1K);
    ck_assert_str_eq(json_string_value(json_object_get(s, "name")), "tcp[payload=1k]");
    ck_assert_str_eq(json_string_value(json_object_get(s, "base")), "tcp");
    const json_t *sweep = json_object_get(s, "sweep");
    ck_assert_uint_eq(json_object_size(sweep), 1);
    ck_assert_str_eq(json_string_value(json_object_get(sweep, "payload")), "1k");
    ck_assert_int_eq(json_integer_value(json_object_get(s, "payload_bytes")), 1024);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "bytes_per_call")), 2048);
    const json_t *res = json_object_get(s, "results");
    ck_assert_double_eq_tol(json_real_value(json_object_get(res, "mb_per_s")),
                            f[R_TCP1K].mb_per_s, 1e-6);
    ck_assert_str_eq(json_string_value(json_object_get(res, "baseline_run")), "tcp[payload=1k]");
    res = json_object_get(section_at(root, R_REST1K), "results");
    ck_assert_str_eq(json_string_value(json_object_get(res, "baseline_run")), "tcp[payload=1k]");
    ck_assert_double_eq_tol(json_real_value(json_object_get(res, "ratio_to_baseline")), 3, 0.01);
    /* not swept: its own base, an empty sweep, no payload, no rate, no ratio */
    s = section_at(root, R_DIRECT);
    ck_assert_str_eq(json_string_value(json_object_get(s, "base")), "direct");
    ck_assert(json_is_object(json_object_get(s, "sweep")));
    ck_assert_uint_eq(json_object_size(json_object_get(s, "sweep")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "payload_bytes")), 0);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "bytes_per_call")), 0);
    res = json_object_get(s, "results");
    ck_assert(json_is_null(json_object_get(res, "mb_per_s")));
    ck_assert(json_is_null(json_object_get(res, "baseline_run")));
    /* failed: the payload it asked for, no figures */
    s = section_at(root, R_REST64K);
    ck_assert_int_eq(json_integer_value(json_object_get(s, "payload_bytes")), 65536);
    ck_assert_ptr_null(json_object_get(s, "results"));
    json_decref(root);
}
END_TEST

START_TEST(json_keeps_the_swept_keys_in_written_order)
{
    made_sweep(&made[R_TCP1K], "tcp", "window", "4", "payload", "1k", "verify", "true", NULL);
    json_t *root = report_json();
    const json_t *sweep = json_object_get(section_at(root, R_TCP1K), "sweep");
    static const char *const keys[] = { "window", "payload", "verify" };
    size_t i = 0;
    for (void *it = json_object_iter((json_t *)sweep); it != NULL;
         it = json_object_iter_next((json_t *)sweep, it))
        ck_assert_str_eq(json_object_iter_key(it), keys[i++]);
    ck_assert_uint_eq(i, 3);
    ck_assert_str_eq(json_string_value(json_object_get(sweep, "verify")), "true");
    json_decref(root);
}
END_TEST

/* ---- CSV ---- */

START_TEST(csv_appends_the_new_columns_after_the_old)
{
    char *csv = render(FORMAT_CSV);
    ck_assert_msg(strncmp(csv, "section,plugin,status,server,requests,warmup,repeat,window,"
                               "mean_ns,", 67) == 0, "%.200s", csv);
    ck_assert_ptr_nonnull(strstr(csv, ",wait_ns,spread_noisy,base,sweep,payload_bytes,"
                                      "bytes_per_call,mb_per_s,"));
    ck_assert_uint_eq(tu_lines(csv), 1 + N_RUNS);
    struct figures f[N_RUNS];
    figures_of(f);
    /* then the two TLS counts, empty here */
    char *tail = tu_fmt(",\"tcp\",\"payload=1k\",1024,2048,%.4g,,\n", f[R_TCP1K].mb_per_s);
    ck_assert_msg(strstr(csv, tail) != NULL, "no '%s' in:\n%s", tail, csv);
    ck_assert_ptr_nonnull(strstr(csv, ",\"direct\",\"\",0,0,,,\n"));
    ck_assert_ptr_nonnull(strstr(csv, ",\"rest\",\"payload=64k\",65536,131072,,,\n"));
    free(tail);
    free(csv);
    /* several keys in the field, in written order, quotes doubled */
    made_sweep(&made[R_TCP1K], "tcp", "payload", "1k", "path", "/a\"b", NULL);
    csv = render(FORMAT_CSV);
    ck_assert_ptr_nonnull(strstr(csv, ",\"tcp\",\"payload=1k,path=/a\"\"b\",1024,"));
    free(csv);
}
END_TEST

/* ---- --compare reads it back ---- */

START_TEST(compare_reads_a_swept_report_and_pairs_runs_by_name)
{
    char *json = render(FORMAT_JSON);
    struct compare_file files[2];
    char err[512];
    ck_assert_msg(compare_file_parse(&files[0], "a.json", json, strlen(json), err,
                                     sizeof err) == 0, "%s", err);
    /* B lacks tcp[payload=64k]: a run is matched by its expanded name */
    made[R_TCP64K].sec.name = (char *)"tcp[payload=32k]";
    char *json_b = render(FORMAT_JSON);
    ck_assert_msg(compare_file_parse(&files[1], "b.json", json_b, strlen(json_b), err,
                                     sizeof err) == 0, "%s", err);
    ck_assert_uint_eq(files[0].n_sections, N_RUNS);
    ck_assert_ptr_nonnull(compare_file_section(&files[0], "rest[payload=1k]"));
    ck_assert(!compare_file_section(&files[0], "rest[payload=64k]")->ok);
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    ck_assert_int_eq(compare_write(files, 2, COMPARE_TABLE, fp, err, sizeof err), 0);
    fclose(fp);
    ck_assert_msg(strstr(out, "\ntcp[payload=1k] ") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "tcp[payload=64k]: only in A (absent from B)") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "tcp[payload=32k]: only in B (absent from A)") != NULL, "%s", out);
    free(out);
    compare_file_free(&files[0]);
    compare_file_free(&files[1]);
    free(json);
    free(json_b);
}
END_TEST

#ifdef HAVE_CHARTJS

/* ---- html ---- */

static char *page(void)
{
    return render(FORMAT_HTML);
}

static const char *str_of(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    ck_assert_msg(s != NULL, "no string %s", key);
    return s;
}

static size_t n_datasets(const json_t *chart)
{
    return json_array_size(json_object_get(json_object_get(chart, "data"), "datasets"));
}

static const json_t *x_axis(const json_t *chart)
{
    return json_object_get(json_object_get(json_object_get(chart, "options"), "scales"), "x");
}

START_TEST(the_page_has_a_chart_of_latency_against_the_swept_key)
{
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_uint_eq(tu_count(own, "<div class=\"chart\""), 4);
    ck_assert_uint_eq(tu_count(own, "id=\"sweep-chart\""), 1);
    ck_assert_ptr_nonnull(strstr(own, "<h2>Latency against payload</h2>"));
    json_t *c = rf_chart_config(html, "sweep-chart");
    ck_assert_str_eq(str_of(c, "type"), "line");
    /* a line per section as written, each with its mean and p99 */
    ck_assert_uint_eq(n_datasets(c), 4);
    ck_assert_str_eq(str_of(rf_dataset(c, 0), "label"), "tcp: mean");
    ck_assert_str_eq(str_of(rf_dataset(c, 1), "label"), "tcp: p99");
    ck_assert_str_eq(str_of(rf_dataset(c, 2), "label"), "rest: mean");
    ck_assert_str_eq(str_of(rf_dataset(c, 3), "label"), "rest: p99");
    ck_assert_str_eq(str_of(rf_dataset(c, 0), "borderColor"),
                     str_of(rf_dataset(c, 1), "borderColor"));
    ck_assert_str_ne(str_of(rf_dataset(c, 0), "borderColor"),
                     str_of(rf_dataset(c, 2), "borderColor"));
    ck_assert_ptr_null(json_object_get(rf_dataset(c, 0), "borderDash"));
    ck_assert_ptr_nonnull(json_object_get(rf_dataset(c, 1), "borderDash"));
    /* sizes from 0 to 64k: a log axis, 0 a decade below 1k, labelled as written */
    ck_assert_str_eq(str_of(x_axis(c), "type"), "logarithmic");
    struct figures f[N_RUNS];
    figures_of(f);
    static const double xs[] = { 102.4, 1024, 65536 };
    static const char *const vs[] = { "0", "1k", "64k" };
    for (int i = 0; i < 3; i++) {
        const json_t *pt = rf_point(c, 0, i);
        ck_assert_double_eq_tol(json_number_value(json_object_get(pt, "x")), xs[i], 1e-9);
        ck_assert_str_eq(str_of(pt, "v"), vs[i]);
        ck_assert_str_eq(str_of(pt, "k"), "payload");
        ck_assert_double_eq_tol(json_number_value(json_object_get(pt, "y")),
                                f[R_TCP0 + i].mean, 1e-6);
        ck_assert_double_eq_tol(json_number_value(json_object_get(rf_point(c, 1, i), "y")),
                                (double)f[R_TCP0 + i].p99, 1e-6);
    }
    /* rest's 64k failed: a gap, not a point at 0 */
    ck_assert(json_is_null(json_object_get(rf_point(c, 2, 2), "y")));
    ck_assert(json_is_null(json_object_get(rf_point(c, 3, 2), "y")));
    ck_assert(json_is_real(json_object_get(rf_point(c, 2, 1), "y")));
    const json_t *tick = json_object_get(json_object_get(x_axis(c), "ticks"), "callback");
    ck_assert_str_eq(str_of(tick, "$fn"), "sweep_tick");
    json_decref(c);
    free(html);
}
END_TEST

START_TEST(points_follow_the_value_not_the_written_order)
{
    /* tcp written as 64k, 0, 1k */
    calls(&made[R_TCP0], "tcp[payload=64k]", 40000);
    made_sweep(&made[R_TCP0], "tcp", "payload", "64k", NULL);
    calls(&made[R_TCP1K], "tcp[payload=0]", 20000);
    made_sweep(&made[R_TCP1K], "tcp", "payload", "0", NULL);
    calls(&made[R_TCP64K], "tcp[payload=1k]", 21000);
    made_sweep(&made[R_TCP64K], "tcp", "payload", "1k", NULL);
    char *html = page();
    json_t *c = rf_chart_config(html, "sweep-chart");
    static const char *const vs[] = { "0", "1k", "64k" };
    double last = 0;
    for (int i = 0; i < 3; i++) {
        const json_t *pt = rf_point(c, 0, i);
        ck_assert_str_eq(str_of(pt, "v"), vs[i]);
        double y = json_number_value(json_object_get(pt, "y"));
        ck_assert_double_gt(y, last);      /* 20 µs, 21 µs, 40 µs */
        last = y;
    }
    json_decref(c);
    free(html);
}
END_TEST

START_TEST(a_second_swept_key_makes_a_line_per_value)
{
    made_sweep(&made[R_REST0], "rest", "payload", "0", "window", "1", NULL);
    made_sweep(&made[R_REST1K], "rest", "payload", "1k", "window", "1", NULL);
    made_sweep(&made[R_REST64K], "rest", "payload", "0", "window", "4", NULL);
    made[R_REST64K].r.failed = false;
    made[R_REST64K].r.repeats_done = REPEATS;
    char *html = page();
    json_t *c = rf_chart_config(html, "sweep-chart");
    ck_assert_uint_eq(n_datasets(c), 6);
    ck_assert_str_eq(str_of(rf_dataset(c, 2), "label"), "rest, window=1: mean");
    ck_assert_str_eq(str_of(rf_dataset(c, 4), "label"), "rest, window=4: mean");
    ck_assert_uint_eq(json_array_size(json_object_get(rf_dataset(c, 2), "data")), 2);
    ck_assert_uint_eq(json_array_size(json_object_get(rf_dataset(c, 4), "data")), 1);
    json_decref(c);
    free(html);
}
END_TEST

/* Every run of the fixture but direct swept over key = values[i]. */
static void sweep_all(const char *key, const char *const *values)
{
    for (int i = R_TCP0; i < N_RUNS; i++)
        made_sweep(&made[i], i < R_REST0 ? "tcp" : "rest", key, values[i - R_TCP0], NULL);
}

/* The sweep chart, every run but direct swept over key = values[i]; the
 * page in *html. */
static json_t *swept_chart(const char *key, const char *const *values, char **html)
{
    sweep_all(key, values);
    *html = page();
    return rf_chart_config(*html, "sweep-chart");
}

/* The x axis' type of such a chart. */
static void x_type_is(const char *key, const char *const *values, const char *type)
{
    char *html;
    json_t *c = swept_chart(key, values, &html);
    ck_assert_msg(strcmp(str_of(x_axis(c), "type"), type) == 0, "%s, %s ...: %s, wanted %s",
                  values[0], values[1], str_of(x_axis(c), "type"), type);
    json_decref(c);
    free(html);
}

START_TEST(values_that_are_not_all_numbers_stand_in_written_order)
{
    static const char *const v[] = { "post", "get", "4k", "post", "get", "4k" };
    char *html;
    json_t *c = swept_chart("method", v, &html);
    ck_assert_str_eq(str_of(x_axis(c), "type"), "category");
    const json_t *labels = json_object_get(json_object_get(c, "data"), "labels");
    ck_assert_uint_eq(json_array_size(labels), 3);
    ck_assert_str_eq(json_string_value(json_array_get(labels, 0)), "post");
    ck_assert_str_eq(json_string_value(json_array_get(labels, 1)), "get");
    ck_assert_str_eq(json_string_value(json_array_get(labels, 2)), "4k");
    ck_assert_str_eq(str_of(rf_point(c, 0, 1), "x"), "get");
    json_decref(c);
    free(html);
    /* numbers first, then a word: still categories, never a log axis */
    static const char *const w[] = { "1", "100", "fast", "1", "100", "fast" };
    x_type_is("method", w, "category");
}
END_TEST

START_TEST(numbers_within_a_decade_stay_linear)
{
    static const char *const v[] = { "1", "2", "8", "1", "2", "8" };
    char *html;
    json_t *c = swept_chart("window", v, &html);
    ck_assert_str_eq(str_of(x_axis(c), "type"), "linear");
    ck_assert_double_eq(json_number_value(json_object_get(rf_point(c, 0, 0), "x")), 1);
    ck_assert_double_eq(json_number_value(json_object_get(rf_point(c, 0, 2), "x")), 8);
    json_decref(c);
    free(html);
    /* 0 on a linear axis stays 0 */
    static const char *const z[] = { "0", "4", "8", "0", "4", "8" };
    c = swept_chart("window", z, &html);
    ck_assert_str_eq(str_of(x_axis(c), "type"), "linear");
    ck_assert_double_eq(json_number_value(json_object_get(rf_point(c, 0, 0), "x")), 0);
    json_decref(c);
    free(html);
    /* a decade apart: log */
    static const char *const w[] = { "1", "4", "16", "1", "4", "16" };
    x_type_is("window", w, "logarithmic");
    /* exactly a decade is a decade or more */
    static const char *const d[] = { "1", "5", "10", "1", "5", "10" };
    x_type_is("window", d, "logarithmic");
}
END_TEST

START_TEST(without_a_sweep_there_is_no_sweep_chart)
{
    unswept();
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_ptr_null(strstr(own, "sweep-chart"));
    ck_assert_uint_eq(tu_count(own, "<div class=\"chart\""), 3);
    free(html);
}
END_TEST

START_TEST(two_first_keys_make_two_charts)
{
    made_sweep(&made[R_REST0], "rest", "window", "1", NULL);
    made_sweep(&made[R_REST1K], "rest", "window", "4", NULL);
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_ptr_nonnull(strstr(own, "<h2>Latency against window</h2>"));
    json_t *c = rf_chart_config(html, "sweep-chart-2");
    ck_assert_uint_eq(n_datasets(c), 2);
    ck_assert_str_eq(str_of(rf_dataset(c, 0), "label"), "rest: mean");
    json_decref(c);
    c = rf_chart_config(html, "sweep-chart");
    ck_assert_uint_eq(n_datasets(c), 4);   /* tcp, and rest's 64k run (failed: a gap) */
    json_decref(c);
    free(html);
}
END_TEST

START_TEST(the_html_table_groups_runs_and_shows_the_text_tables_cells)
{
    char *html = page();
    char *table = render(FORMAT_TABLE);
    ck_assert_ptr_nonnull(strstr(html, "<tr class=\"group sweep\"><th colspan=\"15\">tcp: 3 runs "
                                       "over payload</th></tr>\n<tr><td>tcp[payload=0]</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<th colspan=\"15\">rest: 3 runs over payload</th>"));
    ck_assert_uint_eq(tu_count(html, "class=\"group sweep\""), 2);
    ck_assert_ptr_nonnull(strstr(html, "<th class=\"num\">bytes/call</th><th class=\"num\">MB/s"
                                       "</th>"));
    static const int rows[] = { R_DIRECT, R_TCP1K, R_TCP0, R_REST0, R_REST1K };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        rf_same_cells(table, html, made[rows[i]].sec.name, 15);
    free(table);
    free(html);
}
END_TEST

START_TEST(a_swept_key_from_the_config_is_escaped)
{
    static const char *const v[] = { "1", "2", "3", "1", "2", "3" };
    char *html;
    json_t *c = swept_chart("<b>k\xff", v, &html);
    const char *own = rf_own_part(html);
    ck_assert_ptr_null(strstr(own, "<b>k"));
    ck_assert_ptr_nonnull(strstr(own, "<h2>Latency against &lt;b&gt;k?</h2>"));
    ck_assert_str_eq(str_of(rf_point(c, 0, 0), "k"), "<b>k?");
    json_decref(c);
    free(html);
}
END_TEST

#endif

/* --write FILE: the fixture's report in the format FILE's extension asks
 * for. A test of its own, since the fixture asserts as it goes. */
static const char *write_path;

START_TEST(write_the_report)
{
    char known[128];
    int format = config_format_of_file(write_path, known, sizeof known);
    ck_assert_msg(format >= 0, "%s: no format for its extension (known: %s)", write_path, known);
    collect();
    struct report rep = rf_report(&cfg, results, N_RUNS);
    FILE *fp = fopen(write_path, "w");
    ck_assert_msg(fp != NULL, "cannot write %s", write_path);
    int rc = report_write(&rep, (enum config_format)format, fp);
    ck_assert_int_eq(fclose(fp), 0);
    ck_assert_int_eq(rc, 0);
}
END_TEST

int main(int argc, char **argv)
{
    Suite *s = suite_create("sweep");
    TCase *tc;
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        write_path = argv[2];
        tc = tcase_create("write");
        tcase_add_checked_fixture(tc, setup, NULL);
        tcase_add_test(tc, write_the_report);
        suite_add_tcase(s, tc);
        return tu_run_suite(s);
    }
    tc = tcase_create("faces");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, swept_values_read_as_numbers_the_way_sizes_are_written);
    tcase_add_test(tc, the_table_shows_bytes_per_call_and_mb_per_s);
    tcase_add_test(tc, without_a_payload_the_table_is_as_before);
    tcase_add_test(tc, bytes_count_the_payload_only_a_non_multiple_in_bytes);
    tcase_add_test(tc, a_swept_sections_runs_stay_together_between_blank_rows);
    tcase_add_test(tc, markdown_has_the_columns_and_the_group_rows);
    tcase_add_test(tc, a_swept_baseline_is_explained_under_the_table);
    tcase_add_test(tc, json_records_the_base_the_sweep_and_the_payload);
    tcase_add_test(tc, json_keeps_the_swept_keys_in_written_order);
    tcase_add_test(tc, csv_appends_the_new_columns_after_the_old);
    tcase_add_test(tc, compare_reads_a_swept_report_and_pairs_runs_by_name);
    suite_add_tcase(s, tc);
#ifdef HAVE_CHARTJS
    tc = tcase_create("html");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, the_page_has_a_chart_of_latency_against_the_swept_key);
    tcase_add_test(tc, points_follow_the_value_not_the_written_order);
    tcase_add_test(tc, a_second_swept_key_makes_a_line_per_value);
    tcase_add_test(tc, values_that_are_not_all_numbers_stand_in_written_order);
    tcase_add_test(tc, numbers_within_a_decade_stay_linear);
    tcase_add_test(tc, without_a_sweep_there_is_no_sweep_chart);
    tcase_add_test(tc, two_first_keys_make_two_charts);
    tcase_add_test(tc, the_html_table_groups_runs_and_shows_the_text_tables_cells);
    tcase_add_test(tc, a_swept_key_from_the_config_is_escaped);
    suite_add_tcase(s, tc);
#endif
    return tu_run_suite(s);
}
