/*
 * comparefix.c — see comparefix.h.
 */
#include "comparefix.h"
#include "testutil.h"

#include <check.h>
#include <stdlib.h>

json_t *cf_report(void)
{
    json_t *r = json_pack("{s:s, s:i, s:{s:s, s:s}, s:[]}", "incbench", "0.1.0",
                          "schema_version", 1, "machine", "hostname", "testhost",
                          "cpu_model", "Test CPU", "sections");
    ck_assert_ptr_nonnull(r);
    return r;
}

json_t *cf_section(const char *name, const double *repeat_means, size_t n)
{
    json_t *means = json_array();
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        json_array_append_new(means, json_real(repeat_means[i]));
        sum += repeat_means[i];
    }
    double mean = n ? sum / (double)n : 0;
    json_t *s = json_pack("{s:s, s:s, s:s, s:b, s:i, s:i, s:{s:f, s:I, s:I}, s:o, s:[[I,I,I]]}",
                          "name", name, "plugin", "direct", "status", "ok", "pipelined", 0,
                          "repeat", (int)n, "repeats_done", (int)n,
                          "results", "mean_ns", mean, "p50_ns", (json_int_t)(mean * 0.9),
                          "p99_ns", (json_int_t)(mean * 3),
                          "mean_per_repeat_ns", means,
                          "histogram", (json_int_t)(mean * 0.9), (json_int_t)(mean * 3),
                          (json_int_t)(n * 1000));
    ck_assert_ptr_nonnull(s);
    return s;
}

json_t *cf_failed(const char *name, const char *status)
{
    json_t *s = json_pack("{s:s, s:s, s:s, s:b, s:s}", "name", name, "plugin", "direct",
                          "status", status, "pipelined", 0, "reason", "it broke");
    ck_assert_ptr_nonnull(s);
    return s;
}

json_t *cf_swept(json_t *section, const char *base, const char *key, const char *value)
{
    ck_assert_int_eq(json_object_set_new(section, "base", json_string(base)), 0);
    ck_assert_int_eq(json_object_set_new(section, "sweep", json_pack("{s:s}", key, value)), 0);
    return section;
}

json_t *cf_add(json_t *report, json_t *section)
{
    ck_assert_int_eq(json_array_append_new(json_object_get(report, "sections"), section), 0);
    return report;
}

char *cf_text(json_t *report)
{
    char *t = json_dumps(report, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    ck_assert_ptr_nonnull(t);
    json_decref(report);
    return t;
}

char *cf_write(const char *dir, const char *name, json_t *report)
{
    char *t = cf_text(report);
    char *path = tu_write(dir, name, t);
    free(t);
    return path;
}
