/*
 * order.c — a right plugin that appends its section's name to the file
 * `log = PATH` at every init ("a"), server start ("+a") and server stop
 * ("-a"), so a test can see in which order the runner created its clients
 * and servers; `fail_at = N` makes the section's Nth init fail (the count
 * is read back from the log: no global state). Its "server" serves nothing:
 * the client never calls it.
 */
#include "common.h"

#include <string.h>

static int options(const struct incbench_params *params, const char **log, long *fail_at,
                   char *err, size_t errlen)
{
    *log = NULL;
    *fail_at = 0;
    for (size_t i = 0; i < params->n_options; i++) {
        const struct incbench_option *o = &params->options[i];
        if (strcmp(o->key, "log") == 0)
            *log = o->value;
        else if (strcmp(o->key, "fail_at") == 0)
            *fail_at = strtol(o->value, NULL, 10);
        else {
            snprintf(err, errlen, "order: unknown option '%s'", o->key);
            return -1;
        }
    }
    if (*log == NULL) {
        snprintf(err, errlen, "order: needs 'log'");
        return -1;
    }
    return 0;
}

static int append(const char *log, const char *prefix, const char *section)
{
    FILE *fp = fopen(log, "a");
    if (fp == NULL)
        return -1;
    fprintf(fp, "%s%s\n", prefix, section);
    return fclose(fp);
}

/* The server: the log path and section name, to say when it stops. */
struct or_server {
    char log[512], section[128];
};

static int or_server_start(void **server, const struct incbench_params *params, char *bound,
                           size_t boundlen, char *err, size_t errlen)
{
    const char *log;
    long fail_at;
    struct or_server *s = calloc(1, sizeof *s);
    *server = s;
    if (s == NULL) {
        snprintf(err, errlen, "order: out of memory");
        return -1;
    }
    if (options(params, &log, &fail_at, err, errlen) != 0)
        return -1;
    snprintf(s->log, sizeof s->log, "%s", log);
    snprintf(s->section, sizeof s->section, "%s", params->section);
    /* Nothing is bound; a section without `listen` gets a name of its own. */
    snprintf(bound, boundlen, "%s", params->address ? params->address : "order:nowhere");
    if (append(log, "+", params->section) != 0) {
        snprintf(err, errlen, "order: cannot write 'log' %s", log);
        return -1;
    }
    return 0;
}

static void or_server_stop(void *server)
{
    struct or_server *s = server;
    if (s != NULL && s->log[0] != '\0')
        append(s->log, "-", s->section);
    free(s);
}

static int or_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    const char *log;
    long fail_at;
    *client = NULL;
    if (options(params, &log, &fail_at, err, errlen) != 0)
        return -1;
    /* Count this section's earlier inits, then add this one. */
    long seen = 0;
    char line[256];
    FILE *fp = fopen(log, "a+");
    if (fp == NULL) {
        snprintf(err, errlen, "order: cannot open 'log' %s", log);
        return -1;
    }
    rewind(fp);
    while (fgets(line, sizeof line, fp) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strcmp(line, params->section) == 0)
            seen++;
    }
    fprintf(fp, "%s\n", params->section);
    fclose(fp);
    if (fail_at > 0 && seen + 1 == fail_at) {
        snprintf(err, errlen, "order: init %ld fails on purpose", fail_at);
        return -1;
    }
    struct incbench_params none = *params;
    none.n_options = 0;
    return tp_init(client, &none, "order", err, errlen);
}

const struct incbench_transport incbench_transport = {
    .abi_version = INCBENCH_ABI_VERSION,
    .name = "order",
    .summary = "test: logs the order in which clients are created",
    .init = or_init,
    .increment = tp_increment,
    .shutdown = tp_shutdown,
    .server_start = or_server_start,
    .server_stop = or_server_stop,
};
