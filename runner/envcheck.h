/*
 * envcheck.h — what about this machine could bend the figures (frequency
 * governor, turbo, load, clocksource, offline or forbidden CPUs, SMT siblings
 * shared by client and server, a tracer, valgrind), read once at start from
 * /proc and /sys. Each finding is one item; none stops a run. Reads files
 * only: it never prints, never changes the machine, never fails as a whole.
 */
#ifndef INCBENCH_ENVCHECK_H
#define INCBENCH_ENVCHECK_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

enum envcheck_status { ENVCHECK_OK, ENVCHECK_WARN, ENVCHECK_UNKNOWN };

struct envcheck_item {
    const char *name;            /* stable JSON key: "cpufreq_governor", "turbo", "load",
                                    "clocksource", "cpus_online", "cpus_allowed",
                                    "smt_siblings", "tracer", "valgrind" (static storage) */
    enum envcheck_status status;
    char value[128];             /* what was read, e.g. "powersave", "1.73 per CPU", "tsc",
                                    "0-1"; empty when nothing could be read */
    char message[256];           /* one line for the report when status != OK: what is wrong
                                    and what to do (WARN), or which file could not be read
                                    and why (UNKNOWN); empty when OK */
};

#define ENVCHECK_MAX_ITEMS 16

struct envcheck {
    struct envcheck_item items[ENVCHECK_MAX_ITEMS];
    size_t n;                    /* items filled, always the same names in the same order */
};

struct envcheck_placement {      /* every distinct (client set, server set) the run asks for */
    const cpu_set_t *client;     /* NULL = not pinned */
    const cpu_set_t *server;     /* NULL = not pinned or no server */
};

/* Fill *out with one item per check, in a fixed order. proc_root / sys_root:
 * "/proc" and "/sys" normally (NULL means those); tests pass fake trees.
 * places: n_places placements (places may be NULL when n_places is 0).
 * env_preload: value of LD_PRELOAD (or NULL) — valgrind loads vgpreload_*.so
 * that way. A file that cannot be read or parsed makes its item UNKNOWN. */
void envcheck_run(struct envcheck *out, const char *proc_root, const char *sys_root,
                  const struct envcheck_placement *places, size_t n_places,
                  const char *env_preload);

/* "ok", "warning", "unknown" ("invalid" for a value outside the enum). */
const char *envcheck_status_name(enum envcheck_status s);

/* The item called name, or NULL. */
const struct envcheck_item *envcheck_find(const struct envcheck *e, const char *name);

/* How many items have status s. */
size_t envcheck_count(const struct envcheck *e, enum envcheck_status s);

#endif
