/*
 * sweep.h — a run section whose keys hold lists (`payload = 0, 1k, 64k`)
 * made into one run per combination. Items are trimmed and "\," is a
 * literal comma; a CPU-list key (client_cpu, server_cpu) splits at '|'
 * instead, since its own syntax has commas. The runs are counted before
 * any is made, so a product of a thousand lists costs nothing to refuse.
 * Never prints.
 */
#ifndef INCBENCH_SWEEP_H
#define INCBENCH_SWEEP_H

#include "config.h"

#include <stddef.h>
#include <stdint.h>

/* The most runs a config may expand to, sweeps and plain sections alike. */
#define SWEEP_MAX_RUNS 1000

/* One key of a written section that holds a list. */
struct sweep_key {
    size_t entry;                 /* its index in the section's entries */
    char **items;                 /* trimmed, "\," made ',' */
    size_t n_items;               /* 2 or more */
};

/* A written section's lists, in the order its keys are written. */
struct sweep_plan {
    struct sweep_key *keys;
    size_t n_keys;                /* 0: the section runs once, as written */
    uint64_t runs;                /* product of n_items; UINT64_MAX past that */
};

/* The character between the items of a list under key: '|' for a CPU
 * list, ',' for every other key. */
char sweep_separator(const char *key);

/* Find and split the lists of written section s. A list of `plugin`, an
 * empty item and an item given twice are refused: -1 with one line,
 * "file:line: [s] key = 'value': why", in err (or "out of memory"). */
int sweep_plan(const struct config *cfg, const struct config_section *s,
               struct sweep_plan *plan, char *err, size_t errlen);

void sweep_plan_free(struct sweep_plan *plan);

/* Run `index` (0 .. plan->runs - 1, the first key varying slowest) of s
 * into *run, which it zeroes first: name "base[k=v,k2=v2]" (or s's name
 * when nothing is swept), line, base, sweep, and a copy of every entry
 * with this run's item in place of each list. -1 when out of memory,
 * *run then holding what was made, for the caller to free with the rest. */
int sweep_run(const struct config_section *s, const struct sweep_plan *plan, uint64_t index,
              struct config_section *run);

#endif
