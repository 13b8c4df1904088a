/*
 * fuzz_compare_json.c — libFuzzer harness for the reader of incbench JSON
 * reports (runner/compare_read.c, through jansson) and what --compare does
 * with what it read: the input is one report, set against itself and, cut
 * in half, against a fixed good one, in all three faces. Besides "no crash" and
 * no leak: a refusal is one line naming the file, and what is accepted
 * holds what the reader promises (no control bytes in names, times >= 0).
 */
#include "compare.h"
#include "compare_read.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME "fuzz.json"

static const char good[] =
    "{\"incbench\": \"0.1.0\", \"schema_version\": 1, \"sections\": ["
    "{\"name\": \"direct\", \"status\": \"ok\", \"pipelined\": false,"
    " \"results\": {\"mean_ns\": 25.5, \"p50_ns\": 25, \"p99_ns\": 40},"
    " \"mean_per_repeat_ns\": [25.1, 25.9, 26.2, 24.8],"
    " \"histogram\": [[24, 24, 100], [25, 25, 300], [40, 41, 5]]},"
    "{\"name\": \"tcp\", \"status\": \"failed\", \"pipelined\": false}]}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void accepted(const struct compare_file *f)
{
    for (size_t i = 0; i < f->n_sections; i++) {
        const struct compare_section *s = &f->sections[i];
        for (const char *c = s->name; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                abort();
        if (s->ok && (s->mean_ns < 0 || s->p50_ns < 0 || s->p99_ns < 0))
            abort();
        for (size_t k = 0; k < s->n_repeats; k++)
            if (!(s->repeat_means[k] >= 0))
                abort();
        for (size_t k = 0; k < s->n_buckets; k++)
            if (s->buckets[k].low > s->buckets[k].high)
                abort();
    }
}

extern const size_t htmlpage_chartjs_len;   /* runner/chartjs.c */

static void compare_both_ways(const struct compare_file *a, const struct compare_file *b)
{
    FILE *null = fopen("/dev/null", "w");
    if (null == NULL)
        return;
    char err[512];
    struct compare_file pair[2] = { *a, *b };
    if (compare_write(pair, 2, COMPARE_TABLE, null, err, sizeof err) != 0 ||
        compare_write(pair, 2, COMPARE_MARKDOWN, null, err, sizeof err) != 0)
        abort();
    /* The page too (names reach it escaped); it can only be refused by a
     * build whose runner/chartjs.c is empty (no Chart.js found). */
    if (compare_write(pair, 2, COMPARE_HTML, null, err, sizeof err) != 0 &&
        htmlpage_chartjs_len > 0)
        abort();
    fclose(null);
}

static int read_one(struct compare_file *f, const char *bytes, size_t n)
{
    char err[1024] = "";
    if (compare_file_parse(f, NAME, bytes, n, err, sizeof err) == 0) {
        accepted(f);
        return 0;
    }
    if (strncmp(err, NAME ": ", strlen(NAME) + 2) != 0 || strchr(err, '\n') != NULL ||
        f->n_sections != 0)
        abort();
    return -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct compare_file f, half, ref;
    char err[256];
    if (compare_file_parse(&ref, "good.json", good, sizeof good - 1, err, sizeof err) != 0)
        abort();
    if (read_one(&f, (const char *)data, size) == 0) {
        compare_both_ways(&f, &f);
        compare_both_ways(&ref, &f);
        compare_both_ways(&f, &ref);
    }
    if (read_one(&half, (const char *)data, size / 2) == 0)
        compare_both_ways(&ref, &half);
    compare_file_free(&f);
    compare_file_free(&half);
    compare_file_free(&ref);
    return 0;
}
