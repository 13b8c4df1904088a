/*
 * run.c — one section from start to end: load its plugin, bring its server
 * up, then for each repeat a fresh client on pinned CPUs: init, the cold
 * first call, warm-up, counters, the measured loop, counters, shutdown.
 * Open, repeat and close are separate steps so that main.c can interleave
 * the repeats of several sections. Failures become result->reason.
 */
#include "run.h"

#include "loop.h"
#include "params.h"
#include "plugin.h"
#include "progress.h"
#include "server.h"
#include "watch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int result_init(struct result *r, const struct config_section *sec)
{
    memset(r, 0, sizeof *r);
    r->sec = sec;
    r->total_ns = calloc(sec->repeat, sizeof *r->total_ns);
    r->init_ns = calloc(sec->repeat, sizeof *r->init_ns);
    r->first_ns = calloc(sec->repeat, sizeof *r->first_ns);
    r->mean_ns = calloc(sec->repeat, sizeof *r->mean_ns);
    r->client_use = calloc(sec->repeat, sizeof *r->client_use);
    r->server_use = calloc(sec->repeat, sizeof *r->server_use);
    r->tls_full_rep = calloc(sec->repeat, sizeof *r->tls_full_rep);
    r->tls_resumed_rep = calloc(sec->repeat, sizeof *r->tls_resumed_rep);
    /* r->hist (58 KiB) comes with run_open: 10,000 sections must not take
     * it all before the first one runs. */
    if (!r->total_ns || !r->init_ns || !r->first_ns || !r->mean_ns || !r->client_use ||
        !r->server_use || !r->tls_full_rep || !r->tls_resumed_rep) {
        result_free(r);
        return -1;
    }
    return 0;
}

void result_free(struct result *r)
{
    free(r->total_ns);
    free(r->init_ns);
    free(r->first_ns);
    free(r->mean_ns);
    free(r->client_use);
    free(r->server_use);
    free(r->tls_full_rep);
    free(r->tls_resumed_rep);
    free(r->hist);
    r->tls_full_rep = r->tls_resumed_rep = NULL;
    r->total_ns = r->init_ns = r->first_ns = NULL;
    r->mean_ns = NULL;
    r->client_use = r->server_use = NULL;
    r->hist = NULL;
}

/* How far apart a pipelined section's chains start: more than the calls one
 * chain makes in warm-up and measured loop together (each loop may give it
 * one call of the remainder: hence + 2), so no two calls send one value. */
static uint64_t chain_spacing(const struct config_section *sec)
{
    return (sec->warmup + sec->requests) / sec->window + 2;
}

/* The highest answer of a repeat, above start (every repeat starts from
 * start again), worked out as one_repeat and the loops make their values. */
static uint64_t highest_answer(const struct config_section *sec)
{
    const uint64_t w = sec->warmup, r = sec->requests, n = sec->window;
    if (n <= 1)
        return 1 + w + r;               /* the cold call, warm-up, measured calls */
    /* After the cold call (start -> start + 1), chain k counts up from
     * start + 1 + k * spacing, one per call. A chain makes at most 2 calls
     * more than the next and the spacing is at least 2, so none ends above
     * the last chain, whose share is w / n + r / n (no remainder; at least
     * 1, as config.c keeps window <= requests). (n - 1) * spacing is at
     * most w + r + 2n: no overflow. */
    return 1 + (n - 1) * chain_spacing(sec) + w / n + r / n;
}

/* No answer may pass INT64_MAX: checked here once, so the loops need no
 * per-call overflow test. */
static int room_for(const struct config_section *sec, char *err, size_t errlen)
{
    /* Modular arithmetic gives INT64_MAX - start exactly, negative starts too. */
    const uint64_t room = (uint64_t)INT64_MAX - (uint64_t)sec->start;
    const uint64_t climb = highest_answer(sec);
    if (climb > room) {
        snprintf(err, errlen, "start = %lld is %llu below INT64_MAX, and this section's "
                 "values climb %llu above it; lower start or requests", (long long)sec->start,
                 (unsigned long long)room, (unsigned long long)climb);
        return -1;
    }
    return 0;
}

/* The counters read around a repeat's measured calls. */
struct counters {
    struct usage client, server, watchdog;
};

/* The server's counters (when it is a process of ours apart from this
 * one) are read before the client's on the way in and after them on the
 * way out, so that reading one side's is never counted on the other. */
static void counters_in(struct counters *c, const struct server *srv, struct usage_tasks *tasks)
{
    if (srv->mode == SERVER_SPAWN)
        usage_process(&c->server, srv->pid, "/proc", tasks);
    usage_self_enter(&c->client, "/proc");
    usage_thread(&c->watchdog, watch_tid(), "/proc");
}

static void counters_out(struct counters *c, const struct server *srv,
                         struct usage_tasks *tasks)
{
    usage_thread(&c->watchdog, watch_tid(), "/proc");
    usage_self_leave(&c->client, "/proc");
    if (srv->mode == SERVER_SPAWN)
        usage_process(&c->server, srv->pid, "/proc", tasks);
}

/* Repeat k's TLS handshakes. A plugin older than minor 3 has no such
 * members: whatever lies there is not its to say, so it is never read. */
static void record_handshakes(const struct plugin *p, const struct incbench_stats *st,
                              struct result *r, unsigned k)
{
    if (p->minor < 3)
        return;
    r->tls_full_rep[k] = st->tls_full_handshakes;
    r->tls_resumed_rep[k] = st->tls_resumed_handshakes;
    r->stats_repeats = k + 1;
    if (st->tls_full_handshakes > 0 || st->tls_resumed_handshakes > 0)
        r->has_tls = true;
}

/* One repeat with a fresh client. */
static int one_repeat(const struct plugin *p, const struct config_section *sec,
                      const struct server *srv, struct loop_chain *chains,
                      struct histogram *rep, struct usage_tasks tasks[2], struct result *r,
                      unsigned k, char *err, size_t errlen)
{
    const char *address = srv->mode == SERVER_DEFAULT ? NULL : srv->address;
    struct counters before, after;
    struct usage wd;
    const struct incbench_transport *t = p->t;
    const struct incbench_params params = params_of_section(sec, address);
    void *client = NULL;
    bool ready = false;         /* init succeeded: only then may stats run */
    int rc = -1;
    uint64_t call_no = 0, elapsed = 0;
    err[0] = '\0';

    uint64_t t0 = loop_now();
    if (t->init(&client, &params, err, errlen) != 0) {
        char why[600];
        plugin_seal(err, errlen);
        snprintf(why, sizeof why, "%s", err[0] ? err : "the plugin gave no reason");
        snprintf(err, errlen, "init failed: %s", why);
        goto out;
    }
    uint64_t t1 = loop_now();
    ready = true;
    int64_t v = sec->start;
    /* The cold call: connection set-up and handshakes land here. */
    if (loop_sequential(t, client, &v, 1, &call_no, NULL, &elapsed, err, errlen) != 0)
        goto out;
    r->init_ns[k] = t1 - t0;
    r->first_ns[k] = loop_now() - t1;

    histogram_reset(rep);
    progress_loop(false, sec->warmup);
    if (sec->window <= 1) {
        if (loop_sequential(t, client, &v, sec->warmup, &call_no, NULL, &elapsed, err, errlen))
            goto out;
    } else {
        const uint64_t per = chain_spacing(sec);
        for (uint64_t c = 0; c < sec->window; c++) {
            chains[c].v = v + (int64_t)(c * per);
            chains[c].tag = 0;
        }
        if (sec->warmup > 0 &&
            loop_pipelined(t, client, chains, sec->window, sec->warmup, &call_no, NULL,
                           &elapsed, err, errlen) != 0)
            goto out;
    }
    progress_loop(true, sec->requests);
    counters_in(&before, srv, &tasks[0]);
    int failed = sec->window <= 1
        ? loop_sequential(t, client, &v, sec->requests, &call_no, rep, &elapsed, err, errlen)
        : loop_pipelined(t, client, chains, sec->window, sec->requests, &call_no, rep,
                         &elapsed, err, errlen);
    if (failed != 0)
        goto out;
    counters_out(&after, srv, &tasks[1]);
    r->total_ns[k] = elapsed;
    r->mean_ns[k] = histogram_mean(rep);
    usage_diff(&after.client, &before.client, &r->client_use[k]);
    /* The runner's watchdog wakes a few times a second: not the client's. */
    usage_diff(&after.watchdog, &before.watchdog, &wd);
    usage_exclude(&r->client_use[k], &wd);
    if (srv->mode == SERVER_SPAWN) {
        usage_diff(&after.server, &before.server, &r->server_use[k]);
        usage_diff_tasks(&r->server_use[k], &tasks[1], &tasks[0]);
    }
    histogram_merge(r->hist, rep);
    rc = 0;
out:
    if (ready && p->stats != NULL) {
        struct incbench_stats st;
        memset(&st, 0, sizeof st);
        p->stats(client, &st);
        r->has_connections = true;
        r->connections += st.connections;
        record_handshakes(p, &st, r, k);
    }
    t->shutdown(client);
    return rc;
}

int run_precheck(const struct config_section *sec, const struct plugin *p, const char **key,
                 char *err, size_t errlen)
{
    const char *dummy;
    if (key == NULL)
        key = &dummy;
    if (sec->window > 1) {
        if (!plugin_has_pipelining(p)) {
            *key = "window";
            snprintf(err, errlen, "window = %llu needs a plugin with submit/complete, and "
                     "'%s' has none (use window = 1)", (unsigned long long)sec->window,
                     p->t->name);
            return -1;
        }
    }
    if ((sec->server == SERVER_SPAWN || sec->server == SERVER_THREAD) && !plugin_has_server(p)) {
        *key = "server";
        snprintf(err, errlen, "server = %s, but plugin '%s' has no server ops",
                 config_server_name(sec->server), p->t->name);
        return -1;
    }
    *key = "start";
    return room_for(sec, err, errlen);
}

int run_check_options(const struct config_section *sec, const struct plugin *p, char *err,
                      size_t errlen)
{
    const struct incbench_transport *t = p->t;
    /* A server binds where the section says, or where it picks; an
     * in-process plugin calls no one. */
    const struct incbench_params params =
        params_of_section(sec, plugin_has_server(p) ? plugin_listen(p, sec->listen) : NULL);
    void *handle = NULL;
    char perr[512] = "", bound[256];
    PLUGIN_ERRBUF_ASSERT(perr);
    PLUGIN_BOUNDBUF_ASSERT(bound);
    int rc;
    /* A server parses every key of the section; a client of it then takes
     * them too, as only init can refuse what only a client does (a window
     * wider than it can keep in flight). An in-process plugin's init does
     * both. */
    if (plugin_has_server(p)) {
        rc = t->server_start(&handle, &params, bound, sizeof bound, perr, sizeof perr);
        plugin_seal(bound, sizeof bound);
        if (rc == 0) {
            const struct incbench_params cp = params_of_section(sec, bound);
            void *client = NULL;
            rc = t->init(&client, &cp, perr, sizeof perr);
            t->shutdown(client);
        }
        t->server_stop(handle);
    } else {
        rc = t->init(&handle, &params, perr, sizeof perr);
        t->shutdown(handle);
    }
    plugin_seal(perr, sizeof perr);
    if (rc != 0)
        snprintf(err, errlen, "%s", perr[0] ? perr : "the plugin refused its options");
    return rc == 0 ? 0 : -1;
}

/* Fail the section; a plugin that refused one of its keys is told where. */
static void fail_blamed(struct section_run *sr, struct result *r, const char *msg)
{
    char where[600];
    config_blame(sr->cfg, sr->sec, msg, where, sizeof where);
    r->failed = true;
    snprintf(r->reason, sizeof r->reason, "%s%s", where, msg);
}

int run_open(const struct config *cfg, const struct config_section *sec,
             const struct run_context *ctx, struct section_run *sr, struct result *r)
{
    char err[1024];
    memset(sr, 0, sizeof *sr);
    sr->cfg = cfg;
    sr->sec = sec;
    struct plugin_search search = { .cli_dir = ctx->plugin_dir, .config_dir = ctx->config_plugin_dir };
    if (plugin_open(&sr->p, sec->plugin, cfg->dir, &search, err, sizeof err) != 0) {
        fail_blamed(sr, r, err);
        return -1;
    }
    sr->plugin_opened = true;
    snprintf(r->plugin_name, sizeof r->plugin_name, "%s", sr->p.t->name);
    snprintf(r->plugin_path, sizeof r->plugin_path, "%s", sr->p.path);
    snprintf(r->client_place, sizeof r->client_place, "%s",
             sec->client_cpu ? sec->client_cpu : "any");
    snprintf(r->server_place, sizeof r->server_place, "%s",
             sec->server_cpu ? sec->server_cpu : "any");

    if (run_precheck(sec, &sr->p, NULL, err, sizeof err) != 0) {
        fail_blamed(sr, r, err);
        return -1;
    }
    r->hist = malloc(sizeof *r->hist);
    if (r->hist != NULL)
        histogram_reset(r->hist);
    sr->rep = malloc(sizeof *sr->rep);
    sr->chains = calloc(sec->window, sizeof *sr->chains);
    sr->tasks = malloc(2 * sizeof *sr->tasks);
    if (r->hist == NULL || sr->rep == NULL || sr->chains == NULL || sr->tasks == NULL) {
        fail_blamed(sr, r, "out of memory");
        return -1;
    }
    /* A thread server's start is a plugin call; a spawned one's READY wait
     * has its own bound, which the watchdog's must not undercut. */
    /* Known before the server starts, so that a start the watchdog ends
     * is still reported in its mode. */
    r->mode = server_mode(sec, &sr->p);
    watch_arm(r, sec->ready_timeout_ms + watch_bound_ms(sec->timeout_ms));
    int up = server_up(&sr->srv, sec, &sr->p, &ctx->server_argv, err, sizeof err);
    watch_disarm();
    if (up != 0) {
        r->mode = sr->srv.mode;
        fail_blamed(sr, r, err);
        return -1;
    }
    sr->server_started = true;
    r->mode = sr->srv.mode;
    snprintf(r->address, sizeof r->address, "%s", sr->srv.address);
    return 0;
}

int run_repeat(struct section_run *sr, struct result *r, unsigned k)
{
    const struct config_section *sec = sr->sec;
    char err[1024];    /* one_repeat hands it to every client call */
    PLUGIN_ERRBUF_ASSERT(err);
    cpu_set_t saved;
    bool pinned = false;
    if (sec->client_cpu != NULL) {
        if (sched_getaffinity(0, sizeof saved, &saved) != 0 ||
            sched_setaffinity(0, sizeof sec->client_set, &sec->client_set) != 0) {
            snprintf(err, sizeof err, "cannot pin the client to CPUs %s: %s", sec->client_cpu,
                     strerror(errno));
            fail_blamed(sr, r, err);
            return -1;
        }
        pinned = true;
    }
    progress_repeat(sec->name, k, sec->repeat);
    watch_arm(r, watch_bound_ms(sec->timeout_ms));
    int rc = one_repeat(&sr->p, sec, &sr->srv, sr->chains, sr->rep, sr->tasks, r, k, err,
                        sizeof err);
    watch_disarm();
    progress_repeat_done();
    if (pinned)
        sched_setaffinity(0, sizeof saved, &saved);
    int sig = atomic_load(&watch_stop);
    if (rc != 0 && sig != 0) {
        /* Stopped by a signal: not the plugin's failure. */
        char msg[1024];
        snprintf(msg, sizeof msg, "interrupted by %s during repeat %u", sig_name(sig), k + 1);
        r->failed = r->interrupted = true;
        snprintf(r->reason, sizeof r->reason, "%s", msg);
        return -1;
    }
    if (rc != 0) {
        char gone[256], msg[1024];
        if (server_gone(&sr->srv, gone, sizeof gone))
            snprintf(msg, sizeof msg, "repeat %u: %s; %s", k + 1, err, gone);
        else
            snprintf(msg, sizeof msg, "repeat %u: %s", k + 1, err);
        fail_blamed(sr, r, msg);
        return -1;
    }
    r->repeats_done++;
    return 0;
}

void run_close(struct section_run *sr, struct result *r)
{
    if (sr->server_started) {
        /* server_down's own bound: a grace period, then SIGKILL. */
        watch_arm(r, 5000 + watch_bound_ms(sr->sec->timeout_ms));
        server_down(&sr->srv, r->note, sizeof r->note);
        watch_disarm();
    }
    sr->server_started = false;
    free(sr->chains);
    free(sr->rep);
    free(sr->tasks);
    sr->chains = NULL;
    sr->rep = NULL;
    sr->tasks = NULL;
    if (sr->plugin_opened)
        plugin_close(&sr->p);
    sr->plugin_opened = false;
}

void run_section(const struct config *cfg, const struct config_section *sec,
                 const struct run_context *ctx, struct result *r)
{
    struct section_run sr;
    if (run_open(cfg, sec, ctx, &sr, r) == 0)
        for (unsigned k = 0; k < sec->repeat && atomic_load(&watch_stop) == 0; k++)
            if (run_repeat(&sr, r, k) != 0)
                break;
    run_close(&sr, r);
}
