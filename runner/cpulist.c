/*
 * cpulist.c — parsing and printing CPU lists. The kernel's lists in /sys
 * and /proc and the config's client_cpu/server_cpu share one grammar, so
 * they share one parser; glibc has none that reports where a list breaks.
 */
#include "cpulist.h"

#include <stdio.h>
#include <string.h>

/* One number of a list, digits only; *p moves past it. -1 when there is
 * none; a number too large for any CPU set comes back as CPU_SETSIZE. */
static long cpu_number(const char **p)
{
    const char *q = *p;
    long v = 0;
    if (*q < '0' || *q > '9')
        return -1;
    for (; *q >= '0' && *q <= '9'; q++)
        v = v >= CPU_SETSIZE ? CPU_SETSIZE : v * 10 + (*q - '0');
    *p = q;
    return v > CPU_SETSIZE ? CPU_SETSIZE : v;
}

enum cpulist_status cpulist_parse(const char *s, cpu_set_t *set, const char **bad,
                                  int *bad_len)
{
    CPU_ZERO(set);
    const char *p = s;
    for (;;) {
        const char *start = p;
        long a = cpu_number(&p), b = a;
        if (a < 0)
            return CPULIST_SYNTAX;
        if (*p == '-') {
            p++;
            b = cpu_number(&p);
            if (b < a)
                return CPULIST_SYNTAX;
        }
        if (b >= CPU_SETSIZE) {
            if (bad != NULL)
                *bad = start;
            if (bad_len != NULL)
                *bad_len = (int)(p - start);
            return CPULIST_BEYOND;
        }
        for (long c = a; c <= b; c++)
            CPU_SET((int)c, set);
        if (*p == '\0')
            return CPULIST_OK;
        /* a ',' must be followed by another number: "0," is refused */
        if (*p++ != ',')
            return CPULIST_SYNTAX;
    }
}

void cpulist_format(const cpu_set_t *set, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t c = 0; c < CPU_SETSIZE; c++) {
        if (!CPU_ISSET(c, set))
            continue;
        size_t e = c;
        while (e + 1 < CPU_SETSIZE && CPU_ISSET(e + 1, set))
            e++;
        char part[32];
        const char *sep = used > 0 ? "," : "";
        const int n = e == c ? snprintf(part, sizeof part, "%s%zu", sep, c)
                             : snprintf(part, sizeof part, "%s%zu-%zu", sep, c, e);
        if (n < 0 || used + (size_t)n + 4 > len) {
            memcpy(buf + used, "...", 4);   /* room kept by the test above */
            return;
        }
        memcpy(buf + used, part, (size_t)n + 1);
        used += (size_t)n;
        c = e;
    }
    if (used == 0)
        snprintf(buf, len, "none");
}
