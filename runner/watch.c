/*
 * watch.c — ending a run early without losing what it measured. Signals
 * only set a flag that the measured loops read between calls. Anything
 * that cannot return to the loop (a call stuck past its bound, exit()
 * from a plugin, a crash in a plugin call) goes through emergency(): mark
 * the section, write the report of everything finished, _exit(1). Spawned
 * servers die with us (they have PR_SET_PDEATHSIG). Writing a report after
 * a crash is a best effort: a plugin that corrupted the heap can still
 * take the runner down first (README says so).
 */
#include "watch.h"

#include "deadline.h"
#include "progress.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TICK_MS 50
#define COUNT(a) (sizeof (a) / sizeof (a)[0])

_Atomic uint64_t watch_calls;
_Atomic int watch_stop;

static struct report *g_rep;
static _Atomic(struct result *) g_current;
static _Atomic unsigned g_bound_ms;
static _Atomic uint64_t g_armed;      /* counts watch_arm calls */
static _Atomic bool g_running, g_quit, g_dying, g_hooked;
static pthread_t g_thread;
static bool g_thread_started;

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
static struct sigaction g_old_stop[COUNT(stop_signals)], g_old_crash[COUNT(crash_signals)];

const char *sig_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGABRT: return "SIGABRT";
    default: return "a signal";
    }
}

unsigned watch_bound_ms(unsigned timeout_ms)
{
    return 2 * timeout_ms + 1000;
}

/* The section that was running is failed with `why`; the report of all
 * that finished is written; the process ends with status 1. Once only. */
static void emergency(const char *fmt, ...)
{
    if (atomic_exchange(&g_dying, true))
        _exit(1);
    progress_abandon();
    struct result *r = atomic_load(&g_current);
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (r != NULL) {
        r->failed = true;
        snprintf(r->reason, sizeof r->reason, "%s", why);
    }
    watch_unfinished(g_rep, "the run ended early");
    if (r != NULL)
        fprintf(stderr, "runner: [%s] ending the run with what finished reported\n",
                r->sec->name);
    else
        fprintf(stderr, "runner: ending the run with what finished reported\n");
    fprintf(stderr, "runner: %s\n", why);
    char err[1200];
    if (report_deliver(g_rep, err, sizeof err) != 0)
        fprintf(stderr, "runner: %s\n", err);
    _exit(1);
}

void watch_unfinished(struct report *rep, const char *why)
{
    for (size_t i = 0; i < rep->n; i++) {
        struct result *r = (struct result *)&rep->results[i];
        if (r->failed || r->repeats_done >= r->sec->repeat)
            continue;
        if (r->repeats_done == 0) {
            r->failed = r->not_run = true;
            snprintf(r->reason, sizeof r->reason, "not run: %s", why);
        } else if (r->note[0] == '\0') {
            snprintf(r->note, sizeof r->note, "%u of %u repeats: %s", r->repeats_done,
                     r->sec->repeat, why);
        }
    }
}

static _Atomic pid_t g_tid;

pid_t watch_tid(void)
{
    return atomic_load(&g_tid);
}

static void *watchdog(void *arg)
{
    (void)arg;
    atomic_store(&g_tid, gettid());
    uint64_t calls = atomic_load(&watch_calls), armed = atomic_load(&g_armed);
    long long since = deadline_now_ms();
    /* Bounded: watch_end sets g_quit and joins. */
    while (!atomic_load(&g_quit)) {
        struct timespec tick = { 0, TICK_MS * 1000000L };
        nanosleep(&tick, NULL);
        progress_tick();
        uint64_t c = atomic_load_explicit(&watch_calls, memory_order_relaxed);
        uint64_t a = atomic_load(&g_armed);
        struct result *r = atomic_load(&g_current);
        long long now = deadline_now_ms();
        if (c != calls || a != armed || r == NULL) {
            calls = c;
            armed = a;
            since = now;
            continue;
        }
        unsigned bound = atomic_load(&g_bound_ms);
        if (now - since > (long long)bound)
            emergency("a call to plugin '%s' has not returned in %u ms (timeout_ms = %u): "
                      "the plugin ignores its deadline", r->plugin_name, bound,
                      r->sec->timeout_ms);
    }
    return NULL;
}

static void on_stop(int sig)
{
    atomic_store(&watch_stop, sig);
}

static void on_crash(int sig)
{
    if (atomic_load(&g_current) == NULL || atomic_load(&g_dying)) {
        /* Not in a plugin call: the runner's own bug, let it show. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    emergency("the process crashed with %s during a call to plugin '%s'", sig_name(sig),
              atomic_load(&g_current)->plugin_name);
}

/* A plugin that calls exit() ends here, never with status 0. */
static void on_exit_hook(void)
{
    if (!atomic_load(&g_running))
        return;
    struct result *r = atomic_load(&g_current);
    emergency("plugin '%s' called exit() during a call", r != NULL ? r->plugin_name : "?");
}

int watch_begin(struct report *rep, char *err, size_t errlen)
{
    g_rep = rep;
    atomic_store(&watch_stop, 0);
    atomic_store(&g_current, NULL);
    atomic_store(&g_quit, false);
    atomic_store(&g_running, true);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_stop;       /* no SA_RESTART: a blocked call sees EINTR */
    for (size_t i = 0; i < COUNT(stop_signals); i++)
        sigaction(stop_signals[i], &sa, &g_old_stop[i]);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_RESETHAND;    /* a crash while reporting ends it */
    for (size_t i = 0; i < COUNT(crash_signals); i++)
        sigaction(crash_signals[i], &sa, &g_old_crash[i]);
    if (!atomic_exchange(&g_hooked, true))
        atexit(on_exit_hook);
    /* The watchdog takes no stop signal, so that one interrupts the
     * measuring thread's blocked call rather than the watchdog's sleep. */
    sigset_t stop, old;
    sigemptyset(&stop);
    for (size_t i = 0; i < COUNT(stop_signals); i++)
        sigaddset(&stop, stop_signals[i]);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    int e = pthread_create(&g_thread, NULL, watchdog, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (e != 0) {
        snprintf(err, errlen, "cannot start the watchdog thread: %s", strerror(e));
        watch_end();
        return -1;
    }
    g_thread_started = true;
    /* Its id is needed from the first measured call on (watch_tid). */
    for (int i = 0; i < 1000 && atomic_load(&g_tid) == 0; i++) {
        struct timespec ms = { 0, 1000000L };
        nanosleep(&ms, NULL);
    }
    return 0;
}

void watch_arm(struct result *r, unsigned bound_ms)
{
    atomic_store(&g_bound_ms, bound_ms);
    atomic_store(&g_current, r);
    atomic_fetch_add(&g_armed, 1);
}

void watch_disarm(void)
{
    atomic_store(&g_current, NULL);
    atomic_fetch_add(&g_armed, 1);
}

void watch_end(void)
{
    atomic_store(&g_quit, true);
    if (g_thread_started)
        pthread_join(g_thread, NULL);
    g_thread_started = false;
    atomic_store(&g_tid, 0);
    atomic_store(&g_running, false);
    atomic_store(&g_current, NULL);
    for (size_t i = 0; i < COUNT(stop_signals); i++)
        sigaction(stop_signals[i], &g_old_stop[i], NULL);
    for (size_t i = 0; i < COUNT(crash_signals); i++)
        sigaction(crash_signals[i], &g_old_crash[i], NULL);
}
