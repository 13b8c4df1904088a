/*
 * confighelp.c — `runner --help-config`: config.c's table of keys shown as
 * one, a line per key, [runner]'s then a run section's, within 100 columns.
 * It only reads the table (the checks read the same rows), so what it says
 * a key takes is what the parser takes. Writes to the stream it is given.
 */
#include "config.h"
#include "size.h"
#include "sweep.h"

#include <string.h>

#define HELP_COLUMNS 100

static const char *const type_names[] = {
    [CONFIG_COUNT] = "count", [CONFIG_MS] = "ms", [CONFIG_INT] = "integer",
    [CONFIG_WINDOW] = "count", [CONFIG_CHOICE] = "choice", [CONFIG_TEXT] = "text",
    [CONFIG_DIR] = "path", [CONFIG_CPUS] = "cpu list", [CONFIG_OUTPUTS] = "files",
    [CONFIG_SIZE] = "size",
};

void config_key_bounds(const struct config_key *k, char *buf, size_t len)
{
    unsigned long long lo = k->min, hi = k->max;
    buf[0] = '\0';
    switch (k->type) {
    case CONFIG_COUNT:
    case CONFIG_MS:
        snprintf(buf, len, "%llu..%llu", lo, hi);
        break;
    case CONFIG_WINDOW:
        snprintf(buf, len, "%llu..%llu|all", lo, hi);
        break;
    case CONFIG_CPUS:
        snprintf(buf, len, "0..%llu", hi);
        break;
    case CONFIG_INT:
        snprintf(buf, len, "-2^63..2^63-1");
        break;
    case CONFIG_TEXT:
        snprintf(buf, len, "%s", k->min > 0 ? "non-empty" : "");
        break;
    case CONFIG_CHOICE: {
        size_t used = 0;
        for (const struct config_choice *c = k->choices; c->name != NULL && used < len; c++)
            used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? "|" : "", c->name);
        break;
    }
    case CONFIG_DIR:
        break;
    case CONFIG_OUTPUTS:
        snprintf(buf, len, "up to %d", CONFIG_MAX_OUTPUTS);
        break;
    case CONFIG_SIZE: {
        char least[32], most[32];
        size_format(lo, least, sizeof least);
        size_format(hi, most, sizeof most);
        snprintf(buf, len, "%s..%s", least, most);
        break;
    }
    }
}

/* Widths of the name, type, bounds and default columns, over every key. */
struct widths {
    int name, type, bounds, def;
};

static int max_int(int a, size_t b)
{
    return (size_t)a > b ? a : (int)b;
}

static struct widths measure(const struct config_key *keys, size_t n)
{
    struct widths w = { 3, 4, 6, 7 };    /* the headings */
    for (size_t i = 0; i < n; i++) {
        char bounds[256];
        config_key_bounds(&keys[i], bounds, sizeof bounds);
        w.name = max_int(w.name, strlen(keys[i].name));
        w.type = max_int(w.type, strlen(type_names[keys[i].type]));
        w.bounds = max_int(w.bounds, strlen(bounds));
        w.def = max_int(w.def, strlen(keys[i].def ? keys[i].def : keys[i].unset));
    }
    return w;
}

/* text from column `col` on, cut at spaces into lines that end by column
 * HELP_COLUMNS, each further line indented to col. */
static void put_wrapped(FILE *out, const char *text, int col)
{
    int room = HELP_COLUMNS - col;
    if (room < 20)
        room = 20;
    while (strlen(text) > (size_t)room) {
        int cut = room;
        while (cut > 0 && text[cut] != ' ')
            cut--;
        if (cut == 0)
            break;
        fprintf(out, "%.*s\n%*s", cut, text, col, "");
        text += cut + 1;
    }
    fprintf(out, "%s\n", text);
}

static void put_scope(FILE *out, const struct config_key *keys, size_t n,
                      enum config_scope scope, const struct widths *w)
{
    fprintf(out, "  %-*s  %-*s  %-*s  %-*s  %s\n", w->name, "KEY", w->type, "TYPE", w->bounds,
            "BOUNDS", w->def, "DEFAULT", "MEANING");
    int col = 2 + w->name + 2 + w->type + 2 + w->bounds + 2 + w->def + 2;
    for (size_t i = 0; i < n; i++) {
        const struct config_key *k = &keys[i];
        if (k->scope != scope)
            continue;
        char bounds[256];
        config_key_bounds(k, bounds, sizeof bounds);
        fprintf(out, "  %-*s  %-*s  %-*s  %-*s  ", w->name, k->name, w->type,
                type_names[k->type], w->bounds, bounds, w->def, k->def ? k->def : k->unset);
        put_wrapped(out, k->help, col);
    }
}

int config_help(FILE *out)
{
    size_t n;
    const struct config_key *keys = config_keys(&n);
    const struct widths w = measure(keys, n);
    fprintf(out, "The keys the runner reads (set any with -D SECTION.KEY=VALUE).\n\n"
                 "[runner]: the run's settings\n");
    put_scope(out, keys, n, CONFIG_RUNNER, &w);
    fprintf(out, "\n[SECTION], every other section: one run. A key not listed here goes to "
                 "its plugin,\nwhich refuses one it does not know (runner --check CONFIG "
                 "finds those).\n"
                 "A list sweeps, one run per item: payload = 0, 1k, 64k (CPU lists: 0 | 1); "
                 "at most %d runs.\n",
            SWEEP_MAX_RUNS);
    put_scope(out, keys, n, CONFIG_SECTION, &w);
    return fflush(out) != 0 || ferror(out) ? -1 : 0;
}
