/*
 * tls.c — see tls.h. (Placeholder while the real one is written: every
 * call fails.)
 */
#include "tls.h"

#include <stdio.h>
#include <string.h>

int tls_keys_read(const struct incbench_params *params, const char *who, struct tls_keys *k,
                  char *err, size_t errlen)
{
    (void)params;
    memset(k, 0, sizeof *k);
    snprintf(err, errlen, "%s: TLS not written yet", who);
    return -1;
}
