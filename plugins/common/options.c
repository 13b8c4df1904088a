/*
 * options.c — see options.h. Plain string work; no allocation.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int opts_check(const struct incbench_params *params, const char *who,
               const char *const *known, char *err, size_t errlen)
{
    for (size_t i = 0; i < params->n_options; i++) {
        const char *key = params->options[i].key;
        bool ok = false;
        for (const char *const *k = known; *k != NULL; k++) {
            if (strcmp(*k, key) == 0) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            snprintf(err, errlen, "%s: unknown option '%s'", who, key);
            return -1;
        }
    }
    return 0;
}

const char *opts_get(const struct incbench_params *params, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; i < params->n_options; i++)
        if (strcmp(params->options[i].key, key) == 0)
            v = params->options[i].value;
    return v;
}

int opts_uint(const struct incbench_params *params, const char *who,
              const char *key, unsigned min, unsigned max, unsigned *out,
              char *err, size_t errlen)
{
    const char *v = opts_get(params, key);
    if (v == NULL)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long n = strtoul(v, &end, 10);
    if (v[0] == '\0' || v[0] == '-' || *end != '\0' || errno != 0 ||
        n < min || n > max) {
        snprintf(err, errlen, "%s: option '%s' = '%s' is not a whole number in %u..%u",
                 who, key, v, min, max);
        return -1;
    }
    *out = (unsigned)n;
    return 0;
}

int opts_choice(const struct incbench_params *params, const char *who,
                const char *key, const char *const *choices, int *out,
                char *err, size_t errlen)
{
    const char *v = opts_get(params, key);
    if (v == NULL)
        return 0;
    for (int i = 0; choices[i] != NULL; i++) {
        if (strcmp(choices[i], v) == 0) {
            *out = i;
            return 0;
        }
    }
    char list[256] = "";
    size_t used = 0;
    for (int i = 0; choices[i] != NULL && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? " | " : "", choices[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    snprintf(err, errlen, "%s: option '%s' = '%s' is not one of: %s", who, key, v, list);
    return -1;
}

int opts_bool(const struct incbench_params *params, const char *who,
              const char *key, bool *out, char *err, size_t errlen)
{
    static const char *const yes[] = { "true", "yes", "on", "1", NULL };
    static const char *const no[] = { "false", "no", "off", "0", NULL };
    const char *v = opts_get(params, key);
    if (v == NULL)
        return 0;
    for (int i = 0; yes[i] != NULL; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    snprintf(err, errlen, "%s: option '%s' = '%s' is not a boolean (true/false)", who, key, v);
    return -1;
}
