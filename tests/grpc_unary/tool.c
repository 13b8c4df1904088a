/*
 * tool.c — see tool.h.
 */
#include "tool.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct incbench_transport *tool_load(const char *name)
{
    char path[4096];
    const char *top = getenv("top_builddir");
    snprintf(path, sizeof path, "%s/plugins/%s/.libs/%s.so", top ? top : ".", name, name);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
    if (h == NULL) {
        fprintf(stderr, "dlopen %s: %s\n", path, dlerror());
        return NULL;
    }
    const struct incbench_transport *t = dlsym(h, INCBENCH_TRANSPORT_SYMBOL);
    if (t == NULL || INCBENCH_ABI_MAJOR_OF(t->abi_version) != INCBENCH_ABI_MAJOR) {
        fprintf(stderr, "%s: no usable %s\n", path, INCBENCH_TRANSPORT_SYMBOL);
        return NULL;
    }
    return t;
}

int tool_params(struct tool_params *tp, const char *address, unsigned timeout_ms,
                char **kv, int n)
{
    memset(tp, 0, sizeof *tp);
    tp->p.abi_version = INCBENCH_ABI_VERSION;
    tp->p.section = "test";
    tp->p.address = address;
    tp->p.timeout_ms = timeout_ms;
    tp->p.max_inflight = 1;
    tp->p.options = tp->opts;
    for (int i = 0; i < n; i++) {
        char *eq = strchr(kv[i], '=');
        if (eq == NULL || i >= TOOL_MAX_OPTS || strlen(kv[i]) >= sizeof tp->buf[i]) {
            fprintf(stderr, "option '%s' is not key=value\n", kv[i]);
            return -1;
        }
        strcpy(tp->buf[i], kv[i]);
        tp->buf[i][eq - kv[i]] = '\0';
        tp->opts[i].key = tp->buf[i];
        tp->opts[i].value = tp->buf[i] + (eq - kv[i]) + 1;
        tp->p.n_options++;
    }
    return 0;
}
