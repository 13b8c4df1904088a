/*
 * direct_floor.c — the reference for the runner's own cost: calls a plugin's
 * increment N times in a dependent chain with no per-call timing at all, and
 * prints ns per call. bench/direct.sh compares it with the runner's figures.
 *     cc -O2 -I../include -o direct_floor direct_floor.c -ldl
 *     ./direct_floor ../plugins/direct/.libs/direct.so 100000000
 */
#define _GNU_SOURCE
#include <incbench/transport.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: direct_floor PLUGIN.so N\n");
        return 2;
    }
    void *h = dlopen(argv[1], RTLD_NOW);
    const struct incbench_transport *t = h ? dlsym(h, INCBENCH_TRANSPORT_SYMBOL) : NULL;
    if (t == NULL) {
        fprintf(stderr, "direct_floor: cannot load %s: %s\n", argv[1], dlerror());
        return 1;
    }
    unsigned long long n = strtoull(argv[2], NULL, 10);
    struct incbench_params p = { .abi_version = INCBENCH_ABI_VERSION, .section = "floor",
                                 .timeout_ms = 1000, .max_inflight = 1 };
    void *c = NULL;
    char err[256];
    if (t->init(&c, &p, err, sizeof err) != 0) {
        fprintf(stderr, "direct_floor: init: %s\n", err);
        return 1;
    }
    int64_t v = 0, r = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (unsigned long long i = 0; i < n; i++) {
        if (t->increment(c, v, &r, err, sizeof err) != 0 || r != v + 1) {
            fprintf(stderr, "direct_floor: wrong at %llu\n", i);
            return 1;
        }
        v = r;
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
    printf("direct_floor: %llu calls, %.2f ns per call, no per-call timing\n", n, ns / (double)n);
    t->shutdown(c);
    return 0;
}
