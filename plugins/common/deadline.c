/*
 * deadline.c — see deadline.h. Plain POSIX; nothing but the caller's fd.
 */
#include "deadline.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <time.h>

long long deadline_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

long long deadline_now_ms(void)
{
    return deadline_now_ns() / 1000000;
}

enum deadline_wait deadline_poll(int fd, short events, long long deadline_ms, short *revents)
{
    /* Bounded by the clock: every round either returns or waits for what
     * is left, however many signals cut waits short. */
    for (;;) {
        const long long left = deadline_ms - deadline_now_ms();
        if (left <= 0)
            return DEADLINE_PASSED;
        struct pollfd p = { .fd = fd, .events = events };
        const int n = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (n > 0) {
            if (revents != NULL)
                *revents = p.revents;
            return DEADLINE_READY;
        }
        if (n < 0 && errno != EINTR)
            return DEADLINE_FAILED;
    }
}
