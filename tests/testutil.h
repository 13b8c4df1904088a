/*
 * testutil.h — what the runner's own tests share: a scratch directory that
 * is removed afterwards, files written into it, paths into the build tree,
 * and running a program with its output captured and a bounded wait.
 * Tests only. Never kills anything but the one child it started.
 */
#ifndef INCBENCH_TESTS_TESTUTIL_H
#define INCBENCH_TESTS_TESTUTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/* Run every test of `s` (Check's own output) and turn the result into an
 * exit status: the main() of every runner test program. */
int tu_run_suite(Suite *s);

/* A fresh mkdtemp directory (malloc'd path); tu_rmtree removes it. */
char *tu_tmpdir(void);
void tu_rmtree(const char *dir);

/* Write `text` to dir/name (creating it); returns the malloc'd path. */
char *tu_write(const char *dir, const char *name, const char *text);

/* Whole file as a malloc'd string (NULL if it cannot be read). */
char *tu_read(const char *path);

/* malloc'd printf. */
char *tu_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* $top_builddir (from make check's environment), or ".." when run by hand
 * from tests/. */
const char *tu_builddir(void);

/* $top_builddir/tests/plugins/.libs/NAME.so (malloc'd). */
char *tu_test_plugin(const char *name);

/* Count non-overlapping occurrences of needle in hay. */
size_t tu_count(const char *hay, const char *needle);

/* Lines of s (newline-terminated or last). */
size_t tu_lines(const char *s);

struct tu_proc {
    int status;      /* exit code; 128 + signal if killed; -1 if timed out */
    char *out;       /* everything it wrote on stdout */
    char *err;       /* ... and on stderr */
};

/* Run argv[0] (a path) with argv, in cwd (NULL = ours), with the extra
 * environment entries "K=V" of env (NULL-terminated, may be NULL; "K=" with
 * nothing after unsets K). Output goes through files in a scratch
 * directory, the wait is bounded by timeout_ms, after which the child (by
 * its PID) is killed and status is -1. */
void tu_run(const char *const *argv, const char *const *env, const char *cwd,
            unsigned timeout_ms, struct tu_proc *p);
void tu_proc_free(struct tu_proc *p);

#endif
