/*
 * futex.h — sleeping on a word of the shared segment and waking its
 * sleeper, across processes (the shared futex calls, never the _PRIVATE
 * ones), plus the pause of a spin and the test for a dead peer process.
 * No state; nothing printed.
 */
#ifndef INCBENCH_SHM_FUTEX_H
#define INCBENCH_SHM_FUTEX_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Sleep while *word == expected, at most ms milliseconds (a signal or a
 * spurious wake-up returns early too: callers re-check their condition). */
void futex_wait_ms(_Atomic uint32_t *word, uint32_t expected, long ms);

/* Wake every sleeper on word. */
void futex_wake_all(_Atomic uint32_t *word);

/* One pause of a spin loop: tells the core a spin is under way. */
static inline void futex_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* False once process pid has exited (gone, or a zombie nobody reaped yet). */
bool futex_peer_alive(pid_t pid);

#endif
