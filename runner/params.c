/*
 * params.c — the one builder of struct incbench_params (see params.h).
 */
#include "params.h"

struct incbench_params params_make(const char *section, const struct incbench_option *options,
                                   size_t n_options, const char *address, unsigned timeout_ms,
                                   unsigned max_inflight)
{
    return (struct incbench_params){
        .abi_version = INCBENCH_ABI_VERSION,
        .section = section,
        .options = options,
        .n_options = n_options,
        .address = address,
        .timeout_ms = timeout_ms,
        .max_inflight = max_inflight,
    };
}

struct incbench_params params_of_section(const struct config_section *sec, const char *address)
{
    /* config.c caps window at INCBENCH_MAX_INFLIGHT: the cast loses nothing. */
    return params_make(sec->name, sec->options, sec->n_options, address, sec->timeout_ms,
                       (unsigned)sec->window);
}
