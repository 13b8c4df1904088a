/*
 * params.h — struct incbench_params, what init and server_start are told,
 * filled in one place: a run's clients, its thread and spawned servers,
 * --check and --check-plugin cannot tell a plugin different things.
 */
#ifndef INCBENCH_PARAMS_H
#define INCBENCH_PARAMS_H

#include "config.h"

#include <incbench/transport.h>
#include <stddef.h>

/* Every field of the struct; abi_version is always this runner's. */
struct incbench_params params_make(const char *section, const struct incbench_option *options,
                                   size_t n_options, const char *address, unsigned timeout_ms,
                                   unsigned max_inflight);

/* The params of sec's client or server: its plugin keys, its deadline and
 * its window, with `address` to call or to bind. */
struct incbench_params params_of_section(const struct config_section *sec, const char *address);

#endif
