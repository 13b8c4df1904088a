/*
 * watch.h — what ends a run early and still reports it: SIGINT, SIGTERM or
 * SIGHUP (the current call ends the section, servers stop, exit 128 +
 * signal); a plugin call that never returns (a watchdog thread); a plugin
 * that exits the process or crashes during a call. The signal handlers and
 * the watchdog need state outside any one call: it lives here, alone.
 */
#ifndef INCBENCH_WATCH_H
#define INCBENCH_WATCH_H

#include "report.h"
#include "result.h"

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

/* The measured loops' progress: one relaxed store per call (a plain move)
 * of a count that changes with every call, read by the watchdog to tell a
 * slow run from a stuck call. */
extern _Atomic uint64_t watch_calls;

/* The stop signal received (SIGINT, SIGTERM, SIGHUP), 0 until then: the
 * measured loops end at the next call when it is set. */
extern _Atomic int watch_stop;

/* Install the handlers, start the watchdog and register the exit hook for
 * the run whose report is *rep (its results live until watch_end). -1
 * with one sentence when the watchdog cannot start. */
int watch_begin(struct report *rep, char *err, size_t errlen);

/* A plugin call of section r is about to run and may take bound_ms (0:
 * none of ours is running). Calls to watch_arm may be nested in time but
 * the last one counts. */
void watch_arm(struct result *r, unsigned bound_ms);
void watch_disarm(void);

/* The watchdog thread's id (0 before it runs), whose own CPU and
 * switches are taken out of the client's figures. */
pid_t watch_tid(void);

/* The run is over: stop the watchdog, restore the handlers, unhook exit. */
void watch_end(void);

/* Sections that did not finish all their repeats: none done is failed
 * ("not run: why"), some done keeps its figures with a note. */
void watch_unfinished(struct report *rep, const char *why);

/* "SIGINT" for SIGINT. */
const char *sig_name(int sig);

/* The bound on one plugin call of a section: its deadline twice, plus a
 * second for a loaded machine. */
unsigned watch_bound_ms(unsigned timeout_ms);

#endif
