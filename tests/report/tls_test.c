/*
 * tls_test.c — TLS handshakes in the report (issue 14), on results made by
 * hand: beside connections in the table, markdown, html and CSV as sums
 * and per repeat (a range when repeats differ), in the JSON as sums and
 * arrays (null without TLS), and none of it in a report where nobody
 * counted a handshake: such a report is byte for byte what a plugin older
 * than ABI minor 3 gives. The JSON, with or without the new members, is
 * read back by --compare. End to end through real plugins: handshakes_test.
 */
#include "compare_read.h"
#include "madefix.h"
#include "renderfix.h"
#include "grid.h"
#include "report_cells.h"
#include "report_tls.h"
#include "testutil.h"

#include <check.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPEATS 3
#define REQUESTS MADE_REQUESTS

/* plaintext; TLS keep-alive (one full handshake a repeat); TLS with a
 * connection per call, resumed, one repeat's session lost (a second full
 * one); a TLS section that failed in its second repeat after its stats
 * were read. */
enum { S_PLAIN, S_KEEP, S_CLOSE, S_FAILED, N_MADE };

static struct made made[N_MADE];
static struct result results[N_MADE];
static struct config cfg;

static void calls(struct made *m, const char *name, double ns)
{
    made_wire(m, name, SERVER_SPAWN, REPEATS, 1);
    for (unsigned k = 0; k < REPEATS; k++) {
        for (unsigned i = 0; i < REQUESTS; i++)
            histogram_record(&m->hist, (uint64_t)ns);
        m->mean[k] = ns;
        m->total[k] = (uint64_t)(ns * REQUESTS);
        m->init[k] = 1000;
        m->first[k] = 2000;
    }
    m->r.has_connections = true;
}

/* Repeat k's handshakes, as run.c records them from a minor-3 plugin. */
static void shakes(struct made *m, unsigned k, uint64_t full, uint64_t resumed)
{
    m->tls_full[k] = full;
    m->tls_resumed[k] = resumed;
    m->r.stats_repeats = k + 1;
    m->r.has_tls = m->r.has_tls || full + resumed > 0;
}

static void setup(void)
{
    calls(&made[S_PLAIN], "plain", 20000);
    made[S_PLAIN].r.connections = REPEATS;
    calls(&made[S_KEEP], "keep", 30000);
    made[S_KEEP].r.connections = REPEATS;
    for (unsigned k = 0; k < REPEATS; k++)
        shakes(&made[S_KEEP], k, 1, 0);
    calls(&made[S_CLOSE], "close", 90000);
    made[S_CLOSE].r.connections = 300;
    shakes(&made[S_CLOSE], 0, 1, 99);
    shakes(&made[S_CLOSE], 1, 2, 98);
    shakes(&made[S_CLOSE], 2, 1, 99);
    calls(&made[S_FAILED], "failed", 40000);
    made[S_FAILED].r.connections = 2;
    shakes(&made[S_FAILED], 0, 1, 0);
    shakes(&made[S_FAILED], 1, 1, 0);
    made[S_FAILED].r.failed = true;
    made[S_FAILED].r.repeats_done = 1;
    snprintf(made[S_FAILED].r.reason, sizeof made[S_FAILED].r.reason,
             "repeat 2: nettls: the server went away");
    memset(&cfg, 0, sizeof cfg);
    cfg.path = (char *)"tls.ini";
    cfg.requests = REQUESTS;
    cfg.repeat = REPEATS;
    cfg.baseline = "plain";
}

/* The report of made[0..n) in format. */
static char *render_n(enum config_format format, size_t n)
{
    for (size_t i = 0; i < n; i++)
        results[i] = made[i].r;
    struct report rep = rf_report(&cfg, results, n);
    int rc;
    char *text = rf_render(&rep, format, &rc);
    ck_assert_int_eq(rc, 0);
    return text;
}

static char *render(enum config_format format)
{
    return render_n(format, N_MADE);
}

/* The last three cells of `name`'s row in the placement table: conns,
 * tls handshakes, per repeat. */
static void placement_tail(const char *table, const char *name, char tail[3][RF_CELL])
{
    const char *head = strstr(table, "\nsection  plugin  server");
    ck_assert_msg(head != NULL, "no placement table in:\n%s", table);
    char cells[16][RF_CELL];
    size_t n = rf_table_cells(head, name, cells, 16);
    ck_assert_uint_ge(n, 3);
    for (int i = 0; i < 3; i++)
        snprintf(tail[i], RF_CELL, "%s", cells[n - 3 + (size_t)i]);
}

static void assert_tail(const char *table, const char *name, const char *conns,
                        const char *sum, const char *per)
{
    char t[3][RF_CELL];
    placement_tail(table, name, t);
    ck_assert_msg(strcmp(t[0], conns) == 0 && strcmp(t[1], sum) == 0 && strcmp(t[2], per) == 0,
                  "%s: conns '%s', tls handshakes '%s', per repeat '%s'; want '%s' '%s' '%s'",
                  name, t[0], t[1], t[2], conns, sum, per);
}

/* The line of text that starts with prefix (malloc'd), or NULL. */
static char *line_of(const char *text, const char *prefix)
{
    for (const char *p = text; p != NULL && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, prefix, strlen(prefix)) == 0) {
            const char *end = strchr(p, '\n');
            return tu_fmt("%.*s", (int)(end ? end - p : (long)strlen(p)), p);
        }
    return NULL;
}

/* ---- the faces for people ---- */

START_TEST(the_table_shows_handshakes_beside_connections)
{
    char *t = render(FORMAT_TABLE);
    char *head = line_of(t, "section  plugin  server");
    ck_assert_ptr_nonnull(head);
    ck_assert_msg(strstr(head, "  conns  tls handshakes  per repeat") != NULL &&
                  strcmp(head + strlen(head) - 10, "per repeat") == 0, "%s", head);
    assert_tail(t, "plain", "3", "-", "-");
    assert_tail(t, "keep", "3", "3/0", "1/0");
    assert_tail(t, "close", "300", "4/296", "1-2/98-99");
    /* a failed section's counts, as its connections, cover the repeat it
     * failed in: that client made its handshakes */
    assert_tail(t, "failed", "2", "2/0", "1/0");
    char *legend = line_of(t, "tls handshakes: full/resumed");
    ck_assert_msg(legend != NULL, "no legend for the columns in:\n%s", t);
    free(legend);
    free(head);
    free(t);
}
END_TEST

/* A long address (a TLS server's pin makes one of 90 characters) is cut
 * in the tables to its head and tail around an ellipsis; a short one, or
 * one of exactly the width, is shown whole. */
START_TEST(a_long_address_is_cut_for_people)
{
    char buf[300];
    const char *pinned = "127.0.0.1:4433#sha256="
                         "c968b406879491e0a6a3caecc4a64662e94da36e5a2ed09ac3eed37762fd23d5";
    grid_elide(pinned, REPORT_ADDRESS_SHOWN, buf, sizeof buf);
    ck_assert_str_eq(buf, "127.0.0.1:4433#sha256=c968b406879491e0a6\u20262fd23d5");
    /* two endpoints that differ only at their end stay apart */
    grid_elide("unix:/var/run/incbench/a-rather-long-directory/server-1.sock",
               REPORT_ADDRESS_SHOWN, buf, sizeof buf);
    ck_assert_str_eq(buf, "unix:/var/run/incbench/a-rather-long-dir\u2026-1.sock");
    grid_elide("127.0.0.1:4433", REPORT_ADDRESS_SHOWN, buf, sizeof buf);
    ck_assert_str_eq(buf, "127.0.0.1:4433");
    const char *exactly = "unix:@incbench-123456-7-0123456789abcdef01234567"; /* 48 */
    ck_assert_uint_eq(strlen(exactly), REPORT_ADDRESS_SHOWN);
    grid_elide(exactly, REPORT_ADDRESS_SHOWN, buf, sizeof buf);
    ck_assert_str_eq(buf, exactly);
    /* and the table shows the cut, the JSON the whole */
    snprintf(made[1].r.address, sizeof made[1].r.address, "%s", pinned);
    char *t = render(FORMAT_TABLE);
    ck_assert_msg(strstr(t, "c968b406879491e0a6\u20262fd23d5") != NULL && strstr(t, pinned) == NULL,
                  "%s", t);
    free(t);
    char *j = render(FORMAT_JSON);
    ck_assert_ptr_nonnull(strstr(j, pinned));
    free(j);
    made[1].r.address[0] = '\0';
}
END_TEST

START_TEST(markdown_has_the_columns)
{
    char *md = render(FORMAT_MARKDOWN);
    char *head = line_of(md, "| section | plugin |");
    ck_assert_ptr_nonnull(head);
    ck_assert_str_eq(head, "| section | plugin | server | address | cpu client/server | "
                           "cold call | conns | tls handshakes | per repeat |");
    char *close = NULL;
    for (const char *p = strstr(md, head); p && !close; p = strchr(p + 1, '\n'))
        if (strncmp(p, "\n| close |", 10) == 0)
            close = line_of(p + 1, "| close |");
    ck_assert_msg(close != NULL, "no placement row for close in:\n%s", md);
    ck_assert_msg(strstr(close, "| 300 | 4/296 | 1-2/98-99 |") != NULL, "%s", close);
    ck_assert_uint_eq(tu_count(close, "|"), tu_count(head, "|"));
    ck_assert_ptr_nonnull(strstr(md, "\n- tls handshakes: full/resumed"));
    free(close);
    free(head);
    free(md);
}
END_TEST

#ifdef HAVE_CHARTJS
START_TEST(the_page_has_the_columns)
{
    char *html = render(FORMAT_HTML);
    ck_assert_ptr_nonnull(strstr(html, "<th class=\"num\">conns</th><th class=\"num\">tls "
                                       "handshakes</th><th class=\"num\">per repeat</th></tr>"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=\"num\">300</td><td class=\"num\">4/296</td>"
                                       "<td class=\"num\">1-2/98-99</td></tr>"));
    ck_assert_ptr_nonnull(strstr(html, "<td class=\"num\">3</td><td class=\"num\">-</td>"
                                       "<td class=\"num\">-</td></tr>"));
    ck_assert_ptr_nonnull(strstr(html, "<p class=\"muted\">tls handshakes: full/resumed"));
    free(html);
}
END_TEST
#endif

/* ---- the faces for programs ---- */

/* Fields of one CSV line, quoted commas not counted. */
static size_t csv_fields(const char *line)
{
    size_t n = 1;
    bool quoted = false;
    for (const char *p = line; *p; p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (*p == ',' && !quoted)
            n++;
    }
    return n;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

START_TEST(csv_appends_the_sums_last)
{
    char *csv = render(FORMAT_CSV);
    char *head = line_of(csv, "section,");
    ck_assert_msg(ends_with(head, ",bytes_per_call,mb_per_s,tls_full_handshakes,"
                                  "tls_resumed_handshakes"), "%s", head);
    static const struct { const char *name, *tail; } rows[] = {
        { "\"plain\",", ",," }, { "\"keep\",", ",3,0" }, { "\"close\",", ",4,296" },
        { "\"failed\",", ",2,0" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *line = line_of(csv, rows[i].name);
        ck_assert_msg(line != NULL, "no row %s in:\n%s", rows[i].name, csv);
        ck_assert_msg(ends_with(line, rows[i].tail), "%s does not end with %s", line,
                      rows[i].tail);
        ck_assert_uint_eq(csv_fields(line), csv_fields(head));
        free(line);
    }
    free(head);
    free(csv);
}
END_TEST

static void assert_u64s(json_t *a, const uint64_t *want, size_t n, const char *what)
{
    ck_assert_msg(json_is_array(a) && json_array_size(a) == n, "%s: not an array of %zu",
                  what, n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(json_integer_value(json_array_get(a, i)) == (json_int_t)want[i],
                      "%s[%zu] = %lld, want %llu", what, i,
                      (long long)json_integer_value(json_array_get(a, i)),
                      (unsigned long long)want[i]);
}

START_TEST(json_has_sums_and_each_repeat)
{
    char *text = render(FORMAT_JSON);
    json_error_t e;
    json_t *root = json_loads(text, 0, &e);
    ck_assert_msg(root != NULL, "%s", e.text);
    json_t *secs = json_object_get(root, "sections");
    json_t *plain = json_array_get(secs, S_PLAIN), *close = json_array_get(secs, S_CLOSE),
           *failed = json_array_get(secs, S_FAILED);
    static const char *const keys[] = {
        "tls_full_handshakes", "tls_resumed_handshakes", "tls_full_handshakes_per_repeat",
        "tls_resumed_handshakes_per_repeat"
    };
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_object_get(plain, keys[i]);
        ck_assert_msg(v != NULL && json_is_null(v), "plain: %s is not null", keys[i]);
    }
    ck_assert_int_eq(json_integer_value(json_object_get(close, "tls_full_handshakes")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(close, "tls_resumed_handshakes")), 296);
    const uint64_t full[] = { 1, 2, 1 }, resumed[] = { 99, 98, 99 };
    assert_u64s(json_object_get(close, "tls_full_handshakes_per_repeat"), full, 3, "full");
    assert_u64s(json_object_get(close, "tls_resumed_handshakes_per_repeat"), resumed, 3,
                "resumed");
    /* the failed repeat's client is in the sums and so in the arrays */
    const uint64_t one[] = { 1, 1 }, none[] = { 0, 0 };
    ck_assert_int_eq(json_integer_value(json_object_get(failed, "repeats_done")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(failed, "tls_full_handshakes")), 2);
    assert_u64s(json_object_get(failed, "tls_full_handshakes_per_repeat"), one, 2, "full");
    assert_u64s(json_object_get(failed, "tls_resumed_handshakes_per_repeat"), none, 2,
                "resumed");
    json_decref(root);
    free(text);
}
END_TEST

/* ---- nobody counted a handshake ---- */

/* made[] as a plaintext run: keep and close by a minor-3 plugin that
 * counted none (zeros read), or by an older one (nothing read). */
static void plaintext(bool minor3)
{
    for (int i = 0; i < N_MADE; i++) {
        struct made *m = &made[i];
        m->r.has_tls = false;
        memset(m->tls_full, 0, sizeof m->tls_full);
        memset(m->tls_resumed, 0, sizeof m->tls_resumed);
        m->r.stats_repeats = minor3 ? REPEATS : 0;
    }
}

START_TEST(a_plaintext_report_reads_as_before)
{
    static const enum config_format formats[] = {
        FORMAT_TABLE, FORMAT_MARKDOWN, FORMAT_CSV, FORMAT_JSON,
#ifdef HAVE_CHARTJS
        FORMAT_HTML,
#endif
    };
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        plaintext(false);
        char *old = render(formats[i]);
        plaintext(true);
        char *now = render(formats[i]);
        ck_assert_msg(strcmp(old, now) == 0, "format %d: a minor-3 plugin that counted no "
                      "handshake changes the report", (int)formats[i]);
        /* JSON and CSV keep their fields, null or empty (below). */
        if (formats[i] != FORMAT_JSON && formats[i] != FORMAT_CSV)
            ck_assert_msg(strstr(now, "handshake") == NULL, "format %d shows handshakes:\n%s",
                          (int)formats[i], now);
        free(old);
        free(now);
    }
    /* the columns exactly as they were before issue 14 */
    char *t = render(FORMAT_TABLE);
    char *head = line_of(t, "section  plugin  server");
    ck_assert_msg(ends_with(head, "  cold call  conns"), "%s", head);
    char tail[3][RF_CELL];
    placement_tail(t, "close", tail);
    ck_assert_str_eq(tail[2], "300");
    free(head);
    free(t);
    char *md = render(FORMAT_MARKDOWN);
    ck_assert_ptr_nonnull(strstr(md, "\n| section | plugin | server | address | "
                                     "cpu client/server | cold call | conns |\n"));
    free(md);
    char *csv = render(FORMAT_CSV);
    head = line_of(csv, "section,");
    ck_assert_str_eq(head, "section,plugin,status,server,requests,warmup,repeat,window,mean_ns,"
          "net_mean_ns,p50_ns,p90_ns,p99_ns,p999_ns,min_ns,max_ns,calls_per_s,total_median_ns,"
          "total_min_ns,total_max_ns,spread,noisy,ratio_to_baseline,cold_median_ns,"
          "connections,client_cpu,server_cpu,reason,mean_ci95_low_ns,mean_ci95_high_ns,"
          "ratio_ci95_low,ratio_ci95_high,no_clear_difference,usage_scope,client_cpu_ns,"
          "client_user_ns,client_sys_ns,client_thread_cpu_ns,client_voluntary_switches,"
          "client_involuntary_switches,client_io_syscalls,server_cpu_ns,server_user_ns,"
          "server_sys_ns,server_voluntary_switches,server_involuntary_switches,"
          "server_io_syscalls,wait_ns,spread_noisy,base,sweep,payload_bytes,bytes_per_call,"
          "mb_per_s,tls_full_handshakes,tls_resumed_handshakes");
    /* and every row has that many fields, the last two empty */
    for (int i = 0; i < N_MADE; i++) {
        char *name = tu_fmt("\"%s\",", made[i].sec.name);
        char *line = line_of(csv, name);
        ck_assert_msg(line != NULL, "no row %s", name);
        ck_assert_uint_eq(csv_fields(line), csv_fields(head));
        ck_assert_msg(ends_with(line, ",,"), "%s", line);
        free(line);
        free(name);
    }
    free(head);
    free(csv);
}
END_TEST

/* One TLS section is enough for the columns; the rest show "-". */
START_TEST(one_tls_section_brings_the_columns_for_all)
{
    char *t = render_n(FORMAT_TABLE, 2);
    assert_tail(t, "plain", "3", "-", "-");
    assert_tail(t, "keep", "3", "3/0", "1/0");
    free(t);
    t = render_n(FORMAT_TABLE, 1);
    ck_assert_ptr_null(strstr(t, "handshake"));
    free(t);
}
END_TEST

/* ---- --compare ---- */

START_TEST(compare_reads_reports_with_and_without_handshakes)
{
    char *json = render(FORMAT_JSON);
    struct compare_file f;
    char err[512];
    ck_assert_msg(compare_file_parse(&f, "tls.json", json, strlen(json), err, sizeof err) == 0,
                  "%s", err);
    ck_assert_uint_eq(f.n_sections, N_MADE);
    ck_assert(compare_file_section(&f, "close")->ok);
    compare_file_free(&f);
    /* a report from before issue 14: no such members at all */
    json_error_t e;
    json_t *root = json_loads(json, 0, &e);
    ck_assert_ptr_nonnull(root);
    size_t i;
    json_t *sec;
    json_array_foreach(json_object_get(root, "sections"), i, sec) {
        json_object_del(sec, "tls_full_handshakes");
        json_object_del(sec, "tls_resumed_handshakes");
        json_object_del(sec, "tls_full_handshakes_per_repeat");
        json_object_del(sec, "tls_resumed_handshakes_per_repeat");
    }
    char *old = json_dumps(root, 0);
    ck_assert_ptr_null(strstr(old, "handshake"));
    ck_assert_msg(compare_file_parse(&f, "old.json", old, strlen(old), err, sizeof err) == 0,
                  "%s", err);
    ck_assert_uint_eq(f.n_sections, N_MADE);
    ck_assert(compare_file_section(&f, "close")->ok);
    compare_file_free(&f);
    free(old);
    json_decref(root);
    free(json);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tls");
    TCase *tc = tcase_create("faces");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, the_table_shows_handshakes_beside_connections);
    tcase_add_test(tc, a_long_address_is_cut_for_people);
    tcase_add_test(tc, markdown_has_the_columns);
#ifdef HAVE_CHARTJS
    tcase_add_test(tc, the_page_has_the_columns);
#endif
    tcase_add_test(tc, csv_appends_the_sums_last);
    tcase_add_test(tc, json_has_sums_and_each_repeat);
    tcase_add_test(tc, a_plaintext_report_reads_as_before);
    tcase_add_test(tc, one_tls_section_brings_the_columns_for_all);
    tcase_add_test(tc, compare_reads_reports_with_and_without_handshakes);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
