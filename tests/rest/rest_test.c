/*
 * rest_test.c — see rest_test.h.
 */
#include "rest_test.h"

#include <check.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>

const struct incbench_transport *T;

void rt_load(void)
{
    T = harness_load("rest");
}

void *rt_server(char bound[64], const char *server_timeout_ms)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:0", 2000, "server_timeout_ms", server_timeout_ms, NULL);
    return harness_server(T, &hp, bound);
}

void *rt_client(const char *address, unsigned timeout_ms, const char *connection)
{
    struct harness_params hp;
    harness_params(&hp, address, timeout_ms, "connection", connection, NULL);
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(T->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

uint64_t rt_connections(void *c)
{
    struct incbench_stats st = { 0 };
    T->stats(c, &st);
    return st.connections;
}

void rt_well_behaved_client_is_served(const char *bound)
{
    /* 3 s: after an attack the server may still be winding down. */
    void *c = rt_client(bound, 3000, "keepalive");
    int64_t r = 0;
    char err[256] = "";
    ck_assert_msg(T->increment(c, 41, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 42);
    ck_assert_msg(T->increment(c, -1, &r, err, sizeof err) == 0, "increment: %s", err);
    ck_assert_int_eq(r, 0);
    T->shutdown(c);
}

