/*
 * stream_kind.h — what tells one stream transport from another (tcp, uds):
 * its name for messages and keys, how it listens on and names an endpoint,
 * how it connects to one, and what it does to a socket it accepts. The
 * protocol (stream_frame.h), the client (stream_client.c) and the server
 * (stream_server.c) are the same for every kind; a plugin is one such table
 * and a vtable of thin wrappers. Tables are const and static: no state here.
 */
#ifndef INCBENCH_PLUGIN_STREAM_KIND_H
#define INCBENCH_PLUGIN_STREAM_KIND_H

#include <stddef.h>

struct stream_kind {
    const char *name;   /* "tcp", "uds": starts every message, names the keys */

    /* A non-blocking, close-on-exec listening socket on `address` (NULL:
     * an endpoint of the kind's own choosing), its endpoint in the kind's
     * address syntax in bound[boundlen]. *state is what unlisten needs to
     * undo what listening left behind (a socket file); it may stay NULL.
     * -1 and one sentence naming the address on failure. */
    int (*listen)(const char *address, int backlog, void **state,
                  char *bound, size_t boundlen, char *err, size_t errlen);

    /* Undo listen's traces and free *state (NULL allowed). May be NULL
     * when listening leaves nothing behind. */
    void (*unlisten)(void *state);

    /* A blocking, close-on-exec socket connected to `address` within
     * timeout_ms, or -1 and one sentence naming the address. */
    int (*connect)(const char *address, unsigned timeout_ms, char *err, size_t errlen);

    /* Options for a socket the server accepted (TCP_NODELAY); may be NULL. */
    void (*accepted)(int fd);
};

#endif
