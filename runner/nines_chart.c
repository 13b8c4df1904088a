/*
 * nines_chart.c — see nines_chart.h. A line is read off its histogram at
 * evenly spaced x (20 points per nine) up to the rank of its last sample,
 * log10(count), where it ends at the slowest call: beyond that a
 * percentile is not measured, only extrapolated.
 */
#include "nines_chart.h"

#include "htmlpage.h"

#include <math.h>

#define NINES_STEP 0.05

static json_t *points(const struct histogram *h, double *x_end)
{
    json_t *pts = json_array();
    double x_max = h->count > 1 ? log10((double)h->count) : 0;
    for (unsigned i = 0; i * NINES_STEP < x_max; i++) {
        double x = i * NINES_STEP;
        double p = 100 * (1 - pow(10, -x));
        uint64_t v = histogram_percentile(h, p > 0 ? p : 1e-9);
        json_array_append_new(pts, json_pack("{s:f, s:I}", "x", x, "y", (json_int_t)v));
    }
    json_array_append_new(pts, json_pack("{s:f, s:I}", "x", x_max, "y", (json_int_t)h->max));
    *x_end = x_max;
    return pts;
}

json_t *nines_chart(const struct nines_line *lines, size_t n)
{
    json_t *datasets = json_array();
    double x_end = 0;
    for (size_t k = 0; k < n; k++) {
        double end;
        json_t *pts = points(lines[k].h, &end);
        if (end > x_end)
            x_end = end;
        const char *colour = htmlpage_colour(lines[k].colour);
        json_t *ds = json_pack("{s:o, s:o, s:s, s:s, s:f, s:i, s:b, s:f}",
                               "label", htmlpage_string(lines[k].label), "data", pts,
                               "borderColor", colour, "backgroundColor", colour,
                               "borderWidth", 2.0, "pointRadius", 0, "fill", 0, "tension", 0.0);
        if (lines[k].dashed)
            json_object_set_new(ds, "borderDash", json_pack("[i,i]", 6, 4));
        json_array_append_new(datasets, ds);
    }
    json_t *options = json_pack(
        "{s:{s:b, s:s},"
        " s:{s:{s:s, s:i, s:f, s:o, s:o, s:{s:o, s:b}}, s:o},"
        " s:{s:{s:s}, s:{s:{s:o, s:o}}}}",
        "interaction", "intersect", 0, "mode", "nearest",
        "scales",
          "x", "type", "linear", "min", 0, "max", x_end > 0 ? x_end : 1.0,
               "afterBuildTicks", htmlpage_fn("nines_ticks"), "title",
               htmlpage_axis_title("percentile (%), nines scale: each step is ten times rarer"),
               "ticks", "callback", htmlpage_fn("nines"), "autoSkip", 0,
          "y", htmlpage_ns_axis("latency per call (log scale)"),
        "plugins",
          "legend", "position", "top",
          "tooltip", "callbacks", "title", htmlpage_fn("tooltip_nines_title"),
                     "label", htmlpage_fn("tooltip_ns"));
    return json_pack("{s:s, s:{s:o}, s:o}", "type", "line", "data", "datasets", datasets,
                     "options", options);
}
