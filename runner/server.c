/*
 * server.c — server lifecycle. A spawned server is this very program run
 * again (`/proc/self/exe --serve SECTION FILE`) with posix_spawn, never a
 * bare fork: gRPC and other libraries do not survive fork after their init,
 * and a separate process is what a microservice hop is. Every wait here has
 * a bound; nothing is stopped by name, only by the PID we started.
 */
#include "server.h"

#include "deadline.h"
#include "params.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define STOP_GRACE_MS 5000
/* -D options a spawned server can be handed, and its argv's other words. */
#define SPAWN_MAX_DEFS 64
#define SPAWN_FIXED_ARGS 16

static void describe_status(int wstatus, char *buf, size_t len)
{
    if (WIFSIGNALED(wstatus))
        snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(wstatus),
                 strsignal(WTERMSIG(wstatus)));
    else if (WIFEXITED(wstatus))
        snprintf(buf, len, "exited with status %d", WEXITSTATUS(wstatus));
    else
        snprintf(buf, len, "ended (wait status %#x)", (unsigned)wstatus);
}

/* The last lines the server wrote to stderr, on one line, for messages. */
static void stderr_tail(int fd, char *buf, size_t len)
{
    buf[0] = '\0';
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || st.st_size == 0)
        return;
    char tail[600];
    off_t from = st.st_size > (off_t)sizeof tail - 1 ? st.st_size - (off_t)sizeof tail + 1 : 0;
    ssize_t n = pread(fd, tail, sizeof tail - 1, from);
    if (n <= 0)
        return;
    tail[n] = '\0';
    while (n > 0 && (tail[n - 1] == '\n' || tail[n - 1] == ' '))
        tail[--n] = '\0';
    for (ssize_t i = 0; i < n; i++)
        if (tail[i] == '\n')
            tail[i] = '|';
    snprintf(buf, len, "; its stderr: %s", tail);
}

static int reap(struct server *s, int flags)
{
    if (s->reaped)
        return 1;
    pid_t r;
    do {
        r = waitpid(s->pid, &s->wstatus, flags);
    } while (r < 0 && errno == EINTR);
    if (r == s->pid) {
        s->reaped = true;
        return 1;
    }
    return 0;
}

static void kill_and_reap(struct server *s)
{
    if (!s->reaped) {
        kill(s->pid, SIGKILL);
        reap(s, 0);
    }
}

static int tmp_fd(void)
{
    int fd = open("/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    char name[] = "/tmp/incbench-stderr-XXXXXX";
    fd = mkostemp(name, O_CLOEXEC);
    if (fd >= 0)
        unlink(name);
    return fd;
}

/* `runner [--plugin-dir DIR] [-D def]... --serve -- SECTION FILE` into argv,
 * which has room for SPAWN_FIXED_ARGS + 2 * a->n_defs words. */
static void spawn_argv(char **argv, const struct config_section *sec,
                       const struct server_argv *a)
{
    size_t n = 0;
    argv[n++] = "runner";
    if (a->plugin_dir != NULL) {
        argv[n++] = "--plugin-dir";
        argv[n++] = (char *)a->plugin_dir;
    }
    for (size_t i = 0; i < a->n_defs; i++) {
        argv[n++] = "-D";
        argv[n++] = a->defs[i];
    }
    argv[n++] = "--serve";
    argv[n++] = "--";
    argv[n++] = sec->name;
    argv[n++] = (char *)a->config_path;
    argv[n] = NULL;
}

/* The child's environment: ours, with SERVER_SPAWNED_ENV set to our pid in
 * `parent`. A private array (freed by the caller), as setenv here could
 * race a getenv on another section's threads. NULL when out of memory. */
static char **spawn_env(char *parent, size_t len)
{
    snprintf(parent, len, "%s=%ld", SERVER_SPAWNED_ENV, (long)getpid());
    size_t n_env = 0;
    while (environ[n_env] != NULL)
        n_env++;
    char **env = calloc(n_env + 2, sizeof *env);
    if (env == NULL)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n_env; i++)
        if (strncmp(environ[i], SERVER_SPAWNED_ENV "=", strlen(SERVER_SPAWNED_ENV) + 1) != 0)
            env[k++] = environ[i];
    env[k++] = parent;
    env[k] = NULL;
    return env;
}

/* Start the server process into s->pid: stdin /dev/null, stdout out_fd
 * (the READY pipe), stderr s->err_fd. 0, or posix_spawn's error number. */
static int spawn_child(struct server *s, const char *exe, char *const argv[],
                       char *const env[], int out_fd)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, s->err_fd, 2);
    /* Its own process group: a Ctrl-C at the terminal reaches the runner
     * alone, which then stops each server it started, by PID. */
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    int e = posix_spawn(&s->pid, exe, &fa, &attr, argv, env);
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
    if (e != 0)
        s->pid = 0;    /* never kill() a pid posix_spawn did not make */
    return e;
}

/* The READY deadline passed: kill the server and say what it wrote. */
static int ready_too_late(struct server *s, const struct config_section *sec,
                          enum deadline_wait w, char *err, size_t errlen)
{
    char why[128], tail[700];
    if (w == DEADLINE_PASSED)
        snprintf(why, sizeof why, "was not READY after %u ms", sec->ready_timeout_ms);
    else
        snprintf(why, sizeof why, "could not be waited for (poll: %s)", strerror(errno));
    kill_and_reap(s);
    stderr_tail(s->err_fd, tail, sizeof tail);
    snprintf(err, errlen, "[%s] the server (pid %ld) %s; gave up and killed it%s", sec->name,
             (long)s->pid, why, tail);
    return -1;
}

/* Its stdout ended before READY. Closing stdout is not dying: wait for the
 * exit only until the READY deadline, then make sure of it. */
static int ended_before_ready(struct server *s, const struct config_section *sec,
                              long long deadline, char *err, size_t errlen)
{
    char how[128], tail[700];
    while (!reap(s, WNOHANG) && deadline_now_ms() < deadline)
        usleep(2000);
    kill_and_reap(s);
    describe_status(s->wstatus, how, sizeof how);
    stderr_tail(s->err_fd, tail, sizeof tail);
    snprintf(err, errlen, "[%s] the server (pid %ld) %s before it was READY%s", sec->name,
             (long)s->pid, how, tail);
    return -1;
}

/* The server's first line: "READY <endpoint>" gives s->address (the plugin's bound[]); anything
 * else kills it. */
static int take_ready(struct server *s, const struct config_section *sec, const char *line,
                      char *err, size_t errlen)
{
    if (strncmp(line, "READY ", 6) != 0 || line[6] == '\0') {
        kill_and_reap(s);
        snprintf(err, errlen, "[%s] the server wrote '%.200s' instead of 'READY <endpoint>'",
                 sec->name, line);
        return -1;
    }
    snprintf(s->address, sizeof s->address, "%s", line + 6);
    return 0;
}

/* Read the server's first line from s->out_fd, bounded by ready_timeout_ms. */
static int wait_ready(struct server *s, const struct config_section *sec, char *err,
                      size_t errlen)
{
    char line[512];
    size_t got = 0;
    const long long deadline = deadline_now_ms() + sec->ready_timeout_ms;
    for (;;) {
        const enum deadline_wait w = deadline_poll(s->out_fd, POLLIN, deadline, NULL);
        if (w != DEADLINE_READY)
            return ready_too_late(s, sec, w, err, errlen);
        ssize_t r = read(s->out_fd, line + got, sizeof line - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return ended_before_ready(s, sec, deadline, err, errlen);
        got += (size_t)r;
        line[got] = '\0';
        char *nl = strchr(line, '\n');
        if (nl != NULL) {
            *nl = '\0';
            return take_ready(s, sec, line, err, errlen);
        }
        if (got == sizeof line - 1) {
            kill_and_reap(s);
            snprintf(err, errlen, "[%s] the server wrote an overlong first line", sec->name);
            return -1;
        }
    }
}

/* Run this program again as the section's server and wait for its READY. */
static int spawn_up(struct server *s, const struct config_section *sec,
                    const struct server_argv *a, char *err, size_t errlen)
{
    int pipefd[2] = { -1, -1 };
    char *argv[SPAWN_FIXED_ARGS + 2 * SPAWN_MAX_DEFS];
    char parent[64];
    char **env = NULL;
    int rc = -1;

    if (a->n_defs > SPAWN_MAX_DEFS) {
        snprintf(err, errlen, "too many -D options for a spawned server (at most %d)",
                 SPAWN_MAX_DEFS);
        return -1;
    }
    s->err_fd = tmp_fd();
    if (s->err_fd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "[%s] cannot set up the server's pipes: %s", sec->name,
                 strerror(errno));
        goto out;
    }
    spawn_argv(argv, sec, a);
    env = spawn_env(parent, sizeof parent);
    if (env == NULL) {
        snprintf(err, errlen, "[%s] out of memory", sec->name);
        goto out;
    }
    const char *exe = a->self_exe != NULL ? a->self_exe : "/proc/self/exe";
    int e = spawn_child(s, exe, argv, env, pipefd[1]);
    if (e != 0) {
        snprintf(err, errlen, "[%s] cannot spawn the server process: %s", sec->name,
                 strerror(e));
        goto out;
    }
    close(pipefd[1]);
    pipefd[1] = -1;
    s->out_fd = pipefd[0];
    pipefd[0] = -1;
    rc = wait_ready(s, sec, err, errlen);
out:
    free(env);
    if (pipefd[0] >= 0)
        close(pipefd[0]);
    if (pipefd[1] >= 0)
        close(pipefd[1]);
    return rc;
}

static int thread_up(struct server *s, const struct config_section *sec,
                     const struct plugin *p, char *err, size_t errlen)
{
    const struct incbench_params params = params_of_section(sec, plugin_listen(p, sec->listen));
    /* The plugin's threads inherit the affinity of the thread that makes
     * them: pin this thread to server_cpu for the start, then restore. */
    cpu_set_t saved;
    bool pinned = false;
    if (sec->server_cpu != NULL) {
        if (sched_getaffinity(0, sizeof saved, &saved) == 0 &&
            sched_setaffinity(0, sizeof sec->server_set, &sec->server_set) == 0)
            pinned = true;
        else {
            snprintf(err, errlen, "[%s] cannot pin the server to CPUs %s: %s", sec->name,
                     sec->server_cpu, strerror(errno));
            return -1;
        }
    }
    char perr[512] = "";
    PLUGIN_ERRBUF_ASSERT(perr);
    PLUGIN_BOUNDBUF_ASSERT(s->address);
    int rc = p->t->server_start(&s->handle, &params, s->address, sizeof s->address, perr,
                                sizeof perr);
    plugin_seal(perr, sizeof perr);
    plugin_seal(s->address, sizeof s->address);
    if (pinned)
        sched_setaffinity(0, sizeof saved, &saved);
    if (rc != 0) {
        snprintf(err, errlen, "[%s] server_start failed: %s", sec->name,
                 perr[0] ? perr : "the plugin gave no reason");
        if (s->handle != NULL)
            p->t->server_stop(s->handle);
        s->handle = NULL;
        return -1;
    }
    s->t = p->t;
    return 0;
}

enum config_server server_mode(const struct config_section *sec, const struct plugin *p)
{
    if (sec->server == SERVER_DEFAULT && plugin_has_server(p))
        return SERVER_SPAWN;
    return sec->server;
}

int server_up(struct server *s, const struct config_section *sec, const struct plugin *p,
              const struct server_argv *argv, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->out_fd = s->err_fd = -1;
    s->mode = server_mode(sec, p);
    if (s->mode == SERVER_EXTERNAL) {
        snprintf(s->address, sizeof s->address, "%s", sec->address);
        return 0;
    }
    if (s->mode == SERVER_DEFAULT)
        return 0;
    if (!plugin_has_server(p)) {
        snprintf(err, errlen, "[%s] server = %s, but plugin '%s' has no server ops", sec->name,
                 config_server_name(s->mode), p->t->name);
        return -1;
    }
    int rc = s->mode == SERVER_SPAWN ? spawn_up(s, sec, argv, err, errlen)
                                     : thread_up(s, sec, p, err, errlen);
    if (rc != 0)
        server_down(s, NULL, 0);
    return rc;
}

int server_gone(struct server *s, char *why, size_t whylen)
{
    if (s->mode != SERVER_SPAWN || s->pid <= 0)
        return 0;
    if (!reap(s, WNOHANG)) {
        /* A connection reset races the kernel's exit bookkeeping: give it a
         * moment before saying the server is alive. */
        for (int i = 0; i < 20 && !reap(s, WNOHANG); i++)
            usleep(5000);
        if (!s->reaped)
            return 0;
    }
    char how[128];
    describe_status(s->wstatus, how, sizeof how);
    snprintf(why, whylen, "the server (pid %ld) went away: %s", (long)s->pid, how);
    return 1;
}

void server_down(struct server *s, char *note, size_t notelen)
{
    if (note != NULL && notelen > 0)
        note[0] = '\0';
    if (s->mode == SERVER_THREAD && s->handle != NULL) {
        s->t->server_stop(s->handle);
        s->handle = NULL;
    }
    if (s->mode == SERVER_SPAWN && s->pid > 0) {
        if (!s->reaped) {
            kill(s->pid, SIGTERM);
            long long deadline = deadline_now_ms() + STOP_GRACE_MS;
            while (!reap(s, WNOHANG) && deadline_now_ms() < deadline)
                usleep(2000);
            if (!s->reaped) {
                kill_and_reap(s);
                if (note != NULL)
                    snprintf(note, notelen, "the server (pid %ld) ignored SIGTERM for %d ms "
                             "and was killed", (long)s->pid, STOP_GRACE_MS);
            } else if (note != NULL && !(WIFEXITED(s->wstatus) && WEXITSTATUS(s->wstatus) == 0)) {
                char how[128], tail[700];
                describe_status(s->wstatus, how, sizeof how);
                stderr_tail(s->err_fd, tail, sizeof tail);
                snprintf(note, notelen, "the server (pid %ld) %s when stopped%s",
                         (long)s->pid, how, tail);
            }
        }
        s->pid = 0;
    }
    if (s->out_fd >= 0)
        close(s->out_fd);
    if (s->err_fd >= 0)
        close(s->err_fd);
    s->out_fd = s->err_fd = -1;
}
