/*
 * fakeroot.h — fake /proc and /sys trees for tests of code that reads them:
 * files written together with their parent directories, and a small healthy
 * machine to start from, which a test then spoils one file at a time.
 * Tests only; set-up failures abort the test through Check.
 */
#ifndef INCBENCH_TESTS_FAKEROOT_H
#define INCBENCH_TESTS_FAKEROOT_H

#include <stddef.h>

/* mkdir -p root/rel. */
void fr_mkdirs(const char *root, const char *rel);

/* Write text to root/rel, creating the directories on the way. */
void fr_put(const char *root, const char *rel, const char *text);

/* The same with len bytes of data, NULs included. */
void fr_put_bytes(const char *root, const char *rel, const void *data, size_t len);

/* root/proc and root/sys of an idle machine with CPUs 0..ncpus-1 online,
 * each its own core, governor "performance", clocksource tsc, no turbo
 * control, load 0.10, untraced, every CPU allowed, no valgrind in the maps.
 * Calling it again with more CPUs adds them. */
void fr_machine(const char *root, unsigned ncpus);

#endif
