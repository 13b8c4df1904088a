/*
 * fuzz_rest_route.c — libFuzzer harness for plugins/rest/route.c, what the
 * rest server makes of any path and query a peer sends (the input is
 * "path?query", split at its first '?'). Besides "no crash": a value is
 * answered only below INT64_MAX, and its digits are the path's; the POST
 * path is exactly /increment; a payload count is the query's digits; every
 * refusal says why, in bytes safe inside a JSON string.
 */
#include "fuzz_text.h"
#include "route.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A refusal's message: said, and safe inside a JSON string. */
static void check_msg(const char *msg)
{
    if (msg[0] == '\0')
        abort();
    for (const char *p = msg; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7f || *p == '\\')
            abort();
}

static void check_query(const char *query)
{
    uint64_t n = 0;
    char msg[160] = "";
    int asked = rest_route_payload(query, &n, msg, sizeof msg);
    if (asked == 1) {
        /* payload= then 1 to 10 digits, which are n */
        const char *d = query + strlen(REST_QUERY_PAYLOAD);
        size_t digits = strspn(d, "0123456789");
        if (strncmp(query, REST_QUERY_PAYLOAD, strlen(REST_QUERY_PAYLOAD)) != 0 ||
            digits == 0 || digits > 10 || d[digits] != '\0' || strtoull(d, NULL, 10) != n)
            abort();
    } else if (asked == 0) {
        if (query[0] != '\0')
            abort();
    } else {
        check_msg(msg);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *path = fuzz_text(data, size);
    if (path == NULL)
        return 0;
    char *query = memchr(path, '?', size);
    if (query != NULL) {
        *query++ = '\0';
        check_query(query);
    }
    int64_t v = 0;
    char msg[160] = "";
    enum rest_route r = rest_route(path, &v, msg, sizeof msg);
    if (r == ROUTE_BODY) {
        if (strcmp(path, REST_POST_PATH) != 0)
            abort();
    } else if (r == ROUTE_VALUE) {
        if (v == INT64_MAX)
            abort();
        /* the path is the prefix, then the number v, as written */
        if (strncmp(path, REST_PREFIX, strlen(REST_PREFIX)) != 0 ||
            strtoll(path + strlen(REST_PREFIX), NULL, 10) != v)
            abort();
    } else {
        check_msg(msg);
    }
    free(path);
    return 0;
}
