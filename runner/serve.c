/*
 * serve.c — `runner --serve SECTION FILE`, the program a spawned server
 * runs: the same config and plugin as the runner that spawned it, the
 * plugin's server started, "READY <endpoint>" on stdout, then nothing but a
 * wait for the stop signal. It dies with the runner that spawned it.
 */
#include "serve.h"

#include "config.h"
#include "params.h"
#include "plugin.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int serve_main(const char *section, const struct server_argv *a)
{
    struct config cfg;
    struct plugin p;
    char err[1024];
    void *handle = NULL;
    int code = 1;

    const char *parent = getenv(SERVER_SPAWNED_ENV);
    if (parent != NULL) {
        /* Spawned by a runner: die with it rather than linger. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != (pid_t)atol(parent))
            return 1;
    }
    /* Block the stop signals before any thread exists, so that every
     * thread the plugin starts inherits the mask and only sigwait sees them. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (config_load(&cfg, a->config_path, a->defs, a->n_defs, err, sizeof err) != 0) {
        fprintf(stderr, "runner --serve: %s\n", err);
        return 1;
    }
    const struct config_section *sec = config_find(&cfg, section);
    if (sec == NULL || strcmp(section, "runner") == 0) {
        const struct config_section *run = NULL;
        for (size_t i = 0; i < cfg.n_sections && run == NULL; i++)
            if (cfg.sections[i].n_sweep > 0 && strcmp(cfg.sections[i].base, section) == 0)
                run = &cfg.sections[i];
        if (run != NULL)
            fprintf(stderr, "runner --serve: [%s] of %s is swept: name one of its runs, "
                    "e.g. '%s'\n", section, a->config_path, run->name);
        else
            fprintf(stderr, "runner --serve: %s has no section [%s] to serve\n",
                    a->config_path, section);
        goto out_cfg;
    }
    struct plugin_search search = { .cli_dir = a->plugin_dir, .config_dir = cfg.plugin_dir };
    if (plugin_open(&p, sec->plugin, cfg.dir, &search, err, sizeof err) != 0) {
        fprintf(stderr, "runner --serve: [%s] %s\n", section, err);
        goto out_cfg;
    }
    if (!plugin_has_server(&p)) {
        fprintf(stderr, "runner --serve: [%s] plugin '%s' has no server ops\n", section,
                p.t->name);
        goto out_plugin;
    }
    if (sec->server_cpu != NULL &&
        sched_setaffinity(0, sizeof sec->server_set, &sec->server_set) != 0) {
        fprintf(stderr, "runner --serve: [%s] cannot pin to CPUs %s: %s\n", section,
                sec->server_cpu, strerror(errno));
        goto out_plugin;
    }
    const struct incbench_params params = params_of_section(sec, plugin_listen(&p, sec->listen));
    char bound[256] = "";
    PLUGIN_ERRBUF_ASSERT(err);
    PLUGIN_BOUNDBUF_ASSERT(bound);
    err[0] = '\0';
    int started = p.t->server_start(&handle, &params, bound, sizeof bound, err, sizeof err);
    plugin_seal(err, sizeof err);
    plugin_seal(bound, sizeof bound);
    if (started != 0) {
        fprintf(stderr, "runner --serve: [%s] %s\n", section,
                err[0] ? err : "server_start failed and gave no reason");
        p.t->server_stop(handle);
        goto out_plugin;
    }
    printf("READY %s\n", bound);
    fflush(stdout);
    int sig = 0;
    while (sigwait(&stop, &sig) != 0)
        ;
    p.t->server_stop(handle);
    code = 0;
out_plugin:
    plugin_close(&p);
out_cfg:
    config_free(&cfg);
    return code;
}
