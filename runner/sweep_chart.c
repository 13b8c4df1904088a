/*
 * sweep_chart.c — see sweep_chart.h. A run's line is named by its base
 * section and its other swept keys ("grpc, window=4"); points of one line
 * are sorted by x, since a sweep may be written in any order.
 */
#include "sweep_chart.h"

#include "htmlpage.h"
#include "report_sweep.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool charted(const struct result *r, const struct figures *f)
{
    return f->ok && !r->failed;
}

size_t sweep_chart_keys(const struct result *results, const struct figures *f, size_t n,
                        const char **keys, size_t max)
{
    size_t got = 0;
    for (size_t i = 0; i < n && got < max; i++) {
        const struct config_section *s = results[i].sec;
        if (s->n_sweep == 0 || !charted(&results[i], &f[i]))
            continue;
        size_t k = 0;
        while (k < got && strcmp(keys[k], s->sweep[0].key) != 0)
            k++;
        if (k == got)
            keys[got++] = s->sweep[0].key;
    }
    return got;
}

/* One run on the chart. */
struct point {
    size_t run;          /* index into results */
    size_t line;         /* index into the lines */
    double x;            /* numeric axis: where it stands */
    const char *value;   /* as written */
};

/* "grpc, window=4": s's base and every swept key but `key`. */
static void line_name(const struct config_section *s, const char *key, char *buf, size_t len)
{
    size_t o = (size_t)snprintf(buf, len, "%s", report_base(s));
    for (size_t k = 0; k < s->n_sweep && o < len; k++)
        if (strcmp(s->sweep[k].key, key) != 0)
            o += (size_t)snprintf(buf + o, len - o, ", %s=%s", s->sweep[k].key,
                                  s->sweep[k].value);
}

#define NAME_LEN 256

/* The axis the points' values ask for; fills each point's x. */
struct axis {
    bool numeric, log;
};

static struct axis place(struct point *pts, size_t n)
{
    struct axis a = { true, false };
    double lo = INFINITY, hi = 0;
    bool negative = false;
    for (size_t i = 0; i < n && a.numeric; i++) {
        a.numeric = report_sweep_number(pts[i].value, &pts[i].x);
        if (pts[i].x < 0)
            negative = true;
        if (pts[i].x > 0 && pts[i].x < lo)
            lo = pts[i].x;
        if (pts[i].x > hi)
            hi = pts[i].x;
    }
    /* Sizes from 0 to 1m, windows from 1 to 64: a linear axis would crowd
     * all but the last values into its first tenth. */
    a.log = a.numeric && !negative && !isinf(lo) && hi / lo >= SWEEP_CHART_LOG_FROM;
    for (size_t i = 0; a.log && i < n; i++)
        if (pts[i].x == 0)
            pts[i].x = lo / SWEEP_CHART_ZERO_BELOW;
    return a;
}

static int by_line_then_x(const void *pa, const void *pb)
{
    const struct point *a = pa, *b = pb;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    return a->run < b->run ? -1 : a->run > b->run;
}

static json_t *point_json(const struct point *p, const struct axis *a, const char *key,
                          bool has, double y)
{
    json_t *o = json_object();
    json_object_set_new(o, "x", a->numeric ? json_real(p->x) : htmlpage_string(p->value));
    json_object_set_new(o, "y", has ? json_real(y) : json_null());
    json_object_set_new(o, "k", htmlpage_string(key));
    json_object_set_new(o, "v", htmlpage_string(p->value));
    return o;
}

/* The mean and the p99 of one line, in its colour. */
static void line_datasets(json_t *datasets, const char *name, size_t colour, json_t *mean,
                          json_t *p99)
{
    char label[NAME_LEN + 16];
    const char *c = htmlpage_colour(colour);
    snprintf(label, sizeof label, "%s: mean", name);
    json_array_append_new(datasets, json_pack(
        "{s:o, s:o, s:s, s:s, s:f, s:f, s:b, s:b, s:f}", "label", htmlpage_string(label),
        "data", mean, "borderColor", c, "backgroundColor", c, "borderWidth", 2.0,
        "pointRadius", 3.0, "fill", 0, "spanGaps", 0, "tension", 0.0));
    snprintf(label, sizeof label, "%s: p99", name);
    json_array_append_new(datasets, json_pack(
        "{s:o, s:o, s:s, s:s, s:f, s:f, s:b, s:b, s:f, s:[i,i]}", "label", htmlpage_string(label),
        "data", p99, "borderColor", c, "backgroundColor", c, "borderWidth", 1.5,
        "pointRadius", 2.0, "fill", 0, "spanGaps", 0, "tension", 0.0, "borderDash", 2, 3));
}

/* The category labels: every value once, in the order first written. */
static json_t *categories(const struct point *pts, size_t n)
{
    json_t *labels = json_array();
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < i && strcmp(pts[k].value, pts[i].value) != 0)
            k++;
        if (k == i)
            json_array_append_new(labels, htmlpage_string(pts[i].value));
    }
    return labels;
}

static json_t *x_scale(const struct axis *a, const char *key)
{
    char title[160];
    snprintf(title, sizeof title, "%s%s", key,
             a->log ? " (log scale; 0 is drawn a decade below the smallest)" : "");
    /* The key comes from a config file: any bytes, so not htmlpage_axis_title. */
    json_t *x = json_pack("{s:s, s:{s:b, s:o}}", "type",
                          a->log ? "logarithmic" : a->numeric ? "linear" : "category",
                          "title", "display", 1, "text", htmlpage_string(title));
    if (a->numeric) {
        json_object_set_new(x, "afterBuildTicks", htmlpage_fn("sweep_ticks"));
        json_object_set_new(x, "ticks", json_pack("{s:o, s:b, s:i}", "callback",
                                                  htmlpage_fn("sweep_tick"), "autoSkip", 0,
                                                  "maxRotation", 0));
    }
    return x;
}

json_t *sweep_chart(const struct result *results, const struct figures *f, size_t n,
                    const char *key)
{
    struct point *pts = calloc(n ? n : 1, sizeof *pts);
    char (*names)[NAME_LEN] = calloc(n ? n : 1, sizeof *names);
    json_t *config = NULL;
    if (pts == NULL || names == NULL)
        goto out;
    size_t np = 0, nl = 0;
    for (size_t i = 0; i < n; i++) {
        const char *v = report_sweep_value(results[i].sec, key);
        if (v == NULL)
            continue;
        char name[NAME_LEN];
        line_name(results[i].sec, key, name, sizeof name);
        size_t l = 0;
        while (l < nl && strcmp(names[l], name) != 0)
            l++;
        if (l == nl)
            memcpy(names[nl++], name, sizeof name);
        pts[np++] = (struct point){ .run = i, .line = l, .value = v };
    }
    struct axis a = place(pts, np);
    json_t *labels = a.numeric ? NULL : categories(pts, np);
    if (a.numeric)
        qsort(pts, np, sizeof *pts, by_line_then_x);
    json_t *datasets = json_array();
    for (size_t l = 0, i = 0; l < nl; l++) {
        json_t *mean = json_array(), *p99 = json_array();
        for (; i < np && pts[i].line == l; i++) {
            const struct figures *x = &f[pts[i].run];
            bool has = charted(&results[pts[i].run], x);
            json_array_append_new(mean, point_json(&pts[i], &a, key, has, x->mean));
            json_array_append_new(p99, point_json(&pts[i], &a, key, has, (double)x->p99));
        }
        line_datasets(datasets, names[l], l, mean, p99);
    }
    json_t *options = json_pack(
        "{s:{s:b, s:s}, s:{s:o, s:o},"
        " s:{s:{s:s}, s:{s:{s:o, s:o}}}}",
        "interaction", "intersect", 0, "mode", "nearest",
        "scales", "x", x_scale(&a, key),
          "y", htmlpage_ns_axis("time per call (log scale)"),
        "plugins",
          "legend", "position", "top",
          "tooltip", "callbacks", "title", htmlpage_fn("sweep_title"),
                     "label", htmlpage_fn("tooltip_ns"));
    json_t *data = json_pack("{s:o}", "datasets", datasets);
    if (labels != NULL)
        json_object_set_new(data, "labels", labels);
    config = json_pack("{s:s, s:o, s:o}", "type", "line", "data", data, "options", options);
out:
    free(pts);
    free(names);
    return config;
}
