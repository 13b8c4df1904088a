/*
 * route.h — what the rest server makes of a request's path and query,
 * apart from evhttp: which resource it names, the int64 it carries, and
 * the payload size a GET asks for. Pure functions over a string (no I/O,
 * no allocation), so that the whole of what a peer can put in a URI is
 * tested, and fuzzed, on its own.
 */
#ifndef INCBENCH_REST_ROUTE_H
#define INCBENCH_REST_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define REST_PREFIX "/increment/"
/* Where a POST sends its JSON body: REST_PREFIX without its '/'. */
#define REST_POST_PATH "/increment"
/* The one query parameter: GET /increment/{v}?payload=N. */
#define REST_QUERY_PAYLOAD "payload="

enum rest_route {
    ROUTE_VALUE,        /* /increment/{v}, v an int64 below INT64_MAX */
    ROUTE_BODY,         /* /increment: the value comes in a POST's body */
    ROUTE_NOT_FOUND,    /* not under /increment/ (404) */
    ROUTE_BAD_VALUE,    /* under it, but not a value we answer (400) */
};

/* Route `path`; *value set on ROUTE_VALUE, msg (at most 40 of the peer's
 * bytes, safe inside a JSON string) on the others. */
enum rest_route rest_route(const char *path, int64_t *value, char *msg, size_t msglen);

/* The query of a GET (NULL or "" when there is none): 0 when it asks for
 * no payload, 1 when it is payload=N with N decimal digits (at most 10,
 * *bytes = N; the server compares it with its limit), -1 with msg (as
 * above) when it is anything else. */
int rest_route_payload(const char *query, uint64_t *bytes, char *msg, size_t msglen);

#endif
