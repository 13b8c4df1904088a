/*
 * options.h — reading a plugin's section keys (incbench_params.options).
 * Shared by the in-tree plugins so that every one rejects unknown keys and
 * bad numbers with the same kind of sentence. Never prints, never exits.
 */
#ifndef INCBENCH_PLUGIN_OPTIONS_H
#define INCBENCH_PLUGIN_OPTIONS_H

#include <incbench/transport.h>
#include <stdbool.h>

/* -1 and a message naming the key when a key is not in the NULL-terminated
 * `known` list. `who` is the plugin name used to start the message. */
int opts_check(const struct incbench_params *params, const char *who,
               const char *const *known, char *err, size_t errlen);

/* The value of `key`, or NULL. The last occurrence wins. */
const char *opts_get(const struct incbench_params *params, const char *key);

/* Parse `key` as a decimal unsigned in [min, max]; absent leaves *out as is. */
int opts_uint(const struct incbench_params *params, const char *who,
              const char *key, unsigned min, unsigned max, unsigned *out,
              char *err, size_t errlen);

/* Parse `key` as one of the NULL-terminated `choices`; *out is its index.
 * Absent leaves *out as is. */
int opts_choice(const struct incbench_params *params, const char *who,
                const char *key, const char *const *choices, int *out,
                char *err, size_t errlen);

/* Parse `key` as a boolean (true/false, yes/no, on/off, 1/0). */
int opts_bool(const struct incbench_params *params, const char *who,
              const char *key, bool *out, char *err, size_t errlen);

#endif
