/*
 * contract.c — checks a plugin against the rules of transport.h. Each rule
 * runs in a child process of its own (forked before the plugin was ever
 * initialised), so a plugin that crashes or hangs on one rule is reported
 * as failing that rule, with the signal, and the other rules still run.
 * Every rule runs with stdout captured: a plugin that writes one byte there
 * corrupts the JSON or CSV report of a run in thread mode. Its buffers
 * are the smallest transport.h promises.
 */
#include "contract.h"

#include "contract_rule.h"
#include "params.h"
#include "plugin.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RULE_SECONDS 30
#define SKIP_STATUS 3      /* a rule's child: the rule does not apply */
#define UNKNOWN_KEY "incbench_contract_no_such_option"

/* Every rule's params: 8 in flight is what rule_pipelining submits. */
static struct incbench_params params_for(const char *address, unsigned timeout_ms,
                                         const struct incbench_option *opts, size_t n)
{
    return params_make("check-plugin", opts, n, address, timeout_ms, 8);
}

const char *contract_address(const struct contract_ctx *c)
{
    return c->address[0] ? c->address : NULL;
}

int contract_server(struct contract_ctx *c, void **server, char *bound, size_t boundlen)
{
    /* What a section without `listen` hands it: NULL from minor 2 on. */
    const char *listen = plugin_listen(c->p, NULL);
    const struct incbench_params pp = params_for(listen, CONTRACT_TIMEOUT_MS, NULL, 0);
    char err[INCBENCH_MIN_ERRLEN] = "";
    bound[0] = '\0';
    *server = NULL;
    int rc = c->p->t->server_start(server, &pp, bound, boundlen, err, sizeof err);
    plugin_seal(err, sizeof err);
    plugin_seal(bound, boundlen);
    if (rc != 0) {
        snprintf(c->msg, sizeof c->msg, "server_start on %s failed: %s",
                 listen ? listen : "an endpoint of its choice (listen unset)", err);
        return -1;
    }
    if (bound[0] == '\0') {
        snprintf(c->msg, sizeof c->msg, "server_start wrote no bound address");
        return -1;
    }
    return 0;
}

static int start_server(struct contract_ctx *c)
{
    if (c->p->t->server_start == NULL)
        return 0;
    return contract_server(c, &c->server, c->address, sizeof c->address);
}

int contract_client(struct contract_ctx *c, const char *address, unsigned timeout_ms,
                    void **client)
{
    const struct incbench_params pp = params_for(address, timeout_ms, NULL, 0);
    char err[INCBENCH_MIN_ERRLEN] = "";
    *client = NULL;
    if (c->p->t->init(client, &pp, err, sizeof err) != 0) {
        plugin_seal(err, sizeof err);
        snprintf(c->msg, sizeof c->msg, "init with no options failed: %s", err);
        return -1;
    }
    return 0;
}

static int new_client(struct contract_ctx *c, void **client)
{
    if (contract_client(c, contract_address(c), CONTRACT_TIMEOUT_MS, client) == 0)
        return 0;
    c->p->t->shutdown(*client);
    return -1;
}

int contract_expect(struct contract_ctx *c, void *client, int64_t v)
{
    int64_t r = 0;
    char err[INCBENCH_MIN_ERRLEN] = "";
    if (c->p->t->increment(client, v, &r, err, sizeof err) != 0) {
        plugin_seal(err, sizeof err);
        snprintf(c->msg, sizeof c->msg, "increment(%lld) failed: %s", (long long)v, err);
        return -1;
    }
    if (r != v + 1) {
        snprintf(c->msg, sizeof c->msg, "increment(%lld) answered %lld", (long long)v,
                 (long long)r);
        return -1;
    }
    return 0;
}

/* ---- the rules ---- */

static int rule_server(struct contract_ctx *c)
{
    (void)c;
    return 0;    /* start_server already ran for every rule */
}

static int rule_init(struct contract_ctx *c)
{
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    c->p->t->shutdown(client);
    return 0;
}

static int rule_chain(struct contract_ctx *c)
{
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    int64_t v = 0;
    int rc = 0;
    for (int i = 0; i < 1000 && rc == 0; i++, v++)
        rc = contract_expect(c, client, v);
    c->p->t->shutdown(client);
    return rc;
}

static int rule_values(struct contract_ctx *c)
{
    static const int64_t values[] = { -1, INT64_MIN, INT64_MAX - 1, -1000000007, 4294967295LL,
                                      (int64_t)1 << 53 };
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < sizeof values / sizeof values[0] && rc == 0; i++)
        rc = contract_expect(c, client, values[i]);
    c->p->t->shutdown(client);
    return rc;
}

static int rule_overflow(struct contract_ctx *c)
{
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    int64_t r = 12345;
    char err[INCBENCH_MIN_ERRLEN] = "";
    int rc = -1;
    int failed = c->p->t->increment(client, INT64_MAX, &r, err, sizeof err);
    plugin_seal(err, sizeof err);
    if (failed == 0)
        snprintf(c->msg, sizeof c->msg, "increment(INT64_MAX) succeeded with %lld", (long long)r);
    else if (err[0] == '\0')
        snprintf(c->msg, sizeof c->msg, "increment(INT64_MAX) failed without a message");
    else
        rc = 0;
    c->p->t->shutdown(client);
    return rc;
}

static int rule_after_error(struct contract_ctx *c)
{
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    int64_t r;
    char err[INCBENCH_MIN_ERRLEN];
    c->p->t->increment(client, INT64_MAX, &r, err, sizeof err);
    int rc = contract_expect(c, client, 41);
    if (rc != 0) {
        char m[512];
        snprintf(m, sizeof m, "after the overflow error, %s", c->msg);
        snprintf(c->msg, sizeof c->msg, "%s", m);
    }
    c->p->t->shutdown(client);
    return rc;
}

/* err names the unknown key quoted, as transport.h rule 4 asks: the runner
 * finds 'key' in a message to point at the key's line. 0, or -1 with msg. */
static int names_the_key(struct contract_ctx *c, const char *call, int failed, const char *err)
{
    if (failed == 0) {
        snprintf(c->msg, sizeof c->msg, "%s accepted the unknown option '%s'", call,
                 UNKNOWN_KEY);
        return -1;
    }
    if (strstr(err, "'" UNKNOWN_KEY "'") == NULL) {
        snprintf(c->msg, sizeof c->msg, "%s failed, but its message does not name the key "
                 "as '%s': %s", call, UNKNOWN_KEY, err[0] ? err : "(empty)");
        return -1;
    }
    return 0;
}

static int rule_unknown_option(struct contract_ctx *c)
{
    const struct incbench_transport *t = c->p->t;
    struct incbench_option opt = { UNKNOWN_KEY, "1" };
    const struct incbench_params pp = params_for(contract_address(c), CONTRACT_TIMEOUT_MS, &opt, 1);
    void *handle = NULL;
    char err[INCBENCH_MIN_ERRLEN] = "";
    int failed = t->init(&handle, &pp, err, sizeof err);
    plugin_seal(err, sizeof err);
    int rc = names_the_key(c, "init", failed, err);
    t->shutdown(handle);    /* rule: shutdown after a failed init */
    if (rc != 0 || t->server_start == NULL)
        return rc;
    const struct incbench_params sp =
        params_for(plugin_listen(c->p, NULL), CONTRACT_TIMEOUT_MS, &opt, 1);
    char bound[INCBENCH_MIN_BOUNDLEN] = "";
    handle = NULL;
    err[0] = '\0';
    failed = t->server_start(&handle, &sp, bound, sizeof bound, err, sizeof err);
    plugin_seal(err, sizeof err);
    rc = names_the_key(c, "server_start", failed, err);
    t->server_stop(handle);
    return rc;
}

static int rule_null(struct contract_ctx *c)
{
    c->p->t->shutdown(NULL);
    if (c->p->t->server_stop != NULL)
        c->p->t->server_stop(NULL);
    return 0;
}

static int rule_pipelining(struct contract_ctx *c)
{
    const struct incbench_transport *t = c->p->t;
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    char err[INCBENCH_MIN_ERRLEN] = "";
    bool seen[8] = { false };
    int rc = -1;
    for (uint64_t k = 0; k < 8; k++) {
        if (t->submit(client, 100 + k, (int64_t)k * 1000, err, sizeof err) != 0) {
            plugin_seal(err, sizeof err);
            snprintf(c->msg, sizeof c->msg, "submit %llu failed: %s", (unsigned long long)k, err);
            goto out;
        }
    }
    for (int i = 0; i < 8; i++) {
        uint64_t tag = 0;
        int64_t r = 0;
        if (t->complete(client, &tag, &r, err, sizeof err) != 0) {
            plugin_seal(err, sizeof err);
            snprintf(c->msg, sizeof c->msg, "complete %d of 8 failed: %s", i + 1, err);
            goto out;
        }
        if (tag < 100 || tag >= 108 || seen[tag - 100]) {
            snprintf(c->msg, sizeof c->msg, "complete gave unknown or repeated tag %llu",
                     (unsigned long long)tag);
            goto out;
        }
        seen[tag - 100] = true;
        if (r != (int64_t)(tag - 100) * 1000 + 1) {
            snprintf(c->msg, sizeof c->msg, "tag %llu answered %lld", (unsigned long long)tag,
                     (long long)r);
            goto out;
        }
    }
    rc = 0;
out:
    t->shutdown(client);
    return rc;
}

static int rule_stats(struct contract_ctx *c)
{
    void *client;
    if (new_client(c, &client) != 0)
        return -1;
    int rc = contract_expect(c, client, 1);
    struct incbench_stats st;
    memset(&st, 0, sizeof st);
    c->p->stats(client, &st);
    c->p->t->shutdown(client);
    if (rc == 0 && c->p->t->server_start != NULL && st.connections == 0) {
        snprintf(c->msg, sizeof c->msg, "a network client that answered reports 0 connections");
        return -1;
    }
    /* Every TLS handshake, full or resumed, is made on a connection of its
     * own (keep-alive: one and one; a reconnect: one more of each), so a
     * client never counts more of them than connections. Only minor 3 has
     * the members. */
    const uint64_t shakes = st.tls_full_handshakes + st.tls_resumed_handshakes;
    if (rc == 0 && c->p->minor >= 3 && shakes > st.connections) {
        snprintf(c->msg, sizeof c->msg, "reports %llu TLS handshakes (%llu full, %llu resumed) "
                 "over %llu connection%s: each handshake needs a connection of its own",
                 (unsigned long long)shakes, (unsigned long long)st.tls_full_handshakes,
                 (unsigned long long)st.tls_resumed_handshakes,
                 (unsigned long long)st.connections, st.connections == 1 ? "" : "s");
        return -1;
    }
    return rc;
}

struct rule {
    const char *text;
    int (*fn)(struct contract_ctx *);
    bool (*applies)(const struct plugin *);
};

static bool always(const struct plugin *p) { (void)p; return true; }
static bool has_server(const struct plugin *p) { return p->t->server_start != NULL; }
static bool has_pipe(const struct plugin *p) { return p->t->submit != NULL; }
static bool has_stats(const struct plugin *p) { return p->stats != NULL; }

static const struct rule rules[] = {
    { "server_start binds with listen unset and reports the endpoint", rule_server, has_server },
    { "init with no options succeeds", rule_init, always },
    { "1000 dependent increments from 0 answer v + 1", rule_chain, always },
    { "answers are right for negative and large values", rule_values, always },
    { "increment(INT64_MAX) is an error with a message, not a wrapped number", rule_overflow,
      always },
    { "the client still answers after that error", rule_after_error, always },
    { "init and server_start reject an unknown option, naming it; shutdown after the failed "
      "init", rule_unknown_option, always },
    { "shutdown(NULL) and server_stop(NULL) are harmless", rule_null, always },
    { "submit/complete: 8 calls in flight, matched by tag", rule_pipelining, has_pipe },
    { "stats reports the connections a client opened, and no more TLS handshakes than them",
      rule_stats, has_stats },
    { "two clients and two servers side by side each keep their own state",
      contract_rule_side_by_side, always },
    { "init/shutdown and server_start/server_stop in a loop leak no memory, fds or threads",
      contract_rule_no_leaks, always },
    { "calls against a server that accepts and never answers fail within timeout_ms",
      contract_rule_deadline, has_server },
    { "descriptors of the server and a client are close-on-exec", contract_rule_cloexec,
      always },
};

/* In a rule's child: stdout becomes an anonymous file, so that what the
 * plugin writes there can be counted. Returns that file's descriptor. */
static int capture_stdout(char *msg, size_t len)
{
    int fd = memfd_create("incbench-contract-stdout", MFD_CLOEXEC);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
        snprintf(msg, len, "capturing stdout: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* 0 when nothing reached stdout; else -1 with the first bytes, made
 * printable, in msg. */
static int stdout_was_silent(int fd, char *msg, size_t len)
{
    fflush(stdout);
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0)
        return 0;
    char head[48] = "";
    ssize_t n = pread(fd, head, sizeof head - 1, 0);
    for (ssize_t i = 0; i < n; i++)
        if ((unsigned char)head[i] < 0x20 || (unsigned char)head[i] > 0x7e)
            head[i] = '.';
    head[n > 0 ? n : 0] = '\0';
    snprintf(msg, len, "wrote %lld bytes to stdout (\"%s%s\"), where a run in thread mode "
             "writes its JSON or CSV", (long long)st.st_size, head,
             st.st_size > (off_t)sizeof head - 1 ? "..." : "");
    return -1;
}

/* Run one rule in a child; 0 = passed, 1 = does not apply (msg says why),
 * -1 = failed. */
static int run_rule(const struct plugin *p, const struct rule *r, char *msg, size_t len)
{
    int fds[2];
    if (pipe(fds) != 0) {
        snprintf(msg, len, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(msg, len, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        alarm(RULE_SECONDS);
        signal(SIGPIPE, SIG_IGN);
        struct contract_ctx c = { .p = p, .report_fd = fds[1] };
        int out = capture_stdout(c.msg, sizeof c.msg);
        contract_note_fds(&c);
        int rc = out < 0 ? -1 : start_server(&c);
        if (rc == 0)
            rc = r->fn(&c);
        if (c.server != NULL)
            p->t->server_stop(c.server);
        if (rc == 0 && out >= 0)
            rc = stdout_was_silent(out, c.msg, sizeof c.msg);
        if (rc != 0 && write(fds[1], c.msg, strlen(c.msg)) < 0)
            rc = -1;
        _exit(rc == 0 ? 0 : rc == CONTRACT_SKIP ? SKIP_STATUS : 1);
    }
    close(fds[1]);
    size_t got = 0;
    msg[0] = '\0';
    for (;;) {
        ssize_t n = read(fds[0], msg + got, len - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == len - 1)
            break;
    }
    msg[got] = '\0';
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGALRM)
            snprintf(msg, len, "no result within %d s (hung?)", RULE_SECONDS);
        else
            snprintf(msg, len, "crashed: %s", strsignal(sig));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == SKIP_STATUS)
        return 1;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

int contract_check(const char *path, FILE *out)
{
    struct plugin p;
    char err[1024];
    fprintf(out, "checking %s against incbench ABI %u.%u\n", path, INCBENCH_ABI_MAJOR,
            INCBENCH_ABI_MINOR);
    if (plugin_open_path(&p, path, err, sizeof err) != 0) {
        fprintf(out, "FAIL loads, exports '%s', ABI major %u, required ops: %s\n",
                INCBENCH_TRANSPORT_SYMBOL, INCBENCH_ABI_MAJOR, err);
        return 1;
    }
    int failed = 0;
    fprintf(out, "ok   loads and exports '%s'\n", INCBENCH_TRANSPORT_SYMBOL);
    fprintf(out, "ok   ABI %u.%u: major matches this runner's %u\n",
            INCBENCH_ABI_MAJOR_OF(p.t->abi_version), p.minor, INCBENCH_ABI_MAJOR);
    fprintf(out, "ok   name '%s', init, increment, shutdown present; server ops %s, "
            "pipelining %s, stats %s\n", p.t->name, has_server(&p) ? "yes" : "no",
            has_pipe(&p) ? "yes" : "no", has_stats(&p) ? "yes" : "no");
    if (p.t->summary == NULL || p.t->summary[0] == '\0') {
        fprintf(out, "FAIL summary is empty (runner --list shows it)\n");
        failed++;
    }
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        if (!rules[i].applies(&p)) {
            fprintf(out, "skip %s\n", rules[i].text);
            continue;
        }
        char msg[512];
        int rc = run_rule(&p, &rules[i], msg, sizeof msg);
        if (rc == 0) {
            fprintf(out, "ok   %s\n", rules[i].text);
        } else if (rc == 1) {
            fprintf(out, "skip %s: %s\n", rules[i].text, msg);
        } else {
            fprintf(out, "FAIL %s: %s\n", rules[i].text, msg[0] ? msg : "failed");
            failed++;
        }
    }
    fprintf(out, "%s: %d rule%s failed\n", failed ? "FAILED" : "passed", failed,
            failed == 1 ? "" : "s");
    plugin_close(&p);
    return failed;
}
