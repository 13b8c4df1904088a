/*
 * html_test.c — `format = html` on results made by hand: the page parses
 * cleanly (xmllint --html), holds exactly one chart of each kind, inlines
 * Chart.js and loads nothing, shows the text table's figures, escapes what
 * config files and plugins wrote, keeps pipelined sections apart, lists
 * failed ones without charting them, and says "not measured" rather than
 * draw 0. The charts' configs are read back from the page as JSON. In a
 * build without Chart.js: the config error naming the package.
 */
#include "config.h"
#include "figures.h"
#include "madefix.h"
#include "htmlpage.h"
#include "renderfix.h"
#include "report.h"
#include "testutil.h"

#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAXREP 3
#define REQUESTS MADE_REQUESTS
#define MAXSEC 8

/* A section whose calls take base ns, a tail up to 4 x base, repeat means
 * 2% apart; client and server CPU per call as given. */
static void make(struct made *m, const char *name, enum config_server mode, double base,
                 uint64_t window, double cpu_c, double cpu_s)
{
    made_wire(m, name, mode, MAXREP, window);
    for (unsigned k = 0; k < MAXREP; k++) {
        double sum = 0;
        for (unsigned i = 0; i < REQUESTS; i++) {
            double v = base * (1 + 0.02 * k) * (i % 100 == 99 ? 4 : 1 + (i % 10) / 20.0);
            histogram_record(&m->hist, (uint64_t)v);
            sum += v;
        }
        m->mean[k] = sum / REQUESTS;
        m->total[k] = (uint64_t)(window > 1 ? sum / 4 : sum);
        m->init[k] = 1000;
        m->first[k] = 2000;
        m->client[k].cpu_ns = (uint64_t)(cpu_c * REQUESTS);
        m->server[k].cpu_ns = (uint64_t)(cpu_s * REQUESTS);
    }
}

/* The sections every test reads, in config order. */
enum { S_DIRECT, S_TCP, S_THREAD, S_EXTERNAL, S_PIPE, S_BROKEN, S_EVIL, N_MADE };
#define EVIL_NAME "evil</script><b>\xff"
#define BROKEN_REASON "server said <script>alert(1)</script> & \"left\""

static struct made made[N_MADE];
static struct result results[N_MADE];
static struct config cfg;

static void setup(void)
{
    make(&made[S_DIRECT], "direct", SERVER_DEFAULT, 20, 1, 20, 0);
    make(&made[S_TCP], "tcp", SERVER_SPAWN, 20000, 1, 6000, 5000);
    make(&made[S_THREAD], "thr", SERVER_THREAD, 30000, 1, 12000, 0);
    make(&made[S_EXTERNAL], "ext", SERVER_EXTERNAL, 25000, 1, 7000, 0);
    make(&made[S_PIPE], "pipe", SERVER_SPAWN, 200000, 16, 3000, 3000);
    make(&made[S_BROKEN], "broken", SERVER_SPAWN, 1000, 1, 0, 0);
    made[S_BROKEN].r.failed = true;
    made[S_BROKEN].r.repeats_done = 0;
    snprintf(made[S_BROKEN].r.reason, sizeof made[S_BROKEN].r.reason, "%s", BROKEN_REASON);
    make(&made[S_EVIL], EVIL_NAME, SERVER_SPAWN, 40000, 1, 1000, 1000);
    for (int i = 0; i < N_MADE; i++)
        results[i] = made[i].r;
    memset(&cfg, 0, sizeof cfg);
    cfg.path = (char *)"made.ini";
    cfg.requests = REQUESTS;
    cfg.repeat = MAXREP;
    cfg.baseline = "direct";
}

static struct report report_of(void)
{
    return rf_report(&cfg, results, N_MADE);
}

/* The report in format, as a malloc'd string. */
static char *render(enum config_format format, int *rc)
{
    struct report rep = report_of();
    return rf_render(&rep, format, rc);
}

#ifdef HAVE_CHARTJS

static char *page(void)
{
    int rc;
    char *html = render(FORMAT_HTML, &rc);
    ck_assert_int_eq(rc, 0);
    return html;
}

/* The category index of a section in a chart's labels (first line). */
static int label_index(const json_t *cfg_json, const char *name)
{
    const json_t *labels = json_object_get(json_object_get(cfg_json, "data"), "labels");
    size_t i;
    const json_t *l;
    json_array_foreach(labels, i, l) {
        if (strcmp(json_string_value(json_array_get(l, 0)), name) == 0)
            return (int)i;
    }
    return -1;
}

/* xmllint on PATH, or NULL. */
static char *xmllint_path(void)
{
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "/usr/bin:/bin");
    char *found = NULL, *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *p = NULL;
        if (asprintf(&p, "%s/xmllint", d[0] ? d : ".") < 0)
            break;
        if (access(p, X_OK) == 0)
            found = p;
        else
            free(p);
    }
    free(copy);
    return found;
}

START_TEST(the_page_parses_cleanly_with_xmllint)
{
    char *xmllint = xmllint_path();
    ck_assert_msg(xmllint != NULL, "xmllint not found (apt-get install libxml2-utils)");
    char *html = page();
    char *dir = tu_tmpdir();
    char *file = tu_write(dir, "report.html", html);
    const char *argv[] = { xmllint, "--html", "--noout", file, NULL };
    struct tu_proc p;
    tu_run(argv, NULL, NULL, 30000, &p);
    ck_assert_msg(p.status == 0 && p.out[0] == '\0' && p.err[0] == '\0',
                  "xmllint said (exit %d): %s%s", p.status, p.out, p.err);
    tu_proc_free(&p);
    /* The same xmllint does see a broken page: the check can fail. */
    char *bad = tu_write(dir, "bad.html", "<!DOCTYPE html><html><body><div><p>x</div></span>"
                                          "</body></html>");
    const char *argv_bad[] = { xmllint, "--html", "--noout", bad, NULL };
    tu_run(argv_bad, NULL, NULL, 30000, &p);
    ck_assert_msg(p.err[0] != '\0', "xmllint printed nothing on a broken page");
    tu_proc_free(&p);
    tu_rmtree(dir);
    free(bad);
    free(file);
    free(dir);
    free(html);
    free(xmllint);
}
END_TEST

START_TEST(exactly_one_chart_of_each_kind)
{
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_uint_eq(tu_count(own, "<div class=\"chart\""), 3);
    ck_assert_uint_eq(tu_count(own, "new Chart("), 3);
    ck_assert_uint_eq(tu_count(own, "id=\"mean-chart\""), 1);
    ck_assert_uint_eq(tu_count(own, "id=\"percentile-chart\""), 1);
    ck_assert_uint_eq(tu_count(own, "id=\"cost-chart\""), 1);
    json_t *mean = rf_chart_config(html, "mean-chart");
    json_t *pct = rf_chart_config(html, "percentile-chart");
    json_t *cost = rf_chart_config(html, "cost-chart");
    ck_assert_str_eq(json_string_value(json_object_get(mean, "type")), "bar");
    ck_assert_str_eq(json_string_value(json_object_get(pct, "type")), "line");
    ck_assert_str_eq(json_string_value(json_object_get(cost, "type")), "bar");
    json_decref(mean);
    json_decref(pct);
    json_decref(cost);
    free(html);
}
END_TEST

START_TEST(chartjs_is_inlined_and_nothing_is_fetched)
{
    char *html = page();
    char *js = tu_read(TEST_CHARTJS);
    ck_assert_msg(js != NULL, "cannot read %s", TEST_CHARTJS);
    ck_assert_msg(strstr(html, js) != NULL, "the page does not hold %s verbatim", TEST_CHARTJS);
    const char *own = rf_own_part(html);
    static const char *const fetchers[] = {
        "src=", "href=", "url(", "@import", "<link", "<img", "<iframe", "fetch(",
        "XMLHttpRequest", "http:", "https:",
    };
    for (size_t i = 0; i < sizeof fetchers / sizeof fetchers[0]; i++)
        ck_assert_msg(strstr(own, fetchers[i]) == NULL, "the page holds '%s'", fetchers[i]);
    ck_assert_uint_eq(tu_count(html, "<script"), tu_count(html, "</script>"));
    free(js);
    free(html);
}
END_TEST

START_TEST(the_results_table_shows_the_table_formats_figures)
{
    int rc;
    char *table = render(FORMAT_TABLE, &rc);
    ck_assert_int_eq(rc, 0);
    char *html = page();
    static const char *const names[] = { "direct", "tcp", "thr", "ext", "pipe" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        rf_same_cells(table, html, names[i], 13);
    free(table);
    free(html);
}
END_TEST

START_TEST(names_and_reasons_are_escaped)
{
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_ptr_null(strstr(own, "evil</script>"));
    ck_assert_ptr_null(strstr(own, "<script>alert"));
    ck_assert_ptr_null(strstr(own, "\xff"));
    ck_assert_ptr_nonnull(strstr(own, "<td>evil&lt;/script&gt;&lt;b&gt;?</td>"));
    ck_assert_ptr_nonnull(strstr(own, "evil\\u003c/script>\\u003cb>?"));
    ck_assert_ptr_nonnull(strstr(own, "server said &lt;script&gt;alert(1)&lt;/script&gt; "
                                      "&amp; &quot;left&quot;"));
    ck_assert_ptr_nonnull(strstr(own, "Test CPU &lt;1&gt;"));
    ck_assert_ptr_nonnull(strstr(own, "load is high &amp; rising"));
    free(html);
}
END_TEST

START_TEST(failed_sections_are_listed_not_charted)
{
    char *html = page();
    const char *list = strstr(html, "<ul class=\"notes\" id=\"failed\">");
    ck_assert_ptr_nonnull(list);
    ck_assert_ptr_nonnull(strstr(list, "<b>broken</b>: FAILED: server said"));
    static const char *const ids[] = { "mean-chart", "percentile-chart", "cost-chart" };
    for (size_t i = 0; i < 3; i++) {
        json_t *c = rf_chart_config(html, ids[i]);
        char *s = json_dumps(c, 0);
        ck_assert_msg(strstr(s, "broken") == NULL, "%s charts the failed section", ids[i]);
        ck_assert_msg(strstr(s, "\"tcp\"") != NULL, "%s lacks tcp", ids[i]);
        free(s);
        json_decref(c);
    }
    /* Six sections have figures: six lines of percentiles. */
    json_t *pct = rf_chart_config(html, "percentile-chart");
    ck_assert_uint_eq(json_array_size(json_object_get(json_object_get(pct, "data"),
                                                      "datasets")), 6);
    json_decref(pct);
    free(html);
}
END_TEST

START_TEST(a_run_where_every_section_failed_has_no_chart)
{
    for (int i = 0; i < N_MADE; i++) {
        results[i].failed = true;
        snprintf(results[i].reason, sizeof results[i].reason, "reason %d", i);
    }
    char *html = page();
    const char *own = rf_own_part(html);
    ck_assert_uint_eq(tu_count(own, "new Chart("), 0);
    ck_assert_ptr_nonnull(strstr(own, "No section has figures to chart."));
    ck_assert_ptr_nonnull(strstr(own, "<b>tcp</b>: FAILED: reason 1"));
    ck_assert_ptr_nonnull(strstr(own, "</body>\n</html>\n"));
    free(html);
}
END_TEST

START_TEST(pipelined_sections_are_set_apart)
{
    char *html = page();
    /* The table: a group of their own, after the dependent ones. */
    const char *group = strstr(html, "<tbody id=\"pipelined\">");
    ck_assert_ptr_nonnull(group);
    ck_assert_ptr_nonnull(strstr(group, "pipelined: not dependent calls"));
    ck_assert_ptr_nonnull(strstr(group, "<tr><td>pipe</td>"));
    ck_assert_ptr_null(strstr(group, "<tr><td>tcp</td>"));
    ck_assert_ptr_nonnull(strstr(html, "<tr><td>tcp</td>"));
    /* The mean chart: last, in a dataset of its own, with its label. */
    json_t *mean = rf_chart_config(html, "mean-chart");
    int pipe = label_index(mean, "pipe"), tcp = label_index(mean, "tcp");
    ck_assert_int_eq(pipe, 5);
    ck_assert_str_eq(json_string_value(json_array_get(json_array_get(json_object_get(
        json_object_get(mean, "data"), "labels"), (size_t)pipe), 1)),
        "pipelined: not dependent calls (16 chains)");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(rf_dataset(mean, 2), "label")),
                                 "pipelined: not dependent calls"));
    ck_assert(json_is_null(rf_point(mean, 1, pipe)));
    ck_assert(json_is_real(rf_point(mean, 2, pipe)));
    ck_assert(json_is_real(rf_point(mean, 1, tcp)));
    ck_assert(json_is_null(rf_point(mean, 2, tcp)));
    ck_assert_str_ne(json_string_value(json_object_get(rf_dataset(mean, 1), "backgroundColor")),
                     json_string_value(json_object_get(rf_dataset(mean, 2), "backgroundColor")));
    /* The percentiles: dashed, and said so in the legend. */
    json_t *pct = rf_chart_config(html, "percentile-chart");
    const json_t *line = rf_dataset(pct, 5);
    ck_assert_str_eq(json_string_value(json_object_get(line, "label")),
                     "pipe (pipelined: not dependent calls)");
    ck_assert_ptr_nonnull(json_object_get(line, "borderDash"));
    ck_assert_ptr_null(json_object_get(rf_dataset(pct, 1), "borderDash"));
    json_decref(mean);
    json_decref(pct);
    free(html);
}
END_TEST

START_TEST(the_mean_chart_has_the_interval_on_a_log_axis)
{
    /* ext's repeats far apart: its interval reaches 0. */
    made[S_EXTERNAL].mean[0] = 100;
    made[S_EXTERNAL].mean[1] = 100000;
    made[S_EXTERNAL].mean[2] = 100;
    char *html = page();
    struct report rep = report_of();
    struct figures f[N_MADE];
    figures_derive(&cfg, results, N_MADE, rep.loop_cost_ns, f);
    json_t *mean = rf_chart_config(html, "mean-chart");
    const json_t *x = json_object_get(json_object_get(json_object_get(mean, "options"),
                                                      "scales"), "x");
    ck_assert_str_eq(json_string_value(json_object_get(x, "type")), "logarithmic");
    ck_assert_double_le(json_number_value(json_object_get(x, "min")), f[S_DIRECT].mean);
    int tcp = label_index(mean, "tcp");
    ck_assert_double_eq_tol(json_real_value(rf_point(mean, 1, tcp)), f[S_TCP].mean, 1e-6);
    const json_t *ci = rf_point(mean, 0, tcp);
    ck_assert(f[S_TCP].has_mean_ci);
    ck_assert_double_eq_tol(json_real_value(json_array_get(ci, 0)), f[S_TCP].mean_ci.low, 1e-6);
    ck_assert_double_eq_tol(json_real_value(json_array_get(ci, 1)), f[S_TCP].mean_ci.high, 1e-6);
    /* Drawn from the axis' start, told as 0. */
    int ext = label_index(mean, "ext");
    ck_assert(f[S_EXTERNAL].has_mean_ci);
    ck_assert_double_eq(f[S_EXTERNAL].mean_ci.low, 0);
    ck_assert_double_eq(json_real_value(json_array_get(rf_point(mean, 0, ext), 0)),
                        json_number_value(json_object_get(x, "min")));
    const json_t *told = json_array_get(json_object_get(rf_dataset(mean, 0), "ns"), (size_t)ext);
    ck_assert_double_eq(json_real_value(json_array_get(told, 0)), 0);
    ck_assert_double_eq_tol(json_real_value(json_array_get(told, 1)), f[S_EXTERNAL].mean_ci.high,
                            1e-6);
    json_decref(mean);
    free(html);
}
END_TEST

START_TEST(the_percentile_curve_follows_the_histogram)
{
    char *html = page();
    json_t *pct = rf_chart_config(html, "percentile-chart");
    const json_t *xs = json_object_get(json_object_get(json_object_get(pct, "options"),
                                                       "scales"), "x");
    const json_t *ys = json_object_get(json_object_get(json_object_get(pct, "options"),
                                                       "scales"), "y");
    ck_assert_str_eq(json_string_value(json_object_get(ys, "type")), "logarithmic");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(xs,
                     "ticks"), "callback"), "$fn")), "nines");
    const json_t *pts = json_object_get(rf_dataset(pct, 1), "data");   /* tcp */
    const struct histogram *h = &made[S_TCP].hist;
    double last_x = -1;
    json_int_t last_y = 0;
    size_t i;
    const json_t *pt;
    json_array_foreach(pts, i, pt) {
        double px = json_number_value(json_object_get(pt, "x"));
        json_int_t py = json_integer_value(json_object_get(pt, "y"));
        ck_assert_double_gt(px, last_x);
        ck_assert_int_ge(py, last_y);
        last_x = px;
        last_y = py;
        if (i == 20) {   /* x = 1: the 90th percentile */
            ck_assert_double_eq_tol(px, 1.0, 1e-9);
            ck_assert_int_eq(py, (json_int_t)histogram_percentile(h, 90));
        }
    }
    ck_assert_double_eq_tol(last_x, log10((double)h->count), 1e-9);
    ck_assert_int_eq(last_y, (json_int_t)h->max);
    json_decref(pct);
    free(html);
}
END_TEST

START_TEST(unknown_parts_say_not_measured_instead_of_zero)
{
    char *html = page();
    json_t *cost = rf_chart_config(html, "cost-chart");
    enum { CLIENT, SERVER, WAIT, UNKNOWN };
    ck_assert_str_eq(json_string_value(json_object_get(rf_dataset(cost, UNKNOWN), "label")),
                     "not measured");
    /* external: the client's CPU, and the rest not measured. */
    int ext = label_index(cost, "ext");
    ck_assert(json_is_real(rf_point(cost, CLIENT, ext)));
    ck_assert(json_is_null(rf_point(cost, SERVER, ext)));
    ck_assert(json_is_null(rf_point(cost, WAIT, ext)));
    ck_assert_double_gt(json_real_value(rf_point(cost, UNKNOWN, ext)), 0);
    const json_t *labels = json_object_get(json_object_get(cost, "data"), "labels");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_array_get(json_array_get(labels,
                          (size_t)ext), 1)), "not measured"));
    /* spawn: all three measured, nothing unknown, shares add to 100. */
    int tcp = label_index(cost, "tcp");
    double sum = 0;
    for (size_t d = CLIENT; d <= WAIT; d++) {
        ck_assert(json_is_real(rf_point(cost, d, tcp)));
        sum += json_real_value(rf_point(cost, d, tcp));
    }
    ck_assert_double_eq_tol(sum, 100, 1e-6);
    ck_assert(json_is_null(rf_point(cost, UNKNOWN, tcp)));
    /* No server of its own (in-process, thread): no server part, nothing
     * unknown, and the label says where the server's CPU is. */
    static const char *const own[] = { "direct", "thr" };
    for (size_t k = 0; k < 2; k++) {
        int i = label_index(cost, own[k]);
        ck_assert(json_is_real(rf_point(cost, CLIENT, i)));
        ck_assert(json_is_null(rf_point(cost, SERVER, i)));
        ck_assert(json_is_real(rf_point(cost, WAIT, i)));
        ck_assert(json_is_null(rf_point(cost, UNKNOWN, i)));
    }
    ck_assert_ptr_nonnull(strstr(json_string_value(json_array_get(json_array_get(labels,
                          (size_t)label_index(cost, "thr")), 1)), "inside client CPU"));
    /* The absolute figure behind a share is the figures' own. */
    struct figures f[N_MADE];
    figures_derive(&cfg, results, N_MADE, 10, f);
    ck_assert_double_eq_tol(json_real_value(json_array_get(json_object_get(rf_dataset(cost, SERVER),
                            "ns"), (size_t)tcp)), f[S_TCP].server.cpu_ns, 1e-6);
    json_decref(cost);
    free(html);
}
END_TEST

START_TEST(inlined_json_cannot_close_the_script)
{
    json_t *c = json_pack("{s:s, s:s}", "type", "bar", "label", "</script><script>alert(1)//");
    char *buf = NULL;
    size_t len = 0;
    char err[256];
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_int_eq(htmlpage_chart(fp, "x-1_y", c, "a <caption> & more", 0, err, sizeof err), 0);
    fclose(fp);
    ck_assert_ptr_null(strstr(buf, "</script><script>alert"));
    ck_assert_ptr_nonnull(strstr(buf, "\\u003c/script>\\u003cscript>alert(1)//"));
    ck_assert_ptr_nonnull(strstr(buf, "a &lt;caption&gt; &amp; more"));
    ck_assert_uint_eq(tu_count(buf, "</script>"), 1);
    free(buf);
    /* An id that would need escaping is refused, and nothing is written. */
    buf = NULL;
    fp = open_memstream(&buf, &len);
    ck_assert_int_eq(htmlpage_chart(fp, "x\"><b", c, NULL, 0, err, sizeof err), -1);
    ck_assert_int_eq(htmlpage_chart(fp, "", c, NULL, 0, err, sizeof err), -1);
    fclose(fp);
    ck_assert_uint_eq(len, 0);
    ck_assert_ptr_nonnull(strstr(err, "chart id"));
    free(buf);
    json_decref(c);
}
END_TEST

START_TEST(text_escaping)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    htmlpage_text(fp, "a&b<c>d\"e'f \xc2\xb5s \xe2\x80\xa8 \xff\xc0\xaf \x01\tok\xed\xa0\x80");
    fclose(fp);
    ck_assert_str_eq(buf, "a&amp;b&lt;c&gt;d&quot;e&#39;f \xc2\xb5s \xe2\x80\xa8 ??? ?\tok???");
    free(buf);
    json_t *s = htmlpage_string("ok\xff\xc2\xb5");
    ck_assert_str_eq(json_string_value(s), "ok?\xc2\xb5");
    json_decref(s);
}
END_TEST

START_TEST(format_html_is_accepted_by_the_config)
{
    char *dir = tu_tmpdir();
    char *ini = tu_write(dir, "h.ini", "[runner]\nformat = html\n\n[d]\nplugin = direct\n");
    struct config c;
    char err[512];
    ck_assert_msg(config_load(&c, ini, NULL, 0, err, sizeof err) == 0, "%s", err);
    ck_assert_int_eq(c.format, FORMAT_HTML);
    ck_assert_str_eq(config_format_name(c.format), "html");
    config_free(&c);
    tu_rmtree(dir);
    free(ini);
    free(dir);
}
END_TEST

#else /* !HAVE_CHARTJS */

START_TEST(without_chartjs_format_html_is_a_config_error_naming_the_package)
{
    char *dir = tu_tmpdir();
    char *ini = tu_write(dir, "h.ini", "[runner]\nrequests = 10\nformat = html\n\n[d]\n"
                                      "plugin = direct\n");
    struct config c;
    char err[512];
    ck_assert_int_eq(config_load(&c, ini, NULL, 0, err, sizeof err), -1);
    char *where = tu_fmt("%s:3: [runner] format = 'html': ", ini);
    ck_assert_msg(strstr(err, where) == err, "%s", err);
    ck_assert_msg(strstr(err, "apt-get install libjs-chart.js") != NULL, "%s", err);
    free(where);
    char *def = (char *)"runner.format=html";
    char *plain = tu_write(dir, "p.ini", "[d]\nplugin = direct\n");
    ck_assert_int_eq(config_load(&c, plain, &def, 1, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "-D: [runner] format = 'html'") != NULL, "%s", err);
    int rc;
    char *html = render(FORMAT_HTML, &rc);
    ck_assert_int_eq(rc, -1);
    free(html);
    tu_rmtree(dir);
    free(plain);
    free(ini);
    free(dir);
}
END_TEST

#endif

int main(void)
{
    Suite *s = suite_create("html");
    TCase *tc = tcase_create("html");
    tcase_add_checked_fixture(tc, setup, NULL);
#ifdef HAVE_CHARTJS
    tcase_add_test(tc, exactly_one_chart_of_each_kind);
    tcase_add_test(tc, chartjs_is_inlined_and_nothing_is_fetched);
    tcase_add_test(tc, the_results_table_shows_the_table_formats_figures);
    tcase_add_test(tc, names_and_reasons_are_escaped);
    tcase_add_test(tc, failed_sections_are_listed_not_charted);
    tcase_add_test(tc, a_run_where_every_section_failed_has_no_chart);
    tcase_add_test(tc, pipelined_sections_are_set_apart);
    tcase_add_test(tc, the_mean_chart_has_the_interval_on_a_log_axis);
    tcase_add_test(tc, the_percentile_curve_follows_the_histogram);
    tcase_add_test(tc, unknown_parts_say_not_measured_instead_of_zero);
    tcase_add_test(tc, inlined_json_cannot_close_the_script);
    tcase_add_test(tc, text_escaping);
    tcase_add_test(tc, format_html_is_accepted_by_the_config);
    char *xmllint = xmllint_path();
    if (xmllint != NULL)
        tcase_add_test(tc, the_page_parses_cleanly_with_xmllint);
#else
    tcase_add_test(tc, without_chartjs_format_html_is_a_config_error_naming_the_package);
#endif
    suite_add_tcase(s, tc);
    int rc = tu_run_suite(s);
#ifdef HAVE_CHARTJS
    /* Everything else passed, but the page was not parsed: show the gap. */
    if (rc == 0 && xmllint == NULL) {
        printf("SKIP: xmllint not found (apt-get install libxml2-utils): the page was not "
               "parsed\n");
        rc = 77;
    }
    free(xmllint);
#endif
    return rc;
}
