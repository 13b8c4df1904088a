/*
 * grpc_test.c — see grpc_test.h.
 */
#include "grpc_test.h"
#include "chargs_test.h"
#include "hostile.h"
#include "payload_test.h"
#include "relay.h"
#include "tls_test.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

const struct incbench_transport *T;
static const char *plugin_name;

static void params(struct harness_params *hp, const char *address, unsigned timeout_ms,
                   const char *k, const char *v)
{
    harness_params(hp, address, timeout_ms, k, v, NULL);
    if (k == NULL)
        hp->p.n_options = 0;
}

void *gt_client(const char *address, unsigned timeout_ms, unsigned window,
                const char *k, const char *v)
{
    struct harness_params hp;
    params(&hp, address, timeout_ms, k, v);
    hp.p.max_inflight = window;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

void *gt_server(const char *k, const char *v, char bound[64])
{
    struct harness_params hp;
    params(&hp, "127.0.0.1:0", 5000, k, v);
    return harness_server(T, &hp, bound);
}

void gt_chain(void *client, int64_t from, int n)
{
    char err[256] = "";
    int64_t v = from;
    for (int i = 0; i < n; i++) {
        int64_t r = 0;
        ck_assert_msg(T->increment(client, v, &r, err, sizeof err) == 0, "call %d: %s", i, err);
        ck_assert_int_eq(r, v + 1);
        v = r;
    }
}

int gt_one_call(const char *sk, const char *sv, const char *ck, const char *cv, char err[256])
{
    char bound[64];
    void *s = gt_server(sk, sv, bound);
    void *c = gt_client(bound, 5000, 1, ck, cv);
    int64_t r = 0;
    err[0] = '\0';
    const int rc = T->increment(c, 100, &r, err, 256);
    if (rc == 0)
        ck_assert_int_eq(r, 101);
    T->shutdown(c);
    T->server_stop(s);
    return rc;
}

void gt_refused(const struct harness_params *hp, const char *want, const char *also)
{
    char err[256] = "", bound[64] = "";
    void *x = NULL;
    ck_assert_msg(T->init(&x, &hp->p, err, sizeof err) == -1, "init took what should fail "
                  "naming %s", want);
    ck_assert_msg(strstr(err, want) != NULL && (also == NULL || strstr(err, also) != NULL),
                  "init err = %s", err);
    T->shutdown(x);
    x = NULL;
    err[0] = '\0';
    ck_assert_msg(T->server_start(&x, &hp->p, bound, sizeof bound, err, sizeof err) == -1,
                  "server_start took what should fail naming %s", want);
    ck_assert_msg(strstr(err, want) != NULL && (also == NULL || strstr(err, also) != NULL),
                  "server err = %s", err);
    T->server_stop(x);
}

void gt_dead_address(char out[64])
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_ge(fd, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    snprintf(out, 64, "127.0.0.1:%u", ntohs(a.sin_port));
    close(fd);
}

void gt_nothing_listening_is_unavailable(unsigned window)
{
    char addr[64];
    gt_dead_address(addr);
    void *c = gt_client(addr, 2000, window, NULL, NULL);
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(c, 1, &r, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
    ck_assert_msg(strstr(err, addr) != NULL, "err does not name %s: %s", addr, err);
    T->shutdown(c);
}

static uint64_t connections(void *client)
{
    struct incbench_stats st;
    memset(&st, 0, sizeof st); /* as the runner does */
    T->stats(client, &st);
    return st.connections;
}

/* stats counts the connections a client really made: 0 to an address with
 * nothing listening, 1 after calls to a server, 2 after that server was
 * stopped and another one started on its port (the client reconnects). */
START_TEST(stats_count_connections_and_reconnects)
{
    ck_assert_ptr_nonnull(T->stats);
    char dead[64];
    gt_dead_address(dead);
    void *nowhere = gt_client(dead, 1000, 1, NULL, NULL);
    char err[256] = "";
    int64_t r;
    ck_assert_int_eq(T->increment(nowhere, 1, &r, err, sizeof err), -1);
    ck_assert_uint_eq(connections(nowhere), 0);
    T->shutdown(nowhere);

    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    void *c = gt_client(bound, 2000, 1, NULL, NULL);
    gt_chain(c, 0, 20);
    ck_assert_uint_eq(connections(c), 1);
    gt_chain(c, 100, 20); /* one connection carries every call */
    ck_assert_uint_eq(connections(c), 1);

    T->server_stop(s);
    struct harness_params hp;
    harness_params(&hp, bound, 5000, NULL); /* the same port again */
    s = harness_server(T, &hp, bound);
    /* Calls fail until the client has noticed and reconnected: bounded. */
    int ok = 0;
    for (int i = 0; i < 50 && !ok; i++) {
        ok = T->increment(c, 7, &r, err, sizeof err) == 0;
        if (!ok)
            usleep(100000);
    }
    ck_assert_msg(ok, "no call got through after the restart: %s", err);
    ck_assert_int_eq(r, 8);
    ck_assert_uint_eq(connections(c), 2);
    T->shutdown(c);
    T->server_stop(s);
}
END_TEST

struct relay *gt_relayed(const char *sk, const char *sv, const char *ck, const char *cv)
{
    char bound[64], via[64];
    void *s = gt_server(sk, sv, bound);
    struct relay *r = relay_start(bound, via, false);
    void *c = gt_client(via, 5000, 1, ck, cv);
    gt_chain(c, 100, 3);
    T->shutdown(c);
    relay_stop(r);
    T->server_stop(s);
    ck_assert_uint_eq(relay_connections(r), 1);
    return r;
}

/* gRPC's HPACK encoder sends a header the first time on a connection as a
 * literal whose name and value are plain (not Huffman-coded) strings, each
 * after a one-byte length: look for those bytes. A Huffman-coding gRPC
 * would fail these tests, never pass them. */
bool gt_sent_header(const struct relay *r, enum relay_dir dir, const char *name,
                    const char *value, bool whole)
{
    unsigned char want[128];
    const size_t nl = strlen(name), vl = value ? strlen(value) : 0;
    ck_assert_uint_lt(nl + 1, sizeof want);
    want[0] = (unsigned char)nl;
    memcpy(want + 1, name, nl);
    size_t len = 0;
    const unsigned char *b = relay_bytes(r, 0, dir, &len);
    const unsigned char *end = b + len;
    for (const unsigned char *at = b; at < end;) {
        const unsigned char *hit = memmem(at, (size_t)(end - at), want, nl + 1);
        if (hit == NULL)
            return false;
        const unsigned char *v = hit + nl + 1;
        if (value == NULL)
            return true;
        if (v + 1 + vl <= end && (whole ? *v == vl : *v >= vl) && memcmp(v + 1, value, vl) == 0)
            return true;
        at = hit + 1;
    }
    return false;
}

static bool sent_header(const struct relay *r, enum relay_dir dir, const char *name,
                        const char *value)
{
    return gt_sent_header(r, dir, name, value, true);
}

/* Who a key is set on in relayed(): the client, the server, or both. */
enum side { CLIENT, SERVER, BOTH };
static const char *const side_name[] = { "the client", "the server", "both" };

static struct relay *relayed_with(enum side side, const char *k, const char *v)
{
    return gt_relayed(side != CLIENT ? k : NULL, v, side != SERVER ? k : NULL, v);
}

/* Each of compression = gzip and deflate, set on the client, the server or
 * both, makes the sides it is set on, and only those, send the header
 * grpc-encoding with that name; compression = none on both sends none. */
START_TEST(compression_is_announced_by_the_side_that_sets_it)
{
    static const char *const algos[] = { "gzip", "deflate" };
    for (size_t i = 0; i < 2; i++) {
        for (enum side side = CLIENT; side <= BOTH; side++) {
            const char *v = algos[i];
            struct relay *r = relayed_with(side, "compression", v);
            bool client_sent = sent_header(r, RELAY_TO_SERVER, "grpc-encoding", v);
            bool server_sent = sent_header(r, RELAY_TO_CLIENT, "grpc-encoding", v);
            ck_assert_msg(client_sent == (side != SERVER) && server_sent == (side != CLIENT),
                          "compression = %s on %s: grpc-encoding: %s sent by the client: %s, "
                          "by the server: %s", v, side_name[side], v, client_sent ? "yes" : "no",
                          server_sent ? "yes" : "no");
            /* nor any other grpc-encoding by the side that was not asked */
            if (side != BOTH)
                ck_assert(!sent_header(r, side == CLIENT ? RELAY_TO_CLIENT : RELAY_TO_SERVER,
                                       "grpc-encoding", NULL));
            relay_free(r);
        }
    }
    struct relay *r = relayed_with(BOTH, "compression", "none");
    ck_assert_msg(!sent_header(r, RELAY_TO_SERVER, "grpc-encoding", NULL),
                  "compression = none: the client sent grpc-encoding");
    ck_assert_msg(!sent_header(r, RELAY_TO_CLIENT, "grpc-encoding", NULL),
                  "compression = none: the server sent grpc-encoding");
    relay_free(r);
}
END_TEST

/* minimal_stack = true leaves gRPC's compression filter, the one that
 * sends grpc-accept-encoding, out of the stack of the side it is set on
 * (client, server or both): those sides send no grpc-accept-encoding, the
 * other still does; false on both: both do, as without the key. */
START_TEST(minimal_stack_leaves_out_grpc_accept_encoding)
{
    for (enum side side = CLIENT; side <= BOTH; side++) {
        struct relay *r = relayed_with(side, "minimal_stack", "true");
        bool client_sent = sent_header(r, RELAY_TO_SERVER, "grpc-accept-encoding", NULL);
        bool server_sent = sent_header(r, RELAY_TO_CLIENT, "grpc-accept-encoding", NULL);
        ck_assert_msg(client_sent == (side == SERVER) && server_sent == (side == CLIENT),
                      "minimal_stack = true on %s: grpc-accept-encoding sent by the client: "
                      "%s, by the server: %s", side_name[side], client_sent ? "yes" : "no",
                      server_sent ? "yes" : "no");
        relay_free(r);
    }
    struct relay *r = relayed_with(BOTH, "minimal_stack", "false");
    ck_assert_msg(sent_header(r, RELAY_TO_SERVER, "grpc-accept-encoding", NULL),
                  "minimal_stack = false: the client sent no grpc-accept-encoding");
    ck_assert_msg(sent_header(r, RELAY_TO_CLIENT, "grpc-accept-encoding", NULL),
                  "minimal_stack = false: the server sent no grpc-accept-encoding");
    relay_free(r);
}
END_TEST

/* A client's first call turned away by a GOAWAY that says the server
 * processed nothing (the relay's goaway_first_call) is sent again on a new
 * connection, transparently, with retries = true; with retries = false it
 * fails with UNAVAILABLE. (Servers accept the key and ignore it.) */
START_TEST(retries_decide_whether_a_call_turned_away_goes_again)
{
    static const char *const values[] = { "true", "false" };
    for (int i = 0; i < 2; i++) {
        const bool on = i == 0;
        char bound[64], via[64], err[256] = "";
        void *s = gt_server("retries", values[i], bound); /* servers accept the key too */
        struct relay *r = relay_start(bound, via, true);
        void *c = gt_client(via, 5000, 1, "retries", values[i]);
        int64_t got = 0;
        int rc = T->increment(c, 41, &got, err, sizeof err);
        T->shutdown(c);
        relay_stop(r);
        T->server_stop(s);
        if (on) {
            ck_assert_msg(rc == 0, "retries = true: the call turned away failed: %s", err);
            ck_assert_int_eq(got, 42);
            ck_assert_msg(relay_connections(r) == 2,
                          "retries = true: %u connections, want the second one for the retry",
                          relay_connections(r));
        } else {
            ck_assert_msg(rc == -1, "retries = false: the call turned away was sent again");
            ck_assert_msg(strstr(err, "UNAVAILABLE") != NULL, "err = %s", err);
            ck_assert_uint_eq(relay_connections(r), 1);
        }
        relay_free(r);
    }
}
END_TEST

/* Read by sanitizer builds only. LeakSanitizer's exit scan crashes in these
 * forked children ("Tracer caught signal 11", exit 1) while gRPC winds its
 * threads down, failing tests that passed: no scan at exit, one at the end
 * of each test instead (returned()), when gRPC's threads are idle. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "leak_check_at_exit=0";
}

/* Present in sanitizer builds only: 0, or nonzero after reporting leaks. */
int __lsan_do_recoverable_leak_check(void) __attribute__((weak));

static bool test_returned;

/* Check counts a child that exits with 0 before its test returned (a
 * plugin, or gRPC, calling exit(0)) as a pass: end such a child with 1,
 * which Check reports as an error. */
static void exit_early(void)
{
    if (!test_returned)
        _exit(1);
}

/* A checked fixture: it runs in each test's forked child, so the plugin,
 * and with it gRPC, is loaded and initialised there and never in this
 * parent, which only forks (gRPC is not fork-safe once initialised). */
static void load(void)
{
    test_returned = false;
    ck_assert_int_eq(atexit(exit_early), 0);
    T = harness_load(plugin_name);
    ck_assert_str_eq(T->name, plugin_name);
}

/* The test returned (its servers and clients stopped): a leak fails it. */
static void returned(void)
{
    test_returned = true;
    if (__lsan_do_recoverable_leak_check != NULL)
        ck_assert_msg(__lsan_do_recoverable_leak_check() == 0,
                      "LeakSanitizer found leaks (reported above)");
}

int gt_main(const char *plugin, const TTest *const *tests, size_t n_tests)
{
    plugin_name = plugin;
    Suite *s = suite_create(plugin);
    TCase *tc = tcase_create("plugin");
    tcase_set_timeout(tc, 60); /* armed only in fork mode: bounds a hung stop */
    tcase_add_checked_fixture(tc, load, returned);
    /* GT_ONLY=name runs that test alone (Check selects suites and cases,
     * not tests). */
    const char *only = getenv("GT_ONLY");
    const TTest *const shared[] = {
        stats_count_connections_and_reconnects,
        compression_is_announced_by_the_side_that_sets_it,
        minimal_stack_leaves_out_grpc_accept_encoding,
        retries_decide_whether_a_call_turned_away_goes_again,
    };
    size_t n_hostile = 0;
    const TTest *const *hostile = gt_hostile_tests(&n_hostile);
    size_t n_chargs = 0, n_payload = 0;
    const TTest *const *chargs = gt_chargs_tests(&n_chargs);
    const TTest *const *payload = gt_payload_tests(&n_payload);
    size_t n_tls = 0;
    const TTest *const *tls = gt_tls_tests(&n_tls);
    const struct {
        const TTest *const *t;
        size_t n;
    } lists[] = { { tests, n_tests },
                  { shared, sizeof shared / sizeof shared[0] },
                  { chargs, n_chargs },
                  { payload, n_payload },
                  { tls, n_tls },
                  { hostile, n_hostile } };
    for (size_t l = 0; l < sizeof lists / sizeof lists[0]; l++)
        for (size_t i = 0; i < lists[l].n; i++)
            if (only == NULL || strcmp(only, lists[l].t[i]->name) == 0)
                tcase_add_test(tc, lists[l].t[i]);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    /* Each test in its own child: the timeout above kills a test that
     * hangs, and a failed assertion ends the child with every server it
     * started, so none leaks into the next test. Set here, not left to
     * CK_FORK in the environment: in one process neither would hold. */
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
