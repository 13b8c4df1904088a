/*
 * test_ten_million.c — 10^7 dependent calls through one channel, server
 * thread and client in this process, every answer checked: no call lost,
 * repeated or answered out of step over a long run. Both sides spin, each
 * on a CPU of its own when there are two (the server thread takes the CPU
 * of the thread that starts it, as under the runner's server_cpu), so it
 * takes seconds. SHM_CALLS=N runs N calls instead (a slow sanitizer build),
 * SHM_SPIN_NS=N spins that long on both sides.
 */
#include "shmtest.h"

#include <check.h>
#include <sched.h>
#include <stdlib.h>

/* Pin this thread to the n-th CPU it may run on; false if there is none. */
static bool pin_to_nth_cpu(const cpu_set_t *allowed, int n)
{
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (!CPU_ISSET(cpu, allowed) || n-- > 0)
            continue;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(cpu, &one);
        return sched_setaffinity(0, sizeof one, &one) == 0;
    }
    return false;
}

START_TEST(ten_million_calls_all_answered_right)
{
    const char *env = getenv("SHM_CALLS");
    const long n = env != NULL ? atol(env) : 10000000L;
    ck_assert_int_gt(n, 0);
    const char *spin = getenv("SHM_SPIN_NS") != NULL ? getenv("SHM_SPIN_NS") : "1000000";
    cpu_set_t allowed;
    ck_assert_int_eq(sched_getaffinity(0, sizeof allowed, &allowed), 0);
    const bool apart = CPU_COUNT(&allowed) >= 2;
    char bound[64];
    if (apart)
        ck_assert(pin_to_nth_cpu(&allowed, 1));
    void *s = shmtest_server(spin, bound);
    if (apart)
        ck_assert(pin_to_nth_cpu(&allowed, 0));
    void *c = shmtest_client(bound, 1, 5000, spin);
    ck_assert_int_eq(shmtest_chain(c, -1000, n), n - 1000);
    shmtest_plugin()->shutdown(c);
    shmtest_plugin()->server_stop(s);
}
END_TEST

int main(void)
{
    Suite *su = suite_create("shm ten million");
    TCase *tc = tcase_create("ten million");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, ten_million_calls_all_answered_right);
    suite_add_tcase(su, tc);
    return shmtest_run(su);
}
