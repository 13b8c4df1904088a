/*
 * route.h — what the rest server makes of a request's path, apart from
 * evhttp: which resource it names and the int64 it carries. A pure
 * function over a string (no I/O, no allocation), so that the whole of what
 * a peer can put in a path is tested, and fuzzed, on its own.
 */
#ifndef INCBENCH_REST_ROUTE_H
#define INCBENCH_REST_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#define REST_PREFIX "/increment/"

enum rest_route {
    ROUTE_VALUE,        /* /increment/{v}, v an int64 below INT64_MAX */
    ROUTE_NOT_FOUND,    /* not under /increment/ (404) */
    ROUTE_BAD_VALUE,    /* under it, but not a value we answer (400) */
};

/* Route `path`; *value set on ROUTE_VALUE, msg (at most 40 of the peer's
 * bytes, safe inside a JSON string) on the others. */
enum rest_route rest_route(const char *path, int64_t *value, char *msg, size_t msglen);

#endif
