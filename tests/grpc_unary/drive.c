/*
 * drive.c — test stand-in for one runner section: PLUGIN's client calls
 * ADDRESS N times as a dependent chain from START (each answer checked to be
 * value + 1), or, with WINDOW > 1, W chains in flight through submit /
 * complete with answers matched by tag. Prints "OK <last value>" or
 * "ERR <message>" and exits 0 or 1.
 * Usage: drive PLUGIN ADDRESS TIMEOUT_MS N START WINDOW [key=value...]
 */
#include "tool.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run_window(const struct incbench_transport *t, void *c, long n,
                      int64_t start, unsigned w)
{
    char err[256] = "";
    int64_t *next = calloc(w, sizeof *next);   /* value chain k sent last */
    unsigned char *busy = calloc(w, 1);
    if (next == NULL || busy == NULL)
        return 1;
    long sent = 0, done = 0;
    int rc = 1;
    for (unsigned k = 0; k < w && sent < n; k++, sent++) {
        next[k] = start + (int64_t)k * 1000000;
        busy[k] = 1;
        if (t->submit(c, k, next[k], err, sizeof err) != 0)
            goto fail;
    }
    while (done < n) {
        uint64_t tag = 0;
        int64_t r = 0;
        if (t->complete(c, &tag, &r, err, sizeof err) != 0)
            goto fail;
        if (tag >= w || !busy[tag]) {
            snprintf(err, sizeof err, "answer with unknown or duplicate tag %" PRIu64, tag);
            goto fail;
        }
        if (r != next[tag] + 1) {
            snprintf(err, sizeof err, "tag %" PRIu64 ": %" PRId64 " answered %" PRId64,
                     tag, next[tag], r);
            goto fail;
        }
        busy[tag] = 0;
        done++;
        if (sent < n) {
            next[tag] = r;
            busy[tag] = 1;
            sent++;
            if (t->submit(c, tag, r, err, sizeof err) != 0)
                goto fail;
        }
    }
    printf("OK %" PRId64 "\n", next[0] + 1);
    rc = 0;
    goto out;
fail:
    printf("ERR after %ld answers: %s\n", done, err);
out:
    free(next);
    free(busy);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: drive PLUGIN ADDRESS TIMEOUT_MS N START WINDOW [key=value...]\n");
        return 2;
    }
    const struct incbench_transport *t = tool_load(argv[1]);
    unsigned timeout = (unsigned)strtoul(argv[3], NULL, 10);
    long n = strtol(argv[4], NULL, 10);
    int64_t v = strtoll(argv[5], NULL, 10);
    unsigned w = (unsigned)strtoul(argv[6], NULL, 10);
    struct tool_params tp;
    if (t == NULL || w == 0 || tool_params(&tp, argv[2], timeout, argv + 7, argc - 7) != 0)
        return 2;
    tp.p.max_inflight = w;
    void *c = NULL;
    char err[256] = "";
    int rc = 1;
    if (t->init(&c, &tp.p, err, sizeof err) != 0) {
        printf("ERR init: %s\n", err);
        goto out;
    }
    if (w > 1) {
        if (t->submit == NULL) {
            printf("ERR %s has no submit/complete\n", argv[1]);
            goto out;
        }
        rc = run_window(t, c, n, v, w);
        goto out;
    }
    for (long i = 0; i < n; i++) {
        int64_t r = 0;
        if (t->increment(c, v, &r, err, sizeof err) != 0) {
            printf("ERR call %ld: %s\n", i, err);
            goto out;
        }
        if (r != v + 1) {
            printf("ERR call %ld: %" PRId64 " answered %" PRId64 "\n", i, v, r);
            goto out;
        }
        v = r;
    }
    printf("OK %" PRId64 "\n", v);
    rc = 0;
out:
    fflush(stdout);
    t->shutdown(c);
    return rc;
}
