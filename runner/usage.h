/*
 * usage.h — where a call's time goes: CPU time, context switches and I/O
 * syscalls of the client process, its measuring thread and a server
 * process, read just before and just after the measured calls (never
 * inside them) and turned into differences.
 */
#ifndef INCBENCH_USAGE_H
#define INCBENCH_USAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* One side's counters at one instant, or (after usage_diff) over an
 * interval. A group that could not be read is false, with the reason in
 * why; its numbers are then meaningless, never a silent 0. */
struct usage {
    bool has_cpu, has_split, has_thread, has_switches, has_io;
    uint64_t cpu_ns;              /* user + system, all threads */
    uint64_t user_ns, sys_ns;     /* the kernel's split of cpu_ns (another process:
                                     in clock ticks of 10 ms, so coarse) */
    uint64_t thread_cpu_ns;       /* the calling thread alone (usage_self) */
    uint64_t vol_switches, invol_switches;
    uint64_t syscalls;            /* read- and write-like syscalls: syscr + syscw */
    uint64_t exited_threads;      /* another process: threads gone between two reads,
                                     whose switches since the first are lost */
    char why[160];                /* the first group that could not be read, and why */
};

/* Switch counts of each thread of another process at one instant, so that
 * a difference can skip threads that exited and count new ones whole. */
#define USAGE_MAX_TASKS 1024
struct usage_tasks {
    size_t n;
    struct usage_task { pid_t tid; uint64_t vol, invol; } t[USAGE_MAX_TASKS];
};

/* This process (every thread, so a plugin's own threads count) and the
 * calling thread. _enter reads the clocks last and _leave first, so that
 * reading /proc/self/io falls outside the interval between them.
 * proc_root is "/proc" but for tests. Never fails as a whole: what cannot
 * be read is marked. */
void usage_self_enter(struct usage *u, const char *proc_root);
void usage_self_leave(struct usage *u, const char *proc_root);

/* One thread of this process (tid): its CPU from /proc/self/task/TID/
 * schedstat and its switches, so that a helper thread of the runner's own
 * (the watchdog) can be taken out of the process's figures. */
void usage_thread(struct usage *u, pid_t tid, const char *proc_root);

/* d -= part, for CPU and switches (the user/system split is left: a
 * thread's is known only in 10 ms ticks). Floors at 0. */
void usage_exclude(struct usage *d, const struct usage *part);

/* Another process, every thread of it; tasks (may be NULL) gets each
 * thread's switches for usage_diff_tasks. */
void usage_process(struct usage *u, pid_t pid, const char *proc_root,
                   struct usage_tasks *tasks);

/* d = after - before; a group is present in d only when in both. */
void usage_diff(const struct usage *after, const struct usage *before, struct usage *d);

/* Redo d's switches thread by thread: threads in both reads count their
 * difference, new threads all they made, exited ones go to exited_threads. */
void usage_diff_tasks(struct usage *d, const struct usage_tasks *after,
                      const struct usage_tasks *before);

/* sum += d (repeats add up); a group stays present only while every part has it. */
void usage_add(struct usage *sum, const struct usage *d);

/* An empty sum that usage_add can start from. */
void usage_zero(struct usage *u);

#endif
