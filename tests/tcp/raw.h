/*
 * raw.h — raw-socket helpers of the tcp tests. Requests are encoded here by
 * hand from the protocol as tcp.c documents it (never with the plugin's own
 * frame.c), and replies are decoded with the protobuf-c code generated from
 * proto/increment.proto, so the tests check the wire format, not the
 * plugin against itself. Every wait is bounded (harness sockets time out
 * after 5 s). Tests only.
 *
 * The same tests run against uds, tcp's protocol over Unix sockets, when
 * INCBENCH_TEST_TRANSPORT=uds (tests/uds/tcp_tests.sh): the raw_transport
 * helpers below say which plugin to load and which addresses to use.
 */
#ifndef INCBENCH_TESTS_TCP_RAW_H
#define INCBENCH_TESTS_TCP_RAW_H

#include <incbench/transport.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "tcp" (the default) or "uds", from INCBENCH_TEST_TRANSPORT: the plugin
 * under test. Fails the test on any other value. */
const char *raw_transport(void);

/* What server_start is given to listen on: "127.0.0.1:0" (tcp), NULL
 * (uds: a fresh abstract name). */
const char *raw_listen_address(void);

/* How a bound address starts: "127.0.0.1:" or "unix:@". */
const char *raw_bound_prefix(void);

/* A whole request frame (header + body) in out[]; returns its size. */
size_t raw_request(uint8_t *out, int64_t value, uint64_t id);

/* The same with a payload (field 3) of n bytes of `fill`, in out[n + 40]. */
size_t raw_request_payload(uint8_t *out, int64_t value, uint64_t id, size_t n, uint8_t fill);

/* Send all of p or fail the test. */
void raw_send(int fd, const void *p, size_t n);

/* Read one reply frame or fail the test. */
void raw_read_reply(int fd, bool *refused, int64_t *value, uint64_t *id);

/* The same for a reply of any length; its payload is malloc'd into
 * *payload (NULL when empty, free it), its length into *n. */
void raw_read_reply_payload(int fd, bool *refused, int64_t *value, uint64_t *id,
                            uint8_t **payload, size_t *n);

/* The server's last word to a request over its limit (header bits 31 and
 * 30, the value its `payload` setting), then its close. */
void raw_assert_too_big(int fd, int64_t payload_limit);

/* Decode the reply frame at in[*off] of the `have` bytes received, by hand
 * (replies here are small and never refused) and move *off past it; false
 * when it has not fully arrived. Fails the test on a malformed frame. */
bool raw_next_reply(const uint8_t *in, size_t have, size_t *off,
                    int64_t *value, uint64_t *id);

/* n dependent increments from v through t's client c, each answer
 * checked to be v + 1; returns the last. (Not raw: the one helper of the
 * tests that call through the plugin.) */
int64_t raw_chain(const struct incbench_transport *t, void *c, int64_t v, int n);

/* The server must have closed fd: EOF or a reset, not a 5 s silence. */
void raw_assert_closed(int fd);

/* Read one reply frame or fail the test unless it is a right answer:
 * not refused, `value`, `id`. */
void raw_assert_reply(int fd, int64_t value, uint64_t id);

/* One request (value, id) on fd, and its right answer (value + 1, id). */
void raw_assert_increment(int fd, int64_t value, uint64_t id);

/* A fresh raw connection to `bound` is answered 41 -> 42 with its id. */
void raw_assert_served(const char *bound);

/* The next connection on listener lfd, with a 5 s receive timeout; -1
 * when accept fails (for scripted peers, which run in threads of their
 * own and so must not fail the test themselves). */
int raw_accept(int lfd);

/* fd of a socket listening on 127.0.0.1:0 (uds: a fresh abstract name)
 * that nobody ever accepts from or answers; its address goes into bound[64]. */
int raw_silent_listener(char bound[64]);

/* fd of a socket bound to 127.0.0.1:0 (uds: a fresh abstract name) but NOT
 * listening: connecting to its address is refused, and no one else can
 * take the port (name) while fd is open. */
int raw_dead_port(char bound[64]);

#endif
