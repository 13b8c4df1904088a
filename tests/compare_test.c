/*
 * compare_test.c — `runner --compare` as a user runs it, on reports made
 * to order (comparefix.h) whose answer is known: a 2x slowdown is slower,
 * the same samples are no clear difference, a section on one side only is
 * listed, failed sections show as failed, bad files end with exit 2 and
 * one line naming the file, markdown is a table, three files work; and two
 * real runs of the runner set against each other.
 */
#include "comparefix.h"
#include "e2eutil.h"
#include "testutil.h"

#include <check.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const double base5[] = { 1000, 1010, 1020, 1030, 1040 };
static const double twice5[] = { 2000, 2020, 2040, 2060, 2080 };
static const double half5[] = { 500, 505, 510, 515, 520 };

/* A report of one section, `name`, with these repeat means, in e2e_dir. */
static char *one(const char *file, const char *name, const double *m, size_t n)
{
    return cf_write(e2e_dir, file, cf_add(cf_report(), cf_section(name, m, n)));
}

/* The table row of run `label` under section `name` (malloc'd): the
 * section's first line is run A, the others follow it. */
static char *row_of(const char *out, const char *name, char label)
{
    char *line = NULL;
    const char *l = out;
    size_t nlen = strlen(name);
    while (*l && !(strncmp(l, name, nlen) == 0 && l[nlen] == ' ')) {
        l = strchr(l, '\n');
        if (l == NULL)
            return NULL;
        l++;
    }
    for (int k = 0; *l && k < 30; k++) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        const char *p = k == 0 ? l + nlen : l;
        while (*p == ' ')
            p++;
        if (*p == label && p[1] == ' ') {
            line = strndup(l, len);
            break;
        }
        if (nl == NULL)
            break;
        l = nl + 1;
    }
    return line;
}

static void compare_ok(struct tu_proc *p, const char *a, const char *b)
{
    run(p, "--compare", a, b);
    ck_assert_msg(p->status == 0, "exit %d: %s", p->status, p->err);
    ck_assert_str_eq(p->err, "");
}

START_TEST(twice_as_slow_is_slower)
{
    char *a = one("old.json", "direct", base5, 5), *b = one("new.json", "direct", twice5, 5);
    struct tu_proc p;
    compare_ok(&p, a, b);
    char *row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL, "no row B:\n%s", p.out);
    ck_assert_msg(strstr(row, "slower") != NULL, "%s", row);
    ck_assert_msg(strstr(row, "+100%") != NULL, "%s", row);
    ck_assert_msg(strstr(row, "0.008") != NULL, "p = 2/252: %s", row);
    ck_assert_msg(strstr(row, "2.04 µs") != NULL, "the mean: %s", row);
    free(row);
    row = row_of(p.out, "direct", 'A');
    ck_assert_msg(row != NULL && strstr(row, "1.02 µs") && strstr(row, "base"), "%s", p.out);
    free(row);
    /* the test is named under the table */
    ck_assert(strstr(p.out, "Mann-Whitney U test on the per-repeat means, two-sided, "
                            "alpha 0.05") != NULL);
    tu_proc_free(&p);
    /* and the other way round it is faster */
    compare_ok(&p, b, a);
    row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL && strstr(row, "faster") && strstr(row, "-50.0%"), "%s", p.out);
    free(row);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(same_samples_are_no_clear_difference)
{
    char *a = one("old.json", "direct", base5, 5), *b = one("new.json", "direct", base5, 5);
    struct tu_proc p;
    compare_ok(&p, a, b);
    char *row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL && strstr(row, "no clear difference") && strstr(row, "1.000") &&
                  strstr(row, "+0.0%"), "%s", p.out);
    free(row);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(too_few_repeats_say_so)
{
    char *a = one("old.json", "direct", base5, 2), *b = one("new.json", "direct", twice5, 2);
    struct tu_proc p;
    compare_ok(&p, a, b);
    char *row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL && strstr(row, "too few repeats: need 4 each") &&
                  !strstr(row, "slower"), "%s", p.out);
    free(row);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

/* Issue 12: runs of a sweep are matched by their expanded names, and a
 * report from before sweeps (no base, no sweep) still sets against one. */
START_TEST(swept_runs_pair_by_their_expanded_names)
{
    json_t *ra = cf_report(), *rb = cf_report();
    cf_add(ra, cf_swept(cf_section("tcp[payload=0]", base5, 5), "tcp", "payload", "0"));
    cf_add(ra, cf_swept(cf_section("tcp[payload=1k]", base5, 5), "tcp", "payload", "1k"));
    cf_add(rb, cf_swept(cf_section("tcp[payload=1k]", twice5, 5), "tcp", "payload", "1k"));
    cf_add(rb, cf_swept(cf_section("tcp[payload=0]", base5, 5), "tcp", "payload", "0"));
    char *a = cf_write(e2e_dir, "a.json", ra), *b = cf_write(e2e_dir, "b.json", rb);
    struct tu_proc p;
    compare_ok(&p, a, b);
    char *row = row_of(p.out, "tcp[payload=1k]", 'B');
    ck_assert_msg(row != NULL && strstr(row, "slower") && strstr(row, "+100%"), "%s", p.out);
    free(row);
    row = row_of(p.out, "tcp[payload=0]", 'B');
    ck_assert_msg(row != NULL && strstr(row, "no clear difference"), "%s", p.out);
    free(row);
    ck_assert_ptr_null(strstr(p.out, "only in"));
    tu_proc_free(&p);
    /* the old file, names as a sweep would make them, but no base or sweep */
    json_t *rc = cf_report();
    cf_add(rc, cf_section("tcp[payload=1k]", half5, 5));
    char *c = cf_write(e2e_dir, "old.json", rc);
    compare_ok(&p, a, c);
    row = row_of(p.out, "tcp[payload=1k]", 'B');
    ck_assert_msg(row != NULL && strstr(row, "faster"), "%s", p.out);
    free(row);
    ck_assert_msg(strstr(p.out, "tcp[payload=0]: only in A (absent from B)") != NULL, "%s",
                  p.out);
    tu_proc_free(&p);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(section_on_one_side_is_listed)
{
    json_t *ra = cf_report(), *rb = cf_report();
    cf_add(ra, cf_section("direct", base5, 5));
    cf_add(ra, cf_section("tcp", base5, 5));
    cf_add(rb, cf_section("direct", base5, 5));
    cf_add(rb, cf_section("rest", twice5, 5));
    char *a = cf_write(e2e_dir, "a.json", ra), *b = cf_write(e2e_dir, "b.json", rb);
    struct tu_proc p;
    compare_ok(&p, a, b);
    ck_assert_msg(strstr(p.out, "\nonly in some files:\n") != NULL, "%s", p.out);
    ck_assert_msg(strstr(p.out, "  tcp: only in A (absent from B)\n") != NULL, "%s", p.out);
    ck_assert_msg(strstr(p.out, "  rest: only in B (absent from A)\n") != NULL, "%s", p.out);
    char *row = row_of(p.out, "tcp", 'B');
    ck_assert_msg(row != NULL && strstr(row, "absent"), "%s", p.out);
    free(row);
    /* the one only the new file has still shows its figures */
    row = row_of(p.out, "rest", 'B');
    ck_assert_msg(row != NULL && strstr(row, "2.04 µs") && strstr(row, "no base: A absent"),
                  "%s", p.out);
    free(row);
    ck_assert_uint_eq(tu_count(p.out, ": only in "), 2);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(failed_sections_show_as_failed)
{
    json_t *ra = cf_report(), *rb = cf_report();
    cf_add(ra, cf_section("direct", base5, 5));
    cf_add(ra, cf_failed("tcp", "interrupted"));
    cf_add(rb, cf_failed("direct", "failed"));
    cf_add(rb, cf_section("tcp", base5, 5));
    char *a = cf_write(e2e_dir, "a.json", ra), *b = cf_write(e2e_dir, "b.json", rb);
    struct tu_proc p;
    compare_ok(&p, a, b);
    char *row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL && strstr(row, "FAILED"), "%s", p.out);
    free(row);
    row = row_of(p.out, "tcp", 'A');
    ck_assert_msg(row != NULL && strstr(row, "INTERRUPTED"), "%s", p.out);
    free(row);
    row = row_of(p.out, "tcp", 'B');
    ck_assert_msg(row != NULL && strstr(row, "no base: A failed"), "%s", p.out);
    free(row);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(pipelined_against_dependent_is_noted)
{
    json_t *ra = cf_report(), *rb = cf_report();
    cf_add(ra, cf_section("stream", base5, 5));
    json_t *s = cf_section("stream", base5, 5);
    json_object_set_new(s, "pipelined", json_true());
    cf_add(rb, s);
    char *a = cf_write(e2e_dir, "a.json", ra), *b = cf_write(e2e_dir, "b.json", rb);
    struct tu_proc p;
    compare_ok(&p, a, b);
    ck_assert_msg(strstr(p.out, "  stream: pipelined in B but not in A") != NULL, "%s", p.out);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(another_machine_is_noted)
{
    char *a = one("a.json", "direct", base5, 5), *b = one("b.json", "direct", base5, 5);
    json_t *rc = cf_add(cf_report(), cf_section("direct", base5, 5));
    json_object_set_new(json_object_get(rc, "machine"), "hostname", json_string("otherhost"));
    char *c = cf_write(e2e_dir, "c.json", rc);
    struct tu_proc p;
    run(&p, "--compare", a, b, c);
    ck_assert_msg(p.status == 0, "exit %d: %s", p.status, p.err);
    ck_assert_msg(strstr(p.out, "  C ran on another machine than A: otherhost (Test CPU) "
                                "against testhost (Test CPU)\n") != NULL, "%s", p.out);
    ck_assert_msg(strstr(p.out, "B ran on") == NULL, "%s", p.out);
    tu_proc_free(&p);
    free(a);
    free(b);
    free(c);
}
END_TEST

/* Exit 2, nothing on stdout, one line on stderr naming `bad`. */
static void refused(const char *good, const char *bad, const char *why)
{
    struct tu_proc p;
    run(&p, "--compare", good, bad);
    ck_assert_msg(p.status == 2, "exit %d for %s", p.status, bad);
    ck_assert_str_eq(p.out, "");
    ck_assert_uint_eq(tu_lines(p.err), 1);
    ck_assert_msg(strstr(p.err, bad) != NULL, "file not named: %s", p.err);
    ck_assert_msg(strstr(p.err, why) != NULL, "'%s' not in: %s", why, p.err);
    tu_proc_free(&p);
}

START_TEST(bad_files_fail_with_their_name)
{
    char *a = one("old.json", "direct", base5, 5);
    char *text = cf_text(cf_add(cf_report(), cf_section("direct", base5, 5)));
    text[strlen(text) / 2] = '\0';
    char *cut = tu_write(e2e_dir, "cut.json", text);
    refused(a, cut, "cut short");
    char *other = tu_write(e2e_dir, "package.json", "{\"name\": \"x\", \"version\": \"1\"}\n");
    refused(a, other, "not an incbench report");
    json_t *r = cf_add(cf_report(), cf_section("direct", base5, 5));
    json_object_set_new(r, "schema_version", json_integer(2));
    char *v2 = cf_write(e2e_dir, "v2.json", r);
    refused(a, v2, "schema_version 2, this runner reads 1");
    char *missing = tu_fmt("%s/nothere.json", e2e_dir);
    refused(a, missing, "No such file");
    char *csv = tu_write(e2e_dir, "run.csv", "section,plugin\ndirect,direct\n");
    refused(a, csv, "not JSON");
    free(text);
    free(cut);
    free(other);
    free(v2);
    free(missing);
    free(csv);
    free(a);
}
END_TEST

START_TEST(bad_usage_exits_2)
{
    char *a = one("old.json", "direct", base5, 5);
    struct tu_proc p;
    run(&p, "--compare", a);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "takes 2 to 26 JSON reports, got 1"), "%s", p.err);
    tu_proc_free(&p);
    run(&p, "--compare", "--format", "csv", a, a);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "--format csv"), "%s", p.err);
    tu_proc_free(&p);
    run(&p, "--format", "markdown", a);
    ck_assert_int_eq(p.status, 2);
    ck_assert_msg(strstr(p.err, "--format belongs to --compare"), "%s", p.err);
    tu_proc_free(&p);
    run(&p, "--compare", "-D", "runner.repeat=3", a, a);
    ck_assert_int_eq(p.status, 2);
    tu_proc_free(&p);
    free(a);
}
END_TEST

/* The html face: the same table, and one chart per section with each
 * report's percentile curve; a build without Chart.js says which package. */
START_TEST(html_overlays_the_distributions)
{
    char *a = one("old.json", "direct", base5, 5), *b = one("new.json", "direct", twice5, 5);
    struct tu_proc p;
    run(&p, "--compare", "--format", "html", a, b);
#ifdef HAVE_CHARTJS
    ck_assert_msg(p.status == 0, "exit %d: %s", p.status, p.err);
    ck_assert_msg(strncmp(p.out, "<!DOCTYPE html>", 15) == 0, "%.200s", p.out);
    ck_assert_msg(strstr(p.out, "<table id=\"compare\">") != NULL, "no table");
    ck_assert_msg(strstr(p.out, "slower") != NULL, "no verdict in the table");
    /* one chart for the one section, with a line for each report */
    ck_assert_uint_eq(tu_count(p.out, "id=\"dist-"), 1);
    ck_assert_msg(strstr(p.out, "A: ") && strstr(p.out, "B: "), "no line per report");
    ck_assert_msg(strstr(p.out, "</html>") != NULL, "page not ended");
    char *page = tu_write(e2e_dir, "cmp.html", p.out);
    if (access("/usr/bin/xmllint", X_OK) == 0) {
        const char *argv[] = { "/usr/bin/xmllint", "--html", "--noout", page, NULL };
        struct tu_proc x;
        tu_run(argv, NULL, NULL, 30000, &x);
        ck_assert_msg(x.status == 0 && x.err[0] == '\0', "xmllint: %d %s", x.status, x.err);
        tu_proc_free(&x);
    }
    free(page);
#else
    ck_assert_int_eq(p.status, 2);
    ck_assert_str_eq(p.out, "");
    ck_assert_msg(strstr(p.err, "libjs-chart.js") != NULL, "%s", p.err);
#endif
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

/* The cells of a markdown table line, '|' escaped as "\|" kept in a cell. */
static int md_cells(const char *line)
{
    int n = -1;
    for (const char *c = line; *c; c++)
        if (*c == '|' && (c == line || c[-1] != '\\'))
            n++;
    return n;
}

START_TEST(markdown_is_a_table)
{
    json_t *ra = cf_report(), *rb = cf_report();
    cf_add(ra, cf_section("direct", base5, 5));
    cf_add(ra, cf_section("pipe|name", base5, 5));
    cf_add(rb, cf_section("direct", twice5, 5));
    cf_add(rb, cf_section("pipe|name", base5, 5));
    char *a = cf_write(e2e_dir, "a.json", ra), *b = cf_write(e2e_dir, "b.json", rb);
    struct tu_proc p;
    run(&p, "--compare", "--format", "markdown", a, b);
    ck_assert_msg(p.status == 0, "exit %d: %s", p.status, p.err);
    /* one block of '|' lines: header, separator, 2 sections x 2 runs */
    size_t rows = 0;
    int cols = 0;
    bool in_table = false, after = false;
    for (const char *l = p.out; *l; ) {
        const char *nl = strchr(l, '\n');
        char *line = strndup(l, nl ? (size_t)(nl - l) : strlen(l));
        if (line[0] == '|') {
            ck_assert_msg(!after, "a second table:\n%s", p.out);
            in_table = true;
            ck_assert_msg(line[strlen(line) - 1] == '|', "open row: %s", line);
            if (rows == 0)
                cols = md_cells(line);
            ck_assert_msg(md_cells(line) == cols, "%d cells, not %d: %s", md_cells(line), cols,
                          line);
            if (rows == 1)
                for (const char *c = line; *c; c++)
                    ck_assert_msg(strchr("|:-", *c) != NULL, "separator: %s", line);
            rows++;
        } else if (in_table) {
            after = true;
        }
        free(line);
        if (nl == NULL)
            break;
        l = nl + 1;
    }
    ck_assert_int_eq(cols, 9);
    ck_assert_uint_eq(rows, 2 + 2 * 2);
    ck_assert_msg(strstr(p.out, "| pipe\\|name |") != NULL, "%s", p.out);
    ck_assert_msg(strstr(p.out, "| slower |") != NULL, "%s", p.out);
    tu_proc_free(&p);
    free(a);
    free(b);
}
END_TEST

START_TEST(three_files_each_against_the_first)
{
    char *a = one("a.json", "direct", base5, 5), *b = one("b.json", "direct", twice5, 5);
    char *c = one("c.json", "direct", half5, 5);
    struct tu_proc p;
    run(&p, "--compare", a, b, c);
    ck_assert_msg(p.status == 0, "exit %d: %s", p.status, p.err);
    ck_assert(strstr(p.out, "A (base): ") != NULL && strstr(p.out, "\nC: ") != NULL);
    char *rb = row_of(p.out, "direct", 'B'), *rc = row_of(p.out, "direct", 'C');
    ck_assert_msg(rb != NULL && strstr(rb, "slower") && strstr(rb, "+100%"), "%s", p.out);
    ck_assert_msg(rc != NULL && strstr(rc, "faster") && strstr(rc, "-50.0%"), "%s", p.out);
    free(rb);
    free(rc);
    tu_proc_free(&p);
    free(a);
    free(b);
    free(c);
}
END_TEST

/* A real run of the direct plugin, its JSON report written to `file`. */
static char *real_run(const char *ini, const char *file)
{
    struct tu_proc p;
    run(&p, "-D", "runner.format=json", ini);
    ck_assert_msg(p.status == 0, "run exit %d: %s", p.status, p.err);
    char *path = tu_write(e2e_dir, file, p.out);
    tu_proc_free(&p);
    return path;
}

START_TEST(two_real_runs_compare)
{
    char *ini = conf("[runner]\nrequests = 2000\nwarmup = 10\nrepeat = 4\n"
                     "[direct]\nplugin = direct\n[again]\nplugin = direct\n");
    char *a = real_run(ini, "a.json"), *b = real_run(ini, "b.json");
    struct tu_proc p;
    compare_ok(&p, a, b);
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "again" : "direct";
        char *row = row_of(p.out, name, 'B');
        ck_assert_msg(row != NULL, "no %s B:\n%s", name, p.out);
        /* which way a real run goes is not for a test to say; that it got
         * a verdict from 4 + 4 repeats is */
        ck_assert_msg(strstr(row, "faster") || strstr(row, "slower") ||
                      strstr(row, "no clear difference"), "%s", row);
        ck_assert_msg(strstr(row, " ns") || strstr(row, " µs"), "%s", row);
        free(row);
    }
    ck_assert(strstr(p.out, "only in") == NULL);
    tu_proc_free(&p);
    /* a run against itself: the same samples */
    compare_ok(&p, a, a);
    char *row = row_of(p.out, "direct", 'B');
    ck_assert_msg(row != NULL && strstr(row, "no clear difference") && strstr(row, "1.000"),
                  "%s", p.out);
    free(row);
    tu_proc_free(&p);
    free(ini);
    free(a);
    free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare");
    TCase *tc = tcase_create("crafted");
    tcase_add_checked_fixture(tc, e2e_setup, e2e_teardown);
    tcase_add_test(tc, twice_as_slow_is_slower);
    tcase_add_test(tc, same_samples_are_no_clear_difference);
    tcase_add_test(tc, too_few_repeats_say_so);
    tcase_add_test(tc, section_on_one_side_is_listed);
    tcase_add_test(tc, swept_runs_pair_by_their_expanded_names);
    tcase_add_test(tc, failed_sections_show_as_failed);
    tcase_add_test(tc, pipelined_against_dependent_is_noted);
    tcase_add_test(tc, another_machine_is_noted);
    tcase_add_test(tc, bad_files_fail_with_their_name);
    tcase_add_test(tc, bad_usage_exits_2);
    tcase_add_test(tc, html_overlays_the_distributions);
    tcase_add_test(tc, markdown_is_a_table);
    tcase_add_test(tc, three_files_each_against_the_first);
    suite_add_tcase(s, tc);
    TCase *tr = tcase_create("real");
    tcase_add_checked_fixture(tr, e2e_setup, e2e_teardown);
    tcase_add_test(tr, two_real_runs_compare);
    suite_add_tcase(s, tr);
    return tu_run_suite(s);
}
