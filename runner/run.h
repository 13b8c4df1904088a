/*
 * run.h — running one section (see run.c).
 */
#ifndef INCBENCH_RUN_H
#define INCBENCH_RUN_H

#include "config.h"
#include "result.h"
#include "server.h"

struct run_context {
    const char *plugin_dir;          /* --plugin-dir */
    const char *config_plugin_dir;   /* [runner] plugin_dir, resolved */
    struct server_argv server_argv;  /* how a spawned server rebuilds the section */
};

/* Fill r (already result_init'ed) by running sec. Never exits. */
void run_section(const struct config *cfg, const struct config_section *sec,
                 const struct run_context *ctx, struct result *r);

#endif
