/*
 * config.c — INI parsing with inih, then checking every key against the
 * table of config_keys.c (type, bounds, default, where the value goes),
 * which --help-config prints too. inih hands us keys but neither line numbers (Debian builds it
 * without INI_HANDLER_LINENO) nor empty sections, so the line reader we give
 * ini_parse_stream counts lines and notes [section] headers itself.
 * After -D, each run section with lists is replaced by its runs (sweep.c),
 * and every check below sees runs, never the written lists.
 */
#include "config.h"
#include "htmlpage.h"

#include "cpulist.h"
#include "size.h"
#include "sweep.h"

#include <errno.h>
#include <ini.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct parse {
    struct config *cfg;
    FILE *fp;
    char *buf;                    /* getline's, so that NUL bytes can be seen */
    size_t cap;
    size_t cap_sections;
    int line;
    struct config_section *current;
    char *err;
    size_t errlen;
    bool failed;
};

void config_where(const struct config *cfg, int line, char *buf, size_t len)
{
    if (line > 0)
        snprintf(buf, len, "%s:%d", cfg->path, line);
    else
        snprintf(buf, len, "-D");
}

static int fail_at(const struct config *cfg, int line, char *err, size_t errlen,
                   const char *fmt, ...)
{
    char where[1100];
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    config_where(cfg, line, where, sizeof where);
    snprintf(err, errlen, "%s: %s", where, msg);
    return -1;
}

static struct config_section *find_section(struct config *cfg, const char *name)
{
    if (strcmp(name, "runner") == 0)
        return cfg->runner.name ? &cfg->runner : NULL;
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (strcmp(cfg->sections[i].name, name) == 0)
            return &cfg->sections[i];
    return NULL;
}

/* Whether `baseline` may name `name`: a run, or a swept section as written
 * (figures.c pairs each run with its runs). Only the baseline may: a
 * server asked for "tcp" of a swept tcp must not quietly serve its first run. */
static bool baseline_names(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (strcmp(cfg->sections[i].name, name) == 0 ||
            (cfg->sections[i].base != NULL && strcmp(cfg->sections[i].base, name) == 0))
            return true;
    return false;
}

const struct config_section *config_find(const struct config *cfg, const char *name)
{
    return find_section((struct config *)cfg, name);
}

static int add_section(struct parse *ps, const char *name)
{
    struct config *cfg = ps->cfg;
    struct config_section *s;
    /* A repeated [name] other than [runner] is found after parsing, by
     * first_repeat: checking each header against all before it was
     * quadratic. */
    if (strcmp(name, "runner") == 0) {
        if (cfg->runner.name != NULL) {
            ps->failed = true;
            return fail_at(cfg, ps->line, ps->err, ps->errlen,
                           "duplicate section [runner] (first at line %d)", cfg->runner.line);
        }
        s = &cfg->runner;
    } else {
        if (cfg->n_sections == ps->cap_sections) {
            size_t cap = ps->cap_sections ? 2 * ps->cap_sections : 8;
            struct config_section *grown = realloc(cfg->sections, cap * sizeof *grown);
            if (grown == NULL)
                goto oom;
            cfg->sections = grown;
            ps->cap_sections = cap;
        }
        s = &cfg->sections[cfg->n_sections++];
        memset(s, 0, sizeof *s);
    }
    s->name = strdup(name);
    if (s->name == NULL)
        goto oom;
    s->line = ps->line;
    ps->current = s;
    return 0;
oom:
    ps->failed = true;
    snprintf(ps->err, ps->errlen, "out of memory");
    return -1;
}

static int add_entry(struct config_section *s, const char *key, const char *value, int line)
{
    if (s->n_entries == s->cap_entries) {
        size_t cap = s->cap_entries ? 2 * s->cap_entries : 8;
        struct config_entry *grown = realloc(s->entries, cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        s->entries = grown;
        s->cap_entries = cap;
    }
    struct config_entry *e = &s->entries[s->n_entries];
    e->key = strdup(key);
    e->value = strdup(value);
    e->line = line;
    if (e->key == NULL || e->value == NULL) {
        free(e->key);
        free(e->value);
        return -1;
    }
    s->n_entries++;
    return 0;
}

/* The line reader: counts lines and spots [section] headers (see top). */
static char *read_line(char *str, int num, void *stream)
{
    struct parse *ps = stream;
    if (ps->failed)
        return NULL;
    ssize_t got = getline(&ps->buf, &ps->cap, ps->fp);
    if (got < 0)
        return NULL;
    ps->line++;
    const char *in = ps->buf;
    size_t len = (size_t)got;
    /* A UTF-8 byte-order mark, as some editors write, is not part of the
     * first line's text. */
    if (ps->line == 1 && len >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0) {
        in += 3;
        len -= 3;
    }
    if (memchr(in, '\0', len) != NULL) {
        ps->failed = true;
        fail_at(ps->cfg, ps->line, ps->err, ps->errlen, "NUL byte in the line (not a text file?)");
        return NULL;
    }
    size_t text = len - (len > 0 && in[len - 1] == '\n');
    if (text > (size_t)num - 2) {
        ps->failed = true;
        fail_at(ps->cfg, ps->line, ps->err, ps->errlen,
                "line longer than %d characters (inih's limit)", num - 2);
        return NULL;
    }
    memcpy(str, in, len);
    str[len] = '\0';
    /* inih reads an indented line as the continuation of the previous
     * value; in a benchmark config that is always an indented key, so the
     * indentation goes before inih sees the line. */
    size_t lead = strspn(str, " \t");
    if (lead > 0)
        memmove(str, str + lead, strlen(str + lead) + 1);
    const char *p = str;
    if (*p == '[') {
        const char *close = strchr(p, ']');
        if (close == NULL) {
            ps->failed = true;
            fail_at(ps->cfg, ps->line, ps->err, ps->errlen,
                    "'[' opens a section header that has no closing ']'");
            return NULL;
        }
        {
            char name[256];
            const char *b = p + 1;
            while (b < close && (*b == ' ' || *b == '\t'))
                b++;
            const char *e = close;
            while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
                e--;
            size_t n = (size_t)(e - b);
            /* inih keeps at most MAX_SECTION - 1 = 49 bytes of a name. */
            if (n == 0 || n > 49 || n >= sizeof name) {
                ps->failed = true;
                fail_at(ps->cfg, ps->line, ps->err, ps->errlen,
                        "bad section name (empty or longer than 49 characters)");
                return NULL;
            }
            memcpy(name, b, n);
            name[n] = '\0';
            if (add_section(ps, name) != 0)
                return NULL;
        }
    }
    return str;
}

static int on_key(void *user, const char *section, const char *key, const char *value)
{
    struct parse *ps = user;
    if (ps->failed)
        return 0;
    /* inih keeps spaces inside "[ name ]"; read_line trimmed them. */
    while (*section == ' ' || *section == '\t')
        section++;
    size_t slen = strlen(section);
    while (slen > 0 && (section[slen - 1] == ' ' || section[slen - 1] == '\t'))
        slen--;
    if (ps->current == NULL || strlen(ps->current->name) != slen ||
        strncmp(ps->current->name, section, slen) != 0) {
        ps->failed = true;
        fail_at(ps->cfg, ps->line, ps->err, ps->errlen,
                "key '%s' is outside any [section]", key);
        return 0;
    }
    struct config_section *s = ps->current;
    /* A repeated key is found after parsing (first_repeat). */
    if (add_entry(s, key, value, ps->line) != 0) {
        ps->failed = true;
        snprintf(ps->err, ps->errlen, "out of memory");
        return 0;
    }
    return 1;
}

static int apply_define(struct config *cfg, const char *def, char *err, size_t errlen)
{
    const char *dot = strchr(def, '.');
    const char *eq = strchr(def, '=');
    if (dot == NULL || eq == NULL || dot > eq || dot == def || eq == dot + 1) {
        snprintf(err, errlen, "-D '%s': expected section.key=value", def);
        return -1;
    }
    char section[256], key[256];
    size_t ns = (size_t)(dot - def), nk = (size_t)(eq - dot - 1);
    if (ns >= sizeof section || nk >= sizeof key) {
        snprintf(err, errlen, "-D '%s': section or key too long", def);
        return -1;
    }
    memcpy(section, def, ns);
    section[ns] = '\0';
    memcpy(key, dot + 1, nk);
    key[nk] = '\0';
    struct config_section *s = find_section(cfg, section);
    if (s == NULL && strcmp(section, "runner") == 0) {
        /* [runner] is optional in the file; -D runner.x makes it. */
        cfg->runner.name = strdup("runner");
        if (cfg->runner.name == NULL)
            goto oom;
        s = &cfg->runner;
    }
    if (s == NULL) {
        snprintf(err, errlen, "-D '%s': %s has no section [%s]", def, cfg->path, section);
        return -1;
    }
    for (size_t i = 0; i < s->n_entries; i++) {
        if (strcmp(s->entries[i].key, key) == 0) {
            char *v = strdup(eq + 1);
            if (v == NULL)
                goto oom;
            free(s->entries[i].value);
            s->entries[i].value = v;
            s->entries[i].line = 0;
            return 0;
        }
    }
    if (add_entry(s, key, eq + 1, 0) == 0)
        return 0;
oom:
    snprintf(err, errlen, "out of memory");
    return -1;
}

/* ---- value checks, as the table says ---- */

/* One value to check: as written, or a key's default at its section's header. */
struct setting {
    const char *section, *key, *value;
    int line;
};

static int parse_u64(const struct config *cfg, const struct config_key *k,
                     const struct setting *v, uint64_t *out, char *err, size_t errlen)
{
    const char *s = v->value;
    char *end = NULL;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 10);
    if (s[0] == '-' && s[1] != '\0')
        return fail_at(cfg, v->line, err, errlen,
                       "[%s] %s = '%s': must not be negative", v->section, v->key, s);
    if (s[0] == '\0' || s[0] == '+' || s[0] == ' ' || *end != '\0' || errno == ERANGE)
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s' is not a whole number%s",
                       v->section, v->key, s, k->type == CONFIG_WINDOW ? " or all" : "");
    if (n < k->min || n > k->max)
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = %s is out of range %llu..%llu",
                       v->section, v->key, s, (unsigned long long)k->min,
                       (unsigned long long)k->max);
    *out = n;
    return 0;
}

static int parse_i64(const struct config *cfg, const struct setting *v, int64_t *out,
                     char *err, size_t errlen)
{
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v->value, &end, 10);
    if (v->value[0] == '\0' || *end != '\0' || errno == ERANGE)
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s' is not a 64-bit integer",
                       v->section, v->key, v->value);
    *out = n;
    return 0;
}

static int parse_cpus(const struct config *cfg, const struct setting *v, cpu_set_t *set,
                      char *err, size_t errlen)
{
    const char *bad = NULL;
    int bad_len = 0;
    switch (cpulist_parse(v->value, set, &bad, &bad_len)) {
    case CPULIST_OK:
        return 0;
    case CPULIST_BEYOND:
        return fail_at(cfg, v->line, err, errlen,
                       "[%s] %s = '%s': '%.*s' is beyond the last possible CPU, %d",
                       v->section, v->key, v->value, bad_len, bad, CPU_SETSIZE - 1);
    case CPULIST_SYNTAX:
    default:
        return fail_at(cfg, v->line, err, errlen,
                       "[%s] %s = '%s' is not a CPU list (e.g. 0 or 0,2 or 1-3)",
                       v->section, v->key, v->value);
    }
}

/* What a size takes, for every message about one. */
#define SIZE_ACCEPTED "a size is digits, with k or m after them for 1024s (512, 4k, 1m), "

static int parse_size(const struct config *cfg, const struct config_key *k,
                      const struct setting *v, uint64_t *out, char *err, size_t errlen)
{
    char most[32];
    size_format(k->max, most, sizeof most);
    switch (size_parse(v->value, k->max, out)) {
    case SIZE_OK:
        return 0;
    case SIZE_NEGATIVE:
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s' is negative: "
                       SIZE_ACCEPTED "0..%s", v->section, v->key, v->value, most);
    case SIZE_RANGE:
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s' is more than %s "
                       "(%llu bytes): " SIZE_ACCEPTED "0..%s", v->section, v->key, v->value,
                       most, (unsigned long long)k->max, most);
    case SIZE_SYNTAX:
    default:
        return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s' is not a size: "
                       SIZE_ACCEPTED "0..%s", v->section, v->key, v->value, most);
    }
}

static int parse_choice(const struct config *cfg, const struct config_key *k,
                        const struct setting *v, int *out, char *err, size_t errlen)
{
    size_t n = 0;
    for (; k->choices[n].name != NULL; n++) {
        if (strcmp(k->choices[n].name, v->value) == 0) {
            *out = k->choices[n].value;
            return 0;
        }
    }
    char expected[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && used < sizeof expected; i++)
        used += (size_t)snprintf(expected + used, sizeof expected - used, "%s%s",
                                 i == 0 ? "" : i + 1 < n ? ", " : " or ", k->choices[i].name);
    return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s': expected %s", v->section,
                   v->key, v->value, expected);
}

/* A count into the unsigned or uint64_t member the row names. */
static void store_count(char *at, size_t size, uint64_t n)
{
    if (size == sizeof(uint64_t)) {
        memcpy(at, &n, sizeof n);
    } else {
        unsigned u = (unsigned)n;
        memcpy(at, &u, sizeof u);
    }
}

/* Check v as k says and store it in base (cfg or a section). */
static void free_outputs(struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_outputs; i++)
        free(cfg->outputs[i].path);
    cfg->n_outputs = 0;
}

/* "a.json, b.html": each file once, each with an extension that names a
 * format. Paths are taken as written (relative to the current directory,
 * as a shell user expects); a comma cannot be part of one. */
static int parse_outputs(struct config *cfg, const struct setting *v, char *err, size_t errlen)
{
    free_outputs(cfg);
    const char *p = v->value;
    for (;;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0)
            return fail_at(cfg, v->line, err, errlen, "[%s] %s = '%s': an empty file name",
                           v->section, v->key, v->value);
        if (cfg->n_outputs == CONFIG_MAX_OUTPUTS)
            return fail_at(cfg, v->line, err, errlen, "[%s] %s: more than %d files",
                           v->section, v->key, CONFIG_MAX_OUTPUTS);
        char *path = strndup(p, len);
        if (path == NULL) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        char known[128];
        int format = config_format_of_file(path, known, sizeof known);
        for (size_t i = 0; format >= 0 && i < cfg->n_outputs; i++)
            if (strcmp(cfg->outputs[i].path, path) == 0) {
                fail_at(cfg, v->line, err, errlen, "[%s] %s names %s twice", v->section,
                        v->key, path);
                free(path);
                return -1;
            }
        if (format < 0) {
            fail_at(cfg, v->line, err, errlen, "[%s] %s = %s: no format for its extension "
                    "(known: %s)", v->section, v->key, path, known);
            free(path);
            return -1;
        }
#ifndef HAVE_CHARTJS
        if (format == FORMAT_HTML) {
            fail_at(cfg, v->line, err, errlen, "[%s] %s = %s: %s", v->section, v->key, path,
                    HTMLPAGE_MISSING);
            free(path);
            return -1;
        }
#endif
        cfg->outputs[cfg->n_outputs++] = (struct config_output){ path, (enum config_format)format };
        if (end == NULL)
            return 0;
        p = end + 1;
    }
}

static int set_key(struct config *cfg, char *base, const struct config_key *k,
                   const struct setting *v, char *err, size_t errlen)
{
    char *at = base + k->at;
    uint64_t n = 0;
    switch (k->type) {
    case CONFIG_WINDOW:
        if (strcmp(v->value, "all") == 0) {
            const bool all = true;
            memcpy(base + k->aux, &all, sizeof all);
            return 0;
        }
        if (parse_u64(cfg, k, v, &n, err, errlen) != 0)
            return -1;
        store_count(at, k->size, n);
        return 0;
    case CONFIG_COUNT:
    case CONFIG_MS:
        if (parse_u64(cfg, k, v, &n, err, errlen) != 0)
            return -1;
        store_count(at, k->size, n);
        return 0;
    case CONFIG_SIZE:
        if (parse_size(cfg, k, v, &n, err, errlen) != 0)
            return -1;
        memcpy(at, &n, sizeof n);
        return 0;
    case CONFIG_INT: {
        int64_t i = 0;
        if (parse_i64(cfg, v, &i, err, errlen) != 0)
            return -1;
        memcpy(at, &i, sizeof i);
        return 0;
    }
    case CONFIG_CHOICE: {
        int c = 0;
        if (parse_choice(cfg, k, v, &c, err, errlen) != 0)
            return -1;
        memcpy(at, &c, sizeof c);
        return 0;
    }
    case CONFIG_CPUS:
        if (parse_cpus(cfg, v, (cpu_set_t *)(void *)(base + k->aux), err, errlen) != 0)
            return -1;
        break;
    case CONFIG_DIR: {
        /* Relative to the config file, like plugin = ./x.so. */
        char *dir = NULL;
        if (asprintf(&dir, "%s%s%s", v->value[0] == '/' ? "" : cfg->dir,
                     v->value[0] == '/' ? "" : "/", v->value) < 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        char *owned;
        memcpy(&owned, base + k->aux, sizeof owned);
        free(owned);
        memcpy(base + k->aux, &dir, sizeof dir);
        memcpy(at, &dir, sizeof dir);
        return 0;
    }
    case CONFIG_OUTPUTS:
        if (parse_outputs(cfg, v, err, errlen) != 0)
            return -1;
        break;
    case CONFIG_TEXT:
        if (k->min > 0 && v->value[0] == '\0')
            return fail_at(cfg, v->line, err, errlen, "[%s] %s is empty", v->section, v->key);
        break;
    }
    memcpy(at, &v->value, sizeof v->value);
    return 0;
}

/* Every default of scope's keys, as if written on the section's header line. */
static int set_defaults(struct config *cfg, char *base, enum config_scope scope,
                        const struct config_section *s, char *err, size_t errlen)
{
    size_t n_keys;
    const struct config_key *keys = config_keys(&n_keys);
    for (size_t i = 0; i < n_keys; i++) {
        if (keys[i].scope != scope || keys[i].def == NULL)
            continue;
        const struct setting v = { s->name ? s->name : "runner", keys[i].name, keys[i].def,
                                   s->line };
        if (set_key(cfg, base, &keys[i], &v, err, errlen) != 0)
            return -1;
    }
    return 0;
}

static int check_runner(struct config *cfg, char *err, size_t errlen)
{
    const struct config_section *s = &cfg->runner;
    if (set_defaults(cfg, (char *)cfg, CONFIG_RUNNER, s, err, errlen) != 0)
        return -1;
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct config_entry *e = &s->entries[i];
        const struct config_key *k = config_key_find(CONFIG_RUNNER, e->key);
        if (k == NULL) {
            char known[512] = "";
            size_t used = 0, n_keys;
            const struct config_key *keys = config_keys(&n_keys);
            for (size_t j = 0; j < n_keys && used < sizeof known; j++)
                if (keys[j].scope == CONFIG_RUNNER)
                    used += (size_t)snprintf(known + used, sizeof known - used, "%s%s",
                                             used == 0 ? "" : ", ", keys[j].name);
            return fail_at(cfg, e->line, err, errlen, "unknown key '%s' in [runner] (known: %s)",
                           e->key, known);
        }
        const struct setting v = { "runner", e->key, e->value, e->line };
        if (set_key(cfg, (char *)cfg, k, &v, err, errlen) != 0)
            return -1;
    }
#ifndef HAVE_CHARTJS
    /* Known, so --help-config lists it, but not in this build. */
    if (cfg->format == FORMAT_HTML)
        return fail_at(cfg, config_key_line(s, "format"), err, errlen,
                       "[runner] format = 'html': %s", HTMLPAGE_MISSING);
#endif
    return 0;
}

/* The entry that wrote key in s, or NULL. */
static const struct config_entry *written(const struct config_section *s, const char *key)
{
    for (size_t i = 0; i < s->n_entries; i++)
        if (strcmp(s->entries[i].key, key) == 0)
            return &s->entries[i];
    return NULL;
}

/* A written payload goes to the plugin too, as plain decimal bytes: the
 * runner's suffixes are not the plugin's to parse. The only to_plugin key. */
static int hand_to_plugin(struct config_section *s, const struct config_key *k, char *err,
                          size_t errlen)
{
    uint64_t n;
    memcpy(&n, (const char *)s + k->at, sizeof n);
    free(s->payload_option);
    if (asprintf(&s->payload_option, "%llu", (unsigned long long)n) < 0) {
        s->payload_option = NULL;
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    s->options[s->n_options].key = k->name;
    s->options[s->n_options].value = s->payload_option;
    s->n_options++;
    return 0;
}

static int check_section(struct config *cfg, struct config_section *s, char *err, size_t errlen)
{
    if (set_defaults(cfg, (char *)s, CONFIG_SECTION, s, err, errlen) != 0)
        return -1;
    s->requests = cfg->requests;
    s->warmup = cfg->warmup;
    s->repeat = cfg->repeat;
    /* At most every entry is the plugin's. */
    s->options = calloc(s->n_entries ? s->n_entries : 1, sizeof *s->options);
    if (s->options == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < s->n_entries; i++) {
        const struct config_entry *e = &s->entries[i];
        const struct config_key *k = config_key_find(CONFIG_SECTION, e->key);
        if (k == NULL) {
            s->options[s->n_options].key = e->key;
            s->options[s->n_options].value = e->value;
            s->n_options++;
            continue;
        }
        const struct setting v = { s->name, e->key, e->value, e->line };
        if (set_key(cfg, (char *)s, k, &v, err, errlen) != 0)
            return -1;
        if (k->to_plugin && hand_to_plugin(s, k, err, errlen) != 0)
            return -1;
    }
    if (s->plugin == NULL)
        return fail_at(cfg, s->line, err, errlen, "section [%s] has no 'plugin' key", s->name);
    if (s->window_all) {
        if (s->requests > INCBENCH_MAX_INFLIGHT)
            return fail_at(cfg, config_key_line(s, "window"), err, errlen,
                           "[%s] window = all needs requests <= %u (every call in flight "
                           "at once), not %llu", s->name, INCBENCH_MAX_INFLIGHT,
                           (unsigned long long)s->requests);
        s->window = s->requests;
    }
    /* (The default window, 1, is never larger: requests is at least 1.) */
    if (s->window > s->requests)
        return fail_at(cfg, config_key_line(s, "window"), err, errlen,
                       "[%s] window = %llu is larger than requests = %llu", s->name,
                       (unsigned long long)s->window, (unsigned long long)s->requests);
    if (s->server == SERVER_EXTERNAL && s->address == NULL)
        return fail_at(cfg, s->line, err, errlen,
                       "[%s] server = external needs address = the server's endpoint "
                       "(host:port, or what its plugin takes)", s->name);
    if (s->server != SERVER_EXTERNAL && s->address != NULL)
        return fail_at(cfg, config_key_line(s, "address"), err, errlen,
                       "[%s] address is only for server = external (use listen = to choose "
                       "where a spawned or thread server binds)", s->name);
    if (s->server == SERVER_EXTERNAL && s->server_cpu != NULL)
        return fail_at(cfg, config_key_line(s, "server_cpu"), err, errlen,
                       "[%s] server_cpu cannot pin an external server (pin it where it runs)",
                       s->name);
    if (s->server == SERVER_EXTERNAL && written(s, "listen") != NULL)
        return fail_at(cfg, config_key_line(s, "listen"), err, errlen,
                       "[%s] listen has no meaning with server = external", s->name);
    /* [runner]'s placement is every section's default; an external server
     * is pinned where it runs, so it takes only the client's. */
    if (s->client_cpu == NULL && cfg->client_cpu != NULL) {
        s->client_cpu = cfg->client_cpu;
        s->client_set = cfg->client_set;
    }
    if (s->server_cpu == NULL && cfg->server_cpu != NULL && s->server != SERVER_EXTERNAL) {
        s->server_cpu = cfg->server_cpu;
        s->server_set = cfg->server_set;
    }
    return 0;
}

static void free_section(struct config_section *s)
{
    for (size_t i = 0; i < s->n_entries; i++) {
        free(s->entries[i].key);
        free(s->entries[i].value);
    }
    free(s->entries);
    free(s->options);
    free(s->sweep);
    free(s->payload_option);
    free(s->name);            /* base too, when swept: one allocation */
}

void config_free(struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        free_section(&cfg->sections[i]);
    free(cfg->sections);
    free_section(&cfg->runner);
    free(cfg->path);
    free(cfg->dir);
    free(cfg->plugin_dir_owned);
    free_outputs(cfg);
    memset(cfg, 0, sizeof *cfg);
}

int config_key_line(const struct config_section *s, const char *key)
{
    for (size_t i = 0; i < s->n_entries; i++)
        if (strcmp(s->entries[i].key, key) == 0)
            return s->entries[i].line;
    return s->line;
}

/* Interleaved, every server is up at once: two sections that bind one
 * fixed address would fail only when the second starts. Port 0 (or an
 * address a plugin picks itself) never clashes. */
static int check_listen_clash(const struct config *cfg, char *err, size_t errlen)
{
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const struct config_section *a = &cfg->sections[i];
        if (a->server == SERVER_EXTERNAL || a->listen == NULL)
            continue;
        size_t len = strlen(a->listen);
        if (len >= 2 && strcmp(a->listen + len - 2, ":0") == 0)
            continue;
        for (size_t j = i + 1; j < cfg->n_sections; j++) {
            const struct config_section *b = &cfg->sections[j];
            if (b->server == SERVER_EXTERNAL || b->listen == NULL || strcmp(a->listen, b->listen) != 0)
                continue;
            char where[1100];
            config_where(cfg, config_key_line(a, "listen"), where, sizeof where);
            return fail_at(cfg, config_key_line(b, "listen"), err, errlen,
                           "[%s] listen = %s is also [%s]'s (%s): with order = interleaved "
                           "every server is up at once; use port 0 or order = sequential",
                           b->name, b->listen, a->name, where);
        }
    }
    return 0;
}

/* One name as written, for finding repeats by sorting. */
struct name_ref {
    const char *name;
    int line;
};

static int cmp_ref(const void *a, const void *b)
{
    const struct name_ref *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Of refs[0..n), the repeat with the lowest line below `before`: sorted by
 * name then line, a name's earliest repeat is the second of its run and
 * has a lower line than any later one, so one pass finds it, named against
 * the entry before it. 0 when there is none. */
static int lowest_repeat(struct name_ref *refs, size_t n, int before, int *first,
                         const char **name)
{
    qsort(refs, n, sizeof *refs, cmp_ref);
    int best = 0;
    for (size_t i = 1; i < n; i++) {
        if (refs[i].line < before && (best == 0 || refs[i].line < best) &&
            strcmp(refs[i].name, refs[i - 1].name) == 0) {
            best = refs[i].line;
            *first = refs[i - 1].line;
            *name = refs[i].name;
        }
    }
    return best;
}

/* The first repeated section or key in file order, before line `before`,
 * as an error; in n log n, so that 100,000 keys parse in no time. -1 also
 * when out of memory. */
static int first_repeat(struct config *cfg, int before, char *err, size_t errlen)
{
    size_t most = cfg->n_sections > cfg->runner.n_entries ? cfg->n_sections : cfg->runner.n_entries;
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (cfg->sections[i].n_entries > most)
            most = cfg->sections[i].n_entries;
    struct name_ref *refs = malloc((most ? most : 1) * sizeof *refs);
    if (refs == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int line = 0, first = 0;
    const char *name = NULL, *in = NULL;
    for (size_t i = 0; i < cfg->n_sections; i++)
        refs[i] = (struct name_ref){ cfg->sections[i].name, cfg->sections[i].line };
    line = lowest_repeat(refs, cfg->n_sections, before, &first, &name);
    bool is_section = line != 0;
    for (size_t k = 0; k <= cfg->n_sections; k++) {
        const struct config_section *s = k < cfg->n_sections ? &cfg->sections[k] : &cfg->runner;
        for (size_t i = 0; i < s->n_entries; i++)
            refs[i] = (struct name_ref){ s->entries[i].key, s->entries[i].line };
        int f = 0;
        const char *key = NULL;
        int l = lowest_repeat(refs, s->n_entries, line ? line : before, &f, &key);
        if (l != 0) {
            line = l;
            first = f;
            name = key;
            in = s->name;
            is_section = false;
        }
    }
    int rc = 0;
    if (line != 0 && is_section)
        rc = fail_at(cfg, line, err, errlen, "duplicate section [%s] (first at line %d)", name,
                     first);
    else if (line != 0)
        rc = fail_at(cfg, line, err, errlen, "key '%s' repeated in [%s] (first at line %d)",
                     name, in, first);
    free(refs);
    return rc;
}

/* "1024", or past what a uint64_t counts, "more than 2^64". */
static void count_text(uint64_t n, char *buf, size_t len)
{
    if (n == UINT64_MAX)
        snprintf(buf, len, "more than 2^64");
    else
        snprintf(buf, len, "%llu", (unsigned long long)n);
}

/* How many runs the plans make, refused past SWEEP_MAX_RUNS: blamed on
 * the section that makes the most. */
static int check_run_count(const struct config *cfg, const struct sweep_plan *plans,
                           uint64_t *total, char *err, size_t errlen)
{
    /* Only the runs lists make count against the cap: a config of many
     * written sections (bench/config_keys.sh times 10,000) is no sweep. */
    size_t most = 0;
    uint64_t swept = 0;
    *total = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        *total = *total > UINT64_MAX - plans[i].runs ? UINT64_MAX : *total + plans[i].runs;
        if (plans[i].n_keys == 0)
            continue;
        swept = swept > UINT64_MAX - plans[i].runs ? UINT64_MAX : swept + plans[i].runs;
        if (plans[i].runs > plans[most].runs || plans[most].n_keys == 0)
            most = i;
    }
    if (swept <= SWEEP_MAX_RUNS)
        return 0;
    char all[32], one[32];
    count_text(swept, all, sizeof all);
    count_text(plans[most].runs, one, sizeof one);
    const struct config_section *s = &cfg->sections[most];
    int line = config_key_line(s, s->entries[plans[most].keys[0].entry].key);
    if (swept == plans[most].runs)
        return fail_at(cfg, line, err, errlen, "[%s]'s lists would make %s runs: at most %d may run",
                       s->name, one, SWEEP_MAX_RUNS);
    return fail_at(cfg, line, err, errlen, "[%s]'s lists would make %s runs, the config's lists "
                   "%s in all: at most %d may run", s->name, one, all, SWEEP_MAX_RUNS);
}

/* Two runs of one name: a list's items can hold ',' and '=' (as "\,"),
 * so "t[a=1,b=2]" can come from two lists. Written names cannot clash
 * with runs: they have no ']'. n log n, like first_repeat. */
static int cmp_name(const void *a, const void *b)
{
    const struct config_section *const *x = a, *const *y = b;
    int c = strcmp((*x)->name, (*y)->name);
    return c != 0 ? c : (*x > *y) - (*x < *y);
}

static int check_run_names(const struct config *cfg, char *err, size_t errlen)
{
    const struct config_section **by_name = malloc((cfg->n_sections + 1) * sizeof *by_name);
    if (by_name == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < cfg->n_sections; i++)
        by_name[i] = &cfg->sections[i];
    qsort(by_name, cfg->n_sections, sizeof *by_name, cmp_name);
    int rc = 0;
    for (size_t i = 1; i < cfg->n_sections && rc == 0; i++) {
        const struct config_section *a = by_name[i - 1], *b = by_name[i];
        if (strcmp(a->name, b->name) != 0)
            continue;
        if (a->line == b->line)
            rc = fail_at(cfg, b->line, err, errlen, "two runs of [%s] are named [%s]: write "
                         "the lists so that their items differ", b->base, b->name);
        else
            rc = fail_at(cfg, b->line, err, errlen, "[%s] (line %d) and [%s] both make a run "
                         "named [%s]: rename a section", a->base, a->line, b->base, b->name);
    }
    free(by_name);
    return rc;
}

/* Every written section replaced by its runs, in file order: a section
 * without lists becomes one run of its own name. */
static int expand_sweeps(struct config *cfg, char *err, size_t errlen)
{
    int rc = -1;
    const size_t written = cfg->n_sections;
    struct sweep_plan *plans = calloc(written + 1, sizeof *plans);
    if (plans == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    uint64_t total;
    struct config_section *runs = NULL;
    size_t made = 0;
    for (size_t i = 0; i < written; i++)
        if (sweep_plan(cfg, &cfg->sections[i], &plans[i], err, errlen) != 0)
            goto done;
    if (check_run_count(cfg, plans, &total, err, errlen) != 0)
        goto done;
    runs = calloc(total + 1, sizeof *runs);
    if (runs == NULL)
        goto oom;
    for (size_t i = 0; i < written; i++)
        for (uint64_t r = 0; r < plans[i].runs; r++)
            if (sweep_run(&cfg->sections[i], &plans[i], r, &runs[made++]) != 0)
                goto oom;
    for (size_t i = 0; i < written; i++)
        free_section(&cfg->sections[i]);
    free(cfg->sections);
    cfg->sections = runs;
    cfg->n_sections = made;
    runs = NULL;
    rc = check_run_names(cfg, err, errlen);
    goto done;
oom:
    snprintf(err, errlen, "out of memory");
done:
    for (size_t i = 0; i < made && runs != NULL; i++)
        free_section(&runs[i]);
    free(runs);
    for (size_t i = 0; i < written; i++)
        sweep_plan_free(&plans[i]);
    free(plans);
    return rc;
}

int config_load(struct config *cfg, const char *path, char *const *defs,
                size_t n_defs, char *err, size_t errlen)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->path = strdup(path);
    char *copy = strdup(path);
    if (cfg->path == NULL || copy == NULL) {
        free(copy);
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    cfg->dir = strdup(dirname(copy));
    free(copy);
    if (cfg->dir == NULL) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        snprintf(err, errlen, "%s: not a regular file", path);
        goto fail;
    }
    struct parse ps = { .cfg = cfg, .fp = fp, .err = err, .errlen = errlen };
    int rc = ini_parse_stream(read_line, &ps, on_key, &ps);
    fclose(fp);
    free(ps.buf);
    /* A repeat before the line parsing stopped at is the first error. */
    int stop = ps.failed ? ps.line : rc > 0 ? rc : INT_MAX;
    int repeat = first_repeat(cfg, stop, err, errlen);
    if (repeat != 0)
        goto fail;
    if (ps.failed)
        goto fail;
    if (rc != 0) {
        if (rc < 0)
            snprintf(err, errlen, "%s: cannot read the file", path);
        else
            fail_at(cfg, rc, err, errlen, "syntax error (expected [section] or key = value)");
        goto fail;
    }
    for (size_t i = 0; i < n_defs; i++)
        if (apply_define(cfg, defs[i], err, errlen) != 0)
            goto fail;
    if (check_runner(cfg, err, errlen) != 0)
        goto fail;
    if (expand_sweeps(cfg, err, errlen) != 0)
        goto fail;
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (check_section(cfg, &cfg->sections[i], err, errlen) != 0)
            goto fail;
    if (cfg->n_sections == 0) {
        snprintf(err, errlen, "%s: no section to run (add e.g. [direct] with plugin = direct)",
                 path);
        goto fail;
    }
    if (cfg->order == ORDER_INTERLEAVED && check_listen_clash(cfg, err, errlen) != 0)
        goto fail;
    if (cfg->baseline != NULL &&
        (!baseline_names(cfg, cfg->baseline) || strcmp(cfg->baseline, "runner") == 0)) {
        for (size_t i = 0; i < cfg->runner.n_entries; i++)
            if (strcmp(cfg->runner.entries[i].key, "baseline") == 0)
                fail_at(cfg, cfg->runner.entries[i].line, err, errlen,
                        "[runner] baseline = '%s' names no section", cfg->baseline);
        goto fail;
    }
    return 0;
fail:
    config_free(cfg);
    return -1;
}

void config_blame(const struct config *cfg, const struct config_section *s, const char *msg,
                  char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_options; i++) {
        char quoted[300];
        snprintf(quoted, sizeof quoted, "'%s'", s->options[i].key);
        if (strstr(msg, quoted) == NULL)
            continue;
        for (size_t k = 0; k < s->n_entries; k++) {
            if (strcmp(s->entries[k].key, s->options[i].key) != 0)
                continue;
            char where[1100];
            config_where(cfg, s->entries[k].line, where, sizeof where);
            snprintf(buf, len, "%s: key '%s': ", where, s->options[i].key);
            return;
        }
    }
}
