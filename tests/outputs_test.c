/*
 * outputs_test.c — where a run's report goes, end to end through the built
 * runner: several `output =` files from one run, each in its extension's
 * format; `format = markdown`; and the progress line, drawn on a terminal
 * only (a pseudo-terminal made by script(1)), never into a pipe.
 */
#include "e2eutil.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *direct_conf(const char *runner_extra)
{
    char *text = tu_fmt("[runner]\nrequests = 2000\nwarmup = 10\nrepeat = 3\n%s\n"
                        "[direct]\nplugin = direct\n[direct2]\nplugin = direct\n", runner_extra);
    char *path = conf(text);
    free(text);
    return path;
}

/* The lines of a markdown table start and end with '|'; the second is its
 * alignment row. */
static void assert_markdown_table(const char *text, const char *head)
{
    char *h = line_starting(text, head);
    ck_assert_msg(h != NULL, "no '%s' in:\n%.2000s", head, text);
    ck_assert_msg(h[strlen(h) - 1] == '|', "header does not end with |: %s", h);
    const char *after = strstr(text, head);
    const char *next = strchr(after, '\n');
    ck_assert_ptr_nonnull(next);
    ck_assert_msg(strncmp(next + 1, "|:---|---:|", 11) == 0, "no alignment row after %s", h);
    /* One row per section, with as many cells as the header. */
    size_t cells = tu_count(h, "|");
    char *row = line_starting(after, "| direct2 |");
    ck_assert_msg(row != NULL, "no row for direct2 under %s", head);
    ck_assert_uint_eq(tu_count(row, "|"), cells);
    free(row);
    free(h);
}

START_TEST(markdown_on_stdout)
{
    char *path = direct_conf("format = markdown\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    ck_assert_msg(strncmp(p.out, "### incbench ", 13) == 0, "no heading:\n%.500s", p.out);
    assert_markdown_table(p.out, "| section | mean | ±95% |");
    assert_markdown_table(p.out, "| section | per call | cpu client |");
    assert_markdown_table(p.out, "| section | plugin | server |");
    /* the header lines are list items, not one run-on paragraph */
    char *machine = line_starting(p.out, "- machine: ");
    ck_assert_ptr_nonnull(machine);
    free(machine);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* A '|' in a section's name would split its cell. */
START_TEST(markdown_escapes_bars)
{
    char *path = conf("[runner]\nrequests = 100\nwarmup = 0\nrepeat = 1\nformat = markdown\n"
                      "[a|b]\nplugin = direct\n");
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *row = line_starting(p.out, "| a\\|b |");
    ck_assert_msg(row != NULL, "no escaped row in:\n%.1500s", p.out);
    free(row);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* One run, four files, four formats; the table file is stdout's table. */
START_TEST(several_outputs_by_extension)
{
#ifdef HAVE_CHARTJS
    const char *html = ", r.html";
#else
    const char *html = "";
#endif
    char *list = tu_fmt("output = %s/r.json, %s/r.csv ,%s/r.md, %s/r.txt%s\n", e2e_dir, e2e_dir,
                        e2e_dir, e2e_dir, html);
    char *path = direct_conf(list);
    struct tu_proc p;
    run_env(&p, NULL, e2e_dir, path, (const char *)NULL);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    char *f = tu_fmt("%s/r.json", e2e_dir);
    char *text = tu_read(f);
    ck_assert_msg(text != NULL, "%s not written", f);
    json_t *root = parse_json(text);
    ck_assert_int_eq(get_int(root, "schema_version"), 1);
    ck_assert_str_eq(get_str(section_at(root, 1), "name"), "direct2");
    json_decref(root);
    free(text);
    free(f);
    f = tu_fmt("%s/r.csv", e2e_dir);
    text = tu_read(f);
    ck_assert_msg(text && strncmp(text, "section,", 8) == 0, "%s is not the CSV", f);
    ck_assert_uint_eq(tu_lines(text), 3);
    free(text);
    free(f);
    f = tu_fmt("%s/r.md", e2e_dir);
    text = tu_read(f);
    ck_assert_ptr_nonnull(text);
    assert_markdown_table(text, "| section | mean | ±95% |");
    free(text);
    free(f);
#ifdef HAVE_CHARTJS
    /* relative to the current directory, as a shell user expects */
    f = tu_fmt("%s/r.html", e2e_dir);
    text = tu_read(f);
    ck_assert_msg(text && strncmp(text, "<!DOCTYPE html>", 15) == 0, "r.html is not the page");
    free(text);
    free(f);
#endif
    f = tu_fmt("%s/r.txt", e2e_dir);
    text = tu_read(f);
    ck_assert_ptr_nonnull(text);
    ck_assert_str_eq(text, p.out);
    free(text);
    free(f);
    free(list);
    free(path);
    tu_proc_free(&p);
}
END_TEST

/* Refused before anything is measured, at the line, naming the file. */
static void refused(const char *value, const char *want)
{
    char *line = tu_fmt("output = %s\n", value);
    char *path = direct_conf(line);
    struct tu_proc p;
    run(&p, path);
    ck_assert_msg(p.status == 2, "exit %d for output = %s", p.status, value);
    ck_assert_msg(strstr(p.err, want) != NULL, "no '%s' in:\n%.1500s", want, p.err);
    ck_assert_msg(strstr(p.err, "test.ini:5: [runner] output") != NULL, "no file:line in %s",
                  p.err);
    ck_assert_msg(p.out[0] == '\0', "measured anyway:\n%.500s", p.out);
    ck_assert_uint_eq(tu_lines(p.err), 1);
    tu_proc_free(&p);
    free(path);
    free(line);
}

START_TEST(bad_outputs_are_config_errors)
{
    refused("r.json, r.dat", "output = r.dat: no format for its extension (known: .txt");
    refused("report", "output = report: no format for its extension");
    refused("r.json, r.json", "output names r.json twice");
    refused("r.json,,r.csv", "an empty file name");
    refused("a.md,b.md,c.md,d.md,e.md,f.md,g.md,h.md,i.md", "more than 8 files");
    /* the second of two files cannot be written: the first is not made */
    char *two = tu_fmt("%s/first.json, /nonexistent/dir/second.csv", e2e_dir);
    refused(two, "output = /nonexistent/dir/second.csv: cannot write it");
    char *first = tu_fmt("%s/first.json", e2e_dir);
    ck_assert_int_ne(access(first, F_OK), 0);
    free(first);
    free(two);
}
END_TEST

/* ---- the progress line ---- */

#define ERASE "\r\033[K"

/* The runner under a pseudo-terminal (script(1) gives it one on stdin,
 * stdout and stderr); *p.out gets all it wrote there. */
static void run_on_terminal(struct tu_proc *p, const char *path, const char *extra)
{
    char *runner = tu_fmt("%s/runner/runner", tu_builddir());
    char *cmd = tu_fmt("%s %s %s", runner, extra, path);
    const char *argv[] = { "/usr/bin/script", "-qec", cmd, "/dev/null", NULL };
    static const char *const env[] = { "INCBENCH_PLUGIN_PATH=", "TERM=xterm", NULL };
    tu_run(argv, env, NULL, RUN_TIMEOUT_MS, p);
    ck_assert_msg(p->status == 0, "exit %d, output: %.1500s %.500s", p->status, p->out, p->err);
    free(cmd);
    free(runner);
}

/* Long enough for the watchdog to draw a few times: each repeat a few
 * tenths of a second of direct calls. */
static const char *long_run = "";
#define LONG_RUN "-D runner.requests=3000000"

START_TEST(progress_on_a_terminal)
{
    if (access("/usr/bin/script", X_OK) != 0)
        return;   /* util-linux's script is in every Debian (bsdutils, essential) */
    char *path = direct_conf(long_run);
    struct tu_proc p;
    run_on_terminal(&p, path, LONG_RUN);
    ck_assert_msg(strstr(p.out, ERASE "runner: [direct] repeat 1/3, ") != NULL ||
                  strstr(p.out, ERASE "runner: [direct2] repeat 1/3, ") != NULL,
                  "no progress line in:\n%.1500s", p.out);
    ck_assert_msg(strstr(p.out, " calls, ") != NULL, "no call count in:\n%.1500s", p.out);
    /* the line is erased before the report: the report starts a line of
     * its own, or follows the erase, never the progress text */
    const char *report = strstr(p.out, "incbench ");
    ck_assert_ptr_nonnull(report);
    size_t before = (size_t)(report - p.out);
    ck_assert_msg(before == 0 || report[-1] == '\n' ||
                  (before >= 4 && memcmp(report - 4, ERASE, 4) == 0),
                  "the report follows the progress line:\n%.300s",
                  report - (before < 200 ? before : 200));
    ck_assert_msg(strstr(report, "runner: [") == NULL, "progress inside the report:\n%.1500s",
                  report);
    tu_proc_free(&p);
    /* --quiet: none */
    run_on_terminal(&p, path, LONG_RUN " --quiet");
    ck_assert_msg(strstr(p.out, "repeat 1/3") == NULL, "progress despite --quiet:\n%.1500s",
                  p.out);
    tu_proc_free(&p);
    free(path);
}
END_TEST

START_TEST(no_progress_into_a_pipe)
{
    char *path = direct_conf(long_run);
    struct tu_proc p;
    run(&p, "-D", "runner.requests=3000000", path);
    ck_assert_msg(p.status == 0, "exit %d, stderr: %.1500s", p.status, p.err);
    ck_assert_msg(strstr(p.err, "repeat 1/3") == NULL && strchr(p.err, '\r') == NULL,
                  "progress into a pipe:\n%.1500s", p.err);
    ck_assert_msg(strchr(p.out, '\r') == NULL, "progress on stdout");
    tu_proc_free(&p);
    free(path);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("outputs");
    TCase *t = tcase_create("files");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, markdown_on_stdout);
    tcase_add_test(t, markdown_escapes_bars);
    tcase_add_test(t, several_outputs_by_extension);
    tcase_add_test(t, bad_outputs_are_config_errors);
    suite_add_tcase(s, t);
    t = tcase_create("progress");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_set_timeout(t, 120);
    tcase_add_test(t, progress_on_a_terminal);
    tcase_add_test(t, no_progress_into_a_pipe);
    suite_add_tcase(s, t);
    return tu_run_suite(s);
}
