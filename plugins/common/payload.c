/*
 * payload.c — see payload.h.
 */
#include "payload.h"

#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int payload_keys_read(const struct incbench_params *params, const char *who, unsigned *len,
                      bool *verify, char *err, size_t errlen)
{
    *len = 0;
    *verify = false;
    if (opts_uint(params, who, "payload", 0, PAYLOAD_MAX, len, err, errlen) != 0)
        return -1;
    return opts_bool(params, who, "verify", verify, err, errlen);
}

int payload_read(const struct incbench_params *params, const char *who, struct payload *out,
                 char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    unsigned len = 0;
    if (payload_keys_read(params, who, &len, &out->verify, err, errlen) != 0)
        return -1;
    if (len == 0)
        return 0;
    out->bytes = malloc(len);
    if (out->bytes == NULL) {
        snprintf(err, errlen, "%s: out of memory for payload = %u bytes", who, len);
        return -1;
    }
    out->len = len;
    payload_fill(out->bytes, len);
    return 0;
}

void payload_free(struct payload *p)
{
    free(p->bytes);
    memset(p, 0, sizeof *p);
}

void payload_fill(uint8_t *buf, size_t n)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    uint64_t x = UINT64_C(0x9e3779b97f4a7c15); /* any non-zero seed; fixed, so runs match */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (uint8_t)alphabet[x & 63];
    }
}

int payload_check(const struct payload *p, const uint8_t *got, size_t got_len, const char *who,
                  char *err, size_t errlen)
{
    if (got_len != p->len) {
        snprintf(err, errlen, "%s: the answer's payload is %zu bytes, the request's %zu",
                 who, got_len, p->len);
        return -1;
    }
    if (!p->verify || p->len == 0)
        return 0;
    if (memcmp(got, p->bytes, p->len) == 0)
        return 0;
    size_t at = 0;
    while (at < p->len && got[at] == p->bytes[at])
        at++;
    snprintf(err, errlen, "%s: the answer's payload differs from the request's at byte %zu of %zu",
             who, at, p->len);
    return -1;
}
