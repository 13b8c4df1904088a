/*
 * e2eutil.h — what the end-to-end tests of the built runner share: a
 * scratch directory per test, running runner/runner with a bounded wait and
 * sanitizer reports treated as failures, and reading its JSON back.
 * Tests only; every helper fails the running Check test on a surprise.
 */
#ifndef INCBENCH_TESTS_E2EUTIL_H
#define INCBENCH_TESTS_E2EUTIL_H

#include "testutil.h"

#include <jansson.h>

/* Below Check's own 60 s per test, so a hang is reported as ours. */
#define RUN_TIMEOUT_MS 30000

/* The scratch directory of the running test (Check fixture). */
extern char *e2e_dir;
void e2e_setup(void);
void e2e_teardown(void);

/* Run the runner with up to 15 arguments (NULL-terminated list), with the
 * extra environment env (NULL: only an empty INCBENCH_PLUGIN_PATH) in cwd. */
void run_env(struct tu_proc *p, const char *const *env, const char *cwd, ...);
#define run(p, ...) run_env((p), NULL, NULL, __VA_ARGS__, (const char *)NULL)

/* Write text to e2e_dir/test.ini; the malloc'd path. */
char *conf(const char *text);

json_t *parse_json(const char *text);
json_t *get(json_t *o, const char *key);
json_int_t get_int(json_t *o, const char *key);
const char *get_str(json_t *o, const char *key);
/* A number, integer or real. */
double get_num(json_t *o, const char *key);
json_t *section_at(json_t *root, size_t i);

/* The line of s that starts with `prefix` (malloc'd), or NULL. */
char *line_starting(const char *s, const char *prefix);

#endif
