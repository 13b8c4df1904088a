/*
 * config_keys.c — every key the runner reads from a config, in one table:
 * scope, type, bounds, default, one line of help, and where its value goes.
 * config.c checks keys against it, confighelp.c prints it (--help-config);
 * a key added here is parsed, bounded and documented at once.
 */
#include "config.h"
/* PAYLOAD_MAX: the plugins' bound is the runner's (plugins/common). */
#include "../plugins/common/payload.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_WINDOW INCBENCH_MAX_INFLIGHT

/* Bounds that [runner] and the run sections share. */
#define MAX_COUNT (UINT64_C(1) << 40)
#define MAX_REPEAT 100000
#define MAX_TIMEOUT_MS 3600000

/* Where a row's value goes: a member of struct config or of struct config_section. */
#define RUNNER(f) .scope = CONFIG_RUNNER, .at = offsetof(struct config, f), \
                  .size = sizeof(((struct config *)0)->f)
#define SECTION(f) .scope = CONFIG_SECTION, .at = offsetof(struct config_section, f), \
                   .size = sizeof(((struct config_section *)0)->f)
#define RUNNER_AUX(f) .aux = offsetof(struct config, f)
#define SECTION_AUX(f) .aux = offsetof(struct config_section, f)
#define COUNT(lo, hi) .type = CONFIG_COUNT, .min = (lo), .max = (hi)
#define MS(lo, hi) .type = CONFIG_MS, .min = (lo), .max = (hi)
#define TEXT(least) .type = CONFIG_TEXT, .min = (least)
#define CHOICE(list) .type = CONFIG_CHOICE, .choices = (list)
#define CPUS .type = CONFIG_CPUS, .max = CPU_SETSIZE - 1
#define SIZE(hi) .type = CONFIG_SIZE, .min = 0, .max = (hi)

static const struct config_choice formats[] = {
    { "table", FORMAT_TABLE }, { "json", FORMAT_JSON }, { "csv", FORMAT_CSV },
    { "markdown", FORMAT_MARKDOWN }, { "html", FORMAT_HTML }, { NULL, 0 },
};
/* `output =` files: the format is the extension's. .txt is the table. */
static const struct config_choice extensions[] = {
    { ".txt", FORMAT_TABLE }, { ".json", FORMAT_JSON }, { ".csv", FORMAT_CSV },
    { ".md", FORMAT_MARKDOWN }, { ".markdown", FORMAT_MARKDOWN },
    { ".html", FORMAT_HTML }, { ".htm", FORMAT_HTML }, { NULL, 0 },
};
static const struct config_choice orders[] = {
    { "interleaved", ORDER_INTERLEAVED }, { "sequential", ORDER_SEQUENTIAL }, { NULL, 0 },
};
static const struct config_choice servers[] = {
    { "spawn", SERVER_SPAWN }, { "thread", SERVER_THREAD }, { "external", SERVER_EXTERNAL },
    { NULL, 0 },
};

/* A run section's keys not in this table are its plugin's. */
static const struct config_key keys[] = {
    /* [runner] */
    { "requests", RUNNER(requests), COUNT(1, MAX_COUNT), .def = "10000",
      .help = "measured calls per repeat" },
    { "warmup", RUNNER(warmup), COUNT(0, MAX_COUNT), .def = "1000",
      .help = "calls before measuring" },
    /* Five: the confidence intervals come from the repeat means
     * (interval.c), and with 3 the t quantile (4.30) makes them twice as wide. */
    { "repeat", RUNNER(repeat), COUNT(1, MAX_REPEAT), .def = "5",
      .help = "repeats, each a fresh client" },
    { "baseline", RUNNER(baseline), TEXT(0), .unset = "none",
      .help = "section the others compare to" },
    { "format", RUNNER(format), CHOICE(formats), .def = "table",
      .help = "the report on stdout" },
    { "output", RUNNER(output), .type = CONFIG_OUTPUTS, .unset = "none",
      .help = "also write it to these files" },
    { "plugin_dir", RUNNER(plugin_dir), RUNNER_AUX(plugin_dir_owned), .type = CONFIG_DIR,
      .unset = "none", .help = "a directory to find plugins in" },
    { "client_cpu", RUNNER(client_cpu), RUNNER_AUX(client_set), CPUS, .unset = "any",
      .help = "default client_cpu of sections" },
    { "server_cpu", RUNNER(server_cpu), RUNNER_AUX(server_set), CPUS, .unset = "any",
      .help = "default server_cpu of sections" },
    { "order", RUNNER(order), CHOICE(orders), .def = "interleaved",
      .help = "rounds of repeats, or by section" },
    /* a run section */
    { "plugin", SECTION(plugin), TEXT(1), .unset = "required",
      .help = "name (searched) or path of a .so" },
    { "server", SECTION(server), CHOICE(servers), .unset = "spawn",
      .help = "where the server runs, if any" },
    { "listen", SECTION(listen), TEXT(1), .unset = "the plugin picks",
      .help = "where spawn/thread servers bind, in the plugin's syntax" },
    { "address", SECTION(address), TEXT(0), .unset = "none",
      .help = "an external server's endpoint (host:port, unix:/path...)" },
    { "timeout_ms", SECTION(timeout_ms), MS(1, MAX_TIMEOUT_MS), .def = "5000",
      .help = "deadline of every call" },
    { "ready_timeout_ms", SECTION(ready_timeout_ms), MS(1, MAX_TIMEOUT_MS), .def = "10000",
      .help = "wait for a spawned server's READY" },
    { "window", SECTION(window), SECTION_AUX(window_all), .type = CONFIG_WINDOW, .min = 1,
      .max = MAX_WINDOW, .def = "1", .help = "chains in flight (1: ping-pong)" },
    { "requests", SECTION(requests), COUNT(1, MAX_COUNT), .unset = "[runner]'s",
      .help = "measured calls per repeat" },
    { "warmup", SECTION(warmup), COUNT(0, MAX_COUNT), .unset = "[runner]'s",
      .help = "calls before measuring" },
    { "repeat", SECTION(repeat), COUNT(1, MAX_REPEAT), .unset = "[runner]'s",
      .help = "repeats, each a fresh client" },
    { "start", SECTION(start), .type = CONFIG_INT, .def = "0",
      .help = "the first value sent" },
    /* The runner parses the suffixes once; network plugins read bytes. */
    { "payload", SECTION(payload), SIZE(PAYLOAD_MAX), .def = "0", .to_plugin = true,
      .help = "bytes each request and answer carry besides the value (4k, 1m: 1024s)" },
    { "client_cpu", SECTION(client_cpu), SECTION_AUX(client_set), CPUS, .unset = "[runner]'s",
      .help = "where the measuring thread runs" },
    { "server_cpu", SECTION(server_cpu), SECTION_AUX(server_set), CPUS, .unset = "[runner]'s",
      .help = "where a spawn/thread server runs" },
};
#define N_KEYS (sizeof keys / sizeof keys[0])

const struct config_key *config_keys(size_t *n)
{
    *n = N_KEYS;
    return keys;
}

const struct config_key *config_key_find(enum config_scope scope, const char *name)
{
    for (size_t i = 0; i < N_KEYS; i++)
        if (keys[i].scope == scope && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

static const char *choice_name(const struct config_choice *c, int value, const char *other)
{
    for (; c->name != NULL; c++)
        if (c->value == value)
            return c->name;
    return other;
}

const char *config_format_name(enum config_format f)
{
    return choice_name(formats, (int)f, "table");
}

int config_format_of_file(const char *path, char *known, size_t len)
{
    size_t used = 0;
    known[0] = '\0';
    for (const struct config_choice *c = extensions; c->name != NULL && used < len; c++)
        used += (size_t)snprintf(known + used, len - used, "%s%s", used ? " " : "", c->name);
    const char *base = strrchr(path, '/');
    const char *dot = strrchr(base ? base + 1 : path, '.');
    if (dot == NULL)
        return -1;
    for (const struct config_choice *c = extensions; c->name != NULL; c++)
        if (strcasecmp(dot, c->name) == 0)
            return c->value;
    return -1;
}

const char *config_order_name(enum config_order o)
{
    return choice_name(orders, (int)o, "interleaved");
}

const char *config_server_name(enum config_server s)
{
    return choice_name(servers, (int)s, "none");
}

