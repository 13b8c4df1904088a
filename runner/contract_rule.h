/*
 * contract_rule.h — what the rules of `--check-plugin` share, inside the
 * runner only: the state of one rule's child process and the small steps
 * (start a server, make a client, one checked increment) rules are made of.
 * contract.c runs the rules; contract_process.c holds the rules about what
 * a plugin does to the process around it (global state, leaks, deadlines).
 */
#ifndef INCBENCH_CONTRACT_RULE_H
#define INCBENCH_CONTRACT_RULE_H

#include "plugin.h"

#include <stdbool.h>
#include <stdint.h>

/* Deadline the rules give plugins, unless a rule says otherwise. */
#define CONTRACT_TIMEOUT_MS 2000

#define CONTRACT_FDS 4096

struct contract_ctx {
    const struct plugin *p;
    void *server;                 /* the server every rule gets, or NULL */
    char address[INCBENCH_MIN_BOUNDLEN]; /* where it listens ("" in-process) */
    char msg[512];                /* why the rule failed */
    int report_fd;                /* the pipe msg travels back on */
    /* Descriptors open before the plugin ran (the runner's, or inherited
     * from whoever started it): not the plugin's to mark close-on-exec. */
    unsigned char before[CONTRACT_FDS / 8];
};

/* Start one more server of the plugin as a section without listen would; its endpoint in
 * bound. 0, or -1 with c->msg set. */
int contract_server(struct contract_ctx *c, void **server, char *bound, size_t boundlen);

/* Where a client calls: the server every rule gets, or NULL in-process. */
const char *contract_address(const struct contract_ctx *c);

/* A client with no options for `address` (NULL in-process). 0, or -1 with
 * c->msg set; *client must be shut down either way. */
int contract_client(struct contract_ctx *c, const char *address, unsigned timeout_ms,
                    void **client);

/* One increment that must answer v + 1. 0, or -1 with c->msg set. */
int contract_expect(struct contract_ctx *c, void *client, int64_t v);

/* Rules of contract_process.c: each returns 0 (kept), -1 (broken, c->msg
 * says how) or CONTRACT_SKIP (does not apply to this plugin, c->msg says
 * why). */
#define CONTRACT_SKIP 1
int contract_rule_side_by_side(struct contract_ctx *c);
int contract_rule_no_leaks(struct contract_ctx *c);
int contract_rule_deadline(struct contract_ctx *c);
int contract_rule_cloexec(struct contract_ctx *c);
/* Note in c->before what is open now, before the plugin runs. */
void contract_note_fds(struct contract_ctx *c);

#endif
