/*
 * order.c — a right in-process plugin that appends its section's name to
 * the file `log = PATH` at every init, so a test can see in which order
 * the runner created its clients; `fail_at = N` makes the section's Nth
 * init fail (the count is read back from the log: no global state).
 */
#include "common.h"

#include <string.h>

static int or_init(void **client, const struct incbench_params *params, char *err,
                   size_t errlen)
{
    const char *log = NULL;
    long fail_at = 0;
    *client = NULL;
    for (size_t i = 0; i < params->n_options; i++) {
        const struct incbench_option *o = &params->options[i];
        if (strcmp(o->key, "log") == 0)
            log = o->value;
        else if (strcmp(o->key, "fail_at") == 0)
            fail_at = strtol(o->value, NULL, 10);
        else {
            snprintf(err, errlen, "order: unknown option '%s'", o->key);
            return -1;
        }
    }
    if (log == NULL) {
        snprintf(err, errlen, "order: needs 'log'");
        return -1;
    }
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
};
