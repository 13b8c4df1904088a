/*
 * compare_read.h — one incbench JSON report read back into plain structs,
 * for --compare: per section what a comparison needs (status, mean, p50,
 * p99, the per-repeat means, the histogram). Refuses, in one sentence that
 * names the file, anything it would misread: not JSON, cut short, JSON but
 * not a report, another schema_version, a section missing a member.
 */
#ifndef INCBENCH_COMPARE_READ_H
#define INCBENCH_COMPARE_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A report file larger than this is refused unread (a real one is tens of
 * kilobytes): a wrong path such as /dev/zero must not eat the memory. */
#define COMPARE_MAX_BYTES ((size_t)64 << 20)

/* One histogram bucket: every latency in [low, high] ns, `count` calls. */
struct compare_bucket {
    uint64_t low, high, count;
};

struct compare_section {
    char *name;                   /* control characters shown as '?' */
    char *status;                 /* "ok", "failed", "interrupted", "not_run", ... */
    bool ok;                      /* status "ok": the figures below are there */
    bool pipelined;
    double mean_ns, p50_ns, p99_ns;
    double *repeat_means;         /* mean per call of each repeat, ns */
    size_t n_repeats;
    struct compare_bucket *buckets;
    size_t n_buckets;
};

struct compare_file {
    char *path;
    char *version;                /* the incbench that wrote it */
    char *host, *cpu;             /* machine.hostname, machine.cpu_model ("" if absent) */
    struct compare_section *sections;
    size_t n_sections;
};

/* Read and check the report at path. 0, or -1 with one line naming the
 * file in err (f is then empty); either way compare_file_free(f) is safe. */
int compare_file_read(struct compare_file *f, const char *path, char *err, size_t errlen);

/* The same from `len` bytes in memory; `path` only names them in err. */
int compare_file_parse(struct compare_file *f, const char *path, const char *bytes, size_t len,
                       char *err, size_t errlen);

void compare_file_free(struct compare_file *f);

/* The section of f named `name`, or NULL. */
const struct compare_section *compare_file_section(const struct compare_file *f,
                                                   const char *name);

#endif
