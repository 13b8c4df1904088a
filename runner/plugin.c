/*
 * plugin.c — dlopen, dlsym and the ABI checks (see transport.h for the
 * versioning rule: major must match, appended members are read only when
 * the plugin's minor has them).
 *
 * Every plugin is opened with RTLD_NODELETE: gRPC finishes its shutdown on
 * detached threads that crash if the library is unmapped under them, and a
 * benchmark gains nothing from unmapping code. dlclose then only drops our
 * reference.
 */
#include "plugin.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef INCBENCH_PKGLIBDIR
#error "INCBENCH_PKGLIBDIR comes from runner/local.mk"
#endif
#ifndef INCBENCH_BUILDDIR
#define INCBENCH_BUILDDIR ""
#endif

#define MAX_DIRS 64

/* The build tree's plugins when this binary is the one in the build tree,
 * so `runner/runner conf/default.ini` works before `make install`. */
static bool running_from_build_tree(void)
{
    char exe[PATH_MAX], want[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 || INCBENCH_BUILDDIR[0] == '\0')
        return false;
    exe[n] = '\0';
    snprintf(want, sizeof want, "%s/runner/", INCBENCH_BUILDDIR);
    /* runner/runner, or runner/.libs/lt-runner under a libtool wrapper */
    return strncmp(exe, want, strlen(want)) == 0;
}

/* Fill dirs[] with the search path; each entry is a directory, except the
 * build-tree one, which is a pattern with %s for the plugin name. */
struct dir_entry {
    char path[PATH_MAX];
    bool build_tree;
};

static size_t plugin_dirs(const struct plugin_search *search, struct dir_entry *dirs)
{
    size_t n = 0;
    if (search && search->cli_dir) {
        snprintf(dirs[n].path, PATH_MAX, "%s", search->cli_dir);
        dirs[n++].build_tree = false;
    }
    if (search && search->config_dir) {
        snprintf(dirs[n].path, PATH_MAX, "%s", search->config_dir);
        dirs[n++].build_tree = false;
    }
    const char *env = getenv("INCBENCH_PLUGIN_PATH");
    if (env != NULL) {
        const char *p = env;
        while (*p != '\0' && n < MAX_DIRS - 2) {
            const char *colon = strchr(p, ':');
            size_t len = colon ? (size_t)(colon - p) : strlen(p);
            if (len > 0 && len < PATH_MAX) {
                memcpy(dirs[n].path, p, len);
                dirs[n].path[len] = '\0';
                dirs[n++].build_tree = false;
            }
            p += len;
            if (*p == ':')
                p++;
        }
    }
    if (running_from_build_tree()) {
        snprintf(dirs[n].path, PATH_MAX, "%s/plugins", INCBENCH_BUILDDIR);
        dirs[n++].build_tree = true;
    }
    snprintf(dirs[n].path, PATH_MAX, "%s", INCBENCH_PKGLIBDIR);
    dirs[n++].build_tree = false;
    return n;
}

static void candidate(const struct dir_entry *d, const char *name, char *out, size_t len)
{
    if (d->build_tree)
        snprintf(out, len, "%s/%s/.libs/%s.so", d->path, name, name);
    else
        snprintf(out, len, "%s/%s.so", d->path, name);
}

bool plugin_has_server(const struct plugin *p)
{
    return p->t->server_start != NULL;
}

bool plugin_has_pipelining(const struct plugin *p)
{
    return p->t->submit != NULL;
}

static int check_vtable(struct plugin *p, char *err, size_t errlen)
{
    const struct incbench_transport *t = p->t;
    uint32_t major = INCBENCH_ABI_MAJOR_OF(t->abi_version);
    if (major != INCBENCH_ABI_MAJOR) {
        snprintf(err, errlen, "%s: ABI version %u.%u, but this runner speaks %u.x "
                 "(rebuild the plugin against this incbench's transport.h)",
                 p->path, major, INCBENCH_ABI_MINOR_OF(t->abi_version), INCBENCH_ABI_MAJOR);
        return -1;
    }
    p->minor = INCBENCH_ABI_MINOR_OF(t->abi_version);
    const char *missing = t->name == NULL ? "name"
                        : t->init == NULL ? "init"
                        : t->increment == NULL ? "increment"
                        : t->shutdown == NULL ? "shutdown"
                        : NULL;
    if (missing != NULL) {
        snprintf(err, errlen, "%s: required member '%s' is NULL", p->path, missing);
        return -1;
    }
    if ((t->server_start == NULL) != (t->server_stop == NULL)) {
        snprintf(err, errlen, "%s: server_start and server_stop must both be set or both NULL",
                 p->path);
        return -1;
    }
    if ((t->submit == NULL) != (t->complete == NULL)) {
        snprintf(err, errlen, "%s: submit and complete must both be set or both NULL", p->path);
        return -1;
    }
    p->stats = p->minor >= 1 ? t->stats : NULL;
    return 0;
}

int plugin_open_path(struct plugin *p, const char *path, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    /* dlopen reads a name without '/' as a library to search for: a file
     * named on our command line is always a file, so anchor it. */
    snprintf(p->path, sizeof p->path, "%s%s", strchr(path, '/') ? "" : "./", path);
    path = p->path;
    dlerror();
    p->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (p->dl == NULL) {
        snprintf(err, errlen, "cannot load plugin %s: %s", path, dlerror());
        return -1;
    }
    p->t = dlsym(p->dl, INCBENCH_TRANSPORT_SYMBOL);
    if (p->t == NULL) {
        snprintf(err, errlen, "%s: no symbol '%s' (is it an incbench plugin?)", path,
                 INCBENCH_TRANSPORT_SYMBOL);
        goto fail;
    }
    if (check_vtable(p, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    dlclose(p->dl);
    memset(p, 0, sizeof *p);
    return -1;
}

static bool is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int plugin_open(struct plugin *p, const char *spec, const char *base_dir,
                const struct plugin_search *search, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (strchr(spec, '/') != NULL) {
        if (spec[0] == '/' || base_dir == NULL)
            snprintf(path, sizeof path, "%s", spec);
        else
            snprintf(path, sizeof path, "%s/%s", base_dir, spec);
        if (!is_file(path)) {
            snprintf(err, errlen, "plugin '%s': no such file %s", spec, path);
            return -1;
        }
        return plugin_open_path(p, path, err, errlen);
    }
    struct dir_entry dirs[MAX_DIRS];
    size_t n = plugin_dirs(search, dirs);
    char tried[2048] = "";
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        candidate(&dirs[i], spec, path, sizeof path);
        if (is_file(path))
            return plugin_open_path(p, path, err, errlen);
        int w = snprintf(tried + used, sizeof tried - used, "%s%s", i ? ", " : "", path);
        if (w > 0 && (size_t)w < sizeof tried - used)
            used += (size_t)w;
    }
    snprintf(err, errlen, "plugin '%s' not found; looked for %s", spec, tried);
    return -1;
}

void plugin_close(struct plugin *p)
{
    if (p->dl != NULL)
        dlclose(p->dl);
    memset(p, 0, sizeof *p);
}

static void list_one(const char *path, FILE *out)
{
    struct plugin p;
    char err[512];
    if (plugin_open_path(&p, path, err, sizeof err) != 0) {
        fprintf(out, "  %-14s (unusable) %s\n", "?", err);
        return;
    }
    fprintf(out, "  %-14s ABI %u.%u  %-6s %s\n      %s\n", p.t->name,
            INCBENCH_ABI_MAJOR_OF(p.t->abi_version), p.minor,
            plugin_has_server(&p) ? "server" : "local",
            p.t->summary ? p.t->summary : "", p.path);
    plugin_close(&p);
}

static int list_dir(const struct dir_entry *d, FILE *out)
{
    DIR *dir = opendir(d->path);
    if (dir == NULL)
        return 0;
    int found = 0;
    struct dirent *de;
    char path[PATH_MAX + 300];
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (d->build_tree) {
            char name[256];
            snprintf(name, sizeof name, "%s", de->d_name);
            candidate(d, name, path, sizeof path);
        } else {
            size_t len = strlen(de->d_name);
            if (len < 4 || strcmp(de->d_name + len - 3, ".so") != 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", d->path, de->d_name);
        }
        if (!is_file(path))
            continue;
        list_one(path, out);
        found++;
    }
    closedir(dir);
    return found;
}

int plugin_list(const struct plugin_search *search, FILE *out)
{
    struct dir_entry dirs[MAX_DIRS];
    size_t n = plugin_dirs(search, dirs);
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        fprintf(out, "%s%s:\n", dirs[i].path, dirs[i].build_tree ? " (build tree)" : "");
        int k = list_dir(&dirs[i], out);
        if (k == 0)
            fprintf(out, "  (none)\n");
        found += k;
    }
    return found;
}

const char *plugin_listen(const struct plugin *p, const char *listen)
{
    if (listen != NULL)
        return listen;
    return p->minor >= 2 ? NULL : "127.0.0.1:0";
}
