/*
 * futex.c — see futex.h. The segment is MAP_SHARED between processes, so
 * FUTEX_WAIT / FUTEX_WAKE key on the page, not on the address space: the
 * _PRIVATE variants would never see the other process.
 */
#include "futex.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

void futex_wait_ms(_Atomic uint32_t *word, uint32_t expected, long ms)
{
    if (ms <= 0)
        return;
    const struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };
    /* Relative timeout; EAGAIN (the word moved), EINTR and ETIMEDOUT all
     * send the caller back to its check. */
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, &ts, NULL, 0);
}

void futex_wake_all(_Atomic uint32_t *word)
{
    syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

bool futex_peer_alive(pid_t pid)
{
    if (pid <= 0)
        return false;
    if (kill(pid, 0) == -1 && errno == ESRCH)
        return false;
    /* kill() still reaches a zombie: its state in /proc says it is done. */
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT;
    const ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return true;
    buf[n] = '\0';
    const char *paren = strrchr(buf, ')');   /* the name may hold spaces and ')' */
    if (paren == NULL || paren[1] != ' ')
        return true;
    return paren[2] != 'Z' && paren[2] != 'X';
}
