/*
 * main.c — the command line of `runner`: parse options, then hand off to
 * config (check), plugin (list), contract (check-plugin), serve (serve),
 * compare (--compare) or run + report (the benchmark). The only file that
 * prints errors and picks the exit status: 0 all well, 1 a section failed,
 * 2 bad usage, config or --compare file.
 */
#include "compare.h"
#include "config.h"
#include "contract.h"
#include "envcheck.h"
#include "loop.h"
#include "machine.h"
#include "plugin.h"
#include "progress.h"
#include "report.h"
#include "run.h"
#include "serve.h"
#include "server.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CALIBRATION_CALLS 1000000
#define MAX_DEFS 64

static void usage(FILE *out)
{
    fprintf(out,
"usage: runner [options] CONFIG           run every section of CONFIG and report\n"
"       runner --check CONFIG             validate CONFIG (and find its plugins), run nothing\n"
"       runner --list                     list the plugins found, with ABI and summary\n"
"       runner --check-plugin FILE.so     run the plugin contract against one plugin\n"
"       runner --serve SECTION CONFIG     serve SECTION's server until SIGTERM/SIGINT\n"
"       runner --compare [--format F] OLD.json NEW.json [MORE.json...]\n"
"                                         set each JSON report (-D runner.format=json)\n"
"                                         against the first, section by section\n"
"options:\n"
"  -D section.key=value   override or add a key (e.g. -D runner.requests=1000000)\n"
"  --plugin-dir DIR       look for plugins in DIR first\n"
"  -q, --quiet            no progress line (drawn on stderr only when it is a terminal)\n"
"  -h, --help             this help\n"
"  --help-config          every key a CONFIG may set: type, bounds, default, meaning\n"
"  -V, --version          the version and the plugin ABI version\n"
"  --format F             --compare's output: table (default), markdown or html\n"
"--compare's verdict: the Mann-Whitney U test on the per-repeat means, two-sided,\n"
"alpha 0.05: faster or slower when p < 0.05, else no clear difference (too few\n"
"repeats when the sizes cannot reach it: 4 per file can); its exit status is 0\n"
"compared, 2 bad usage or a file that is not an incbench report of this schema.\n"
"Plugins named by a bare name are searched in --plugin-dir, [runner] plugin_dir,\n"
"$INCBENCH_PLUGIN_PATH (colon-separated), the build tree (when run from it), and\n"
"%s.\n", INCBENCH_PKGLIBDIR);
}

struct cli {
    enum { MODE_RUN, MODE_CHECK, MODE_LIST, MODE_CHECK_PLUGIN, MODE_SERVE, MODE_COMPARE } mode;
    const char *plugin_dir;
    char *defs[MAX_DEFS];
    size_t n_defs;
    const char *arg1, *arg2;
    bool quiet;
    const char *const *args;      /* every argument after the options (--compare) */
    size_t n_args;
    const char *format;           /* --format, for --compare only */
    char self_exe[PATH_MAX];
};

/* The file to spawn servers from. /proc/self/exe is this program, except
 * under valgrind and similar tools, where it is the tool itself; argv[0]
 * with a slash in it names our own file there too, so prefer it. */
static void find_self(const char *argv0, char *out, size_t len)
{
    char real[PATH_MAX];
    if (strchr(argv0, '/') != NULL && realpath(argv0, real) != NULL && access(real, X_OK) == 0)
        snprintf(out, len, "%s", real);
    else
        snprintf(out, len, "/proc/self/exe");
}

/* What --compare takes besides its files: --format alone. -1 when the
 * command line is whole, else the exit status. */
static int compare_cli(const struct cli *cli)
{
    enum compare_format fmt;
    if (cli->mode != MODE_COMPARE) {
        fprintf(stderr, "runner: --format belongs to --compare (a run's format is "
                "-D runner.format=...); try 'runner --help'\n");
        return 2;
    }
    if (cli->n_defs > 0 || cli->plugin_dir != NULL) {
        fprintf(stderr, "runner: --compare reads reports and runs nothing: no -D or "
                "--plugin-dir\n");
        return 2;
    }
    if (cli->format != NULL && compare_format_parse(cli->format, &fmt) != 0) {
        fprintf(stderr, "runner: --format %s: expected table, markdown or html\n", cli->format);
        return 2;
    }
    if (cli->n_args < 2 || cli->n_args > COMPARE_MAX_FILES) {
        fprintf(stderr, "runner: --compare takes 2 to %d JSON reports, got %zu; try "
                "'runner --help'\n", COMPARE_MAX_FILES, cli->n_args);
        return 2;
    }
    return -1;
}

/* Read the reports and set them side by side: 0, or 2 for a file that
 * cannot be compared (one line naming it), 1 when stdout failed. */
static int compare_main(const struct cli *cli)
{
    enum compare_format fmt = COMPARE_TABLE;
    if (cli->format != NULL)
        compare_format_parse(cli->format, &fmt);
    char err[1400];
    int rc = compare_files(cli->args, cli->n_args, fmt, stdout, err, sizeof err);
    if (rc == 0)
        return 0;
    fprintf(stderr, "runner: %s\n", err);
    return rc == -2 ? 1 : 2;
}

static int parse_cli(int argc, char **argv, struct cli *cli)
{
    enum { OPT_CHECK = 256, OPT_LIST, OPT_CHECK_PLUGIN, OPT_SERVE, OPT_PLUGIN_DIR,
           OPT_HELP_CONFIG, OPT_COMPARE, OPT_FORMAT };
    static const struct option longs[] = {
        { "check", no_argument, NULL, OPT_CHECK },
        { "list", no_argument, NULL, OPT_LIST },
        { "check-plugin", no_argument, NULL, OPT_CHECK_PLUGIN },
        { "serve", no_argument, NULL, OPT_SERVE },
        { "plugin-dir", required_argument, NULL, OPT_PLUGIN_DIR },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "help-config", no_argument, NULL, OPT_HELP_CONFIG },
        { "version", no_argument, NULL, 'V' },
        { "compare", no_argument, NULL, OPT_COMPARE },
        { "format", required_argument, NULL, OPT_FORMAT },
        { NULL, 0, NULL, 0 },
    };
    memset(cli, 0, sizeof *cli);
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "D:hqV", longs, NULL)) != -1) {
        switch (c) {
        case OPT_CHECK: cli->mode = MODE_CHECK; break;
        case OPT_LIST: cli->mode = MODE_LIST; break;
        case OPT_CHECK_PLUGIN: cli->mode = MODE_CHECK_PLUGIN; break;
        case OPT_SERVE: cli->mode = MODE_SERVE; break;
        case OPT_PLUGIN_DIR: cli->plugin_dir = optarg; break;
        case OPT_COMPARE: cli->mode = MODE_COMPARE; break;
        case OPT_FORMAT: cli->format = optarg; break;
        case 'D':
            if (cli->n_defs == MAX_DEFS) {
                fprintf(stderr, "runner: at most %d -D options\n", MAX_DEFS);
                return 2;
            }
            cli->defs[cli->n_defs++] = optarg;
            break;
        case 'q': cli->quiet = true; break;
        case 'h':
            usage(stdout);
            return 0;
        case OPT_HELP_CONFIG:
            return config_help(stdout) == 0 ? 0 : 1;
        case 'V':
            printf("runner (incbench) %s, plugin ABI %u.%u\n", PACKAGE_VERSION,
                   INCBENCH_ABI_MAJOR, INCBENCH_ABI_MINOR);
            return 0;
        default:
            if (optopt != 0)
                fprintf(stderr, "runner: option -%c %s\n", optopt,
                        optopt == 'D' ? "needs section.key=value" : "is unknown");
            else
                fprintf(stderr, "runner: unknown or incomplete option '%s'\n", argv[optind - 1]);
            fprintf(stderr, "try 'runner --help'\n");
            return 2;
        }
    }
    int want = cli->mode == MODE_LIST ? 0 : cli->mode == MODE_SERVE ? 2 : 1;
    int have = argc - optind;
    cli->args = (const char *const *)argv + optind;
    cli->n_args = (size_t)have;
    if (cli->mode == MODE_COMPARE || cli->format != NULL)
        return compare_cli(cli);
    if (have != want) {
        static const char *const what[] = {
            "one CONFIG file", "one CONFIG file", "no arguments", "one plugin FILE.so",
            "SECTION and CONFIG"
        };
        fprintf(stderr, "runner: expected %s, got %d argument%s; try 'runner --help'\n",
                what[cli->mode], have, have == 1 ? "" : "s");
        return 2;
    }
    cli->arg1 = have > 0 ? argv[optind] : NULL;
    cli->arg2 = have > 1 ? argv[optind + 1] : NULL;
    return -1;
}

/* Load CLI's config or say why on stderr. */
static int load(const struct cli *cli, struct config *cfg)
{
    char err[1024];
    if (config_load(cfg, cli->arg1, cli->defs, cli->n_defs, err, sizeof err) == 0)
        return 0;
    fprintf(stderr, "runner: %s\n", err);
    return -1;
}

/* Say, as "runner: file:12: [sec] ...", what is wrong with sec's key. */
static void say_bad(const struct config *cfg, const struct config_section *s, const char *key,
                    const char *msg)
{
    char where[1100];
    config_where(cfg, config_key_line(s, key), where, sizeof where);
    fprintf(stderr, "runner: %s: [%s] %s\n", where, s->name, msg);
}

/* Before anything is measured: every section's plugin is found and passes
 * the prechecks; with `options`, each plugin also takes its keys (--check).
 * Each problem is one line naming file:line; returns how many. */
static int validate(const struct config *cfg, const struct cli *cli, bool options)
{
    struct plugin_search search = { cli->plugin_dir, cfg->plugin_dir };
    char err[1024];
    int bad = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const struct config_section *s = &cfg->sections[i];
        struct plugin p;
        const char *key = "plugin";
        if (plugin_open(&p, s->plugin, cfg->dir, &search, err, sizeof err) != 0) {
            say_bad(cfg, s, key, err);
            bad++;
            continue;
        }
        if (run_precheck(s, &p, &key, err, sizeof err) != 0) {
            say_bad(cfg, s, key, err);
            bad++;
        } else if (options && run_check_options(s, &p, err, sizeof err) != 0) {
            char where[600];
            config_blame(cfg, s, err, where, sizeof where);
            fprintf(stderr, "runner: %s[%s] %s\n", where, s->name, err);
            bad++;
        }
        plugin_close(&p);
    }
    return bad;
}

/* `output =` files must be writable before anything runs, not found
 * unwritable after every section has. An existing file is opened without
 * truncating it; a new one is created only when `create` (a real run
 * writes it anyway; --check only looks at its directory). */
static int check_output_file(const char *path, bool create)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT) {
        if (create) {
            fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        } else {
            char *copy = strdup(path);
            int ok = copy != NULL && access(dirname(copy), W_OK | X_OK) == 0;
            free(copy);
            if (ok)
                return 0;
        }
    }
    if (fd < 0)
        return -1;
    close(fd);
    return 0;
}

static int check_output(const struct config *cfg, bool create)
{
    /* Every file is looked at before any is made: one that cannot be
     * written must not leave the others behind, empty. */
    if (create && check_output(cfg, false) != 0)
        return -1;
    int bad = 0;
    for (size_t i = 0; i < cfg->n_outputs; i++) {
        const char *path = cfg->outputs[i].path;
        if (check_output_file(path, create) == 0)
            continue;
        char where[1100];
        config_where(cfg, config_key_line(&cfg->runner, "output"), where, sizeof where);
        fprintf(stderr, "runner: %s: [runner] output = %s: cannot write it: %s\n", where, path,
                strerror(errno));
        bad = -1;
    }
    return bad;
}

/* --check's list of what would run, a line each, in order: the name, and
 * for a run of a sweep its place among its section's runs and its values. */
static void list_runs(const struct config *cfg)
{
    int width = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        int len = (int)strlen(cfg->sections[i].name);
        width = len > width ? len : width;
    }
    for (size_t i = 0, first = 0, runs = 0; i < cfg->n_sections; i++) {
        const struct config_section *s = &cfg->sections[i];
        if (s->n_sweep == 0) {
            printf("  %s\n", s->name);
            continue;
        }
        /* A section's runs are next to each other, in file order. */
        if (i == 0 || strcmp(cfg->sections[i - 1].base, s->base) != 0) {
            first = i;
            for (runs = 0; first + runs < cfg->n_sections &&
                           strcmp(cfg->sections[first + runs].base, s->base) == 0;)
                runs++;
        }
        printf("  %-*s  [%s] run %zu of %zu:", width, s->name, s->base, i - first + 1, runs);
        for (size_t k = 0; k < s->n_sweep; k++)
            printf("%s %s = %s", k ? "," : "", s->sweep[k].key, s->sweep[k].value);
        printf("\n");
    }
}

static int check_main(const struct cli *cli)
{
    struct config cfg;
    if (load(cli, &cfg) != 0)
        return 2;
    int bad = validate(&cfg, cli, true);
    if (check_output(&cfg, false) != 0)
        bad++;
    if (bad == 0) {
        printf("%s: ok, %zu section%s\n", cfg.path, cfg.n_sections,
               cfg.n_sections == 1 ? "" : "s");
        list_runs(&cfg);
    }
    config_free(&cfg);
    return bad ? 2 : 0;
}

static void say_failed(const struct result *r)
{
    progress_clear();
    fprintf(stderr, "runner: [%s] %s: %s\n", r->sec->name,
            r->interrupted ? "INTERRUPTED" : "FAILED", r->reason);
}

/* Every repeat of a section, then the next section. */
static void run_sequential(const struct config *cfg, const struct run_context *ctx,
                           struct result *results)
{
    for (size_t i = 0; i < cfg->n_sections; i++) {
        run_section(cfg, &cfg->sections[i], ctx, &results[i]);
        if (results[i].failed)
            say_failed(&results[i]);
        if (atomic_load(&watch_stop) != 0)
            return;
    }
}

/* Record in r every other section whose server runs inside this process:
 * its threads count in r's process-wide counters. Called before r's first
 * repeat: servers only stop after round 1 starts, so the servers up then
 * are all that are ever up during r's repeats. */
static void note_shared(const struct config *cfg, const struct section_run *sr,
                        size_t self, struct result *r)
{
    for (size_t j = 0; j < cfg->n_sections; j++) {
        if (j == self || !sr[j].server_started || sr[j].srv.mode != SERVER_THREAD)
            continue;
        if (r->n_shared < RESULT_SHARED)
            r->shared_with[r->n_shared] = cfg->sections[j].name;
        r->n_shared++;
    }
}

/* Round k runs repeat k of every section still standing, so that a slow
 * drift of a shared machine falls on every section alike. Every server is
 * up from before round 1 until the section's last repeat or failure. */
static int run_interleaved(const struct config *cfg, const struct run_context *ctx,
                           struct result *results)
{
    struct section_run *sr = calloc(cfg->n_sections ? cfg->n_sections : 1, sizeof *sr);
    if (sr == NULL)
        return -1;
    unsigned rounds = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const struct config_section *s = &cfg->sections[i];
        if (s->repeat > rounds)
            rounds = s->repeat;
        if (run_open(cfg, s, ctx, &sr[i], &results[i]) != 0) {
            say_failed(&results[i]);
            run_close(&sr[i], &results[i]);
        }
    }
    for (unsigned k = 0; k < rounds && atomic_load(&watch_stop) == 0; k++) {
        for (size_t i = 0; i < cfg->n_sections; i++) {
            if (results[i].failed || k >= cfg->sections[i].repeat ||
                atomic_load(&watch_stop) != 0)
                continue;
            if (k == 0)
                note_shared(cfg, sr, i, &results[i]);
            if (run_repeat(&sr[i], &results[i], k) != 0)
                say_failed(&results[i]);
            /* A failed or finished section's server stops at once: a
             * server that spins must not load the rounds after it. */
            if (results[i].failed || k + 1 == cfg->sections[i].repeat)
                run_close(&sr[i], &results[i]);
        }
    }
    for (size_t i = 0; i < cfg->n_sections; i++)
        run_close(&sr[i], &results[i]);
    free(sr);
    return 0;
}

/* The environment check, over every distinct placement of the run. Its
 * warnings go to stderr at once on a terminal (the run may be long) and
 * into the report's header either way. */
static void check_environment(const struct config *cfg, struct envcheck *env)
{
    struct envcheck_placement *places = calloc(cfg->n_sections ? cfg->n_sections : 1,
                                               sizeof *places);
    size_t n = 0;
    for (size_t i = 0; places != NULL && i < cfg->n_sections; i++) {
        const struct config_section *s = &cfg->sections[i];
        struct envcheck_placement p = { s->client_cpu ? &s->client_set : NULL,
                                        s->server_cpu ? &s->server_set : NULL };
        bool seen = false;
        for (size_t k = 0; k < n && !seen; k++)
            seen = (p.client == NULL) == (places[k].client == NULL) &&
                   (p.server == NULL) == (places[k].server == NULL) &&
                   (p.client == NULL || CPU_EQUAL(p.client, places[k].client)) &&
                   (p.server == NULL || CPU_EQUAL(p.server, places[k].server));
        if (!seen)
            places[n++] = p;
    }
    envcheck_run(env, "/proc", "/sys", places, n, getenv("LD_PRELOAD"));
    free(places);
    if (!isatty(STDERR_FILENO))
        return;
    for (size_t i = 0; i < env->n; i++)
        if (env->items[i].status == ENVCHECK_WARN)
            fprintf(stderr, "runner: warning: %s\n", env->items[i].message);
}

/* A person is watching: stderr is a terminal that can redraw a line. */
static bool progress_wanted(const struct cli *cli)
{
    const char *term = getenv("TERM");
    return !cli->quiet && isatty(STDERR_FILENO) && (term == NULL || strcmp(term, "dumb") != 0);
}

/* The run's work, in (section, repeat) pairs. */
static uint64_t units_of(const struct config *cfg)
{
    uint64_t n = 0;
    for (size_t i = 0; i < cfg->n_sections; i++)
        n += cfg->sections[i].repeat;
    return n;
}

static int run_main(const struct cli *cli)
{
    struct config cfg;
    if (load(cli, &cfg) != 0)
        return 2;
    if (validate(&cfg, cli, false) != 0 || check_output(&cfg, true) != 0) {
        config_free(&cfg);
        return 2;
    }
    struct run_context ctx = {
        .plugin_dir = cli->plugin_dir,
        .config_plugin_dir = cfg.plugin_dir,
        .server_argv = { .config_path = cli->arg1, .defs = cli->defs, .n_defs = cli->n_defs,
                         .plugin_dir = cli->plugin_dir, .self_exe = cli->self_exe },
    };
    struct report rep = { .cfg = &cfg, .n = cfg.n_sections };
    struct result *results = calloc(cfg.n_sections, sizeof *results);
    struct histogram *scratch = malloc(sizeof *scratch);
    int code = 0;
    if (results == NULL || scratch == NULL) {
        fprintf(stderr, "runner: out of memory\n");
        code = 2;
        goto out;
    }
    machine_read(&rep.machine);
    check_environment(&cfg, &rep.env);
    rep.loop_cost_ns = loop_calibrate(CALIBRATION_CALLS, scratch);
    for (size_t i = 0; i < cfg.n_sections; i++)
        if (result_init(&results[i], &cfg.sections[i]) != 0) {
            fprintf(stderr, "runner: out of memory\n");
            code = 2;
            goto out;
        }
    rep.results = results;
    char err[1200];
    if (watch_begin(&rep, err, sizeof err) != 0) {
        fprintf(stderr, "runner: %s\n", err);
        code = 2;
        goto out;
    }
    int oom = 0;
    if (progress_wanted(cli))
        progress_begin(units_of(&cfg));
    if (cfg.order == ORDER_SEQUENTIAL)
        run_sequential(&cfg, &ctx, results);
    else
        oom = run_interleaved(&cfg, &ctx, results);
    progress_end();
    int sig = atomic_load(&watch_stop);
    if (sig != 0) {
        char why[128];
        snprintf(why, sizeof why, "the run was interrupted by %s", sig_name(sig));
        watch_unfinished(&rep, why);
        fprintf(stderr, "runner: %s; every server stopped; reporting what finished\n", why);
    }
    for (size_t i = 0; i < cfg.n_sections; i++)
        if (results[i].failed)
            code = 1;
    if (oom != 0) {
        fprintf(stderr, "runner: out of memory\n");
        code = 2;
    } else if (report_deliver(&rep, err, sizeof err) != 0) {
        fprintf(stderr, "runner: %s\n", err);
        if (code == 0)
            code = 1;
    }
    watch_end();
    if (sig != 0)
        code = 128 + sig;
out:
    if (results != NULL)
        for (size_t i = 0; i < cfg.n_sections; i++)
            result_free(&results[i]);
    free(results);
    free(scratch);
    config_free(&cfg);
    return code;
}

int main(int argc, char **argv)
{
    struct cli cli;
    int rc = parse_cli(argc, argv, &cli);
    if (rc >= 0)
        return rc;
    find_self(argv[0], cli.self_exe, sizeof cli.self_exe);
    /* A peer that closes its socket must give an error, not kill the runner. */
    signal(SIGPIPE, SIG_IGN);
    switch (cli.mode) {
    case MODE_CHECK:
        return check_main(&cli);
    case MODE_LIST: {
        struct plugin_search search = { cli.plugin_dir, NULL };
        plugin_list(&search, stdout);
        return 0;
    }
    case MODE_CHECK_PLUGIN:
        return contract_check(cli.arg1, stdout) == 0 ? 0 : 1;
    case MODE_COMPARE:
        return compare_main(&cli);
    case MODE_SERVE: {
        struct server_argv a = { .config_path = cli.arg2, .defs = cli.defs,
                                 .n_defs = cli.n_defs, .plugin_dir = cli.plugin_dir };
        return serve_main(cli.arg1, &a);
    }
    default:
        return run_main(&cli);
    }
}
