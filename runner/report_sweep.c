/*
 * report_sweep.c — see report_sweep.h.
 */
#include "report_sweep.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *report_base(const struct config_section *s)
{
    return s->base != NULL ? s->base : s->name;
}

const char *report_sweep_value(const struct config_section *s, const char *key)
{
    for (size_t i = 0; i < s->n_sweep; i++)
        if (strcmp(s->sweep[i].key, key) == 0)
            return s->sweep[i].value;
    return NULL;
}

bool report_sweep_number(const char *v, double *out)
{
    /* strtod alone would also take "0x10", "inf", "nan" and leading blanks. */
    const char *p = v;
    if (*p == '-' || *p == '+')
        p++;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return false;
    for (const char *q = p; *q; q++)
        if (*q == 'x' || *q == 'X' || *q == 'e' || *q == 'E')
            return false;
    char *end;
    double d = strtod(v, &end);
    if (end == v)
        return false;
    switch (*end) {
    case 'k': case 'K': d *= 1024; end++; break;
    case 'm': case 'M': d *= 1024.0 * 1024; end++; break;
    case 'g': case 'G': d *= 1024.0 * 1024 * 1024; end++; break;
    default: break;
    }
    if (*end != '\0' || !isfinite(d))
        return false;
    *out = d;
    return true;
}

bool report_sweep_same(const char *a, const char *b)
{
    double x, y;
    return strcmp(a, b) == 0 ||
           (report_sweep_number(a, &x) && report_sweep_number(b, &y) && x == y);
}
