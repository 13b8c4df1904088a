/*
 * progress.h — one updating line on stderr while a run goes on, for a
 * person at a terminal: section, repeat, calls done, elapsed, time left.
 * The measured loops are not touched: the line is drawn by the watchdog
 * thread (watch.c), which already reads the loops' call count and whose
 * CPU is already taken out of the client's figures. Off unless enabled.
 */
#ifndef INCBENCH_PROGRESS_H
#define INCBENCH_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Draw from now on, to a run of `units` (section, repeat) pairs. */
void progress_begin(uint64_t units);

/* Repeat k (from 0) of `repeats` of section `name` starts. */
void progress_repeat(const char *name, unsigned k, unsigned repeats);

/* The loop about to run makes `calls` calls; `measured` false for the
 * warm-up. */
void progress_loop(bool measured, uint64_t calls);

/* The repeat under way ended (well or not). */
void progress_repeat_done(void);

/* Called by the watchdog on every tick: redraws now and then. */
void progress_tick(void);

/* Erase the line, e.g. before another message goes to stderr; the next
 * tick draws it again while the run lasts. */
void progress_clear(void);

/* Erase the line and draw no more. */
void progress_end(void);

/* The same without the lock, for a run that dies (a crash handler, the
 * watchdog's emergency): async-signal-safe, and at worst it erases a line
 * being drawn. */
void progress_abandon(void);

#endif
