/*
 * cpulist.h — CPU lists as the kernel prints them and as a config names
 * them ("0", "0,2", "1-3,5"): into a cpu_set_t and back to text. One
 * grammar for both readers (config.c, envcheck.c): digits only, no sign,
 * no space, no stray comma.
 */
#ifndef INCBENCH_CPULIST_H
#define INCBENCH_CPULIST_H

#include <sched.h>
#include <stddef.h>

enum cpulist_status {
    CPULIST_OK = 0,
    CPULIST_SYNTAX = -1,          /* not a CPU list */
    CPULIST_BEYOND = -2,          /* a CPU at or past CPU_SETSIZE */
};

/* Parse s into set. On CPULIST_BEYOND, *bad and *bad_len (either may be
 * NULL) give the number or range that is too large, as written. */
enum cpulist_status cpulist_parse(const char *s, cpu_set_t *set, const char **bad,
                                  int *bad_len);

/* set as a CPU list ("0-3,5") into buf (len >= 8), "none" when empty,
 * ending in "..." when it does not fit. */
void cpulist_format(const cpu_set_t *set, char *buf, size_t len);

#endif
