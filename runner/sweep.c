/*
 * sweep.c — lists in a run section's keys made into runs (see sweep.h).
 * A run's name and its entries are built from copies, so every run owns
 * its strings like a written section does and is freed the same way; the
 * written section is freed by the caller once all of its runs exist.
 */
#include "sweep.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sweep_separator(const char *key)
{
    const struct config_key *k = config_key_find(CONFIG_SECTION, key);
    return k != NULL && k->type == CONFIG_CPUS ? '|' : ',';
}

/* Whether value holds a separator that is not escaped: a list. */
static bool is_list(const char *value, char sep)
{
    for (const char *p = value; *p != '\0'; p++) {
        if (p[0] == '\\' && p[1] == sep)
            p++;
        else if (*p == sep)
            return true;
    }
    return false;
}

/* value[0..len) with "\<sep>" made sep; an item of a list is trimmed of
 * spaces and tabs too (a single value is kept as the file or -D gave it). */
static char *item_copy(const char *value, size_t len, char sep, bool trim)
{
    while (trim && len > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        len--;
    }
    while (trim && len > 0 && (value[len - 1] == ' ' || value[len - 1] == '\t'))
        len--;
    char *out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (value[i] == '\\' && i + 1 < len && value[i + 1] == sep)
            i++;
        out[n++] = value[i];
    }
    out[n] = '\0';
    return out;
}

/* Where the item that starts at p ends: the next unescaped sep, or NUL. */
static const char *item_end(const char *p, char sep)
{
    for (; *p != '\0' && *p != sep; p++)
        if (p[0] == '\\' && p[1] == sep)
            p++;
    return p;
}

static uint64_t times(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* "file:line: [s] key = 'value': " and why. */
static int refuse(const struct config *cfg, const struct config_section *s,
                  const struct config_entry *e, char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static int refuse(const struct config *cfg, const struct config_section *s,
                  const struct config_entry *e, char *err, size_t errlen, const char *fmt, ...)
{
    char where[1100], why[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    config_where(cfg, e->line, where, sizeof where);
    snprintf(err, errlen, "%s: [%s] %s = '%s': %s", where, s->name, e->key, e->value, why);
    return -1;
}

/* Split e's value into key->items, checking each. */
static int split(const struct config *cfg, const struct config_section *s,
                 const struct config_entry *e, char sep, struct sweep_key *key, char *err,
                 size_t errlen)
{
    size_t cap = 0;
    for (const char *p = e->value;; p++) {
        const char *end = item_end(p, sep);
        if (key->n_items == cap) {
            cap = cap ? 2 * cap : 4;
            char **grown = realloc(key->items, cap * sizeof *grown);
            if (grown == NULL)
                goto oom;
            key->items = grown;
        }
        char *item = item_copy(p, (size_t)(end - p), sep, true);
        if (item == NULL)
            goto oom;
        key->items[key->n_items++] = item;
        if (item[0] == '\0')
            return refuse(cfg, s, e, err, errlen, "item %zu of the list is empty",
                          key->n_items);
        if (*end == '\0')
            break;
        p = end;
    }
    /* A repeat would make two runs of one name. A list is short (a line
     * of inih's, or one -D), so pairwise is cheap. */
    for (size_t i = 1; i < key->n_items; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(key->items[i], key->items[j]) == 0)
                return refuse(cfg, s, e, err, errlen, "'%s' is listed twice (items %zu and %zu)",
                              key->items[i], j + 1, i + 1);
    return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

int sweep_plan(const struct config *cfg, const struct config_section *s,
               struct sweep_plan *plan, char *err, size_t errlen)
{
    memset(plan, 0, sizeof *plan);
    plan->runs = 1;
    size_t cap = 0;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct config_entry *e = &s->entries[i];
        const char sep = sweep_separator(e->key);
        if (!is_list(e->value, sep))
            continue;
        /* The section's name stands for one transport in every table. */
        if (strcmp(e->key, "plugin") == 0)
            return refuse(cfg, s, e, err, errlen, "a section runs one plugin: write a section "
                          "for each instead of a list");
        if (plan->n_keys == cap) {
            cap = cap ? 2 * cap : 4;
            struct sweep_key *grown = realloc(plan->keys, cap * sizeof *grown);
            if (grown == NULL) {
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            plan->keys = grown;
        }
        struct sweep_key *key = &plan->keys[plan->n_keys++];
        *key = (struct sweep_key){ .entry = i };
        if (split(cfg, s, e, sep, key, err, errlen) != 0)
            return -1;
        plan->runs = times(plan->runs, key->n_items);
    }
    return 0;
}

void sweep_plan_free(struct sweep_plan *plan)
{
    for (size_t k = 0; k < plan->n_keys; k++) {
        for (size_t i = 0; i < plan->keys[k].n_items; i++)
            free(plan->keys[k].items[i]);
        free(plan->keys[k].items);
    }
    free(plan->keys);
    memset(plan, 0, sizeof *plan);
}

/* "base[k=v,k2=v2]" and base after its NUL, in one allocation: the run's
 * name and base live and die together. */
static char *run_name(const char *base, const struct config_sweep *sweep, size_t n)
{
    size_t len = strlen(base) + 2;
    for (size_t k = 0; k < n; k++)
        len += strlen(sweep[k].key) + 1 + strlen(sweep[k].value) + 1;
    char *name = malloc(len + strlen(base) + 1);
    if (name == NULL)
        return NULL;
    size_t used = (size_t)sprintf(name, "%s[", base);
    for (size_t k = 0; k < n; k++)
        used += (size_t)sprintf(name + used, "%s%s=%s", k ? "," : "", sweep[k].key,
                                sweep[k].value);
    used += (size_t)sprintf(name + used, "]");
    strcpy(name + used + 1, base);
    return name;
}

int sweep_run(const struct config_section *s, const struct sweep_plan *plan, uint64_t index,
              struct config_section *run)
{
    memset(run, 0, sizeof *run);
    run->line = s->line;
    run->entries = calloc(s->n_entries ? s->n_entries : 1, sizeof *run->entries);
    if (run->entries == NULL)
        return -1;
    if (plan->n_keys > 0 && (run->sweep = calloc(plan->n_keys, sizeof *run->sweep)) == NULL)
        return -1;
    run->cap_entries = s->n_entries;
    /* This run's item of each list: the last key varies fastest. */
    const char **chosen = calloc(s->n_entries ? s->n_entries : 1, sizeof *chosen);
    if (chosen == NULL)
        return -1;
    for (size_t k = plan->n_keys; k-- > 0;) {
        const struct sweep_key *key = &plan->keys[k];
        chosen[key->entry] = key->items[index % key->n_items];
        index /= key->n_items;
    }
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct config_entry *e = &s->entries[i];
        struct config_entry *to = &run->entries[i];
        to->line = e->line;
        to->key = strdup(e->key);
        to->value = chosen[i] ? strdup(chosen[i])
                              : item_copy(e->value, strlen(e->value),
                                          sweep_separator(e->key), false);
        run->n_entries++;
        if (to->key == NULL || to->value == NULL) {
            free(chosen);
            return -1;
        }
    }
    free(chosen);
    for (size_t k = 0; k < plan->n_keys; k++) {
        const struct config_entry *e = &run->entries[plan->keys[k].entry];
        run->sweep[k] = (struct config_sweep){ e->key, e->value };
    }
    run->n_sweep = plan->n_keys;
    if (plan->n_keys == 0) {
        run->name = strdup(s->name);
        run->base = run->name;
    } else {
        run->name = run_name(s->name, run->sweep, run->n_sweep);
        run->base = run->name ? run->name + strlen(run->name) + 1 : NULL;
    }
    return run->name == NULL ? -1 : 0;
}
