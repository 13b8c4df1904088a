/*
 * usage.c — reading CPU, context-switch and syscall counters of a process.
 * The own process: its CPU-time clock and getrusage (all threads), and the
 * measuring thread's own CPU clock. Another process: its CPU-time clock
 * (exact, unlike /proc/PID/stat's 10 ms ticks, which only split it into
 * user and system), the sum of /proc/PID/task/ * /status for switches, and
 * /proc/PID/io for syscalls. Nothing here is called inside a measured loop.
 */
#include "usage.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static uint64_t tv_ns(const struct timeval *tv)
{
    return (uint64_t)tv->tv_sec * 1000000000u + (uint64_t)tv->tv_usec * 1000u;
}

static uint64_t ts_ns(const struct timespec *ts)
{
    return (uint64_t)ts->tv_sec * 1000000000u + (uint64_t)ts->tv_nsec;
}

/* The first reason wins: it is the one a reader can act on. */
static void why_once(struct usage *u, const char *what, const char *path, int err)
{
    if (u->why[0] != '\0')
        return;
    if (err != 0)
        snprintf(u->why, sizeof u->why, "%s %s: %s", what, path, strerror(err));
    else
        snprintf(u->why, sizeof u->why, "%s %s", what, path);
}

/* syscr + syscw of an io file ("/proc/PID/io"). */
static void read_io(struct usage *u, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        why_once(u, "cannot read", path, errno);
        return;
    }
    char line[128];
    uint64_t r = 0, w = 0;
    int found = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (sscanf(line, "syscr: %" SCNu64, &r) == 1)
            found |= 1;
        else if (sscanf(line, "syscw: %" SCNu64, &w) == 1)
            found |= 2;
    }
    /* Reading may fail only at the first read (permission is checked then). */
    int failed = ferror(fp) ? errno : 0;
    fclose(fp);
    if (failed != 0 || found != 3) {
        why_once(u, failed ? "cannot read" : "no syscr and syscw in", path, failed);
        return;
    }
    u->syscalls = r + w;
    u->has_io = true;
}

void usage_zero(struct usage *u)
{
    memset(u, 0, sizeof *u);
    u->has_cpu = u->has_split = u->has_thread = u->has_switches = u->has_io = true;
}

/* CPU and switches of the whole process, and the calling thread's CPU. */
static void self_clocks(struct usage *u)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        u->user_ns = tv_ns(&ru.ru_utime);
        u->sys_ns = tv_ns(&ru.ru_stime);
        u->cpu_ns = u->user_ns + u->sys_ns;
        /* getrusage may lag behind the running thread's last stretch;
         * the process clock brings it up to date. */
        struct timespec pts;
        if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &pts) == 0)
            u->cpu_ns = ts_ns(&pts);
        u->vol_switches = (uint64_t)ru.ru_nvcsw;
        u->invol_switches = (uint64_t)ru.ru_nivcsw;
        u->has_cpu = u->has_split = u->has_switches = true;
    } else {
        why_once(u, "cannot call", "getrusage", errno);
    }
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0) {
        u->thread_cpu_ns = ts_ns(&ts);
        u->has_thread = true;
    } else {
        why_once(u, "cannot read", "the thread CPU clock", errno);
    }
}

static void self_io(struct usage *u, const char *proc_root)
{
    char path[512];
    snprintf(path, sizeof path, "%s/self/io", proc_root);
    read_io(u, path);
}

void usage_self_enter(struct usage *u, const char *proc_root)
{
    memset(u, 0, sizeof *u);
    self_io(u, proc_root);
    self_clocks(u);
}

void usage_self_leave(struct usage *u, const char *proc_root)
{
    memset(u, 0, sizeof *u);
    self_clocks(u);
    self_io(u, proc_root);
}

/* utime and stime, in ns of clock ticks, from /proc/PID/stat. The command
 * name in field 2 may hold spaces and ')', so fields count from the last ')'. */
static int read_stat_split(const char *path, uint64_t *user_ns, uint64_t *sys_ns)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return -1;
    char buf[2048];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    const char *p = strrchr(buf, ')');
    if (p == NULL)
        return -1;
    /* After ')': state is field 3; utime, stime are fields 14 and 15. */
    unsigned long long ut, st;
    if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    long hz = sysconf(_SC_CLK_TCK);
    if (hz <= 0)
        return -1;
    *user_ns = (uint64_t)ut * (1000000000u / (uint64_t)hz);
    *sys_ns = (uint64_t)st * (1000000000u / (uint64_t)hz);
    return 0;
}

/* voluntary_ctxt_switches and nonvoluntary_ctxt_switches of one status
 * file ("/proc/PID/task/TID/status"); false unless both were there. */
static bool read_status_switches(const char *path, uint64_t *vol, uint64_t *invol)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return false;
    char line[256];
    int found = 0;
    while (fgets(line, sizeof line, fp) != NULL) {
        if (sscanf(line, "voluntary_ctxt_switches: %" SCNu64, vol) == 1)
            found |= 1;
        else if (sscanf(line, "nonvoluntary_ctxt_switches: %" SCNu64, invol) == 1)
            found |= 2;
    }
    fclose(fp);
    return found == 3;
}

/* Voluntary and involuntary switches summed over every live thread. A
 * thread that exited takes its counts with it; usage_diff floors at 0. */
static void read_switches(struct usage *u, const char *proc_root, pid_t pid,
                          struct usage_tasks *tasks)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%d/task", proc_root, (int)pid);
    DIR *d = opendir(path);
    if (d == NULL) {
        why_once(u, "cannot read", path, errno);
        return;
    }
    uint64_t vol = 0, invol = 0;
    unsigned threads = 0;
    struct dirent *de;
    /* Bounded by the directory itself; a process has finitely many threads. */
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] < '0' || de->d_name[0] > '9')
            continue;
        char sp[768];
        snprintf(sp, sizeof sp, "%s/%s/status", path, de->d_name);
        uint64_t tv = 0, ti = 0;
        if (!read_status_switches(sp, &tv, &ti))
            continue;               /* the thread just exited */
        if (tasks != NULL && tasks->n < USAGE_MAX_TASKS) {
            struct usage_task *t = &tasks->t[tasks->n++];
            t->tid = (pid_t)atoi(de->d_name);
            t->vol = tv;
            t->invol = ti;
        }
        vol += tv;
        invol += ti;
        threads++;
    }
    closedir(d);
    if (threads == 0) {
        why_once(u, "no thread status under", path, ENOENT);
        return;
    }
    u->vol_switches = vol;
    u->invol_switches = invol;
    u->has_switches = true;
}

void usage_process(struct usage *u, pid_t pid, const char *proc_root,
                   struct usage_tasks *tasks)
{
    memset(u, 0, sizeof *u);
    if (tasks != NULL)
        tasks->n = 0;
    char path[512];
    snprintf(path, sizeof path, "%s/%d/stat", proc_root, (int)pid);
    uint64_t user = 0, sys = 0;
    errno = 0;
    bool split = read_stat_split(path, &user, &sys) == 0;
    int stat_errno = split ? 0 : errno;
    clockid_t clk;
    struct timespec ts;
    if (clock_getcpuclockid(pid, &clk) == 0 && clock_gettime(clk, &ts) == 0) {
        u->cpu_ns = ts_ns(&ts);
        u->has_cpu = true;
    } else if (split) {
        u->cpu_ns = user + sys;
        u->has_cpu = true;
    } else {
        why_once(u, "cannot read", path, stat_errno);
    }
    u->user_ns = user;
    u->sys_ns = sys;
    u->has_split = split;
    if (!split)
        why_once(u, "no utime and stime in", path, stat_errno);
    read_switches(u, proc_root, pid, tasks);
    snprintf(path, sizeof path, "%s/%d/io", proc_root, (int)pid);
    read_io(u, path);
}

static uint64_t minus(uint64_t a, uint64_t b)
{
    return a > b ? a - b : 0;
}

void usage_diff(const struct usage *after, const struct usage *before, struct usage *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->why, sizeof d->why, "%s", before->why[0] ? before->why : after->why);
    d->has_cpu = after->has_cpu && before->has_cpu;
    d->has_split = after->has_split && before->has_split;
    d->has_thread = after->has_thread && before->has_thread;
    d->has_switches = after->has_switches && before->has_switches;
    d->has_io = after->has_io && before->has_io;
    d->cpu_ns = minus(after->cpu_ns, before->cpu_ns);
    d->user_ns = minus(after->user_ns, before->user_ns);
    d->sys_ns = minus(after->sys_ns, before->sys_ns);
    d->thread_cpu_ns = minus(after->thread_cpu_ns, before->thread_cpu_ns);
    d->vol_switches = minus(after->vol_switches, before->vol_switches);
    d->invol_switches = minus(after->invol_switches, before->invol_switches);
    d->syscalls = minus(after->syscalls, before->syscalls);
}

void usage_add(struct usage *sum, const struct usage *d)
{
    if (sum->why[0] == '\0' && d->why[0] != '\0')
        snprintf(sum->why, sizeof sum->why, "%s", d->why);
    sum->has_cpu = sum->has_cpu && d->has_cpu;
    sum->has_split = sum->has_split && d->has_split;
    sum->has_thread = sum->has_thread && d->has_thread;
    sum->has_switches = sum->has_switches && d->has_switches;
    sum->has_io = sum->has_io && d->has_io;
    sum->cpu_ns += d->cpu_ns;
    sum->user_ns += d->user_ns;
    sum->sys_ns += d->sys_ns;
    sum->thread_cpu_ns += d->thread_cpu_ns;
    sum->vol_switches += d->vol_switches;
    sum->invol_switches += d->invol_switches;
    sum->syscalls += d->syscalls;
    sum->exited_threads += d->exited_threads;
}

static const struct usage_task *find_task(const struct usage_tasks *ts, pid_t tid)
{
    for (size_t i = 0; i < ts->n; i++)
        if (ts->t[i].tid == tid)
            return &ts->t[i];
    return NULL;
}

void usage_diff_tasks(struct usage *d, const struct usage_tasks *after,
                      const struct usage_tasks *before)
{
    if (!d->has_switches)
        return;
    uint64_t vol = 0, invol = 0, exited = 0;
    /* Quadratic, but over one process's threads, outside the measured loop. */
    for (size_t i = 0; i < after->n; i++) {
        const struct usage_task *a = &after->t[i], *b = find_task(before, a->tid);
        vol += minus(a->vol, b ? b->vol : 0);
        invol += minus(a->invol, b ? b->invol : 0);
    }
    for (size_t i = 0; i < before->n; i++)
        exited += find_task(after, before->t[i].tid) == NULL;
    d->vol_switches = vol;
    d->invol_switches = invol;
    d->exited_threads = exited;
}

void usage_thread(struct usage *u, pid_t tid, const char *proc_root)
{
    memset(u, 0, sizeof *u);
    char path[512];
    snprintf(path, sizeof path, "%s/self/task/%d/schedstat", proc_root, (int)tid);
    FILE *fp = fopen(path, "r");
    unsigned long long run_ns;
    if (fp != NULL) {
        if (fscanf(fp, "%llu", &run_ns) == 1) {
            u->cpu_ns = run_ns;
            u->has_cpu = true;
        }
        fclose(fp);
    }
    snprintf(path, sizeof path, "%s/self/task/%d/status", proc_root, (int)tid);
    u->has_switches = read_status_switches(path, &u->vol_switches, &u->invol_switches);
}

void usage_exclude(struct usage *d, const struct usage *part)
{
    if (part->has_cpu)
        d->cpu_ns = minus(d->cpu_ns, part->cpu_ns);
    if (part->has_switches) {
        d->vol_switches = minus(d->vol_switches, part->vol_switches);
        d->invol_switches = minus(d->invol_switches, part->invol_switches);
    }
}
