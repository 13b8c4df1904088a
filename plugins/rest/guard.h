/*
 * guard.h — what the rest server adds around evhttp 2.1 against a hostile
 * peer (guard.c): a bound on what one connection can make it buffer, a
 * deadline for each request, and a pause instead of a spin when accept
 * fails. All of it runs on the server's loop thread.
 */
#ifndef INCBENCH_REST_GUARD_H
#define INCBENCH_REST_GUARD_H

#include <event2/event.h>
#include <event2/http.h>

struct rest_guard;

/* A guard on `base` giving each request `limit_ms`, and a connection room
 * for unread input of at least `request_max` bytes (the largest request
 * evhttp is allowed to take); NULL when out of memory. */
struct rest_guard *rest_guard_new(struct event_base *base, unsigned limit_ms,
                                  size_t request_max);

/* From here on, evhttp makes every connection of `http` through the guard,
 * and a failed accept on `bound` pauses accepting. */
void rest_guard_attach(struct rest_guard *g, struct evhttp *http,
                       struct evhttp_bound_socket *bound);

/* A whole request arrived on the connection of socket `fd`: the time for
 * its next one starts now. The per-request cost: a lookup and a store. */
void rest_guard_request(struct rest_guard *g, int fd);

/* Call after evhttp_free (which releases the connections it closes) and
 * before event_base_free. NULL is a no-op. */
void rest_guard_free(struct rest_guard *g);

#endif
