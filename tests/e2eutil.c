/*
 * e2eutil.c — see e2eutil.h.
 */
#include "e2eutil.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *e2e_dir;

void e2e_setup(void)
{
    e2e_dir = tu_tmpdir();
}

void e2e_teardown(void)
{
    tu_rmtree(e2e_dir);
    free(e2e_dir);
}

/* Run the runner with up to 15 arguments (NULL-terminated list). */
void run_env(struct tu_proc *p, const char *const *env, const char *cwd, ...)
{
    const char *argv[16];
    char *runner = tu_fmt("%s/runner/runner", tu_builddir());
    ck_assert_msg(access(runner, X_OK) == 0, "%s not built", runner);
    argv[0] = runner;
    size_t n = 1;
    va_list ap;
    va_start(ap, cwd);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        ck_assert_uint_lt(n, 15);
        argv[n++] = a;
    }
    va_end(ap);
    argv[n] = NULL;
    /* A test never inherits the caller's plugin path. */
    static const char *const clean[] = { "INCBENCH_PLUGIN_PATH=", NULL };
    tu_run(argv, env ? env : clean, cwd, RUN_TIMEOUT_MS, p);
    ck_assert_msg(p->status != -1, "runner did not finish within %d ms", RUN_TIMEOUT_MS);
    /* Under -fsanitize builds a sanitizer report is a failure of its own,
     * whatever the exit status says (UBSan goes on after reporting). */
    ck_assert_msg(strstr(p->err, "runtime error:") == NULL &&
                  strstr(p->err, "Sanitizer") == NULL, "sanitizer report:\n%.3000s", p->err);
    free(runner);
}

char *conf(const char *text)
{
    return tu_write(e2e_dir, "test.ini", text);
}

json_t *parse_json(const char *text)
{
    json_error_t jerr;
    json_t *root = json_loads(text, 0, &jerr);
    ck_assert_msg(root != NULL, "not JSON (line %d: %s):\n%.1500s", jerr.line, jerr.text, text);
    return root;
}

json_t *get(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    ck_assert_msg(v != NULL, "no key '%s'", key);
    return v;
}

json_int_t get_int(json_t *o, const char *key)
{
    json_t *v = get(o, key);
    ck_assert_msg(json_is_integer(v), "'%s' is not an integer", key);
    return json_integer_value(v);
}

double get_num(json_t *o, const char *key)
{
    json_t *v = get(o, key);
    ck_assert_msg(json_is_number(v), "'%s' is not a number", key);
    return json_number_value(v);
}

const char *get_str(json_t *o, const char *key)
{
    json_t *v = get(o, key);
    ck_assert_msg(json_is_string(v), "'%s' is not a string", key);
    return json_string_value(v);
}

json_t *section_at(json_t *root, size_t i)
{
    json_t *secs = get(root, "sections");
    ck_assert(json_is_array(secs));
    ck_assert_uint_gt(json_array_size(secs), i);
    return json_array_get(secs, i);
}

/* The line of s that starts with `prefix` (malloc'd), or NULL. */
char *line_starting(const char *s, const char *prefix)
{
    size_t len = strlen(prefix);
    for (const char *l = s; *l; ) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        if (n >= len && strncmp(l, prefix, len) == 0)
            return strndup(l, n);
        if (nl == NULL)
            break;
        l = nl + 1;
    }
    return NULL;
}
