/*
 * loop.h — the measured loops: sequential (one dependent chain, the
 * question incbench asks) and pipelined (W dependent chains in flight).
 */
#ifndef INCBENCH_LOOP_H
#define INCBENCH_LOOP_H

#include "histogram.h"

#include <incbench/transport.h>
#include <stdint.h>

/* Nanoseconds on CLOCK_MONOTONIC. */
uint64_t loop_now(void);

/* One dependent chain of a pipelined run; the caller allocates `window` of
 * them before the loop so that the loop itself never allocates. */
struct loop_chain {
    int64_t v;          /* last value answered (next to send) */
    uint64_t tag;       /* tag of the call in flight */
    uint64_t sent_ns;   /* when it was submitted */
    uint64_t left;      /* calls this chain still has to make */
    int inflight;
};

/* Call `n` times from *v (each answer checked and sent next), recording each
 * call into h when h is not NULL (NULL = warm-up). `call_no` numbers the calls
 * of this repeat so far, for messages. On success *v is the last answer and
 * *elapsed_ns the wall time of the n calls. -1 with one sentence on a failed
 * call or a wrong answer. */
int loop_sequential(const struct incbench_transport *t, void *client, int64_t *v,
                    uint64_t n, uint64_t *call_no, struct histogram *h,
                    uint64_t *elapsed_ns, char *err, size_t errlen);

/* n calls spread over `window` chains whose values live in chains[]; each
 * chain sends its next value only after its own answer; answers are matched
 * by tag. Latency recorded is submit-to-complete. */
int loop_pipelined(const struct incbench_transport *t, void *client,
                   struct loop_chain *chains, uint64_t window, uint64_t n,
                   uint64_t *call_no, struct histogram *h, uint64_t *elapsed_ns,
                   char *err, size_t errlen);

/* The runner's own cost per sequential iteration (timer read, check,
 * histogram record, an indirect call that does nothing but add 1), in ns,
 * measured over `n` iterations. */
double loop_calibrate(uint64_t n, struct histogram *scratch);

#endif
