/*
 * progress.c — the terminal's progress line (see progress.h). The main
 * thread says where the run is (under a mutex, between loops, never in
 * one); the watchdog thread reads that and the loops' relaxed call count
 * and draws. The time left is the run's elapsed time scaled by what is
 * left of it, counting each (section, repeat) as one unit of work.
 */
#include "progress.h"

#include "deadline.h"
#include "watch.h"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Often enough to look alive, rarely enough to cost nothing. */
#define REDRAW_MS 200

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static bool g_on;
static volatile sig_atomic_t g_drawn;
static long long g_start_ms, g_drawn_ms;
static uint64_t g_units, g_done;
static char g_name[64];
static unsigned g_k, g_repeats;
static bool g_in_loop, g_measured;
static uint64_t g_calls;

void progress_begin(uint64_t units)
{
    pthread_mutex_lock(&g_lock);
    g_on = true;
    g_units = units ? units : 1;
    g_done = 0;
    g_start_ms = deadline_now_ms();
    g_drawn_ms = 0;
    pthread_mutex_unlock(&g_lock);
}

void progress_repeat(const char *name, unsigned k, unsigned repeats)
{
    pthread_mutex_lock(&g_lock);
    snprintf(g_name, sizeof g_name, "%s", name);
    g_k = k;
    g_repeats = repeats;
    g_in_loop = false;
    pthread_mutex_unlock(&g_lock);
}

void progress_loop(bool measured, uint64_t calls)
{
    pthread_mutex_lock(&g_lock);
    g_measured = measured;
    g_calls = calls;
    g_in_loop = true;
    pthread_mutex_unlock(&g_lock);
}

void progress_repeat_done(void)
{
    pthread_mutex_lock(&g_lock);
    g_in_loop = false;
    if (g_done < g_units)
        g_done++;
    pthread_mutex_unlock(&g_lock);
}

/* "1.5 s", "2 min 05 s". */
static void fmt_span(long long ms, char *buf, size_t len)
{
    if (ms < 60000)
        snprintf(buf, len, "%.1f s", (double)ms / 1000);
    else
        snprintf(buf, len, "%lld min %02lld s", ms / 60000, ms / 1000 % 60);
}

/* Under the lock. One write, so that the line is never half drawn. */
static void draw(long long now)
{
    /* The loops store the count of the loop they are in; one that has
     * just begun may still show the last one's for a moment. */
    uint64_t done = atomic_load_explicit(&watch_calls, memory_order_relaxed);
    if (!g_in_loop || done > g_calls)
        done = g_in_loop ? g_calls : 0;
    double frac = (double)g_done;
    if (g_in_loop && g_measured && g_calls > 0)
        frac += (double)done / (double)g_calls;
    frac /= (double)g_units;
    char elapsed[32], left[48] = "";
    fmt_span(now - g_start_ms, elapsed, sizeof elapsed);
    if (frac >= 0.01 && frac < 1) {
        char span[32];
        fmt_span((long long)((double)(now - g_start_ms) * (1 - frac) / frac), span, sizeof span);
        snprintf(left, sizeof left, ", about %s left", span);
    }
    char line[256];
    int n;
    if (g_in_loop)
        n = snprintf(line, sizeof line, "\r\033[Krunner: [%s] repeat %u/%u, %s %llu/%llu calls, "
                     "%s%s", g_name, g_k + 1, g_repeats, g_measured ? "measured" : "warm-up",
                     (unsigned long long)done, (unsigned long long)g_calls, elapsed, left);
    else
        n = snprintf(line, sizeof line, "\r\033[Krunner: [%s] repeat %u/%u, starting, %s%s",
                     g_name[0] ? g_name : "-", g_k + 1, g_repeats, elapsed, left);
    /* A terminal that does not take output (Ctrl-S, a stalled ssh) must
     * not stall the watchdog that draws: the line is skipped unless the
     * terminal can take it now, and drawn again next time. */
    struct pollfd room = { .fd = STDERR_FILENO, .events = POLLOUT };
    if (n > 0 && poll(&room, 1, 0) == 1 && (room.revents & POLLOUT)) {
        ssize_t w = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)w;
        g_drawn = true;
    }
}

void progress_tick(void)
{
    pthread_mutex_lock(&g_lock);
    long long now = deadline_now_ms();
    if (g_on && g_name[0] != '\0' && now - g_drawn_ms >= REDRAW_MS) {
        draw(now);
        g_drawn_ms = now;
    }
    pthread_mutex_unlock(&g_lock);
}

static void erase(void)
{
    static const char wipe[] = "\r\033[K";
    if (g_drawn) {
        ssize_t w = write(STDERR_FILENO, wipe, sizeof wipe - 1);
        (void)w;
    }
    g_drawn = false;
}

void progress_clear(void)
{
    pthread_mutex_lock(&g_lock);
    erase();
    /* The message that follows stays readable for a moment. */
    g_drawn_ms = deadline_now_ms();
    pthread_mutex_unlock(&g_lock);
}

void progress_end(void)
{
    pthread_mutex_lock(&g_lock);
    erase();
    g_on = false;
    g_name[0] = '\0';
    pthread_mutex_unlock(&g_lock);
}

void progress_abandon(void)
{
    g_on = false;
    erase();
}
