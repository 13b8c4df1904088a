/*
 * fuzz_rest_route.c — libFuzzer harness for plugins/rest/route.c, what the
 * rest server makes of any path a peer sends. Besides "no crash": a value
 * is answered only below INT64_MAX, and its digits are the path's; every
 * refusal says why, in bytes safe inside a JSON string.
 */
#include "fuzz_text.h"
#include "route.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_text(data, size);
    if (path == NULL)
        return 0;
    int64_t v = 0;
    char msg[160] = "";
    enum rest_route r = rest_route(path, &v, msg, sizeof msg);
    if (r == ROUTE_VALUE) {
        if (v == INT64_MAX)
            abort();
        /* the path is the prefix, then the number v, as written */
        if (strncmp(path, REST_PREFIX, strlen(REST_PREFIX)) != 0 ||
            strtoll(path + strlen(REST_PREFIX), NULL, 10) != v)
            abort();
    } else {
        if (msg[0] == '\0')
            abort();
        for (const char *p = msg; *p; p++)
            if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '\\')
                abort();
    }
    free(path);
    return 0;
}
