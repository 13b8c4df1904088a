/*
 * route.c — the rest server's reading of a request path (see route.h).
 * Strict on purpose: a value is what the client could have sent, no more.
 */
#include "route.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Copy at most 40 bytes of what the peer sent, keeping only characters
 * that need no escaping inside a JSON string. */
static void printable(const char *in, char *out, size_t outlen)
{
    size_t n = 0;
    for (; in[n] != '\0' && n < 40 && n + 4 < outlen; n++) {
        unsigned char c = (unsigned char)in[n];
        out[n] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? (char)c : '?';
    }
    if (in[n] != '\0' && n + 4 < outlen) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

/* The value of the path: an optional '-' and decimal digits, nothing else.
 * (strtoll alone would take leading spaces and '+'). 0 or -1 + message. */
static int parse_value(const char *text, int64_t *out, char *msg, size_t msglen)
{
    char shown[64];
    const char *p = text[0] == '-' ? text + 1 : text;
    if (text[0] == '\0') {
        snprintf(msg, msglen, "empty value, want /increment/{int64}");
        return -1;
    }
    bool digits = *p != '\0';
    for (const char *q = p; *q != '\0'; q++)
        digits = digits && *q >= '0' && *q <= '9';
    if (!digits) {
        printable(text, shown, sizeof shown);
        snprintf(msg, msglen, "'%s' is not a decimal int64", shown);
        return -1;
    }
    errno = 0;
    char *end = NULL;
    long long v = strtoll(text, &end, 10);
    if (errno == ERANGE || *end != '\0') {
        printable(text, shown, sizeof shown);
        snprintf(msg, msglen, "'%s' is out of the int64 range", shown);
        return -1;
    }
    if (v == INT64_MAX) {
        snprintf(msg, msglen, "%lld + 1 would overflow int64", v);
        return -1;
    }
    *out = v;
    return 0;
}

enum rest_route rest_route(const char *path, int64_t *value, char *msg, size_t msglen)
{
    if (strcmp(path, REST_POST_PATH) == 0)
        return ROUTE_BODY;
    if (strncmp(path, REST_PREFIX, sizeof REST_PREFIX - 1) != 0) {
        char shown[64];
        printable(path, shown, sizeof shown);
        snprintf(msg, msglen, "no resource at '%s'", shown);
        return ROUTE_NOT_FOUND;
    }
    if (parse_value(path + sizeof REST_PREFIX - 1, value, msg, msglen) != 0)
        return ROUTE_BAD_VALUE;
    return ROUTE_VALUE;
}

int rest_route_payload(const char *query, uint64_t *bytes, char *msg, size_t msglen)
{
    char shown[64];
    if (query == NULL || query[0] == '\0')
        return 0;
    const size_t key = sizeof REST_QUERY_PAYLOAD - 1;
    if (strncmp(query, REST_QUERY_PAYLOAD, key) != 0) {
        printable(query, shown, sizeof shown);
        snprintf(msg, msglen, "unknown query '%s', want payload=BYTES", shown);
        return -1;
    }
    const char *d = query + key;
    size_t n = strspn(d, "0123456789");
    if (n == 0 || n > 10 || d[n] != '\0') {
        printable(d, shown, sizeof shown);
        snprintf(msg, msglen, "payload='%s' is not a byte count (1 to 10 digits)", shown);
        return -1;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (uint64_t)(d[i] - '0');
    *bytes = v;
    return 1;
}
