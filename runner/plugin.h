/*
 * plugin.h — finding a transport .so, loading it and checking its vtable
 * against the ABI before anything else touches it.
 */
#ifndef INCBENCH_PLUGIN_H
#define INCBENCH_PLUGIN_H

#include <incbench/transport.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

struct plugin {
    void *dl;
    const struct incbench_transport *t;
    char path[PATH_MAX];
    unsigned minor;               /* the plugin's ABI minor */
    /* Optional members, NULL when the plugin's minor predates them: the
     * rest of the runner reads these, never t->stats directly. */
    void (*stats)(void *client, struct incbench_stats *stats);
};

/* Where bare plugin names are looked up, in order. */
struct plugin_search {
    const char *cli_dir;          /* --plugin-dir */
    const char *config_dir;       /* [runner] plugin_dir, already resolved */
};

/* Load `spec`: a bare name (looked up, see plugin_dirs) or a path (has a
 * '/'; relative paths are relative to `base_dir`). -1 with one sentence. */
int plugin_open(struct plugin *p, const char *spec, const char *base_dir,
                const struct plugin_search *search, char *err, size_t errlen);

/* Load the file at `path` and check its vtable. */
int plugin_open_path(struct plugin *p, const char *path, char *err, size_t errlen);

void plugin_close(struct plugin *p);

/* Print every plugin found in the search path: name, ABI, summary, path. */
int plugin_list(const struct plugin_search *search, FILE *out);

/* A plugin may leave the text it wrote (err, a bound address) without its
 * terminating NUL: end it at its last byte before anything reads it.
 * Called after every plugin call that failed or wrote an address. */
static inline void plugin_seal(char *buf, size_t len)
{
    if (buf != NULL && len > 0)
        buf[len - 1] = '\0';
}

/* Where a buffer handed to a plugin is declared: transport.h promises
 * plugins at least this much room. */
#define PLUGIN_ERRBUF_ASSERT(buf) \
    _Static_assert(sizeof(buf) >= INCBENCH_MIN_ERRLEN, #buf " is below INCBENCH_MIN_ERRLEN")
#define PLUGIN_BOUNDBUF_ASSERT(buf) \
    _Static_assert(sizeof(buf) >= INCBENCH_MIN_BOUNDLEN, #buf " is below INCBENCH_MIN_BOUNDLEN")

/* What server_start gets for a section's `listen` (NULL when unset): the
 * value itself when set; when unset, NULL for a plugin of minor >= 2 (it
 * picks its own endpoint, transport.h promise h), and "127.0.0.1:0" for an
 * older one, which was promised a host:port. */
const char *plugin_listen(const struct plugin *p, const char *listen);

/* True when the server ops are there. */
bool plugin_has_server(const struct plugin *p);
bool plugin_has_pipelining(const struct plugin *p);

#endif
