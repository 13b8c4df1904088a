/*
 * server.h — where a section's server lives: a separate process started
 * with posix_spawn (spawn), the plugin's server inside this process
 * (thread), or someone else's (external). The spawned process's own side
 * is serve.c.
 */
#ifndef INCBENCH_SERVER_H
#define INCBENCH_SERVER_H

#include "config.h"
#include "plugin.h"

#include <stdbool.h>
#include <sys/types.h>

struct server {
    enum config_server mode;      /* SERVER_DEFAULT here means "no server" */
    char address[256];            /* what the client is given */
    pid_t pid;                    /* spawn */
    int out_fd, err_fd;           /* spawn: READY pipe, captured stderr */
    bool reaped;
    int wstatus;
    void *handle;                 /* thread */
    const struct incbench_transport *t;
};

/* What a spawned server needs to rebuild the same section from the same
 * file: the config path and every -D and --plugin-dir of this run. */
/* The environment variable a spawned server finds its runner's pid in. */
#define SERVER_SPAWNED_ENV "INCBENCH_SPAWNED_BY"

struct server_argv {
    const char *config_path;
    char *const *defs;
    size_t n_defs;
    const char *plugin_dir;
    /* This program's own file: /proc/self/exe, except under a tool such
     * as valgrind, where that names the tool (see main.c). */
    const char *self_exe;
};

/* The mode sec's server runs in: its `server` key, and spawn by default for
 * plugins with server ops. */
enum config_server server_mode(const struct config_section *sec, const struct plugin *p);

/* Resolve the mode (server_mode) and bring the server up; on success
 * s->address is where the client calls. */
int server_up(struct server *s, const struct config_section *sec, const struct plugin *p,
              const struct server_argv *argv, char *err, size_t errlen);

/* Stop it: SIGTERM, a bounded wait, SIGKILL (spawn); server_stop (thread).
 * A note about an unclean end goes into note (may be empty). */
void server_down(struct server *s, char *note, size_t notelen);

/* When a spawned server has gone away, one sentence saying how; else 0. */
int server_gone(struct server *s, char *why, size_t whylen);

#endif
