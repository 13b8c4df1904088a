/*
 * testutil.c — see testutil.h. Plain POSIX; failures to set up (no temp
 * dir, no fork) abort the test through Check, they are not results.
 */
#include "testutil.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *tu_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    ck_assert_msg(n >= 0, "vasprintf failed");
    return s;
}

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = tu_fmt("%s/incbench-test-XXXXXX", base && base[0] ? base : "/tmp");
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s: %s", dir, strerror(errno));
    return dir;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void tu_rmtree(const char *dir)
{
    if (dir != NULL)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_write(const char *dir, const char *name, const char *text)
{
    char *path = tu_fmt("%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_msg(fp != NULL, "cannot write %s: %s", path, strerror(errno));
    fputs(text, fp);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

char *tu_read(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
    }
    buf[len] = '\0';
    fclose(fp);
    return buf;
}

const char *tu_builddir(void)
{
    const char *top = getenv("top_builddir");
    return top && top[0] ? top : "..";
}

char *tu_test_plugin(const char *name)
{
    return tu_fmt("%s/tests/plugins/.libs/%s.so", tu_builddir(), name);
}

size_t tu_count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + len, needle))
        n++;
    return n;
}

size_t tu_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s == '\n' || s[1] == '\0')
            n++;
    return n;
}

void tu_run(const char *const *argv, const char *const *env, const char *cwd,
            unsigned timeout_ms, struct tu_proc *p)
{
    memset(p, 0, sizeof *p);
    char *dir = tu_tmpdir();
    char *out = tu_fmt("%s/stdout", dir), *err = tu_fmt("%s/stderr", dir);
    fflush(NULL);
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int in = open("/dev/null", O_RDONLY);
        if (o < 0 || e < 0 || in < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0 || dup2(in, 0) < 0)
            _exit(126);
        for (size_t i = 0; env != NULL && env[i] != NULL; i++) {
            const char *eq = strchr(env[i], '=');
            if (eq == NULL)
                _exit(126);
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)(eq - env[i]), env[i]);
            if (eq[1] == '\0')
                unsetenv(key);
            else
                setenv(key, eq + 1, 1);
        }
        if (cwd != NULL && chdir(cwd) != 0)
            _exit(126);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status = 0;
    bool done = false;
    const struct timespec tick = { 0, 5 * 1000 * 1000 };
    for (unsigned waited = 0; waited <= timeout_ms; waited += 5) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        ck_assert_msg(w >= 0 || errno == EINTR, "waitpid: %s", strerror(errno));
        if (w == pid) {
            done = true;
            break;
        }
        nanosleep(&tick, NULL);
    }
    if (!done) {
        kill(pid, SIGKILL);
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
        p->status = -1;
    } else if (WIFEXITED(status)) {
        p->status = WEXITSTATUS(status);
    } else {
        p->status = 128 + WTERMSIG(status);
    }
    p->out = tu_read(out);
    p->err = tu_read(err);
    if (p->out == NULL)
        p->out = strdup("");
    if (p->err == NULL)
        p->err = strdup("");
    tu_rmtree(dir);
    free(out);
    free(err);
    free(dir);
}

void tu_proc_free(struct tu_proc *p)
{
    free(p->out);
    free(p->err);
    p->out = p->err = NULL;
}

int tu_run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
