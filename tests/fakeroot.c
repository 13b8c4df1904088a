/*
 * fakeroot.c — see fakeroot.h. Plain POSIX file writing, nothing clever:
 * what a fake tree holds must be obvious from the test that builds it.
 */
#include "fakeroot.h"
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fr_mkdirs(const char *root, const char *rel)
{
    char *path = tu_fmt("%s/%s", root, rel);
    for (char *p = path + strlen(root) + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        const char keep = *p;
        *p = '\0';
        ck_assert_msg(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s: %s", path,
                      strerror(errno));
        *p = keep;
        if (keep == '\0')
            break;
    }
    free(path);
}

void fr_put_bytes(const char *root, const char *rel, const void *data, size_t len)
{
    const char *slash = strrchr(rel, '/');
    if (slash != NULL) {
        char *dir = tu_fmt("%.*s", (int)(slash - rel), rel);
        fr_mkdirs(root, dir);
        free(dir);
    }
    char *path = tu_fmt("%s/%s", root, rel);
    FILE *fp = fopen(path, "w");
    ck_assert_msg(fp != NULL, "cannot write %s: %s", path, strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
    free(path);
}

void fr_put(const char *root, const char *rel, const char *text)
{
    fr_put_bytes(root, rel, text, strlen(text));
}

void fr_machine(const char *root, unsigned ncpus)
{
    ck_assert_uint_gt(ncpus, 0);
    char *list = ncpus == 1 ? tu_fmt("0") : tu_fmt("0-%u", ncpus - 1);
    char *status = tu_fmt("Name:\trunner\nState:\tR (running)\nTracerPid:\t0\n"
                          "Cpus_allowed:\tff\nCpus_allowed_list:\t%s\n", list);
    char *online = tu_fmt("%s\n", list);
    fr_put(root, "proc/loadavg", "0.10 0.12 0.09 1/123 4567\n");
    fr_put(root, "proc/self/status", status);
    fr_put(root, "proc/self/maps",
           "55d0c0000000-55d0c0001000 r-xp 00000000 fe:00 1234 /usr/bin/runner\n"
           "7f0000000000-7f0000020000 r-xp 00000000 fe:00 5678 /usr/lib/libc.so.6\n");
    fr_put(root, "sys/devices/system/cpu/online", online);
    fr_put(root, "sys/devices/system/clocksource/clocksource0/current_clocksource", "tsc\n");
    fr_mkdirs(root, "sys/devices/system/cpu/cpuidle");   /* not a CPU: must be skipped */
    for (unsigned i = 0; i < ncpus; i++) {
        char *gov = tu_fmt("sys/devices/system/cpu/cpu%u/cpufreq/scaling_governor", i);
        char *sib = tu_fmt("sys/devices/system/cpu/cpu%u/topology/thread_siblings_list", i);
        char *self = tu_fmt("%u\n", i);
        fr_put(root, gov, "performance\n");
        fr_put(root, sib, self);
        free(gov);
        free(sib);
        free(self);
    }
    free(list);
    free(status);
    free(online);
}
