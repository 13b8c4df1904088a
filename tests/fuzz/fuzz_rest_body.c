/*
 * fuzz_rest_body.c — libFuzzer harness for plugins/rest/body.c, what both
 * sides of the rest plugin make of a JSON body a peer sends. Besides "no
 * crash": a payload found lies inside the bytes given, between quotes, and
 * is plain printable ASCII; the same bytes parse the same again; a refusal
 * says why and an acceptance leaves no reason.
 */
#include "body.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of exactly `size` bytes, so ASan sees any read past the end */
    char *buf = malloc(size ? size : 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    struct rest_body b, again;
    int rc = rest_body_parse(buf, size, &b);
    if (rc == 0) {
        if (b.why != NULL)
            abort();
        if (b.has_payload) {
            if (b.payload <= buf || b.payload + b.payload_len >= buf + size ||
                b.payload[-1] != '"' || b.payload[b.payload_len] != '"')
                abort();
            for (size_t i = 0; i < b.payload_len; i++) {
                unsigned char c = (unsigned char)b.payload[i];
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
                    abort();
            }
        } else if (b.payload != NULL || b.payload_len != 0) {
            abort();
        }
        if (!b.has_value && b.value != 0)
            abort();
        if (rest_body_parse(buf, size, &again) != 0 || again.value != b.value ||
            again.payload != b.payload || again.payload_len != b.payload_len)
            abort();
    } else if (rc != -1 || b.why == NULL || b.why[0] == '\0') {
        abort();
    }
    free(buf);
    return 0;
}
