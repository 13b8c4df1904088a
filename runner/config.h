/*
 * config.h — the INI file (read with inih) turned into settings the runner
 * trusts: every number checked, every key known, every error one sentence
 * that names the file, the line and the key. Never prints, never exits.
 */
#ifndef INCBENCH_CONFIG_H
#define INCBENCH_CONFIG_H

#include <incbench/transport.h>
#include <sched.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum config_format { FORMAT_TABLE, FORMAT_JSON, FORMAT_CSV, FORMAT_MARKDOWN, FORMAT_HTML };

/* One file of `output =`, whose format its extension chose. */
#define CONFIG_MAX_OUTPUTS 8
struct config_output {
    char *path;                   /* as written, relative to the current directory */
    enum config_format format;
};
enum config_server { SERVER_DEFAULT, SERVER_SPAWN, SERVER_THREAD, SERVER_EXTERNAL };
/* interleaved: repeat 1 of every section, then repeat 2 of every section...;
 * sequential: every repeat of one section before the next section. */
enum config_order { ORDER_INTERLEAVED, ORDER_SEQUENTIAL };

/* One swept key of an expanded run and the value this run took. */
struct config_sweep {
    const char *key, *value;
};

/* One key = value as written (or given with -D: line 0). */
struct config_entry {
    char *key;
    char *value;
    int line;
};

struct config_section {
    char *name;                   /* "rest", or "rest[payload=1k]" when swept */
    int line;                     /* line of the [name] header */
    const char *base;             /* the section as written: "rest" */
    struct config_sweep *sweep;   /* the swept keys and this run's values, written order */
    size_t n_sweep;               /* 0: not swept */
    struct config_entry *entries; /* every key in file order */
    size_t n_entries, cap_entries;

    /* The runner's keys, checked. */
    const char *plugin;
    enum config_server server;
    const char *listen;           /* bind address for spawn / thread */
    const char *address;          /* server = external: where to call */
    unsigned timeout_ms;
    unsigned ready_timeout_ms;    /* bound on a spawned server's READY */
    uint64_t window;              /* 1 = sequential; > 1 pipelined chains */
    bool window_all;
    uint64_t requests, warmup;
    unsigned repeat;
    int64_t start;                /* first value sent */
    uint64_t payload;             /* bytes each way besides the value; 0 = none */
    char *payload_option;         /* payload in plain decimal, the plugin's option when written */
    const char *client_cpu, *server_cpu; /* as written, for the report */
    cpu_set_t client_set, server_set;

    /* Everything else: the plugin's own keys, in file order. */
    struct incbench_option *options;
    size_t n_options;
};

struct config {
    char *path;                   /* as given */
    char *dir;                    /* directory of the file, for relative paths */
    uint64_t requests, warmup;
    unsigned repeat;
    const char *baseline;         /* NULL = none */
    enum config_format format;
    enum config_order order;
    const char *output;           /* as written; NULL = stdout only */
    struct config_output outputs[CONFIG_MAX_OUTPUTS]; /* output's files, in order */
    size_t n_outputs;
    const char *plugin_dir;       /* NULL = none; resolved against dir */
    const char *client_cpu, *server_cpu; /* every section's default placement */
    cpu_set_t client_set, server_set;
    char *plugin_dir_owned;
    struct config_section *sections; /* every section but [runner], file order */
    size_t n_sections;

    /* [runner] entries, kept for messages and -D. */
    struct config_section runner;
};

/* Read `path`, apply `n_defs` overrides "section.key=value" (later wins),
 * check everything. On error returns -1 with a sentence in err and leaves
 * *cfg freed. */
int config_load(struct config *cfg, const char *path, char *const *defs,
                size_t n_defs, char *err, size_t errlen);

void config_free(struct config *cfg);

/* The section called `name`, or NULL; a swept section's base name
 * ("tcp" of "tcp[payload=1k]") finds its first run. */
const struct config_section *config_find(const struct config *cfg, const char *name);

/* The line of key in s, or of the section's header when key is not
 * written there (a default, or a [runner] key it inherits). */
int config_key_line(const struct config_section *s, const char *key);

/* "file:12" or "-D" for a value given on the command line. */
void config_where(const struct config *cfg, int line, char *buf, size_t len);

/* When msg (a plugin's error) names one of s's plugin keys in quotes, buf
 * gets "file:line: key 'k': " to put before it; else buf is empty. */
void config_blame(const struct config *cfg, const struct config_section *s, const char *msg,
                  char *buf, size_t len);

/* ---- the keys the runner reads: one table (config.c) ---- */

/* [runner], or a run section (every other key of which is its plugin's). */
enum config_scope { CONFIG_RUNNER, CONFIG_SECTION };

enum config_type {
    CONFIG_COUNT,  /* a whole number in min..max */
    CONFIG_MS,     /* the same, in milliseconds */
    CONFIG_INT,    /* any 64-bit integer */
    CONFIG_WINDOW, /* a count in min..max, or "all" */
    CONFIG_CHOICE, /* one of choices */
    CONFIG_TEXT,   /* text, empty only when min is 0 */
    CONFIG_DIR,    /* a directory, relative to the config file */
    CONFIG_CPUS,   /* a CPU list: 0, 0,2 or 1-3 */
    CONFIG_OUTPUTS, /* files, comma-separated, each's format from its extension */
    CONFIG_SIZE,   /* bytes in min..max: digits, k or m after them for 1024s (size.h) */
};

struct config_choice {
    const char *name;
    int value;
};

/* One key: how it is checked, where its value goes, what --help-config
 * says of it. A key of both scopes has a row in each. */
struct config_key {
    const char *name;
    enum config_scope scope;
    enum config_type type;
    uint64_t min, max;                   /* see the type */
    const struct config_choice *choices; /* CHOICE: ends with a NULL name */
    const char *def;                     /* applied as if written; NULL: none */
    const char *unset;                   /* when def is NULL, what no value means */
    const char *help;                    /* one line */
    /* A SIZE the plugin takes too: a section that writes the key hands it
     * on as plain decimal bytes (one its plugin does not know, it refuses). */
    bool to_plugin;
    /* Where the value goes, in struct config (RUNNER) or struct
     * config_section (SECTION): at (of `size` bytes), and aux for the
     * cpu_set_t of a CPU list, the bool of window = all, the owned copy of
     * a DIR. */
    size_t at, size, aux;
};

/* Every key, [runner]'s first; *n gets how many. */
const struct config_key *config_keys(size_t *n);

/* The row of `name` in scope, or NULL (in a run section: a plugin's key). */
const struct config_key *config_key_find(enum config_scope scope, const char *name);

/* "1..100000", "table|json|csv", "" ...: what the key takes, in buf. */
void config_key_bounds(const struct config_key *k, char *buf, size_t len);

/* `runner --help-config`: every key, by scope, one line each (100 columns). */
int config_help(FILE *out);

const char *config_format_name(enum config_format f);

/* The format an output file's name asks for (".json" -> FORMAT_JSON); -1
 * for an extension no format has. `known` gets the list, for messages. */
int config_format_of_file(const char *path, char *known, size_t len);
const char *config_server_name(enum config_server s);
const char *config_order_name(enum config_order o);

#endif
