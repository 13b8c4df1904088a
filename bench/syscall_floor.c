/*
 * syscall_floor.c — what one entry into the kernel costs on this machine,
 * the unit every sleeping transport pays several times per call: a bare
 * syscall (getppid), and a futex wake with no one to wake (shm's cheapest
 * kernel call). bench/floors.sh prints both before its tables; on a
 * virtual machine whose kernel entries trap to the hypervisor they are
 * ten times a bare-metal figure, and that, not the transport, sets the
 * floor of every call that sleeps.
 *     cc -O2 -o syscall_floor syscall_floor.c && ./syscall_floor 1000000
 */
#define _GNU_SOURCE
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n <= 0) {
        fprintf(stderr, "usage: syscall_floor [N > 0]\n");
        return 2;
    }
    int word = 0;
    double t0 = now_ns();
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    double t1 = now_ns();
    for (long i = 0; i < n; i++)
        syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0);
    double t2 = now_ns();
    printf("# one syscall (getppid): %.0f ns; a futex wake with no waiter: %.0f ns\n",
           (t1 - t0) / (double)n, (t2 - t1) / (double)n);
    return 0;
}
