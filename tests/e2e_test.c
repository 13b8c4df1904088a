/*
 * e2e_test.c — the built runner/runner end to end, as a user runs it: test
 * configs in a scratch directory, the program started with fork/exec, its
 * stdout/stderr captured and its exit status checked, with a bounded wait.
 * Covers the table, JSON (parsed back with jansson) and CSV reports,
 * output = FILE, failing sections, config errors (found before anything is
 * measured), plugins that hang, exit, crash or leave their error text
 * unterminated, --check, --list, --help, --help-config, --version, -D,
 * --check-plugin on good and broken plugins, the start key near INT64_MAX,
 * and where bare plugin names are found.
 */
#include "e2eutil.h"
#include "testutil.h"

#include <incbench/transport.h>

#include <check.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Display width: UTF-8 continuation bytes take no column. */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

/* Fields of one CSV line (RFC 4180 quoting); returns how many. */
static size_t csv_fields(const char *line, char fields[][256], size_t max)
{
    size_t n = 0;
    const char *p = line;
    for (;;) {
        char buf[256];
        size_t k = 0;
        if (*p == '"') {
            p++;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                if (k < sizeof buf - 1)
                    buf[k++] = *p;
                p++;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',')
                if (k < sizeof buf - 1)
                    buf[k++] = *p++;
                else
                    p++;
        }
        buf[k] = '\0';
        if (n < max)
            snprintf(fields[n], 256, "%s", buf);
        n++;
        if (*p != ',')
            break;
        p++;
    }
    return n;
}

static const char *direct_conf_fmt =
    "[runner]\nrequests = 2000\nwarmup = 10\nrepeat = 3\n%s\n"
    "[direct]\nplugin = direct\n";

static char *direct_conf(const char *runner_extra)
{
    char *text = tu_fmt(direct_conf_fmt, runner_extra);
    char *path = conf(text);
    free(text);
    return path;
}

/* ---- reports ---- */

START_TEST(table)
{
    char *path = direct_conf("");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *head = line_starting(p.out, "section ");
    ck_assert_msg(head != NULL, "no table header in:\n%.1500s", p.out);
    static const char *const cols[] = { "section", "mean", "±95%", "net", "p50", "p90", "p99",
                                        "p99.9", "max", "calls/s", "total", "repeats" };
    const char *at = head;
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        const char *c = strstr(at, cols[i]);
        ck_assert_msg(c != NULL, "column '%s' missing or out of order: %s", cols[i], head);
        at = c + strlen(cols[i]);
    }
    char *row = line_starting(p.out, "direct ");
    ck_assert_msg(row != NULL, "no row for [direct] in:\n%.1500s", p.out);
    ck_assert_msg(strstr(row, "FAILED") == NULL, "%s", row);
    ck_assert_msg(strstr(row, " ns") || strstr(row, " µs"), "no time unit in: %s", row);
    /* aligned: every row as wide as the header */
    ck_assert_uint_eq(width(row), width(head));
    ck_assert_msg(strstr(p.out, "runner cost per call"), "%.1500s", p.out);
    ck_assert_msg(strstr(p.out, "in-process"), "%.1500s", p.out);
    /* Notes may say "noisy" on a busy machine; a passing run has no FAILED. */
    ck_assert_msg(strstr(p.out, "FAILED") == NULL, "unexpected failure:\n%.1500s", p.out);
    free(head);
    free(row);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(json)
{
    char *path = direct_conf("format = json\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    ck_assert_int_eq(get_int(root, "schema_version"), 1);
    json_t *settings = get(root, "settings");
    ck_assert_int_eq(get_int(settings, "requests"), 2000);
    ck_assert_int_eq(get_int(settings, "warmup"), 10);
    ck_assert_int_eq(get_int(settings, "repeat"), 3);
    ck_assert_str_eq(get_str(settings, "format"), "json");
    json_t *machine = get(root, "machine");
    ck_assert_uint_gt(strlen(get_str(machine, "cpu_model")), 0);
    ck_assert_int_ge(get_int(machine, "cores"), 1);
    ck_assert_uint_gt(strlen(get_str(machine, "kernel")), 0);
    ck_assert(json_number_value(get(root, "loop_cost_ns")) > 0);

    ck_assert_uint_eq(json_array_size(get(root, "sections")), 1);
    json_t *s = section_at(root, 0);
    ck_assert_str_eq(get_str(s, "name"), "direct");
    ck_assert_str_eq(get_str(s, "plugin"), "direct");
    ck_assert_str_eq(get_str(s, "status"), "ok");
    ck_assert(json_is_null(get(s, "reason")));
    ck_assert_int_eq(get_int(s, "repeats_done"), 3);
    json_t *r = get(s, "results");
    ck_assert(json_number_value(get(r, "mean_ns")) > 0);
    json_int_t mn = get_int(r, "min_ns"), p50 = get_int(r, "p50_ns"),
               p90 = get_int(r, "p90_ns"), p99 = get_int(r, "p99_ns"),
               p999 = get_int(r, "p999_ns"), mx = get_int(r, "max_ns");
    ck_assert_msg(mn <= p50 && p50 <= p90 && p90 <= p99 && p99 <= p999 && p999 <= mx,
                  "min %lld p50 %lld p90 %lld p99 %lld p99.9 %lld max %lld", (long long)mn,
                  (long long)p50, (long long)p90, (long long)p99, (long long)p999,
                  (long long)mx);
    ck_assert(json_number_value(get(r, "calls_per_s")) > 0);
    ck_assert_int_eq(get_int(r, "calls"), 2000 * 3);
    ck_assert(get_int(r, "total_min_ns") <= get_int(r, "total_median_ns"));
    ck_assert(get_int(r, "total_median_ns") <= get_int(r, "total_max_ns"));

    json_t *hist = get(s, "histogram");
    ck_assert(json_is_array(hist));
    json_int_t sum = 0, prev_hi = -1;
    size_t i;
    json_t *b;
    json_array_foreach(hist, i, b) {
        ck_assert_uint_eq(json_array_size(b), 3);
        json_int_t lo = json_integer_value(json_array_get(b, 0));
        json_int_t hi = json_integer_value(json_array_get(b, 1));
        json_int_t n = json_integer_value(json_array_get(b, 2));
        ck_assert(lo <= hi && lo > prev_hi && n > 0);
        prev_hi = hi;
        sum += n;
    }
    ck_assert_int_eq(sum, 2000 * 3);

    json_t *totals = get(s, "total_ns");
    ck_assert_uint_eq(json_array_size(totals), 3);
    json_array_foreach(totals, i, b)
        ck_assert(json_integer_value(b) > 0);
    ck_assert_uint_eq(json_array_size(get(s, "first_call_ns")), 3);
    ck_assert_uint_eq(json_array_size(get(s, "init_ns")), 3);
    json_decref(root);
    free(path);
    tu_proc_free(&p);
}
END_TEST

#define CSV_COLUMNS 54    /* issue 12 appended five: base .. mb_per_s */
#define CSV_REASON 27    /* the columns after it came later */

START_TEST(csv)
{
    char *path = conf("[runner]\nrequests = 500\nwarmup = 0\nrepeat = 2\nformat = csv\n"
                      "baseline = first\n"
                      "[first]\nplugin = direct\n"
                      "[second, with comma]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    ck_assert_uint_eq(tu_lines(p.out), 3);
    char fields[64][256];
    char *head = strndup(p.out, strcspn(p.out, "\n"));
    ck_assert_uint_eq(csv_fields(head, fields, 64), CSV_COLUMNS);
    ck_assert_str_eq(fields[0], "section");
    int status_col = -1, p50_col = -1, ratio_col = -1;
    for (int c = 0; c < CSV_COLUMNS; c++) {
        if (strcmp(fields[c], "status") == 0)
            status_col = c;
        if (strcmp(fields[c], "p50_ns") == 0)
            p50_col = c;
        if (strcmp(fields[c], "ratio_to_baseline") == 0)
            ratio_col = c;
    }
    ck_assert(status_col > 0 && p50_col > 0 && ratio_col > 0);
    const char *line = strchr(p.out, '\n') + 1;
    static const char *const names[] = { "first", "second, with comma" };
    for (int row = 0; row < 2; row++) {
        char *l = strndup(line, strcspn(line, "\n"));
        ck_assert_msg(csv_fields(l, fields, 64) == CSV_COLUMNS, "row %d: %s", row, l);
        ck_assert_str_eq(fields[0], names[row]);
        ck_assert_str_eq(fields[status_col], "ok");
        ck_assert_msg(strtoull(fields[p50_col], NULL, 10) > 0, "p50 '%s'", fields[p50_col]);
        ck_assert_msg(strtod(fields[ratio_col], NULL) > 0, "ratio '%s'", fields[ratio_col]);
        if (row == 0)   /* the baseline against itself */
            ck_assert_str_eq(fields[ratio_col], "1.0000");
        line = strchr(line, '\n') + 1;
        free(l);
    }
    free(head);
    free(path);
    tu_proc_free(&p);
}
END_TEST

static void output_file(const char *format)
{
    char *out = tu_fmt("%s/report.%s", e2e_dir, format);
    char *extra = tu_fmt("format = %s\noutput = %s\n", format, out);
    char *path = direct_conf(extra);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *written = tu_read(out);
    ck_assert_msg(written != NULL, "%s not written", out);
    /* the same report, in the same format, in both places */
    ck_assert_str_eq(written, p.out);
    if (strcmp(format, "json") == 0)
        json_decref(parse_json(written));
    free(written);
    free(out);
    free(extra);
    free(path);
    tu_proc_free(&p);
}

START_TEST(output_json)
{
    output_file("json");
}
END_TEST

START_TEST(output_csv)
{
    output_file("csv");
}
END_TEST

/* The runner refused the config before measuring anything: exit 2, `want`
 * on stderr, nothing on stdout. */
static void assert_refused(const struct tu_proc *p, const char *want)
{
    ck_assert_msg(p->status == 2, "exit %d, stderr: %.1500s", p->status, p->err);
    ck_assert_msg(strstr(p->err, want), "no '%s' in:\n%.1500s", want, p->err);
    ck_assert_msg(p->out[0] == '\0', "measured anyway:\n%.1500s", p->out);
}

START_TEST(output_unwritable)
{
    char *path = direct_conf("output = /nonexistent/dir/report.txt\n");
    struct tu_proc p;
    /* found before anything is measured, as a config error at its line */
    static const char why[] = "test.ini:5: [runner] output = /nonexistent/dir/report.txt: "
                              "cannot write it";
    run(&p, path);
    assert_refused(&p, why);
    tu_proc_free(&p);
    run(&p, "--check", path);
    assert_refused(&p, why);
    tu_proc_free(&p);
    /* --check creates nothing; a writable directory is enough */
    char *later = tu_fmt("%s/later.txt", e2e_dir), *text = tu_fmt("output = %s\n", later);
    char *ok = direct_conf(text);
    run(&p, "--check", ok);
    ck_assert_int_eq(p.status, 0);
    ck_assert_int_ne(access(later, F_OK), 0);
    tu_proc_free(&p);
    /* nor does it empty a file that is there: a run replaces it, --check not */
    free(tu_write(e2e_dir, "later.txt", "an earlier report\n"));
    run(&p, "--check", ok);
    ck_assert_int_eq(p.status, 0);
    char *kept = tu_read(later);
    ck_assert_str_eq(kept, "an earlier report\n");
    free(kept);
    tu_proc_free(&p);
    free(ok);
    free(text);
    free(later);
    free(path);
}
END_TEST

/* ---- failing sections ---- */

START_TEST(failing_section_table)
{
    char *w5 = tu_test_plugin("wrong5000");
    char *text = tu_fmt("[runner]\nrequests = 6000\nwarmup = 10\nrepeat = 1\n"
                        "[bad]\nplugin = %s\nstart = 1000\n"
                        "[good]\nplugin = direct\n", w5);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 1, "exit %d, stderr: %.1500s", p.status, p.err);
    /* call k sends start + k - 1: call 5000 sends 5999 and gets 6001 */
    const char *why = "wrong answer at call 5000: sent 5999, got 6001, expected 6000";
    char *bad = line_starting(p.out, "bad ");
    ck_assert_msg(bad && strstr(bad, "FAILED"), "no FAILED row for [bad]:\n%.1500s", p.out);
    char *note = line_starting(p.out, "  bad: FAILED: ");
    ck_assert_msg(note && strstr(note, why), "no reason '%s' in:\n%.1500s", why, p.out);
    /* the next section still ran */
    char *good = line_starting(p.out, "good ");
    ck_assert_msg(good && !strstr(good, "FAILED") && strstr(good, "ns"), "%.1500s", p.out);
    ck_assert_msg(strstr(p.err, "[bad] FAILED") && strstr(p.err, why), "%.1500s", p.err);
    free(bad);
    free(note);
    free(good);
    free(w5);
    free(text);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(failing_sections_json)
{
    char *wrong = tu_test_plugin("wrong"), *initfail = tu_test_plugin("initfail");
    char *text = tu_fmt("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 2\nformat = json\n"
                        "[wrong]\nplugin = %s\n"
                        "[initfail]\nplugin = %s\n"
                        "[good]\nplugin = direct\n", wrong, initfail);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 1, "exit %d, stderr: %.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    static const char *const names[] = { "wrong", "initfail" };
    static const char *const why[] = {
        "wrong answer at call 1: sent 0, got 2, expected 1",
        "init failed: initfail: the far end said no (on purpose)",
    };
    for (size_t i = 0; i < 2; i++) {
        json_t *s = section_at(root, i);
        ck_assert_str_eq(get_str(s, "name"), names[i]);
        ck_assert_str_eq(get_str(s, "status"), "failed");
        ck_assert_msg(strstr(get_str(s, "reason"), why[i]), "[%s] reason: %s", names[i],
                      get_str(s, "reason"));
        ck_assert_int_eq(get_int(s, "repeats_done"), 0);
        ck_assert_ptr_null(json_object_get(s, "results"));
    }
    json_t *g = section_at(root, 2);
    ck_assert_str_eq(get_str(g, "status"), "ok");
    ck_assert_int_eq(get_int(get(g, "results"), "calls"), 200);
    json_decref(root);
    free(wrong);
    free(initfail);
    free(text);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(failing_section_csv_quotes_reason)
{
    char *wrong = tu_test_plugin("wrong");
    char *text = tu_fmt("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 1\nformat = csv\n"
                        "[wrong]\nplugin = %s\n[good]\nplugin = direct\n", wrong);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 1, "exit %d", p.status);
    ck_assert_uint_eq(tu_lines(p.out), 3);
    char fields[64][256];
    const char *row = strchr(p.out, '\n') + 1;
    char *l = strndup(row, strcspn(row, "\n"));
    ck_assert_uint_eq(csv_fields(l, fields, 64), CSV_COLUMNS);
    ck_assert_str_eq(fields[2], "failed");
    ck_assert_msg(strstr(fields[CSV_REASON], "sent 0, got 2"), "%s", l);
    free(l);
    free(wrong);
    free(text);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* ---- start near INT64_MAX ---- */

/* A plugin's error text without its NUL is read no further than its buffer
 * (the ASan build of this test fails on an over-read). */
START_TEST(unterminated_plugin_errors_are_cut_at_their_buffer)
{
    char *so = tu_test_plugin("noterm");
    char *text = tu_fmt("[runner]\nrequests = 10\nwarmup = 0\nrepeat = 1\n"
                        "[inc]\nplugin = %s\n[ini]\nplugin = %s\nfail = init\n", so, so);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 1, "exit %d: %s", p.status, p.err);
    ck_assert_msg(strstr(p.err, "[inc] FAILED: repeat 1: call 1 (sent 0) failed: xxxxxxxx"),
                  "%.3000s", p.err);
    ck_assert_msg(strstr(p.err, "[ini] FAILED: repeat 1: init failed: xxxxxxxx"),
                  "%.3000s", p.err);
    tu_proc_free(&p);
    run(&p, "--check-plugin", so);
    ck_assert_int_eq(p.status, 1);
    ck_assert_msg(strstr(p.out, "failed: xxxx"), "%.3000s", p.out);
    tu_proc_free(&p);
    free(path);
    free(text);
    free(so);
}
END_TEST

START_TEST(start_near_int64_max)
{
    char *path = conf("[runner]\nrepeat = 1\nformat = json\n"
                      "[fits]\nplugin = direct\nstart = 9223372036854775000\n"
                      "requests = 806\nwarmup = 0\n"
                      "[lowest]\nplugin = direct\nstart = -9223372036854775808\n"
                      "requests = 100\nwarmup = 0\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    /* the cold call, then 806 calls: the last answer is exactly INT64_MAX */
    ck_assert_str_eq(get_str(section_at(root, 0), "status"), "ok");
    /* the other end of int64 is fine: nothing overflows going up */
    ck_assert_str_eq(get_str(section_at(root, 1), "status"), "ok");
    json_decref(root);
    tu_proc_free(&p);
    free(path);
    /* One call too many is a config error at its start line, before anything runs. */
    path = conf("[runner]\nrepeat = 1\n"
                "[good]\nplugin = direct\n"
                "[one_too_many]\nplugin = direct\nstart = 9223372036854775000\n"
                "requests = 807\nwarmup = 0\n");
    run(&p, path);
    assert_refused(&p, "test.ini:7: [one_too_many] start = 9223372036854775000 "
                       "is 807 below INT64_MAX, and this section's values climb 808");
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* Pipelined, the precheck works out the highest answer as the loop makes
 * it: 4 chains spaced (5 + 10) / 4 + 2 = 5 apart from start + 1, the last
 * one making 5 / 4 + 10 / 4 = 3 calls, so the top answer is start + 19. */
static const char piped_near_max[] =
    "[runner]\nrepeat = 2\nformat = json\n"
    "[piped]\nplugin = %s\nserver = thread\nwindow = 4\nrequests = 10\nwarmup = 5\n"
    "start = %s\n";

/* A section without `listen`: a minor-2 plugin's server picks its own
 * endpoint, a minor-1 one is handed "127.0.0.1:0" as it always was (its
 * server_start refuses NULL), in both server modes. */
static const char *const no_listen =
    "[runner]\nrepeat = 1\nformat = json\nrequests = 50\nwarmup = 5\n"
    "[thread]\nplugin = %s\nserver = thread\n"
    "[spawn]\nplugin = %s\nserver = spawn\n";

START_TEST(no_listen_by_minor)
{
    static const char *const names[] = { "net", "netminor1" };
    for (size_t i = 0; i < 2; i++) {
        char *so = tu_test_plugin(names[i]);
        char *text = tu_fmt(no_listen, so, so);
        char *path = conf(text);
        struct tu_proc p;
        run(&p, path);
        ck_assert_msg(p.status == 0, "%s: exit %d, stderr: %.1500s", names[i], p.status, p.err);
        json_t *root = parse_json(p.out);
        for (size_t k = 0; k < 2; k++) {
            json_t *s = section_at(root, k);
            ck_assert_str_eq(get_str(s, "status"), "ok");
            const char *addr = get_str(s, "address");
            ck_assert_msg(strncmp(addr, "127.0.0.1:", 10) == 0 && strcmp(addr, "127.0.0.1:0") != 0,
                          "%s: bound %s", names[i], addr);
        }
        json_decref(root);
        tu_proc_free(&p);
        free(path);
        free(text);
        free(so);
    }
}
END_TEST

START_TEST(pipelined_start_near_int64_max_is_checked_exactly)
{
    /* The last answer of each repeat is exactly INT64_MAX. `net` is a
     * pipelining test plugin with a server, built whatever configure found. */
    char *net = tu_test_plugin("net");
    char *text = tu_fmt(piped_near_max, net, "9223372036854775788");
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    ck_assert_str_eq(get_str(section_at(root, 0), "status"), "ok");
    json_decref(root);
    tu_proc_free(&p);
    free(path);
    free(text);
    /* One higher would pass it: refused before anything runs. */
    text = tu_fmt(piped_near_max, net, "9223372036854775789");
    path = conf(text);
    run(&p, path);
    assert_refused(&p, "test.ini:10: [piped] start = 9223372036854775789 is 18 below "
                       "INT64_MAX, and this section's values climb 19 above it");
    tu_proc_free(&p);
    free(path);
    free(text);
    free(net);
}
END_TEST

/* A plugin that hangs, exits or crashes in a call: the runner still
 * reports the section that finished before it, names the culprit, and
 * never exits 0. */
static void misbehaving(const char *how, const char *want_err)
{
    char *so = tu_test_plugin("misbehave");
    char *text = tu_fmt("[runner]\nrequests = 500\nwarmup = 0\nrepeat = 1\n"
                        "order = sequential\nformat = json\n"
                        "[first]\nplugin = direct\n"
                        "[bad]\nplugin = %s\nhow = %s\nat = 50\ntimeout_ms = 100\n"
                        "[never]\nplugin = direct\n", so, how);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 1, "exit %d, stderr: %.2000s", p.status, p.err);
    ck_assert_msg(strstr(p.err, "[bad]") && strstr(p.err, want_err), "%.2000s", p.err);
    json_t *root = parse_json(p.out);
    ck_assert_str_eq(get_str(section_at(root, 0), "status"), "ok");
    json_t *bad = section_at(root, 1);
    ck_assert_str_eq(get_str(bad, "status"), "failed");
    ck_assert_msg(strstr(get_str(bad, "reason"), want_err), "%s", get_str(bad, "reason"));
    ck_assert_str_eq(get_str(section_at(root, 2), "status"), "not_run");
    json_decref(root);
    tu_proc_free(&p);
    free(path);
    free(text);
    free(so);
}

START_TEST(a_call_that_never_returns_ends_the_run_reported)
{
    misbehaving("hang", "has not returned in 1200 ms (timeout_ms = 100)");
}
END_TEST

/* The watchdog bounds one call, not a run: 40 calls of 50 ms each take
 * 2 s, past the 1.2 s bound of timeout_ms = 100, and every one returns. */
START_TEST(a_slow_run_whose_calls_return_is_not_ended)
{
    char *so = tu_test_plugin("misbehave");
    char *text = tu_fmt("[runner]\nrequests = 40\nwarmup = 0\nrepeat = 1\nformat = json\n"
                        "[slow]\nplugin = %s\nhow = slow\ntimeout_ms = 100\n", so);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.2000s", p.status, p.err);
    json_t *root = parse_json(p.out);
    json_t *slow = section_at(root, 0);
    ck_assert_str_eq(get_str(slow, "status"), "ok");
    ck_assert_int_eq(get_int(get(slow, "results"), "calls"), 40);
    json_decref(root);
    tu_proc_free(&p);
    free(path);
    free(text);
    free(so);
}
END_TEST

START_TEST(a_plugin_that_exits_is_a_failure_not_a_success)
{
    misbehaving("exit", "plugin 'misbehave' called exit() during a call");
}
END_TEST

START_TEST(a_plugin_that_crashes_still_leaves_a_report)
{
    misbehaving("crash", "crashed with SIGSEGV during a call to plugin 'misbehave'");
}
END_TEST

/* A plugin that is not found is a config error at its line, found before
 * any section is measured, not a failed section after the others ran. */
START_TEST(missing_plugin_stops_the_run_before_it_starts)
{
    char *path = conf("[runner]\nrepeat = 1\n[good]\nplugin = direct\n"
                      "[missing]\nplugin = no_such_plugin\n");
    struct tu_proc p;
    run(&p, path);
    assert_refused(&p, "test.ini:6: [missing] plugin 'no_such_plugin' not found");
    tu_proc_free(&p);
    free(path);
}
END_TEST

/* A section asking for what its plugin lacks (a server, pipelining) is
 * caught by --check, and by a run before it measures anything. */
START_TEST(section_needs_what_plugin_lacks)
{
    char *path = conf("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 1\nformat = json\n"
                      "[threaded]\nplugin = direct\nserver = thread\n"
                      "[piped]\nplugin = direct\nwindow = 4\n"
                      "[plain]\nplugin = direct\n");
    /* --check and a run say the same, at the key's line */
    for (int check = 1; check >= 0; check--) {
        struct tu_proc p;
        if (check)
            run(&p, "--check", path);
        else
            run(&p, path);
        assert_refused(&p, "test.ini:8: [threaded] server = thread, but plugin 'direct' has "
                           "no server ops");
        ck_assert_msg(strstr(p.err, "test.ini:11: [piped] window = 4 needs a plugin with "
                             "submit/complete"), "%.1500s", p.err);
        ck_assert_msg(strstr(p.err, "[plain]") == NULL, "%.1500s", p.err);
        tu_proc_free(&p);
    }
    free(path);
}
END_TEST

/* ---- command line ---- */

START_TEST(config_error_exits_2)
{
    char *path = conf("[runner]\nrepeat = 1\nrequests = abc\n[d]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_uint_eq(tu_lines(p.err), 1);
    char *where = tu_fmt("%s:3:", path);
    ck_assert_msg(strstr(p.err, where) && strstr(p.err, "requests"), "%.1500s", p.err);
    ck_assert_str_eq(p.out, "");
    free(where);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(check_good)
{
    char *path = direct_conf("");
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    ck_assert_msg(strstr(p.out, "ok, 1 section"), "%.1500s", p.out);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* --check hands the section's keys to the plugin: a misspelt one is found
 * before anything runs, at its file:line. */
START_TEST(check_finds_a_misspelt_plugin_key)
{
    char *path = conf("[d]\nplugin = direct\nspin = 3\n");
    struct tu_proc p;
    run(&p, "--check", path);
    char *where = tu_fmt("%s:3: key 'spin'", path);
    assert_refused(&p, where);
    ck_assert_uint_eq(tu_lines(p.err), 1);
    free(where);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* A key only a client refuses is found by --check too: it hands the keys to
 * a client of the server it started (netserveropts' server takes any key,
 * its init none). */
START_TEST(check_hands_the_keys_to_a_client_too)
{
    char *so = tu_test_plugin("netserveropts");
    char *text = tu_fmt("[s]\nplugin = %s\nserver = thread\ncolour = red\n", so);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, "--check", path);
    char *where = tu_fmt("%s:4: key 'colour'", path);
    assert_refused(&p, where);
    ck_assert_msg(strstr(p.err, "[s] net: unknown option 'colour'"), "%.1500s", p.err);
    free(where);
    tu_proc_free(&p);
    free(path);
    free(text);
    free(so);
}
END_TEST

/* Bytes that are not UTF-8 (a Latin-1 section name) still make a section
 * in the JSON, not a silently missing one. */
START_TEST(json_keeps_sections_with_non_utf8_names)
{
    char *path = conf("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 1\nformat = json\n"
                      "[caf\xe9]\nplugin = direct\n[ok]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_int_eq(p.status, 0);
    json_t *root = parse_json(p.out);
    json_t *sections = get(root, "sections");
    ck_assert_uint_eq(json_array_size(sections), 2);
    ck_assert_str_eq(get_str(section_at(root, 0), "name"), "caf?");
    json_decref(root);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(check_bad_config)
{
    char *path = conf("[d]\nplugin = direct\nrepeat = 0\n");
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_int_eq(p.status, 2);
    char *where = tu_fmt("%s:3:", path);
    ck_assert_msg(strstr(p.err, where) && strstr(p.err, "repeat"), "%.1500s", p.err);
    ck_assert_uint_eq(tu_lines(p.err), 1);
    free(where);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(check_finds_plugins)
{
    char *abi2 = tu_test_plugin("abi2");
    char *text = tu_fmt("[d]\nplugin = direct\n[gone]\nplugin = no_such_plugin\n"
                        "[old]\nplugin = %s\n", abi2);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, "--check", path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "[gone]") && strstr(p.err, "no_such_plugin") &&
                  strstr(p.err, "not found"), "%.1500s", p.err);
    ck_assert_msg(strstr(p.err, "[old]") && strstr(p.err, "2.0"), "%.1500s", p.err);
    /* --check runs nothing */
    ck_assert_msg(strstr(p.out, "mean") == NULL, "%.1500s", p.out);
    free(abi2);
    free(text);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(list)
{
    char *cli = tu_fmt("%s/plugins", e2e_dir);
    ck_assert_int_eq(mkdir(cli, 0700), 0);
    char *future = tu_test_plugin("future"), *abi2 = tu_test_plugin("abi2");
    char *l1 = tu_fmt("%s/future.so", cli), *l2 = tu_fmt("%s/abi2.so", cli);
    ck_assert_int_eq(symlink(future, l1), 0);
    ck_assert_int_eq(symlink(abi2, l2), 0);
    struct tu_proc p;
    run(&p, "--list", "--plugin-dir", cli);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *abi = tu_fmt("ABI %u.%u", INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR);
    char *direct = line_starting(p.out, "  direct ");
    ck_assert_msg(direct && strstr(direct, abi), "no 'direct ... %s' in:\n%.1500s", abi, p.out);
    ck_assert_msg(strstr(p.out, "(build tree)"), "%.1500s", p.out);
    ck_assert_msg(strstr(p.out, "future") && strstr(p.out, "unusable"), "%.1500s", p.out);
    /* --plugin-dir is listed before the build tree */
    ck_assert(strstr(p.out, cli) < strstr(p.out, "(build tree)"));
    free(direct);
    free(abi);
    free(future);
    free(abi2);
    free(l1);
    free(l2);
    free(cli);
    tu_proc_free(&p);
}
END_TEST

START_TEST(help_and_version)
{
    struct tu_proc p;
    run(&p, "--help");
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, "usage:") && strstr(p.out, "--check-plugin") &&
                  strstr(p.out, "-D section.key=value"), "%.1500s", p.out);
    tu_proc_free(&p);
    run(&p, "-h");
    ck_assert_int_eq(p.status, 0);
    ck_assert_msg(strstr(p.out, "usage:"), "%.1500s", p.out);
    tu_proc_free(&p);
    run(&p, "--version");
    ck_assert_int_eq(p.status, 0);
    char *abi = tu_fmt("ABI %u.%u", INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR);
    ck_assert_msg(strstr(p.out, PACKAGE_VERSION) && strstr(p.out, abi), "%.1500s", p.out);
    free(abi);
    tu_proc_free(&p);
}
END_TEST

/* --help-config, read as a user would: every key line, fed back through
 * --check with -D, is a key the runner knows in that scope (a bad value is
 * refused for what it is, never as an unknown key or a plugin's option). */
START_TEST(help_config_names_keys_the_runner_knows)
{
    char *path = conf("[direct]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, "--help-config");
    ck_assert_msg(p.status == 0 && p.err[0] == '\0', "exit %d: %.1500s", p.status, p.err);
    char *text = strdup(p.out);
    tu_proc_free(&p);
    const char *scope = NULL;
    size_t keys = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        ck_assert_msg(width(line) <= 100, "wider than 100 columns: %s", line);
        if (strncmp(line, "[runner]", 8) == 0)
            scope = "runner";
        else if (strncmp(line, "[SECTION]", 9) == 0)
            scope = "direct";
        if (strncmp(line, "  ", 2) != 0 || line[2] == ' ' || strncmp(line, "  KEY ", 6) == 0)
            continue;
        ck_assert_ptr_nonnull(scope);
        char name[64];
        ck_assert_int_eq(sscanf(line, "%63s", name), 1);
        char *def = tu_fmt("%s.%s=x", scope, name);
        run(&p, "--check", "-D", def, path);
        ck_assert_msg(!strstr(p.err, "unknown"), "-D %s: %.1500s", def, p.err);
        free(def);
        tu_proc_free(&p);
        keys++;
    }
    ck_assert_uint_ge(keys, 20);
    free(text);
    /* the same probe tells an unknown key */
    run(&p, "--check", "-D", "runner.colour=x", path);
    ck_assert_msg(p.status == 2 && strstr(p.err, "unknown key 'colour' in [runner]"), "%.1500s",
                  p.err);
    tu_proc_free(&p);
    run(&p, "--check", "-D", "direct.colour=x", path);
    ck_assert_msg(p.status == 2 && strstr(p.err, "unknown option 'colour'"), "%.1500s", p.err);
    tu_proc_free(&p);
    run(&p, "--help");
    ck_assert_msg(strstr(p.out, "--help-config"), "%.1500s", p.out);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(define_changes_requests)
{
    char *path = direct_conf("format = json\n");
    struct tu_proc p;
    run(&p, "-D", "runner.requests=1500", "-D", "direct.repeat=2", path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    ck_assert_int_eq(get_int(get(root, "settings"), "requests"), 1500);
    json_t *s = section_at(root, 0);
    ck_assert_int_eq(get_int(s, "requests"), 1500);
    ck_assert_int_eq(get_int(s, "repeat"), 2);
    ck_assert_int_eq(get_int(get(s, "results"), "calls"), 1500 * 2);
    json_decref(root);
    tu_proc_free(&p);
    /* options may follow CONFIG too */
    run(&p, path, "-D", "runner.requests=700");
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    root = parse_json(p.out);
    ck_assert_int_eq(get_int(get(section_at(root, 0), "results"), "calls"), 700 * 3);
    json_decref(root);
    tu_proc_free(&p);
    /* and a bad -D is a config error */
    run(&p, "-D", "runner.requests", path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "runner.requests"), "%.1500s", p.err);
    free(path);
    tu_proc_free(&p);
}
END_TEST

START_TEST(bad_usage)
{
    char *path = direct_conf("");
    struct tu_proc p;
    run(&p, "--frobnicate", path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "--frobnicate"), "%.1500s", p.err);
    tu_proc_free(&p);
    run(&p, "-x", path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "-x"), "%.1500s", p.err);
    tu_proc_free(&p);
    run(&p, "-D");
    ck_assert_int_eq(p.status, 2);
    tu_proc_free(&p);
    run(&p, path, path);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "expected"), "%.1500s", p.err);
    tu_proc_free(&p);
    run(&p, "--list", path);
    ck_assert_int_eq(p.status, 2);
    tu_proc_free(&p);
    char *missing = tu_fmt("%s/missing.ini", e2e_dir);
    run(&p, missing);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, missing), "%.1500s", p.err);
    free(missing);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* ---- --check-plugin ---- */

static void check_plugin(const char *so, int want_status, const char *want1,
                         const char *want2)
{
    struct tu_proc p;
    run(&p, "--check-plugin", so);
    ck_assert_msg(p.status == want_status, "%s: exit %d, want %d:\n%.1500s%.1500s", so, p.status,
                  want_status, p.out, p.err);
    char *line = want1 ? line_starting(p.out, want1) : NULL;
    ck_assert_msg(want1 == NULL || line != NULL, "%s: no line starting '%s':\n%s", so, want1,
                  p.out);
    ck_assert_msg(want2 == NULL || (line && strstr(line, want2)), "%s: '%s' not in '%s'", so,
                  want2, line ? line : "");
    if (want_status == 0)
        ck_assert_msg(line_starting(p.out, "FAIL") == NULL, "%s:\n%.1500s", so, p.out);
    free(line);
    tu_proc_free(&p);
}

START_TEST(check_plugin_direct)
{
    char *so = tu_fmt("%s/plugins/direct/.libs/direct.so", tu_builddir());
    check_plugin(so, 0, "passed: 0 rules failed", NULL);
    check_plugin(so, 0, "ok   increment(INT64_MAX) is an error", NULL);
    free(so);
}
END_TEST

/* Every transport this build made keeps every rule, the new process-wide ones
 * included; `net` is the honest twin of the broken net* plugins above, so
 * their failures are their defects, not the checker's. */
START_TEST(check_plugin_every_transport)
{
    static const char *const shipped[] = {
        "direct", "shm",
#ifdef TEST_TCP_PLUGIN
        "tcp", "uds",
#endif
#ifdef TEST_REST_PLUGIN
        "rest",
#endif
#ifdef TEST_GRPC_PLUGINS
        "grpc_unary", "grpc_stream",
#endif
    };
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char *so = tu_fmt("%s/plugins/%s/.libs/%s.so", tu_builddir(), shipped[i], shipped[i]);
        check_plugin(so, 0, "passed: 0 rules failed", NULL);
        free(so);
    }
    char *so = tu_test_plugin("net");
    check_plugin(so, 0, "ok   calls against a server that accepts and never answers", NULL);
    check_plugin(so, 0, "ok   init/shutdown and server_start/server_stop in a loop", NULL);
    free(so);
}
END_TEST

START_TEST(check_plugin_good_minors)
{
    char *so = tu_test_plugin("future");
    check_plugin(so, 0, "ok   stats reports", NULL);
    free(so);
    so = tu_test_plugin("minor0");
    /* a 1.0 table has no stats: the rule is skipped, the poison never read */
    check_plugin(so, 0, "skip stats reports", NULL);
    free(so);
    /* a 1.1 server is handed 127.0.0.1:0, never the NULL it would refuse */
    so = tu_test_plugin("netminor1");
    check_plugin(so, 0, "ok   server_start binds with listen unset and reports the endpoint",
                 NULL);
    check_plugin(so, 0, "passed: 0 rules failed", NULL);
    free(so);
    /* 1.3 counts TLS handshakes, one per connection; a 1.2 table's poison
     * in those members is never read */
    so = tu_test_plugin("nettls");
    check_plugin(so, 0, "ok   stats reports the connections a client opened, and no more TLS "
                 "handshakes than them", NULL);
    check_plugin(so, 0, "passed: 0 rules failed", NULL);
    free(so);
    so = tu_test_plugin("netminor2");
    check_plugin(so, 0, "passed: 0 rules failed", NULL);
    free(so);
}
END_TEST

START_TEST(check_plugin_broken)
{
    static const struct {
        const char *name;
        const char *line, *detail;
    } cases[] = {
        { "wrong", "FAIL 1000 dependent increments", "increment(0) answered 2" },
        { "initfail", "FAIL init with no options succeeds", "the far end said no" },
        { "noinc", "FAIL loads", "'increment'" },
        { "abi2", "FAIL loads", "2.0" },
        { "nosym", "FAIL loads", "no symbol" },
        { "halfserver", "FAIL loads", "server_stop" },
        /* defects that break real runs while every call answers right */
        { "netstdout", "FAIL init with no options succeeds", "wrote 34 bytes to stdout" },
        { "netglobal", "FAIL two clients and two servers",
          "client A, after client B's shutdown and the second server's stop" },
        { "netglobalpipe", "FAIL two clients and two servers",
          "client B: tag 0 answered 7001, want 1099511634777 (answers crossed" },
        { "netleak", "FAIL init/shutdown and server_start/server_stop in a loop",
          "heap bytes in use grew by" },
        { "netstopleak", "FAIL init/shutdown and server_start/server_stop in a loop",
          "open descriptors grew by 20, then by 20 more" },
        { "netnotimeout", "FAIL calls against a server that accepts and never answers",
          "the deadline is ignored" },
        { "netnocloexec", "FAIL descriptors of the server and a client are close-on-exec",
          "(socket:[" },
        { "netserveropts", "FAIL init and server_start reject an unknown option",
          "server_start accepted the unknown option 'incbench_contract_no_such_option'" },
        { "netunquoted", "FAIL init and server_start reject an unknown option",
          "does not name the key as 'incbench_contract_no_such_option'" },
        { "netsharedstats", "FAIL two clients and two servers",
          "client A's stats moved (connections 2 -> 3) while only another client was made" },
        { "nettlslie", "FAIL stats reports the connections a client opened",
          "reports 2 TLS handshakes (2 full, 0 resumed) over 1 connection: each handshake "
          "needs a connection of its own" },
        { "nettlsshared", "FAIL two clients and two servers",
          "client A's stats moved (TLS handshakes full/resumed 1/" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *so = tu_test_plugin(cases[i].name);
        check_plugin(so, 1, cases[i].line, cases[i].detail);
        free(so);
    }
    char *fake = tu_write(e2e_dir, "fake.so", "not an ELF file\n");
    check_plugin(fake, 1, "FAIL loads", fake);
    free(fake);
}
END_TEST

/* ---- where bare plugin names are found, through the real runner ---- */

static char *subdir_with(const char *name, const char *as, const char *which)
{
    char *d = tu_fmt("%s/%s", e2e_dir, name);
    mkdir(d, 0700);
    char *target = tu_test_plugin(which), *link = tu_fmt("%s/%s.so", d, as);
    ck_assert_int_eq(symlink(target, link), 0);
    free(target);
    free(link);
    return d;
}

/* Run `conf` with --plugin-dir cli (may be NULL) and INCBENCH_PLUGIN_PATH
 * env (may be NULL); the name of the plugin that ran section 0. */
static char *plugin_that_ran(const char *path, const char *cli, const char *env,
                             const char *cwd)
{
    char *envs = tu_fmt("INCBENCH_PLUGIN_PATH=%s", env ? env : "");
    const char *const envv[] = { envs, NULL };
    struct tu_proc p;
    if (cli)
        run_env(&p, envv, cwd, "--plugin-dir", cli, path, (const char *)NULL);
    else
        run_env(&p, envv, cwd, path, (const char *)NULL);
    ck_assert_msg(p.status == 0, "exit %d:\n%.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    json_t *s = section_at(root, 0);
    char *name = tu_fmt("%s|%s", get_str(s, "plugin"), get_str(s, "plugin_path"));
    json_decref(root);
    free(envs);
    tu_proc_free(&p);
    return name;
}

START_TEST(search_order)
{
    char *cli = subdir_with("cli", "direct", "future");
    char *conf_dir = subdir_with("confdir", "direct", "wrong5000");
    char *env = subdir_with("env", "direct", "minor0");
    static const char *const base = "[runner]\nrequests = 100\nwarmup = 0\nrepeat = 1\n"
                                    "format = json\n%s[d]\nplugin = direct\n";
    char *t1 = tu_fmt(base, "plugin_dir = confdir\n"), *t2 = tu_fmt(base, "");
    char *with_dir = tu_write(e2e_dir, "with_dir.ini", t1);
    char *plain = tu_write(e2e_dir, "plain.ini", t2);

    char *got = plugin_that_ran(with_dir, cli, env, NULL);
    char *want = tu_fmt("future|%s/direct.so", cli);
    ck_assert_str_eq(got, want);                 /* --plugin-dir first */
    free(got);
    free(want);
    got = plugin_that_ran(with_dir, NULL, env, NULL);
    ck_assert_msg(strncmp(got, "wrong5000|", 10) == 0, "%s", got); /* then plugin_dir */
    free(got);
    got = plugin_that_ran(plain, NULL, env, NULL);
    ck_assert_msg(strncmp(got, "minor0|", 7) == 0, "%s", got);  /* then the PATH */
    free(got);
    got = plugin_that_ran(plain, NULL, NULL, NULL);              /* then the build tree */
    want = tu_fmt("direct|%s/plugins/direct/.libs/direct.so", tu_builddir());
    ck_assert_str_eq(got, want);
    free(got);
    free(want);
    free(cli);
    free(conf_dir);
    free(env);
    free(t1);
    free(t2);
    free(with_dir);
    free(plain);
}
END_TEST

START_TEST(path_relative_to_config)
{
    char *sub = subdir_with("sub", "mine", "future");
    char *path = conf("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 3\nformat = json\n"
                      "[d]\nplugin = ./sub/mine.so\n");
    /* run from / so that a path taken relative to the cwd cannot work */
    char *got = plugin_that_ran(path, NULL, NULL, "/");
    ck_assert_msg(strncmp(got, "future|", 7) == 0, "%s", got);
    free(got);
    free(sub);
    free(path);
}
END_TEST

START_TEST(stats_only_from_minor_1)
{
    char *future = tu_test_plugin("future"), *minor0 = tu_test_plugin("minor0");
    char *text = tu_fmt("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 3\nformat = json\n"
                        "[future]\nplugin = %s\n[minor0]\nplugin = %s\n[direct]\nplugin = direct\n",
                        future, minor0);
    char *path = conf(text);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d:\n%.1500s", p.status, p.err);
    json_t *root = parse_json(p.out);
    /* future reports 7 connections per client, 3 repeats */
    ck_assert_int_eq(get_int(section_at(root, 0), "connections"), 21);
    /* minor0's poison (4242 per client) must never be called */
    json_t *c0 = get(section_at(root, 1), "connections");
    ck_assert_msg(json_is_null(c0), "minor0 reports %lld connections: its poison was called",
                  (long long)json_integer_value(c0));
    ck_assert(json_is_null(get(section_at(root, 2), "connections")));
    json_decref(root);
    free(future);
    free(minor0);
    free(text);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* main.c MODE_CHECK_PLUGIN -> plugin_open_path: `runner --check-plugin
 * direct.so`, run in the plugin's own directory, hands "direct.so" to
 * dlopen, which then searches the system library path and not the current
 * directory: "cannot open shared object file". */
START_TEST(check_plugin_file_in_cwd)
{
    char *runner = tu_fmt("%s/runner/runner", tu_builddir());
    char *libs = tu_fmt("%s/plugins/direct/.libs", tu_builddir());
    const char *argv[] = { runner, "--check-plugin", "direct.so", NULL };
    static const char *const env[] = { "INCBENCH_PLUGIN_PATH=", NULL };
    struct tu_proc p;
    tu_run(argv, env, libs, 60000, &p);
    ck_assert_msg(p.status == 0, "exit %d:\n%.1500s", p.status, p.out);
    tu_proc_free(&p);
    free(runner);
    free(libs);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("e2e");
    TCase *t = tcase_create("reports");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, table);
    tcase_add_test(t, json);
    tcase_add_test(t, csv);
    tcase_add_test(t, output_json);
    tcase_add_test(t, output_csv);
    tcase_add_test(t, output_unwritable);
    suite_add_tcase(s, t);

    t = tcase_create("failures");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, failing_section_table);
    tcase_add_test(t, failing_sections_json);
    tcase_add_test(t, failing_section_csv_quotes_reason);
    tcase_add_test(t, start_near_int64_max);
    tcase_add_test(t, pipelined_start_near_int64_max_is_checked_exactly);
    tcase_add_test(t, no_listen_by_minor);
    tcase_add_test(t, missing_plugin_stops_the_run_before_it_starts);
    tcase_add_test(t, a_call_that_never_returns_ends_the_run_reported);
    tcase_add_test(t, a_slow_run_whose_calls_return_is_not_ended);
    tcase_add_test(t, a_plugin_that_exits_is_a_failure_not_a_success);
    tcase_add_test(t, a_plugin_that_crashes_still_leaves_a_report);
    tcase_add_test(t, unterminated_plugin_errors_are_cut_at_their_buffer);
    tcase_add_test(t, section_needs_what_plugin_lacks);
    suite_add_tcase(s, t);

    t = tcase_create("command line");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, config_error_exits_2);
    tcase_add_test(t, check_good);
    tcase_add_test(t, check_bad_config);
    tcase_add_test(t, check_finds_plugins);
    tcase_add_test(t, check_hands_the_keys_to_a_client_too);
    tcase_add_test(t, list);
    tcase_add_test(t, help_and_version);
    tcase_add_test(t, help_config_names_keys_the_runner_knows);
    tcase_add_test(t, define_changes_requests);
    tcase_add_test(t, bad_usage);
    suite_add_tcase(s, t);

    t = tcase_create("plugins");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, check_plugin_direct);
    tcase_add_test(t, check_plugin_good_minors);
    tcase_add_test(t, check_plugin_every_transport);
    tcase_add_test(t, check_plugin_broken);
    tcase_add_test(t, search_order);
    tcase_add_test(t, path_relative_to_config);
    tcase_add_test(t, stats_only_from_minor_1);
    tcase_add_test(t, check_plugin_file_in_cwd);
    tcase_add_test(t, check_finds_a_misspelt_plugin_key);
    tcase_add_test(t, json_keeps_sections_with_non_utf8_names);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
