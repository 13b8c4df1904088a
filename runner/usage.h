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
    bool has_cpu, has_thread, has_switches, has_io;
    uint64_t cpu_ns;              /* user + system, all threads */
    uint64_t user_ns, sys_ns;     /* the kernel's split of cpu_ns */
    uint64_t thread_cpu_ns;       /* the calling thread alone (usage_self) */
    uint64_t vol_switches, invol_switches;
    uint64_t syscalls;            /* read- and write-like syscalls: syscr + syscw */
    char why[160];                /* the first group that could not be read, and why */
};

/* This process (every thread, so a plugin's own threads count) and the
 * calling thread. proc_root is "/proc" but for tests. Never fails as a
 * whole: what cannot be read is marked. */
void usage_self(struct usage *u, const char *proc_root);

/* Another process, every thread of it. */
void usage_process(struct usage *u, pid_t pid, const char *proc_root);

/* d = after - before; a group is present in d only when in both. */
void usage_diff(const struct usage *after, const struct usage *before, struct usage *d);

/* sum += d (repeats add up); a group stays present only while every part has it. */
void usage_add(struct usage *sum, const struct usage *d);

/* An empty sum that usage_add can start from. */
void usage_zero(struct usage *u);

#endif
