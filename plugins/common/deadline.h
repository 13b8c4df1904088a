/*
 * deadline.h — the one clock and the one "wait for a descriptor until the
 * deadline" of the in-tree plugins and the runner: CLOCK_MONOTONIC in ns
 * and ms, and poll() on one descriptor that sleeps through signals (EINTR
 * waits again for the time left, recomputed from the clock) and tells a
 * passed deadline apart from readiness and from a failure. No state, no
 * allocation, nothing printed: callers word their own errors.
 */
#ifndef INCBENCH_PLUGIN_DEADLINE_H
#define INCBENCH_PLUGIN_DEADLINE_H

/* CLOCK_MONOTONIC, the clock of every deadline here. */
long long deadline_now_ns(void);
long long deadline_now_ms(void);

enum deadline_wait {
    DEADLINE_READY = 1,   /* *revents holds what poll reported */
    DEADLINE_PASSED = 0,  /* deadline_ms came first (or had come at the call) */
    DEADLINE_FAILED = -1, /* poll failed; errno says why */
};

/* Wait until fd reports one of `events` (POLLIN, POLLOUT, ...) or
 * deadline_ms (deadline_now_ms time) passes. POLLHUP, POLLERR and POLLNVAL
 * end the wait as READY too: the caller's next read or write says what
 * they mean. revents may be NULL. */
enum deadline_wait deadline_poll(int fd, short events, long long deadline_ms, short *revents);

#endif
