/*
 * result.h — what one section's run produced: filled by run.c, read by
 * report.c. Plain data; the only logic here is freeing it.
 */
#ifndef INCBENCH_RESULT_H
#define INCBENCH_RESULT_H

#include "config.h"
#include "histogram.h"
#include "usage.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

struct result {
    const struct config_section *sec;
    char plugin_name[64];
    char plugin_path[PATH_MAX];
    bool failed;
    bool interrupted;             /* failed because a stop signal came during it */
    bool not_run;                 /* failed because the run ended before it began */
    char reason[1024];            /* why it failed, one sentence */
    char note[768];               /* something odd but not fatal */
    enum config_server mode;      /* resolved: SERVER_DEFAULT = in-process */
    char address[256];
    char client_place[64], server_place[64];
    unsigned repeats_done;
    uint64_t *total_ns;           /* [repeat] wall time of the measured calls */
    uint64_t *init_ns;            /* [repeat] init() */
    uint64_t *first_ns;           /* [repeat] the cold first call */
    double *mean_ns;              /* [repeat] mean per call of that repeat */
    struct histogram *hist;       /* all repeats merged */
    /* Counters over each repeat's measured calls (usage.c). With a server
     * in this process (thread) the client's figures include the server's
     * and there are none for the server; with no server process of ours
     * (in-process, external) there are none either. */
    struct usage *client_use;     /* [repeat] */
    struct usage *server_use;     /* [repeat], for a spawned server */
    /* Other sections whose servers ran inside this process (server =
     * thread) while this one was measured: their idle threads are in its
     * process-wide counters. Names are the config's; past the first
     * RESULT_SHARED only the count is kept. */
#define RESULT_SHARED 8
    const char *shared_with[RESULT_SHARED];
    size_t n_shared;
    bool has_connections;
    uint64_t connections;         /* summed over repeats */
    /* TLS handshakes (ABI minor 3), read only from a plugin of minor >= 3.
     * has_tls only when some repeat counted one: a plaintext run, or a
     * plugin too old to count, shows no handshake figures at all. The
     * arrays hold stats_repeats repeats, in order: every repeat whose stats
     * were read, as connections counts them (a failed repeat's too); their
     * sums are report_tls_sums'. */
    bool has_tls;
    uint64_t *tls_full_rep, *tls_resumed_rep; /* [repeat] */
    unsigned stats_repeats;
};

int result_init(struct result *r, const struct config_section *sec);
void result_free(struct result *r);

#endif
