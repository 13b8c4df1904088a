/*
 * renderfix.c — see renderfix.h.
 */
#include "renderfix.h"

#include "testutil.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct report rf_report(const struct config *cfg, const struct result *results, size_t n)
{
    struct report rep;
    memset(&rep, 0, sizeof rep);
    rep.cfg = cfg;
    rep.results = results;
    rep.n = n;
    rep.loop_cost_ns = 10;
    snprintf(rep.machine.cpu_model, sizeof rep.machine.cpu_model, "Test CPU <1>");
    rep.machine.cores = 2;
    snprintf(rep.machine.kernel, sizeof rep.machine.kernel, "Linux test");
    rep.env.n = 2;
    rep.env.items[0].name = "load";
    rep.env.items[0].status = ENVCHECK_WARN;
    snprintf(rep.env.items[0].message, sizeof rep.env.items[0].message, "load is high & rising");
    rep.env.items[1].name = "turbo";
    rep.env.items[1].status = ENVCHECK_OK;
    return rep;
}

char *rf_render(const struct report *rep, enum config_format format, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(fp);
    *rc = report_write(rep, format, fp);
    fclose(fp);
    return buf;
}

/* The cells of the table format's row for name (cells are two spaces apart). */
size_t rf_table_cells(const char *table, const char *name, char cells[][RF_CELL], size_t max)
{
    char *start = tu_fmt("\n%s  ", name);
    const char *row = strstr(table, start);
    ck_assert_msg(row != NULL, "no table row %s", name);
    free(start);
    row++;
    size_t n = 0;
    const char *p = row;
    while (*p && *p != '\n' && n < max) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != '\n' && !(q[0] == ' ' && q[1] == ' '))
            q++;
        snprintf(cells[n++], RF_CELL, "%.*s", (int)(q - p), p);
        p = q;
    }
    return n;
}

#ifdef HAVE_CHARTJS

/* The page after the inlined Chart.js: what incbench itself wrote. */
const char *rf_own_part(const char *html)
{
    const char *end = strstr(html, "var IB = ");
    ck_assert_ptr_nonnull(end);
    return end;
}

/* The config of chart id, read back from its script. */
json_t *rf_chart_config(const char *html, const char *id)
{
    char *call = tu_fmt("new Chart(IB.canvas(\"%s\"), IB.revive(", id);
    const char *at = strstr(html, call);
    ck_assert_msg(at != NULL, "no chart %s", id);
    at += strlen(call);
    free(call);
    const char *end = strstr(at, "));\n</script>");
    ck_assert_ptr_nonnull(end);
    json_error_t e;
    json_t *j = json_loadb(at, (size_t)(end - at), 0, &e);
    ck_assert_msg(j != NULL, "chart %s: not JSON: %s", id, e.text);
    return j;
}

const json_t *rf_dataset(const json_t *cfg_json, size_t i)
{
    return json_array_get(json_object_get(json_object_get(cfg_json, "data"), "datasets"), i);
}

const json_t *rf_point(const json_t *cfg_json, size_t ds, int i)
{
    return json_array_get(json_object_get(rf_dataset(cfg_json, ds), "data"), (size_t)i);
}

/* The cells of the html row whose first cell is name. */
size_t rf_html_cells(const char *html, const char *name, char cells[][RF_CELL], size_t max)
{
    char *start = tu_fmt("<tr><td>%s</td>", name);
    const char *table = strstr(html, "<table id=\"results\">");
    ck_assert_ptr_nonnull(table);
    const char *p = strstr(table, start);
    ck_assert_msg(p != NULL, "no html row %s", name);
    free(start);
    const char *end = strstr(p, "</tr>");
    size_t n = 0;
    while (n < max && (p = strstr(p, "<td")) != NULL && p < end) {
        p = strchr(p, '>') + 1;
        const char *q = strstr(p, "</td>");
        snprintf(cells[n++], RF_CELL, "%.*s", (int)(q - p), p);
        p = q;
    }
    return n;
}

void rf_same_cells(const char *table, const char *html, const char *name, size_t n)
{
    char t[16][RF_CELL], h[16][RF_CELL];
    ck_assert_uint_eq(rf_html_cells(html, name, h, 16), n);
    ck_assert_uint_eq(rf_table_cells(table, name, t, 16), n);
    for (size_t c = 0; c < n; c++)
        ck_assert_msg(strcmp(t[c], h[c]) == 0, "%s column %zu: table '%s', html '%s'", name, c,
                      t[c], h[c]);
}

#endif
