/*
 * relay.h — a loopback TCP relay for the gRPC tests: a client connects to
 * the relay instead of the server, every byte is passed on unchanged and
 * the first RELAY_KEEP bytes of each direction of each connection are kept,
 * so that a test can read what an option really put on the wire (gRPC
 * talks cleartext HTTP/2 here). On request it turns the client's first call
 * away the way a server going away does. One thread; stopping is bounded.
 */
#ifndef INCBENCH_TESTS_RELAY_H
#define INCBENCH_TESTS_RELAY_H

#include <stdbool.h>
#include <stddef.h>

#define RELAY_KEEP (256 * 1024)
#define RELAY_CONNS 4 /* connections relayed; later ones are refused */

enum relay_dir { RELAY_TO_SERVER, RELAY_TO_CLIENT };

struct relay;

/* Listen on 127.0.0.1:0 and pass every connection on to `target`
 * ("127.0.0.1:port"); `address` gets the relay's "127.0.0.1:PORT". With
 * `goaway_first_call`, the first connection is relayed only up to the
 * client's first HEADERS frame (the start of its first call): that frame
 * is not passed on; the client gets an HTTP/2 GOAWAY saying no stream was
 * processed (last stream id 0), and the connection is closed. Fails the
 * test when it cannot listen. */
struct relay *relay_start(const char *target, char address[64], bool goaway_first_call);

/* Stop passing bytes (within about a second at worst), close every
 * socket. What was recorded is readable from then until relay_free. */
/* relay_start (no turning away) that also corrupts what the server sends:
 * wherever the n bytes of `pattern` (copied; n at most 64) arrive within
 * one read of the server's bytes, the last of them is passed on to the
 * client XOR 1 (recorded as sent by the server). For a test of what a
 * client makes of an answer that is not what was asked. */
struct relay *relay_start_flipping(const char *target, char address[64],
                                   const unsigned char *pattern, size_t n);

void relay_stop(struct relay *r);

/* Connections relayed (after relay_stop). */
unsigned relay_connections(const struct relay *r);

/* The bytes of connection `conn` (0 = the first) that went one way (after
 * relay_stop). */
const unsigned char *relay_bytes(const struct relay *r, unsigned conn, enum relay_dir dir,
                                 size_t *len);

void relay_free(struct relay *r);

#endif
