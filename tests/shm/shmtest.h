/*
 * shmtest.h — what the shm plugin's tests share: the loaded plugin, a
 * server on a fresh name, a client of it, a chain of checked calls, an init
 * expected to fail with a given phrase, and whether /dev/shm still holds a
 * segment, and the run of a suite. Tests only.
 */
#ifndef INCBENCH_TESTS_SHM_SHMTEST_H
#define INCBENCH_TESTS_SHM_SHMTEST_H

#include "harness.h"

#include <check.h>

#include <stdbool.h>
#include <stdint.h>

/* The plugin, loaded once per test process. */
const struct incbench_transport *shmtest_plugin(void);

/* A server on a fresh name (listen unset), spin_ns as given ("0" etc.). */
void *shmtest_server(const char *spin_ns, char bound[64]);

/* A client of bound; fails the test when init fails. */
void *shmtest_client(const char *bound, unsigned window, unsigned timeout_ms,
                     const char *spin_ns);

/* init against address is refused; the sentence (one line) holds `phrase`. */
void shmtest_init_fails(const struct harness_params *hp, const char *phrase);

/* n dependent increments from v, each answer checked; the last answer. */
int64_t shmtest_chain(void *client, int64_t v, long n);

/* True while /dev/shm holds the segment of "shm:NAME". */
bool shmtest_segment_exists(const char *bound);

/* Run the suite (one TCase, per-test timeout in s); main's exit status. */
int shmtest_run(Suite *su);

#endif
