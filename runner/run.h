/*
 * run.h — running one section (see run.c).
 */
#ifndef INCBENCH_RUN_H
#define INCBENCH_RUN_H

#include "config.h"
#include "plugin.h"
#include "result.h"
#include "server.h"
#include "usage.h"

struct run_context {
    const char *plugin_dir;          /* --plugin-dir */
    const char *config_plugin_dir;   /* [runner] plugin_dir, resolved */
    struct server_argv server_argv;  /* how a spawned server rebuilds the section */
};

/* What can be known about sec and its plugin before anything runs: a
 * window the plugin cannot pipeline, a server mode it cannot serve, values
 * that would pass INT64_MAX. -1 with one sentence, and in *key (may be
 * NULL) the key whose line the sentence belongs to. */
int run_precheck(const struct config_section *sec, const struct plugin *p, const char **key,
                 char *err, size_t errlen);

/* Hand the section's keys to the plugin once (server_start where it would bind
 * and stop, or init and shutdown) so that --check finds a misspelt key. */
int run_check_options(const struct config_section *sec, const struct plugin *p, char *err,
                      size_t errlen);

/* A section between its repeats: what run_open sets up, run_repeat uses
 * and run_close frees. The server stays up from open to close. */
struct section_run {
    const struct config *cfg;
    const struct config_section *sec;
    struct plugin p;
    struct server srv;
    bool plugin_opened, server_started;
    struct loop_chain *chains;
    struct histogram *rep;
    struct usage_tasks *tasks;    /* [2]: a spawned server's threads before and after */
};

/* Load the plugin, precheck, bring the server up. -1 when the section
 * failed (r says why); run_close is due either way. */
int run_open(const struct config *cfg, const struct config_section *sec,
             const struct run_context *ctx, struct section_run *sr, struct result *r);

/* Repeat k (0-based) with a fresh client, the measuring thread pinned to
 * the section's client CPUs for its duration. -1 when it failed (r says
 * why); no later repeat of the section should run. */
int run_repeat(struct section_run *sr, struct result *r, unsigned k);

/* Stop the server, free what open took. */
void run_close(struct section_run *sr, struct result *r);

/* open, every repeat, close: one section on its own (order = sequential). */
void run_section(const struct config *cfg, const struct config_section *sec,
                 const struct run_context *ctx, struct result *r);

#endif
