/*
 * shmtest.c — see shmtest.h.
 */
#include "shmtest.h"

#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

const struct incbench_transport *shmtest_plugin(void)
{
    return harness_load("shm");
}

void *shmtest_server(const char *spin_ns, char bound[64])
{
    struct harness_params hp;
    harness_params(&hp, NULL, 2000, "spin_ns", spin_ns, NULL);
    void *s = harness_server(shmtest_plugin(), &hp, bound);
    ck_assert_msg(strncmp(bound, "shm:", 4) == 0, "bound '%s'", bound);
    return s;
}

void *shmtest_client(const char *bound, unsigned window, unsigned timeout_ms,
                     const char *spin_ns)
{
    struct harness_params hp;
    harness_params(&hp, bound, timeout_ms, "spin_ns", spin_ns, NULL);
    hp.p.max_inflight = window;
    void *c = NULL;
    char err[256] = "";
    ck_assert_msg(shmtest_plugin()->init(&c, &hp.p, err, sizeof err) == 0, "init: %s", err);
    return c;
}

void shmtest_init_fails(const struct harness_params *hp, const char *phrase)
{
    const struct incbench_transport *t = shmtest_plugin();
    void *c = NULL;
    char err[256] = "";
    ck_assert_int_eq(t->init(&c, &hp->p, err, sizeof err), -1);
    t->shutdown(c);
    ck_assert_msg(strstr(err, phrase) != NULL, "'%s' lacks '%s'", err, phrase);
    ck_assert_msg(strchr(err, '\n') == NULL, "'%s' is not one line", err);
}

int64_t shmtest_chain(void *client, int64_t v, long n)
{
    const struct incbench_transport *t = shmtest_plugin();
    char err[256];
    for (long i = 0; i < n; i++) {
        int64_t r = 0;
        if (t->increment(client, v, &r, err, sizeof err) != 0)
            ck_abort_msg("call %ld: %s", i, err);
        if (r != v + 1)
            ck_abort_msg("call %ld: %lld answered %lld", i, (long long)v, (long long)r);
        v = r;
    }
    return v;
}

bool shmtest_segment_exists(const char *bound)
{
    char path[256];
    snprintf(path, sizeof path, "/dev/shm/%s", bound + 4);
    return access(path, F_OK) == 0;
}

int shmtest_run(Suite *su)
{
    SRunner *sr = srunner_create(su);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
