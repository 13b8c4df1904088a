/*
 * tool.h — what serve.c and drive.c share: load a built plugin the way the
 * runner does (RTLD_NODELETE: gRPC's shutdown threads must never find the
 * library unmapped) and turn "key=value" arguments into plugin options.
 * Test tools only; they print, plugins never do.
 */
#ifndef INCBENCH_TESTS_GRPC_TOOL_H
#define INCBENCH_TESTS_GRPC_TOOL_H

#include <incbench/transport.h>

#define TOOL_MAX_OPTS 16

struct tool_params {
    struct incbench_params p;
    struct incbench_option opts[TOOL_MAX_OPTS];
    char buf[TOOL_MAX_OPTS][128];
};

/* NULL (after printing why) when the plugin cannot be loaded. */
const struct incbench_transport *tool_load(const char *name);

/* -1 (after printing why) on an argument that is not key=value. */
int tool_params(struct tool_params *tp, const char *address, unsigned timeout_ms,
                char **kv, int n);

#endif
