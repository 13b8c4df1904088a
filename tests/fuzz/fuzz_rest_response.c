/*
 * fuzz_rest_response.c — libFuzzer harness for plugins/rest/response.c,
 * the rest client's parser of whatever a server sends back. Besides "no
 * crash": a whole response lies inside the bytes given, its body right at
 * its end; the same bytes cut at its end parse the same; a partial one
 * announces a size beyond the bytes given, or none; a refusal says why.
 */
#include "response.h"

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
    struct http_response r;
    memset(&r, 0, sizeof r);
    int rc = http_response_parse(buf, size, &r);
    if (rc == 1) {
        if (r.status < 100 || r.status > 599 || r.total > size || r.body_offset > r.total ||
            r.body_offset + r.body_length != r.total)
            abort();
        struct http_response again;
        memset(&again, 0, sizeof again);
        if (http_response_parse(buf, r.total, &again) != 1 || again.total != r.total ||
            again.status != r.status || again.body_length != r.body_length ||
            again.close != r.close)
            abort();
    } else if (rc == 0) {
        if (r.total != 0 && r.total <= size)
            abort();
    } else if (rc == -1) {
        if (r.why == NULL || r.why[0] == '\0')
            abort();
    } else {
        abort();
    }
    free(buf);
    return 0;
}
