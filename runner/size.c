/*
 * size.c — byte sizes: "4k" and back (see size.h). The grammar is the
 * one the issue names, no more: a user who writes 1.5k or 4KiB is told
 * what is accepted rather than guessed at.
 */
#include "size.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

enum size_status size_parse(const char *text, uint64_t max, uint64_t *out)
{
    const char *p = text;
    if (*p == '-' && isdigit((unsigned char)p[1]))
        return SIZE_NEGATIVE;
    /* strtoull would take a sign or leading space: only digits start one. */
    if (!isdigit((unsigned char)*p))
        return SIZE_SYNTAX;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(p, &end, 10);
    bool too_big = errno == ERANGE;
    uint64_t unit = 1;
    if (*end == 'k' || *end == 'K')
        unit = 1024;
    else if (*end == 'm' || *end == 'M')
        unit = 1024 * 1024;
    if (unit > 1)
        end++;
    if (*end != '\0')
        return SIZE_SYNTAX;
    if (too_big || n > max / unit)
        return SIZE_RANGE;
    *out = (uint64_t)n * unit;
    return SIZE_OK;
}

void size_format(uint64_t n, char *buf, size_t len)
{
    const uint64_t mib = 1024 * 1024;
    if (n != 0 && n % mib == 0)
        snprintf(buf, len, "%llum", (unsigned long long)(n / mib));
    else if (n != 0 && n % 1024 == 0)
        snprintf(buf, len, "%lluk", (unsigned long long)(n / 1024));
    else
        snprintf(buf, len, "%llu", (unsigned long long)n);
}
