/*
 * loop.c — the measured loops. Inside them: call, read the clock, check the
 * answer, record. Nothing else: no allocation, no I/O, no logging; the
 * error path formats its message only after the loop has been left.
 *
 * The sequential loop reads the clock ONCE per call: sample i is the time
 * between two consecutive reads, so the samples add up exactly to the wall
 * time of the run and each includes one clock read, the check and the
 * histogram record. loop_calibrate measures that fixed cost around a call
 * that does nothing, so that the report can show a mean net of it.
 */
#include "loop.h"

#include "plugin.h"
#include "watch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

uint64_t loop_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void describe_wrong(char *err, size_t errlen, uint64_t call_no, int64_t sent,
                           int64_t got)
{
    snprintf(err, errlen, "wrong answer at call %llu: sent %lld, got %lld, expected %lld",
             (unsigned long long)call_no, (long long)sent, (long long)got,
             (long long)sent + 1);
}

static void describe_failed(char *err, size_t errlen, uint64_t call_no, int64_t sent)
{
    char why[512];
    plugin_seal(err, errlen);
    snprintf(why, sizeof why, "%s", err[0] ? err : "the plugin gave no reason");
    snprintf(err, errlen, "call %llu (sent %lld) failed: %s", (unsigned long long)call_no,
             (long long)sent, why);
}

static void describe_stopped(char *err, size_t errlen, uint64_t call_no)
{
    int sig = atomic_load(&watch_stop);
    snprintf(err, errlen, "interrupted by %s after call %llu", sig ? sig_name(sig) : "a signal",
             (unsigned long long)call_no);
}

int loop_sequential(const struct incbench_transport *t, void *client, int64_t *v,
                    uint64_t n, uint64_t *call_no, struct histogram *h,
                    uint64_t *elapsed_ns, char *err, size_t errlen)
{
    int (*const increment)(void *, int64_t, int64_t *, char *, size_t) = t->increment;
    int64_t value = *v, r = 0;
    uint64_t i = 0;
    err[0] = '\0';
    const uint64_t begin = loop_now();
    uint64_t prev = begin;
    /* Besides call, time, check and record: a relaxed store of the call
     * count for the watchdog and a relaxed load of the stop flag, a move and
     * a compare (bench/direct.sh measures them with the rest). */
    if (h != NULL) {
        for (; i < n; i++) {
            if (increment(client, value, &r, err, errlen) != 0)
                goto failed;
            const uint64_t now = loop_now();
            if (r != value + 1)
                goto wrong;
            histogram_record(h, now - prev);
            prev = now;
            value = r;
            atomic_store_explicit(&watch_calls, i, memory_order_relaxed);
            if (atomic_load_explicit(&watch_stop, memory_order_relaxed) != 0)
                goto stopped;
        }
    } else {
        for (; i < n; i++) {
            if (increment(client, value, &r, err, errlen) != 0)
                goto failed;
            if (r != value + 1)
                goto wrong;
            value = r;
            atomic_store_explicit(&watch_calls, i, memory_order_relaxed);
            if (atomic_load_explicit(&watch_stop, memory_order_relaxed) != 0)
                goto stopped;
        }
        prev = loop_now();
    }
    *elapsed_ns = prev - begin;
    *v = value;
    *call_no += n;
    return 0;
failed:
    describe_failed(err, errlen, *call_no + i + 1, value);
    return -1;
wrong:
    describe_wrong(err, errlen, *call_no + i + 1, value, r);
    return -1;
stopped:
    describe_stopped(err, errlen, *call_no + i + 1);
    return -1;
}

/* Tags carry the chain in their low bits and the chain's call count above,
 * so a late duplicate of an answer already taken never matches. The chain
 * bits come from the in-flight cap; the assert fails should the cap ever
 * stop being a power of two (ctz would then give too few). */
#define CHAIN_BITS __builtin_ctz(INCBENCH_MAX_INFLIGHT)
_Static_assert((UINT64_C(1) << CHAIN_BITS) >= INCBENCH_MAX_INFLIGHT,
               "a tag's chain bits hold every chain of the largest window");
#define CHAIN_MASK ((UINT64_C(1) << CHAIN_BITS) - 1)

int loop_pipelined(const struct incbench_transport *t, void *client,
                   struct loop_chain *chains, uint64_t window, uint64_t n,
                   uint64_t *call_no, struct histogram *h, uint64_t *elapsed_ns,
                   char *err, size_t errlen)
{
    uint64_t issued = 0, done = 0;
    err[0] = '\0';
    for (uint64_t k = 0; k < window; k++) {
        chains[k].left = n / window + (k < n % window ? 1 : 0);
        chains[k].inflight = 0;
    }
    const uint64_t begin = loop_now();
    for (uint64_t k = 0; k < window && issued < n; k++) {
        struct loop_chain *c = &chains[k];
        if (c->left == 0)
            continue;
        c->tag = ((c->tag >> CHAIN_BITS) + 1) << CHAIN_BITS | k;
        c->sent_ns = loop_now();
        if (t->submit(client, c->tag, c->v, err, errlen) != 0) {
            describe_failed(err, errlen, *call_no + issued + 1, c->v);
            return -1;
        }
        c->inflight = 1;
        issued++;
    }
    while (done < n) {
        uint64_t tag = 0;
        int64_t r = 0;
        if (t->complete(client, &tag, &r, err, errlen) != 0) {
            char why[512];
            plugin_seal(err, errlen);
            snprintf(why, sizeof why, "%s", err[0] ? err : "the plugin gave no reason");
            snprintf(err, errlen, "waiting for answer %llu of %llu failed: %s",
                     (unsigned long long)(*call_no + done + 1),
                     (unsigned long long)(*call_no + n), why);
            return -1;
        }
        const uint64_t now = loop_now();
        const uint64_t k = tag & CHAIN_MASK;
        struct loop_chain *c = k < window ? &chains[k] : NULL;
        if (c == NULL || !c->inflight || c->tag != tag) {
            snprintf(err, errlen, "answer with unknown or duplicate id %llu (value %lld)",
                     (unsigned long long)tag, (long long)r);
            return -1;
        }
        if (r != c->v + 1) {
            snprintf(err, errlen, "wrong answer for id %llu (chain %llu): sent %lld, got %lld, "
                     "expected %lld", (unsigned long long)tag, (unsigned long long)k,
                     (long long)c->v, (long long)r, (long long)c->v + 1);
            return -1;
        }
        if (h != NULL)
            histogram_record(h, now - c->sent_ns);
        c->v = r;
        c->inflight = 0;
        c->left--;
        done++;
        atomic_store_explicit(&watch_calls, done, memory_order_relaxed);
        if (atomic_load_explicit(&watch_stop, memory_order_relaxed) != 0) {
            describe_stopped(err, errlen, *call_no + done);
            return -1;
        }
        if (c->left > 0) {
            c->tag = ((c->tag >> CHAIN_BITS) + 1) << CHAIN_BITS | k;
            c->sent_ns = loop_now();
            if (t->submit(client, c->tag, c->v, err, errlen) != 0) {
                describe_failed(err, errlen, *call_no + issued + 1, c->v);
                return -1;
            }
            c->inflight = 1;
            issued++;
        }
    }
    *elapsed_ns = loop_now() - begin;
    *call_no += n;
    return 0;
}

/* The calibration "plugin": adds one, through a pointer the compiler cannot
 * see through, exactly as a real plugin's increment is reached. */
static int calib_increment(void *client, int64_t value, int64_t *result, char *err,
                           size_t errlen)
{
    (void)client;
    (void)err;
    (void)errlen;
    *result = value + 1;
    return 0;
}

double loop_calibrate(uint64_t n, struct histogram *scratch)
{
    struct incbench_transport calib = { .abi_version = INCBENCH_ABI_VERSION, .name = "calib" };
    int (*volatile fn)(void *, int64_t, int64_t *, char *, size_t) = calib_increment;
    calib.increment = fn;
    char err[64];
    int64_t v = 0;
    uint64_t call_no = 0, warm = 0, elapsed = 0;
    histogram_reset(scratch);
    loop_sequential(&calib, NULL, &v, n / 10 + 1, &call_no, NULL, &warm, err, sizeof err);
    /* The fixed cost is the floor, not an average: the best of many short
     * runs, so that a preemption on a shared machine hides in the others. */
    const int runs = 20;
    const uint64_t per_run = n / runs + 1;
    double best = 0;
    for (int run = 0; run < runs; run++) {
        histogram_reset(scratch);
        if (loop_sequential(&calib, NULL, &v, per_run, &call_no, scratch, &elapsed, err,
                            sizeof err) != 0)
            return 0;
        double per = (double)elapsed / (double)per_run;
        if (run == 0 || per < best)
            best = per;
    }
    return best;
}
