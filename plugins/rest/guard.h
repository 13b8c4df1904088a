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

/* Makes a connection's bufferevent for its socket (given later by
 * evhttp): a TLS server's (tls_server.c). NULL when it cannot. */
typedef struct bufferevent *(*rest_guard_maker)(struct event_base *base, void *arg);

/* Called as evhttp closes a connection the maker made, before it frees the
 * bufferevent: a TLS server sends its close_notify there. */
typedef void (*rest_guard_closer)(struct bufferevent *bev);

/* From here on, evhttp makes every connection of `http` through the guard,
 * and a failed accept on `bound` pauses accepting. With a `maker`, every
 * connection's bufferevent is the maker's, and a connection whose one the
 * maker could not make is closed unserved (never served in plaintext);
 * without, it is a plain socket bufferevent. `closer` may be NULL. */
void rest_guard_attach(struct rest_guard *g, struct evhttp *http,
                       struct evhttp_bound_socket *bound, rest_guard_maker maker,
                       rest_guard_closer closer, void *maker_arg);

/* A whole request arrived on the connection of socket `fd`: the time for
 * its next one starts now. The per-request cost: a lookup and a store. */
void rest_guard_request(struct rest_guard *g, int fd);

/* server_stop is about to free evhttp, on its caller's thread: the
 * closer is not called from here on (its write could raise SIGPIPE in a
 * thread that does not block it, and the server is going anyway). */
void rest_guard_stopping(struct rest_guard *g);

/* Call after evhttp_free (which releases the connections it closes) and
 * before event_base_free. NULL is a no-op. */
void rest_guard_free(struct rest_guard *g);

#endif
