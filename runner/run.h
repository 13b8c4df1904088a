/*
 * run.h — running one section (see run.c).
 */
#ifndef INCBENCH_RUN_H
#define INCBENCH_RUN_H

#include "config.h"
#include "plugin.h"
#include "result.h"
#include "server.h"

struct run_context {
    const char *plugin_dir;          /* --plugin-dir */
    const char *config_plugin_dir;   /* [runner] plugin_dir, resolved */
    struct server_argv server_argv;  /* how a spawned server rebuilds the section */
};

/* What can be known about sec and its plugin before anything runs: a
 * window the plugin cannot pipeline, a server mode it cannot serve, values
 * that would pass INT64_MAX. -1 with one sentence. */
int run_precheck(const struct config_section *sec, const struct plugin *p, char *err,
                 size_t errlen);

/* Hand the section's keys to the plugin once (server_start on 127.0.0.1:0
 * and stop, or init and shutdown) so that --check finds a misspelt key. */
int run_check_options(const struct config_section *sec, const struct plugin *p, char *err,
                      size_t errlen);

/* Fill r (already result_init'ed) by running sec. Never exits. */
void run_section(const struct config *cfg, const struct config_section *sec,
                 const struct run_context *ctx, struct result *r);

#endif
