/*
 * config_test.c — runner/config.c on every good and bad case of issue 2:
 * defaults, every key, the plugin's keys in file order, inline comments,
 * -D overrides, and every error naming file:line and the key. Compiled
 * with config.c itself; configs are written into a scratch directory.
 */
#include "config.h"
#include "testutil.h"

#include <check.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;
static char *path;
static struct config cfg;
static char err[2048];

static void setup(void)
{
    dir = tu_tmpdir();
    path = NULL;
    memset(&cfg, 0, sizeof cfg);
    err[0] = '\0';
}

static void teardown(void)
{
    config_free(&cfg);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

/* Write `text` as test.ini and load it with the -D overrides given. */
static int load_defs(const char *text, size_t n_defs, char *const *defs)
{
    free(path);
    path = tu_write(dir, "test.ini", text);
    err[0] = '\0';
    return config_load(&cfg, path, defs, n_defs, err, sizeof err);
}

static int load(const char *text)
{
    return load_defs(text, 0, NULL);
}

static void ok(const char *text)
{
    int rc = load(text);
    ck_assert_msg(rc == 0, "config_load failed: %s\n--- config:\n%s", err, text);
}

/* The load failed, the message names path:line, and contains every word. */
static void assert_err_at(int line, ...)
{
    char where[4200];
    if (line > 0)
        snprintf(where, sizeof where, "%s:%d: ", path, line);
    else
        snprintf(where, sizeof where, "-D");
    ck_assert_msg(strstr(err, where) != NULL, "expected '%s' in the message: %s", where, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "message is more than one line: %s", err);
    va_list ap;
    va_start(ap, line);
    const char *w;
    while ((w = va_arg(ap, const char *)) != NULL)
        ck_assert_msg(strstr(err, w) != NULL, "expected '%s' in the message: %s", w, err);
    va_end(ap);
}

static void bad(const char *text, int line, const char *w1, const char *w2)
{
    int rc = load(text);
    ck_assert_msg(rc == -1, "config_load accepted:\n%s", text);
    assert_err_at(line, w1, w2, NULL);
    /* A failed load leaves nothing behind to free or to use. */
    ck_assert_ptr_null(cfg.sections);
    ck_assert_uint_eq(cfg.n_sections, 0);
}

static const struct config_section *sec(const char *name)
{
    const struct config_section *s = config_find(&cfg, name);
    ck_assert_msg(s != NULL, "no section [%s]", name);
    return s;
}

/* ---- good files ---- */

START_TEST(defaults)
{
    ok("[direct]\nplugin = direct\n");
    ck_assert_uint_eq(cfg.requests, 10000);
    ck_assert_uint_eq(cfg.warmup, 1000);
    ck_assert_uint_eq(cfg.repeat, 5);
    ck_assert_ptr_null(cfg.baseline);
    ck_assert_int_eq(cfg.format, FORMAT_TABLE);
    ck_assert_int_eq(cfg.order, ORDER_INTERLEAVED);
    ck_assert_ptr_null(cfg.output);
    ck_assert_ptr_null(cfg.plugin_dir);
    ck_assert_str_eq(cfg.path, path);
    ck_assert_str_eq(cfg.dir, dir);
    ck_assert_uint_eq(cfg.n_sections, 1);
    const struct config_section *s = &cfg.sections[0];
    ck_assert_str_eq(s->name, "direct");
    ck_assert_int_eq(s->line, 1);
    ck_assert_str_eq(s->plugin, "direct");
    ck_assert_int_eq(s->server, SERVER_DEFAULT);
    ck_assert_ptr_null(s->listen);   /* unset: the plugin picks (ABI minor 2) */
    ck_assert_ptr_null(s->address);
    ck_assert_uint_eq(s->timeout_ms, 5000);
    ck_assert_uint_eq(s->window, 1);
    ck_assert(!s->window_all);
    ck_assert_uint_eq(s->requests, 10000);
    ck_assert_uint_eq(s->warmup, 1000);
    ck_assert_uint_eq(s->repeat, 5);
    ck_assert_int_eq(s->start, 0);
    ck_assert_ptr_null(s->client_cpu);
    ck_assert_ptr_null(s->server_cpu);
    ck_assert_uint_eq(s->n_options, 0);
    ck_assert_ptr_null(config_find(&cfg, "nosuch"));
}
END_TEST

START_TEST(every_runner_key)
{
    ok("; a full [runner]\n"
       "[runner]\n"
       "requests = 123\n"
       "warmup = 0\n"
       "repeat = 7\n"
       "baseline = b\n"
       "format = json\n"
       "output = out.json ,sub/t.MD\n"
       "plugin_dir = myplugins\n"
       "[a]\nplugin = direct\n"
       "[b]\nplugin = direct\n");
    ck_assert_uint_eq(cfg.requests, 123);
    ck_assert_uint_eq(cfg.warmup, 0);
    ck_assert_uint_eq(cfg.repeat, 7);
    ck_assert_str_eq(cfg.baseline, "b");
    ck_assert_int_eq(cfg.format, FORMAT_JSON);
    ck_assert_str_eq(cfg.output, "out.json ,sub/t.MD");
    /* each file with its extension's format (any case), spaces trimmed */
    ck_assert_uint_eq(cfg.n_outputs, 2);
    ck_assert_str_eq(cfg.outputs[0].path, "out.json");
    ck_assert_int_eq(cfg.outputs[0].format, FORMAT_JSON);
    ck_assert_str_eq(cfg.outputs[1].path, "sub/t.MD");
    ck_assert_int_eq(cfg.outputs[1].format, FORMAT_MARKDOWN);
    /* plugin_dir is relative to the config file's directory */
    char *want_dir = tu_fmt("%s/myplugins", dir);
    ck_assert_str_eq(cfg.plugin_dir, want_dir);
    free(want_dir);
    ck_assert_uint_eq(cfg.n_sections, 2);
    /* [runner] is not a run; the others keep file order. */
    ck_assert_str_eq(cfg.sections[0].name, "a");
    ck_assert_str_eq(cfg.sections[1].name, "b");
    ck_assert_int_eq(cfg.sections[1].line, 12);
    ck_assert_uint_eq(cfg.sections[0].requests, 123);
    ck_assert_uint_eq(cfg.sections[1].warmup, 0);
    ck_assert_uint_eq(cfg.sections[1].repeat, 7);
}
END_TEST

START_TEST(plugin_dir_absolute)
{
    ok("[runner]\nplugin_dir = /opt/incbench/plugins\n[d]\nplugin = direct\n");
    ck_assert_str_eq(cfg.plugin_dir, "/opt/incbench/plugins");
}
END_TEST

START_TEST(formats)
{
    ok("[runner]\nformat = csv\n[d]\nplugin = direct\n");
    ck_assert_int_eq(cfg.format, FORMAT_CSV);
    config_free(&cfg);
    ok("[runner]\nformat = table\n[d]\nplugin = direct\n");
    ck_assert_int_eq(cfg.format, FORMAT_TABLE);
}
END_TEST

START_TEST(orders)
{
    /* one fixed port for two sections is fine when they run one after the other */
    ok("[runner]\norder = sequential\n[a]\nplugin = tcp\nlisten = 127.0.0.1:4700\n"
       "[b]\nplugin = tcp\nlisten = 127.0.0.1:4700\n");
    config_free(&cfg);
    ok("[a]\nplugin = tcp\n[b]\nplugin = tcp\n");   /* both on port 0 */
    config_free(&cfg);
    ok("[runner]\norder = sequential\n[d]\nplugin = direct\n");
    ck_assert_int_eq(cfg.order, ORDER_SEQUENTIAL);
    config_free(&cfg);
    ok("[runner]\norder = interleaved\n[d]\nplugin = direct\n");
    ck_assert_int_eq(cfg.order, ORDER_INTERLEAVED);
}
END_TEST

START_TEST(runner_section_anywhere)
{
    /* [runner] after the runs still sets the defaults they inherit. */
    ok("[d]\nplugin = direct\n[runner]\nrequests = 77\n");
    ck_assert_uint_eq(sec("d")->requests, 77);
}
END_TEST

START_TEST(every_section_key)
{
    ok("[runner]\nrequests = 1000\nwarmup = 100\nrepeat = 4\n"
       "[net]\n"
       "plugin = ./x.so\n"
       "server = thread\n"
       "listen = 127.0.0.1:9000\n"
       "timeout_ms = 250\n"
       "ready_timeout_ms = 3000\n"
       "window = 8\n"
       "requests = 50\n"
       "warmup = 5\n"
       "repeat = 2\n"
       "start = -42\n"
       "client_cpu = 0,2-3\n"
       "server_cpu = 1\n"
       "[plain]\nplugin = direct\n");
    const struct config_section *s = sec("net");
    ck_assert_str_eq(s->plugin, "./x.so");
    ck_assert_int_eq(s->server, SERVER_THREAD);
    ck_assert_str_eq(s->listen, "127.0.0.1:9000");
    ck_assert_uint_eq(s->timeout_ms, 250);
    ck_assert_uint_eq(s->ready_timeout_ms, 3000);
    ck_assert_uint_eq(s->window, 8);
    ck_assert(!s->window_all);
    ck_assert_uint_eq(s->requests, 50);
    ck_assert_uint_eq(s->warmup, 5);
    ck_assert_uint_eq(s->repeat, 2);
    ck_assert_int_eq(s->start, -42);
    ck_assert_str_eq(s->client_cpu, "0,2-3");
    ck_assert_str_eq(s->server_cpu, "1");
    ck_assert_int_eq(CPU_COUNT(&s->client_set), 3);
    ck_assert(CPU_ISSET(0, &s->client_set) && CPU_ISSET(2, &s->client_set) &&
              CPU_ISSET(3, &s->client_set) && !CPU_ISSET(1, &s->client_set));
    ck_assert_int_eq(CPU_COUNT(&s->server_set), 1);
    ck_assert(CPU_ISSET(1, &s->server_set));
    /* The runner's keys never reach the plugin. */
    ck_assert_uint_eq(s->n_options, 0);
    /* Overrides are per section: [runner] and the other section keep theirs. */
    ck_assert_uint_eq(cfg.requests, 1000);
    const struct config_section *p = sec("plain");
    ck_assert_uint_eq(p->requests, 1000);
    ck_assert_uint_eq(p->warmup, 100);
    ck_assert_uint_eq(p->repeat, 4);
}
END_TEST

START_TEST(server_modes)
{
    ok("[a]\nplugin = tcp\nserver = spawn\n"
       "[b]\nplugin = tcp\nserver = external\naddress = 10.0.0.1:7000\n");
    ck_assert_int_eq(sec("a")->server, SERVER_SPAWN);
    ck_assert_int_eq(sec("b")->server, SERVER_EXTERNAL);
    ck_assert_str_eq(sec("b")->address, "10.0.0.1:7000");
    ck_assert_str_eq(config_server_name(SERVER_EXTERNAL), "external");
}
END_TEST

START_TEST(window_all)
{
    ok("[runner]\nrequests = 5000\n[s]\nplugin = grpc_stream\nwindow = all\n");
    ck_assert(sec("s")->window_all);
    ck_assert_uint_eq(sec("s")->window, 5000);
    config_free(&cfg);
    /* all follows the section's own requests, not [runner]'s */
    ok("[runner]\nrequests = 5000000\n[s]\nplugin = x\nrequests = 300\nwindow = all\n");
    ck_assert_uint_eq(sec("s")->window, 300);
    config_free(&cfg);
    /* window = requests exactly is allowed */
    ok("[s]\nplugin = x\nrequests = 64\nwindow = 64\n");
    ck_assert_uint_eq(sec("s")->window, 64);
}
END_TEST

START_TEST(start_values)
{
    ok("[a]\nplugin = direct\nstart = 9223372036854775807\n"
       "[b]\nplugin = direct\nstart = -9223372036854775808\n"
       "[c]\nplugin = direct\nstart = 0\n");
    ck_assert_int_eq(sec("a")->start, INT64_MAX);
    ck_assert_int_eq(sec("b")->start, INT64_MIN);
    ck_assert_int_eq(sec("c")->start, 0);
}
END_TEST

START_TEST(plugin_keys_in_file_order)
{
    ok("[rest]\n"
       "zeta = 1\n"
       "plugin = rest\n"
       "alpha = two\n"
       "requests = 10\n"
       "connection = close\n"
       "phrase = several words here\n"
       "empty =\n");
    const struct config_section *s = sec("rest");
    ck_assert_uint_eq(s->n_options, 5);
    static const char *const keys[] = { "zeta", "alpha", "connection", "phrase", "empty" };
    static const char *const values[] = { "1", "two", "close", "several words here", "" };
    for (size_t i = 0; i < 5; i++) {
        ck_assert_str_eq(s->options[i].key, keys[i]);
        ck_assert_str_eq(s->options[i].value, values[i]);
    }
    ck_assert_uint_eq(s->requests, 10);
}
END_TEST

START_TEST(two_sections_one_plugin)
{
    ok("[keep]\nplugin = rest\nconnection = keepalive\n"
       "[close]\nplugin = rest\nconnection = close\n");
    ck_assert_str_eq(sec("keep")->options[0].value, "keepalive");
    ck_assert_str_eq(sec("close")->options[0].value, "close");
}
END_TEST

START_TEST(comments)
{
    ok("; a comment line\n"
       "# another comment line\n"
       "[runner]   ; inline after a header\n"
       "requests = 100 ; measured calls\n"
       "\n"
       "   ; indented comment\n"
       "[direct] ; the floor\n"
       "plugin = direct    ; a bare name\n"
       "note = a;b\n");
    ck_assert_uint_eq(cfg.requests, 100);
    ck_assert_str_eq(sec("direct")->plugin, "direct");
    ck_assert_int_eq(sec("direct")->line, 7);
    /* ';' glued to the value is part of it (inih needs a space before). */
    ck_assert_str_eq(sec("direct")->options[0].value, "a;b");
}
END_TEST

START_TEST(spaces_and_colons)
{
    ok("[direct]\n  plugin=direct\nrequests:12\n");
    ck_assert_str_eq(sec("direct")->plugin, "direct");
    ck_assert_uint_eq(sec("direct")->requests, 12);
}
END_TEST

START_TEST(cpu_lists)
{
    ok("[a]\nplugin = direct\nclient_cpu = 0-3,5\nserver_cpu = 7\n");
    const struct config_section *s = sec("a");
    ck_assert_int_eq(CPU_COUNT(&s->client_set), 5);
    ck_assert(CPU_ISSET(5, &s->client_set) && !CPU_ISSET(4, &s->client_set));
    ck_assert(CPU_ISSET(7, &s->server_set));
}
END_TEST

/* ---- -D overrides ---- */

START_TEST(define_replaces)
{
    char *defs[] = { "runner.requests=5", "direct.repeat=9" };
    int rc = load_defs("[runner]\nrequests = 100\n[direct]\nplugin = direct\nrepeat = 2\n",
                       2, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(cfg.requests, 5);
    ck_assert_uint_eq(sec("direct")->requests, 5);
    ck_assert_uint_eq(sec("direct")->repeat, 9);
}
END_TEST

START_TEST(define_adds)
{
    char *defs[] = { "direct.warmup=3", "direct.color=blue" };
    int rc = load_defs("[direct]\nplugin = direct\nshape = round\n", 2, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(sec("direct")->warmup, 3);
    /* an added plugin key comes after the file's keys */
    ck_assert_uint_eq(sec("direct")->n_options, 2);
    ck_assert_str_eq(sec("direct")->options[0].key, "shape");
    ck_assert_str_eq(sec("direct")->options[1].key, "color");
    ck_assert_str_eq(sec("direct")->options[1].value, "blue");
}
END_TEST

START_TEST(define_later_wins)
{
    char *defs[] = { "runner.repeat=2", "runner.repeat=4", "d.plugin=other" };
    int rc = load_defs("[runner]\nrepeat = 1\n[d]\nplugin = direct\n", 3, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(cfg.repeat, 4);
    ck_assert_str_eq(sec("d")->plugin, "other");
}
END_TEST

START_TEST(define_value_checked)
{
    char *defs[] = { "runner.requests=abc" };
    int rc = load_defs("[runner]\nrequests = 100\n[d]\nplugin = direct\n", 1, defs);
    ck_assert_int_eq(rc, -1);
    assert_err_at(0, "requests", "abc", NULL);
}
END_TEST

START_TEST(define_value_value_with_dots_and_equals)
{
    char *defs[] = { "d.url=http://a.b/c?x=1" };
    int rc = load_defs("[d]\nplugin = direct\n", 1, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_str_eq(sec("d")->options[0].value, "http://a.b/c?x=1");
}
END_TEST

START_TEST(define_bad_syntax)
{
    static const char *const bads[] = { "runner.requests", "requests=5", ".requests=5",
                                        "runner.=5", "runner=x.y", "" };
    for (size_t i = 0; i < sizeof bads / sizeof bads[0]; i++) {
        char *defs[] = { (char *)bads[i] };
        int rc = load_defs("[d]\nplugin = direct\n", 1, defs);
        ck_assert_msg(rc == -1, "-D '%s' accepted", bads[i]);
        ck_assert_msg(strstr(err, "-D") && strstr(err, "section.key=value"),
                      "-D '%s': %s", bads[i], err);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bads[i]);
        ck_assert_msg(strstr(err, quoted) != NULL, "-D '%s': %s", bads[i], err);
    }
}
END_TEST

START_TEST(define_unknown_section)
{
    char *defs[] = { "nosuch.requests=5" };
    int rc = load_defs("[d]\nplugin = direct\n", 1, defs);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "-D") && strstr(err, "nosuch"), "%s", err);
}
END_TEST

START_TEST(define_unknown_runner_key)
{
    char *defs[] = { "runner.requets=5" };
    int rc = load_defs("[runner]\nrepeat = 1\n[d]\nplugin = direct\n", 1, defs);
    ck_assert_int_eq(rc, -1);
    assert_err_at(0, "requets", NULL);
}
END_TEST

/* ---- bad files: each error names file:line and the key ---- */

START_TEST(unknown_runner_key)
{
    bad("[runner]\nrequests = 5\nrequets = 5\n[d]\nplugin = direct\n", 3, "requets", "[runner]");
}
END_TEST

START_TEST(bad_numbers)
{
    static const char *const values[] = {
        "abc", "12x", "", "+5", "0x10", "1e3", "5 5", "99999999999999999999999",
        "18446744073709551616",
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "[runner]\nwarmup = 1\nrequests = %s\n[d]\nplugin = direct\n",
                 values[i]);
        int rc = load(text);
        ck_assert_msg(rc == -1, "requests = '%s' accepted", values[i]);
        assert_err_at(3, "requests", NULL);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", values[i]);
        ck_assert_msg(strstr(err, quoted) != NULL, "value %s not named: %s", quoted, err);
    }
}
END_TEST

START_TEST(bad_numbers_in_sections)
{
    static const char *const keys[] = { "requests", "warmup", "repeat", "timeout_ms",
                                        "window", "ready_timeout_ms" };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "[d]\nplugin = direct\n%s = 12x\n", keys[i]);
        int rc = load(text);
        ck_assert_msg(rc == -1, "%s = 12x accepted", keys[i]);
        assert_err_at(3, keys[i], "12x", "[d]", NULL);
    }
}
END_TEST

START_TEST(bad_start)
{
    bad("[d]\nplugin = direct\nstart = 9223372036854775808\n", 3, "start", "9223372036854775808");
    bad("[d]\nplugin = direct\nstart = 1.5\n", 3, "start", "1.5");
    bad("[d]\nplugin = direct\nstart =\n", 3, "start", "[d]");
}
END_TEST

START_TEST(negative_counts)
{
    bad("[runner]\nrequests = -5\n[d]\nplugin = direct\n", 2, "requests", "negative");
    bad("[runner]\nwarmup = -1\n[d]\nplugin = direct\n", 2, "warmup", "negative");
    bad("[d]\nplugin = direct\nrepeat = -3\n", 3, "repeat", "negative");
    bad("[d]\nplugin = direct\ntimeout_ms = -1\n", 3, "timeout_ms", "negative");
}
END_TEST

START_TEST(zero_counts)
{
    bad("[runner]\nrequests = 0\n[d]\nplugin = direct\n", 2, "requests", "range 1..");
    bad("[runner]\nrepeat = 0\n[d]\nplugin = direct\n", 2, "repeat", "range 1..100000");
    bad("[d]\nplugin = direct\n\nrequests = 0\n", 4, "requests", "[d]");
    bad("[d]\nplugin = direct\nrepeat = 0\n", 3, "repeat", "[d]");
    bad("[d]\nplugin = direct\ntimeout_ms = 0\n", 3, "timeout_ms", "[d]");
    bad("[d]\nplugin = direct\nwindow = 0\n", 3, "window", "[d]");
    /* warm-up may be zero */
    ok("[runner]\nwarmup = 0\n[d]\nplugin = direct\n");
}
END_TEST

START_TEST(counts_out_of_range)
{
    bad("[runner]\nrequests = 1099511627777\n[d]\nplugin = direct\n", 2, "requests", "range");
    bad("[d]\nplugin = direct\nrepeat = 100001\n", 3, "repeat", "range");
    bad("[d]\nplugin = direct\ntimeout_ms = 3600001\n", 3, "timeout_ms", "range");
}
END_TEST

START_TEST(duplicate_section)
{
    bad("[a]\nplugin = direct\n\n[a]\nplugin = direct\n", 4, "[a]", "first at line 1");
    bad("[runner]\nrequests = 5\n[d]\nplugin = direct\n[runner]\nrepeat = 1\n", 5,
        "[runner]", "first at line 1");
}
END_TEST

START_TEST(repeated_key)
{
    bad("[d]\nplugin = direct\nrequests = 5\nrequests = 6\n", 4, "requests", "first at line 3");
    bad("[d]\nplugin = direct\ncolor = 5\n\ncolor = 6\n", 5, "color", "first at line 3");
    bad("[runner]\nformat = json\nformat = csv\n[d]\nplugin = direct\n", 3, "format",
        "first at line 2");
}
END_TEST

/* Repeats are found after parsing, so the first error in file order must
 * still be the one reported. */
START_TEST(the_first_error_in_file_order_wins)
{
    /* a repeat before a syntax error */
    bad("[d]\nplugin = direct\nx = 1\nx = 2\nthis is not ini\n", 4, "'x'", "first at line 3");
    /* a syntax error before a repeat */
    bad("[d]\nplugin = direct\nthis is not ini\nx = 1\nx = 2\n", 3, "syntax", "expected");
    /* of two repeats, the earlier; a repeated section before a repeated key */
    bad("[d]\nplugin = direct\ny = 1\n[e]\nplugin = direct\n[d]\nplugin = direct\n"
        "[f]\nplugin = direct\nz = 1\nz = 2\n", 6, "duplicate section [d]",
        "first at line 1");
    bad("[f]\nplugin = direct\nz = 1\nz = 2\n[d]\nplugin = direct\n[d]\nplugin = direct\n",
        4, "'z'", "first at line 3");
    /* three of a kind: the second is the repeat, named against the first */
    bad("[d]\nplugin = direct\nw = 1\nw = 2\nw = 3\n", 4, "'w'", "first at line 3");
}
END_TEST

/* 100,000 keys (pairwise checks took 24 s) and a repeat at the very end. */
START_TEST(a_hundred_thousand_keys)
{
    size_t n = 100000, cap = n * 24 + 64, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text + used, cap - used, "[d]\nplugin = direct\n");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(text + used, cap - used, "k%zu = %zu\n", i, i);
    used += (size_t)snprintf(text + used, cap - used, "k17 = again\n");
    ck_assert_int_eq(load(text), -1);
    assert_err_at((int)n + 3, "'k17'", "first at line 20", NULL);
    ck_assert_ptr_null(cfg.sections);
    free(text);
}
END_TEST

START_TEST(byte_order_mark_is_accepted)
{
    ok("\xEF\xBB\xBF[runner]\nrequests = 7\n[d]\nplugin = direct\n");
    ck_assert_uint_eq(cfg.requests, 7);
    ck_assert_uint_eq(cfg.n_sections, 1);
    config_free(&cfg);
    /* only at the very start: elsewhere it is text, and here not a key */
    bad("[d]\nplugin = direct\n\xEF\xBB\xBF[e]\nplugin = direct\n", 3, "syntax", "expected");
}
END_TEST

static void write_bytes(const char *name, const char *bytes, size_t n)
{
    free(path);
    path = tu_fmt("%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    ck_assert_uint_eq(fwrite(bytes, 1, n, fp), n);
    fclose(fp);
}

START_TEST(nul_bytes_are_refused_at_their_line)
{
    static const char text[] = "[d]\nplugin = direct\nx = a\0b\n";
    write_bytes("nul.ini", text, sizeof text - 1);
    err[0] = '\0';
    ck_assert_int_eq(config_load(&cfg, path, NULL, 0, err, sizeof err), -1);
    assert_err_at(3, "NUL", NULL);
    /* inside a line too long for inih, the NUL does not split it in two */
    char big[400];
    memset(big, 'a', sizeof big);
    memcpy(big, "[d]\nplugin = direct\nx = ", 24);
    big[250] = '\0';
    big[sizeof big - 1] = '\n';
    write_bytes("nul2.ini", big, sizeof big);
    ck_assert_int_eq(config_load(&cfg, path, NULL, 0, err, sizeof err), -1);
    assert_err_at(3, "NUL", NULL);
}
END_TEST

START_TEST(section_without_plugin)
{
    bad("[runner]\nrequests = 5\n\n[nop]\ncolor = red\n", 4, "[nop]", "plugin");
    bad("[d]\nplugin = direct\n[empty]\n", 3, "[empty]", "plugin");
    bad("[d]\nplugin =\n", 2, "[d]", "plugin");
}
END_TEST

START_TEST(no_section_to_run)
{
    int rc = load("[runner]\nrequests = 5\n");
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) && strstr(err, "no section"), "%s", err);
    rc = load("");
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "no section"), "%s", err);
}
END_TEST

START_TEST(baseline_names_no_section)
{
    bad("[runner]\nrepeat = 1\nbaseline = nosuch\n[d]\nplugin = direct\n", 3, "baseline",
        "nosuch");
    /* [runner] itself is not a run one can compare against */
    bad("[runner]\nbaseline = runner\n[d]\nplugin = direct\n", 2, "baseline", "runner");
    ok("[runner]\nbaseline = d\n[d]\nplugin = direct\n");
    ck_assert_str_eq(cfg.baseline, "d");
}
END_TEST

START_TEST(window_larger_than_requests)
{
    bad("[s]\nplugin = x\nrequests = 10\nwindow = 11\n", 4, "window", "requests");
    bad("[runner]\nrequests = 10\n[s]\nplugin = x\nwindow = 100\n", 5, "window", "100");
}
END_TEST

START_TEST(window_all_over_cap)
{
    bad("[runner]\nrequests = 2000000\n[s]\nplugin = x\nwindow = all\n", 5, "window", "all");
    bad("[s]\nplugin = x\nwindow = 1048577\nrequests = 2000000\n", 3, "window", "range");
    bad("[s]\nplugin = x\nwindow = some\n", 3, "window", "some");
}
END_TEST

START_TEST(external_needs_address)
{
    bad("[r]\nplugin = rest\nserver = external\n", 1, "external", "address");
}
END_TEST

START_TEST(address_without_external)
{
    /* (that the message names the address line is in known_bugs_test.c) */
    int rc = load("[r]\nplugin = rest\n\naddress = 127.0.0.1:9\n");
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, path) && strstr(err, "address") && strstr(err, "external"),
                  "%s", err);
    rc = load("[r]\nplugin = rest\nserver = thread\naddress = 127.0.0.1:9\n");
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, "address") && strstr(err, "external"), "%s", err);
}
END_TEST

START_TEST(listen_with_external)
{
    bad("[r]\nplugin = rest\nserver = external\naddress = 127.0.0.1:1\nlisten = 0.0.0.0:1\n", 5,
        "listen", "external");
}
END_TEST

/* [runner] client_cpu / server_cpu are every section's default; a section's
 * own wins, and an external section takes only the client's. */
START_TEST(runner_placement_is_the_default)
{
    ok("[runner]\nclient_cpu = 0\nserver_cpu = 1\n"
       "[a]\nplugin = tcp\n"
       "[b]\nplugin = tcp\nclient_cpu = 1\nserver_cpu = 0\n"
       "[c]\nplugin = tcp\nserver = external\naddress = 127.0.0.1:1\n");
    const struct config_section *a = config_find(&cfg, "a");
    const struct config_section *b = config_find(&cfg, "b");
    const struct config_section *x = config_find(&cfg, "c");
    ck_assert_str_eq(a->client_cpu, "0");
    ck_assert_str_eq(a->server_cpu, "1");
    ck_assert(CPU_ISSET(1, &a->server_set) && !CPU_ISSET(0, &a->server_set));
    ck_assert_str_eq(b->client_cpu, "1");
    ck_assert_str_eq(b->server_cpu, "0");
    ck_assert_str_eq(x->client_cpu, "0");
    ck_assert_ptr_null(x->server_cpu);
}
END_TEST

START_TEST(server_cpu_with_external)
{
    bad("[r]\nplugin = rest\nserver = external\naddress = 127.0.0.1:1\nserver_cpu = 1\n", 5,
        "server_cpu", "external");
}
END_TEST

/* inih would read an indented key as the continuation of the key before. */
START_TEST(indented_keys)
{
    ok("[runner]\n  requests = 100\n\twarmup = 7\n[d]\n   plugin = direct\n");
    ck_assert_uint_eq(cfg.requests, 100);
    ck_assert_uint_eq(cfg.warmup, 7);
    ck_assert_str_eq(cfg.sections[0].plugin, "direct");
}
END_TEST

START_TEST(long_section_name)
{
    bad("[runner]\n[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\nplugin = direct\n", 2,
        "section name", "49");
}
END_TEST

START_TEST(config_is_a_directory)
{
    int rc = config_load(&cfg, dir, NULL, 0, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, dir) && strstr(err, "not a regular file"), "%s", err);
}
END_TEST

START_TEST(bad_server)
{
    bad("[r]\nplugin = rest\nserver = fork\n", 3, "server", "fork");
}
END_TEST

START_TEST(bad_cpu_lists)
{
    static const char *const lists[] = { "0-", "x", "3-1", "-1", "", "1,,2", "1;2", "0-2x",
                                         "99999", "0,", "-0", "+1", "1-+2", ",0" };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "[d]\nplugin = direct\nclient_cpu = %s\n", lists[i]);
        int rc = load(text);
        ck_assert_msg(rc == -1, "client_cpu = '%s' accepted", lists[i]);
        assert_err_at(3, "client_cpu", "[d]", NULL);
    }
    bad("[d]\nplugin = direct\nserver_cpu = a-b\n", 3, "server_cpu", "a-b");
    /* the number as written, not what it overflowed to */
    bad("[d]\nplugin = direct\nserver_cpu = 0-99999999999999999999\n", 3,
        "'0-99999999999999999999' is beyond the last possible CPU", "1023");
    bad("[d]\nplugin = direct\nserver_cpu = 1024\n", 3, "'1024' is beyond", "1023");
    ok("[d]\nplugin = direct\nserver_cpu = 1023\n");
}
END_TEST

START_TEST(bad_format_and_output)
{
    bad("[runner]\nformat = xml\n[d]\nplugin = direct\n", 2, "format", "xml");
    bad("[runner]\n\norder = random\n[d]\nplugin = direct\n", 3, "order", "random");
    /* interleaved, two servers on one fixed port would clash at run time */
    bad("[a]\nplugin = tcp\nlisten = 127.0.0.1:4700\n[b]\nplugin = tcp\n"
        "listen = 127.0.0.1:4700\n", 6, "listen", "order = sequential");
    ck_assert_msg(strstr(err, "[a]'s (") && strstr(err, ".ini:3)"), "%s", err);
    bad("[runner]\noutput =\n[d]\nplugin = direct\n", 2, "output", "[runner]");
}
END_TEST

START_TEST(key_outside_section)
{
    bad("\nrequests = 5\n[d]\nplugin = direct\n", 2, "requests", "section");
}
END_TEST

START_TEST(syntax_error)
{
    bad("[d]\nplugin = direct\nthis line has no equals sign\nrepeat = 1\n", 3, "syntax", NULL);
    bad("[d]\nplugin = direct\nrepeat = 1\n\njust words\n", 5, "syntax", NULL);
    /* ("[d" without ']' is in known_bugs_test.c) */
    bad("[d]\nplugin = direct\n[]\n", 3, "section", NULL);
}
END_TEST

START_TEST(missing_file)
{
    char *missing = tu_fmt("%s/no-such.ini", dir);
    int rc = config_load(&cfg, missing, NULL, 0, err, sizeof err);
    ck_assert_int_eq(rc, -1);
    ck_assert_msg(strstr(err, missing) && strstr(err, "No such file"), "%s", err);
    free(missing);
}
END_TEST

START_TEST(where)
{
    ok("[d]\nplugin = direct\n");
    char buf[4200];
    config_where(&cfg, 12, buf, sizeof buf);
    char *want = tu_fmt("%s:12", path);
    ck_assert_str_eq(buf, want);
    free(want);
    config_where(&cfg, 0, buf, sizeof buf);
    ck_assert_str_eq(buf, "-D");
}
END_TEST

/* ---- regressions: bugs the first version of config.c had ---- */

/* config.c check_section: "address without server = external" was reported
 * at the section header's line, not at the line of the address key. */
START_TEST(address_without_external_names_its_line)
{
    int rc = load_defs("[r]\nplugin = rest\n\naddress = 127.0.0.1:9\n", 0, NULL);
    ck_assert_int_eq(rc, -1);
    assert_err_at(4, "address", NULL);
}
END_TEST
/* config.c apply_define: -D runner.KEY=... fails with "has no section
 * [runner]" when the file has no [runner] section, although [runner] is
 * optional and the help text's own example is -D runner.requests=1000000. */
START_TEST(define_runner_key_without_runner_section)
{
    char *defs[] = { "runner.requests=1000" };
    int rc = load_defs("[direct]\nplugin = direct\n", 1, defs);
    ck_assert_msg(rc == 0, "%s", err);
    ck_assert_uint_eq(cfg.requests, 1000);
}
END_TEST
/* config.c read_line trims "[ d ]" to "d", inih does not (section " d "),
 * so the first key of the section is "outside any [section]". */
START_TEST(section_name_with_spaces)
{
    int rc = load_defs("[ d ]\nplugin = direct\n", 0, NULL);
    if (rc == 0)
        ck_assert_str_eq(cfg.sections[0].name, "d");
    else
        ck_assert_msg(strstr(err, ":1: ") != NULL, "error not on the header line: %s", err);
}
END_TEST
/* An unterminated header "[d" is a syntax error on its own line; the runner
 * instead reports the NEXT line ("key 'plugin' is outside any [section]"). */
START_TEST(unterminated_header_names_its_line)
{
    int rc = load_defs("[d\nplugin = direct\n", 0, NULL);
    ck_assert_int_eq(rc, -1);
    assert_err_at(1, "[", NULL);
}
END_TEST
/* Debian's inih reads at most INI_MAX_LINE = 200 bytes a line: a longer
 * line (a plugin path in a deep build tree) is read as two lines, so the
 * runner either truncates the value or reports a line that does not exist.
 * Either the full value or an error on line 2 is right. */
START_TEST(long_line)
{
    char value[301];
    memset(value, 'a', 300);
    value[300] = '\0';
    char *text = tu_fmt("[d]\nplugin = ./%s.so\n", value);
    int rc = load_defs(text, 0, NULL);
    if (rc == 0) {
        char *want = tu_fmt("./%s.so", value);
        ck_assert_str_eq(cfg.sections[0].plugin, want);
        free(want);
    } else {
        assert_err_at(2, "long", NULL);
    }
    free(text);
}
END_TEST

/* ---- the key table: what the parser takes, --help-config and README say ---- */

/* A value the key takes whatever else the test config holds: its default,
 * else the least its type allows. */
static const char *sample(const struct config_key *k)
{
    if (k->def != NULL)
        return k->def;
    static char least[32];
    switch (k->type) {
    case CONFIG_COUNT:
    case CONFIG_MS:
    case CONFIG_WINDOW:
        snprintf(least, sizeof least, "%llu", (unsigned long long)k->min);
        return least;
    case CONFIG_CHOICE:
        return k->choices[0].name;
    case CONFIG_CPUS:
    case CONFIG_INT:
    case CONFIG_SIZE:
        return "0";
    case CONFIG_TEXT:
    case CONFIG_DIR:
        return "x";      /* also the name of the test's run section, for baseline */
    case CONFIG_OUTPUTS:
        return "x.json";
    }
    ck_abort_msg("%s: no sample for its type", k->name);
    return NULL;
}

/* Load a config that sets only `name` = value (and what it needs) in scope:
 * [runner] with one section [x], or the section [x]. */
static int load_key(enum config_scope scope, const char *name, const char *value,
                    const char *extra)
{
    char *text;
    if (scope == CONFIG_RUNNER)
        text = tu_fmt("[runner]\n%s = %s\n[x]\nplugin = direct\n%s", name, value, extra);
    else
        text = tu_fmt("[x]\n%s%s = %s\n%s", strcmp(name, "plugin") == 0 ? "" : "plugin = direct\n",
                      name, value, extra);
    config_free(&cfg);
    int rc = load(text);
    free(text);
    return rc;
}

/* What a key needs beside it to load alone. */
static const char *companion(const struct config_key *k)
{
    if (k->scope == CONFIG_SECTION && strcmp(k->name, "address") == 0)
        return "server = external\n";
    if (k->type == CONFIG_WINDOW)
        return "requests = 1099511627776\n";
    return "";
}

/* name = value loads, and the runner keeps it: in [runner] an unknown key
 * is refused; in a run section it would be handed to the plugin. A
 * to_plugin key goes to both. */
static void assert_runner_takes(enum config_scope scope, const char *name)
{
    const struct config_key *k = config_key_find(scope, name);
    ck_assert_msg(k != NULL, "'%s' is not in the table", name);
    int rc = load_key(scope, name, sample(k), companion(k));
    ck_assert_msg(rc == 0, "%s = %s refused: %s", name, sample(k), err);
    ck_assert_uint_eq(sec("x")->n_options, k->to_plugin ? 1 : 0);
}

START_TEST(every_key_of_the_table_is_taken_by_the_runner)
{
    size_t n;
    const struct config_key *keys = config_keys(&n);
    ck_assert_uint_ge(n, 20);
    for (size_t i = 0; i < n; i++) {
        assert_runner_takes(keys[i].scope, keys[i].name);
        ck_assert_ptr_eq(config_key_find(keys[i].scope, keys[i].name), &keys[i]);
        ck_assert_msg(keys[i].help != NULL && keys[i].help[0] != '\0', "%s", keys[i].name);
        ck_assert_msg((keys[i].def == NULL) != (keys[i].unset == NULL),
                      "%s: exactly one of def and unset", keys[i].name);
    }
}
END_TEST

/* Each key line of --help-config, under the heading of its scope, names a
 * key the parser takes there, and every key of the table has one line. */
START_TEST(help_config_lists_every_key_the_parser_takes_and_only_those)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(config_help(out), 0);
    fclose(out);
    size_t n;
    const struct config_key *keys = config_keys(&n);
    size_t seen[64] = { 0 };
    ck_assert_uint_le(n, 64);
    int scope = -1;
    size_t key_lines = 0;
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        ck_assert_msg(strlen(line) <= 100, "wider than 100 columns: %s", line);
        if (strncmp(line, "[runner]", 8) == 0)
            scope = CONFIG_RUNNER;
        else if (strncmp(line, "[SECTION]", 9) == 0)
            scope = CONFIG_SECTION;
        if (strncmp(line, "  ", 2) != 0 || line[2] == ' ' || strncmp(line, "  KEY ", 6) == 0)
            continue;
        ck_assert_msg(scope >= 0, "a key before any scope: %s", line);
        char name[64];
        ck_assert_int_eq(sscanf(line, "%63s", name), 1);
        const struct config_key *k = config_key_find((enum config_scope)scope, name);
        ck_assert_msg(k != NULL, "help lists '%s', which the parser does not take there", name);
        assert_runner_takes(k->scope, name);
        char bounds[256];
        config_key_bounds(k, bounds, sizeof bounds);
        /* A long meaning wraps onto lines of its own: its start is here. */
        char start[16];
        snprintf(start, sizeof start, "%s", k->help);
        ck_assert_msg(strstr(line, bounds) && strstr(line, k->def ? k->def : k->unset) &&
                      strstr(line, start), "%s", line);
        seen[k - keys]++;
        key_lines++;
    }
    free(text);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(seen[i] == 1, "help shows '%s' %zu times", keys[i].name, seen[i]);
    ck_assert_uint_eq(key_lines, n);
}
END_TEST

/* --help-config gives payload's bounds as a user writes them, and says in
 * one line that a key may be a list. */
START_TEST(help_config_shows_payload_bounds_and_lists)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ck_assert_ptr_nonnull(out);
    ck_assert_int_eq(config_help(out), 0);
    fclose(out);
    const char *row = strstr(text, "\n  payload ");
    ck_assert_msg(row != NULL, "%s", text);
    const char *end = strchr(row + 1, '\n');
    char *line = strndup(row + 1, (size_t)(end - row - 1));
    ck_assert_msg(strstr(line, " size ") && strstr(line, " 0..64m ") && strstr(line, " 0 "),
                  "%s", line);
    free(line);
    ck_assert_msg(strstr(text, "\nA list sweeps, one run per item: payload = 0, 1k, 64k (CPU "
                               "lists: 0 | 1); at most 1000 runs.\n"), "%s", text);
    free(text);
}
END_TEST

START_TEST(a_key_missing_from_the_table_is_refused)
{
    /* [runner]: an error that lists what the table has */
    bad("[runner]\nrequest = 5\n[d]\nplugin = direct\n", 2, "unknown key 'request' in [runner]",
        NULL);
    size_t n;
    const struct config_key *keys = config_keys(&n);
    for (size_t i = 0; i < n; i++) {
        char *word = tu_fmt(" %s,", keys[i].name);
        char *last = tu_fmt(" %s)", keys[i].name);
        ck_assert_msg(keys[i].scope != CONFIG_RUNNER || strstr(err, word) || strstr(err, last),
                      "'%s' not among the known: %s", keys[i].name, err);
        free(word);
        free(last);
    }
    /* a section's own key of [runner] only is the plugin's, as is any other */
    ck_assert_ptr_null(config_key_find(CONFIG_SECTION, "format"));
    ck_assert_ptr_null(config_key_find(CONFIG_RUNNER, "plugin"));
    ok("[d]\nplugin = direct\nformat = xml\nwindoww = 2\n");
    ck_assert_uint_eq(sec("d")->n_options, 2);
    ck_assert_str_eq(sec("d")->options[0].key, "format");
    ck_assert_str_eq(sec("d")->options[1].key, "windoww");
}
END_TEST

/* One out-of-bounds value refused, naming the key and the bounds. */
static void refused(const struct config_key *k, const char *value, const char *words)
{
    int rc = load_key(k->scope, k->name, value, companion(k));
    ck_assert_msg(rc == -1, "[%s] %s = %s accepted", k->scope == CONFIG_RUNNER ? "runner" : "x",
                  k->name, value);
    char *key = tu_fmt(" %s ", k->name);
    assert_err_at(k->scope == CONFIG_RUNNER ? 2 : strcmp(k->name, "plugin") == 0 ? 2 : 3, key,
                  words, NULL);
    free(key);
}

static void taken(const struct config_key *k, const char *value)
{
    int rc = load_key(k->scope, k->name, value, companion(k));
    ck_assert_msg(rc == 0, "%s = %s refused: %s", k->name, value, err);
}

START_TEST(bounds_from_the_table_are_enforced)
{
    size_t n;
    const struct config_key *keys = config_keys(&n);
    for (size_t i = 0; i < n; i++) {
        const struct config_key *k = &keys[i];
        char range[128], below[32], least[32], most[32], above[32];
        snprintf(range, sizeof range, "%llu..%llu", (unsigned long long)k->min,
                 (unsigned long long)k->max);
        snprintf(below, sizeof below, "%llu", (unsigned long long)k->min - 1);
        snprintf(least, sizeof least, "%llu", (unsigned long long)k->min);
        snprintf(most, sizeof most, "%llu", (unsigned long long)k->max);
        snprintf(above, sizeof above, "%llu", (unsigned long long)k->max + 1);
        switch (k->type) {
        case CONFIG_COUNT:
        case CONFIG_MS:
        case CONFIG_WINDOW:
            ck_assert_msg(k->size == sizeof(uint64_t) ||
                          (k->size == sizeof(unsigned) && k->max <= UINT_MAX), "%s", k->name);
            if (k->min > 0)
                refused(k, below, range);
            refused(k, above, range);
            taken(k, least);
            taken(k, most);
            break;
        case CONFIG_CPUS:
            refused(k, above, most);
            taken(k, most);
            break;
        case CONFIG_INT:
            refused(k, "9223372036854775808", "64-bit");
            refused(k, "-9223372036854775809", "64-bit");
            taken(k, "9223372036854775807");
            taken(k, "-9223372036854775808");
            break;
        case CONFIG_CHOICE:
            ck_assert_uint_eq(k->size, sizeof(int));
            refused(k, "nosuch", k->choices[0].name);
            for (const struct config_choice *c = k->choices; c->name != NULL; c++) {
#ifndef HAVE_CHARTJS
                /* A choice this build left out (configure's summary says why). */
                if (c->value == FORMAT_HTML && strcmp(k->name, "format") == 0) {
                    refused(k, c->name, "apt-get install libjs-chart.js");
                    continue;
                }
#endif
                const char *extra = strcmp(c->name, "external") == 0 ? "address = h:1\n" : "";
                ck_assert_msg(load_key(k->scope, k->name, c->name, extra) == 0, "%s", err);
                const char *base = k->scope == CONFIG_RUNNER ? (const char *)&cfg
                                                              : (const char *)sec("x");
                int stored;
                memcpy(&stored, base + k->at, sizeof stored);
                ck_assert_msg(stored == c->value, "%s = %s", k->name, c->name);
            }
            break;
        case CONFIG_TEXT:
            if (k->min > 0)
                refused(k, "", "empty");
            break;
        case CONFIG_DIR:
            taken(k, "/");
            break;
        case CONFIG_OUTPUTS:
            refused(k, "x.dat", "no format for its extension");
            refused(k, "", "an empty file name");
            taken(k, "x.json, y.csv");
            break;
        case CONFIG_SIZE: {
            uint64_t stored;
            refused(k, above, "is more than");
            taken(k, most);
            memcpy(&stored, (const char *)sec("x") + k->at, sizeof stored);
            ck_assert_uint_eq(stored, k->max);
            taken(k, least);
            memcpy(&stored, (const char *)sec("x") + k->at, sizeof stored);
            ck_assert_uint_eq(stored, k->min);
            break;
        }
        }
    }
}
END_TEST

/* README's tables of keys are a second list, kept by hand for its longer
 * prose: they must name the table's keys, scope by scope, with its defaults. */
START_TEST(readme_lists_the_keys_of_the_table)
{
    const char *top = getenv("top_srcdir");
    char *readme = tu_fmt("%s/README.md", top && top[0] ? top : "..");
    char *text = tu_read(readme);
    ck_assert_msg(text != NULL, "cannot read %s", readme);
    char *ref = strstr(text, "## Configuration reference");
    ck_assert_ptr_nonnull(ref);
    char *end = strstr(ref + 3, "\n## ");
    if (end != NULL)
        *end = '\0';
    size_t n;
    const struct config_key *keys = config_keys(&n);
    size_t seen[64] = { 0 };
    int scope = -1;
    for (char *line = strtok(ref, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (strcmp(line, "`[runner]`") == 0)
            scope = CONFIG_RUNNER;
        else if (strcmp(line, "Each run section") == 0)
            scope = CONFIG_SECTION;
        if (strncmp(line, "| `", 3) != 0)
            continue;
        ck_assert_msg(scope >= 0, "a key row before its table's heading: %s", line);
        char *cells = line + 1;
        char *bar = strchr(cells, '|');
        ck_assert_ptr_nonnull(bar);
        *bar = '\0';
        char *def = bar + 1;
        char *bar2 = strchr(def, '|');
        ck_assert_ptr_nonnull(bar2);
        *bar2 = '\0';
        /* the default, without backticks and spaces around */
        char plain[256];
        size_t m = 0;
        for (const char *p = def; *p && m < sizeof plain - 1; p++)
            if (*p != '`')
                plain[m++] = *p;
        plain[m] = '\0';
        char *d = plain + strspn(plain, " ");
        for (size_t l = strlen(d); l > 0 && d[l - 1] == ' '; l--)
            d[l - 1] = '\0';
        char *save = NULL;
        for (char *name = strtok_r(cells, ", `", &save); name != NULL;
             name = strtok_r(NULL, ", `", &save)) {
            const struct config_key *k = config_key_find((enum config_scope)scope, name);
            ck_assert_msg(k != NULL, "README lists '%s' the table has not (scope %d)", name,
                          scope);
            ck_assert_msg(k->def == NULL || strcmp(k->def, d) == 0,
                          "README's default of %s is '%s', the table's '%s'", name, d, k->def);
            seen[k - keys]++;
        }
    }
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(seen[i] == 1, "README lists [%s] '%s' %zu times",
                      keys[i].scope == CONFIG_RUNNER ? "runner" : "section", keys[i].name,
                      seen[i]);
    free(text);
    free(readme);
}
END_TEST

/* ---- payload: a size the runner reads and hands on (issue 12) ---- */

/* [x] payload = `value` loads, and the section holds `bytes`. */
static void size_taken(const char *value, uint64_t bytes)
{
    char *text = tu_fmt("[x]\nplugin = direct\npayload = %s\n", value);
    ok(text);
    ck_assert_msg(sec("x")->payload == bytes, "payload = %s gave %llu, not %llu", value,
                  (unsigned long long)sec("x")->payload, (unsigned long long)bytes);
    free(text);
    config_free(&cfg);
}

START_TEST(payload_sizes)
{
    size_taken("0", 0);
    size_taken("0k", 0);
    size_taken("1", 1);
    size_taken("512", 512);
    size_taken("4k", 4096);
    size_taken("4K", 4096);
    size_taken("64k", 65536);
    size_taken("1m", 1048576);
    size_taken("1M", 1048576);
    size_taken("007", 7);
    size_taken("64m", 67108864);
    size_taken("65536k", 67108864);
    size_taken("67108864", 67108864);
    ok("[x]\nplugin = direct\n");
    ck_assert_uint_eq(sec("x")->payload, 0);
}
END_TEST

/* Each refused at its file:line, naming the key and the value, and saying
 * what a size is. */
static void size_refused(const char *value, const char *why)
{
    char *text = tu_fmt("[x]\nplugin = direct\npayload = %s\n", value);
    char *said = tu_fmt("[x] payload = '%s' %s", value, why);
    bad(text, 3, said, "a size is digits, with k or m after them for 1024s (512, 4k, 1m), "
        "0..64m");
    free(said);
    free(text);
}

START_TEST(payload_bad_sizes)
{
    size_refused("-1", "is negative");
    size_refused("-4k", "is negative");
    size_refused("4x", "is not a size");
    size_refused("", "is not a size");
    size_refused("1.5k", "is not a size");
    size_refused("k", "is not a size");
    size_refused("+1", "is not a size");
    size_refused("1kb", "is not a size");
    size_refused("1 k", "is not a size");
    size_refused("1g", "is not a size");
    size_refused("0x10", "is not a size");
    size_refused("65m", "is more than 64m (67108864 bytes)");
    size_refused("67108865", "is more than 64m");
    size_refused("65537k", "is more than 64m");
    size_refused("99999999999999999999k", "is more than 64m");
    size_refused("99999999999999999999", "is more than 64m");
    /* n fits in 64 bits, n * 1024 does not */
    size_refused("18014398509481985k", "is more than 64m");
    /* the whole message, once */
    load("[x]\nplugin = direct\npayload = 4x\n");
    char *want = tu_fmt("%s:3: [x] payload = '4x' is not a size: a size is digits, with k or "
                        "m after them for 1024s (512, 4k, 1m), 0..64m", path);
    ck_assert_str_eq(err, want);
    free(want);
    /* -D: the same, blamed on -D */
    char *defs[] = { "x.payload=1e3" };
    ck_assert_int_eq(load_defs("[x]\nplugin = direct\n", 1, defs), -1);
    assert_err_at(0, "[x] payload = '1e3' is not a size", NULL);
}
END_TEST

START_TEST(payload_is_a_section_key_only)
{
    bad("[runner]\npayload = 1k\n[x]\nplugin = direct\n", 2, "unknown key 'payload' in [runner]",
        NULL);
}
END_TEST

/* The plugin gets payload as plain decimal bytes, where it was written
 * among its own keys, and only when it was written (a default is not). */
START_TEST(payload_reaches_the_plugin_in_decimal_only_when_written)
{
    ok("[x]\nplugin = direct\ncolour = red\npayload = 4k\nspin = 1\n");
    const struct config_section *s = sec("x");
    ck_assert_uint_eq(s->n_options, 3);
    ck_assert_str_eq(s->options[0].key, "colour");
    ck_assert_str_eq(s->options[1].key, "payload");
    ck_assert_str_eq(s->options[1].value, "4096");
    ck_assert_str_eq(s->options[2].key, "spin");
    config_free(&cfg);

    ok("[x]\nplugin = direct\ncolour = red\n");
    ck_assert_uint_eq(sec("x")->n_options, 1);
    ck_assert_str_eq(sec("x")->options[0].key, "colour");
    config_free(&cfg);

    ok("[x]\nplugin = direct\npayload = 0\n");
    ck_assert_uint_eq(sec("x")->n_options, 1);
    ck_assert_str_eq(sec("x")->options[0].value, "0");
    config_free(&cfg);

    /* -D writes it too, and replaces what the file wrote */
    char *defs[] = { "x.payload=1M" };
    ck_assert_msg(load_defs("[x]\nplugin = direct\npayload = 4k\n", 1, defs) == 0, "%s", err);
    ck_assert_uint_eq(sec("x")->n_options, 1);
    ck_assert_str_eq(sec("x")->options[0].value, "1048576");
    ck_assert_uint_eq(sec("x")->payload, 1048576);

    /* only payload goes to both */
    size_t n;
    const struct config_key *keys = config_keys(&n);
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(!keys[i].to_plugin || strcmp(keys[i].name, "payload") == 0, "%s",
                      keys[i].name);
}
END_TEST

/* A plugin that refuses payload (direct, shm) is blamed on its line. */
START_TEST(a_refused_payload_is_blamed_on_its_line)
{
    ok("[x]\nplugin = direct\n\npayload = 1k\n");
    char where[4200];
    config_blame(&cfg, sec("x"), "direct: unknown option 'payload' (direct takes none)", where,
                 sizeof where);
    char *want = tu_fmt("%s:4: key 'payload': ", path);
    ck_assert_str_eq(where, want);
    free(want);
}
END_TEST

/* ---- sweeps: a list makes one run per item (issue 12, item 2) ---- */

/* The names of the runs, in order, joined by spaces. */
static char *run_names(void)
{
    size_t len = 1;
    for (size_t i = 0; i < cfg.n_sections; i++)
        len += strlen(cfg.sections[i].name) + 1;
    char *names = calloc(1, len);
    ck_assert_ptr_nonnull(names);
    for (size_t i = 0; i < cfg.n_sections; i++) {
        if (i > 0)
            strcat(names, " ");
        strcat(names, cfg.sections[i].name);
    }
    return names;
}

static void assert_runs(const char *want)
{
    char *names = run_names();
    ck_assert_str_eq(names, want);
    free(names);
}

START_TEST(a_list_makes_a_run_per_item_in_place_of_its_section)
{
    ok("[a]\nplugin = direct\n[t]\nplugin = direct\npayload = 0, 1k,64k\n[z]\nplugin = direct\n");
    assert_runs("a t[payload=0] t[payload=1k] t[payload=64k] z");
    static const uint64_t bytes[] = { 0, 1024, 65536 };
    static const char *const items[] = { "0", "1k", "64k" };
    for (size_t i = 0; i < 3; i++) {
        const struct config_section *s = &cfg.sections[1 + i];
        ck_assert_str_eq(s->base, "t");
        ck_assert_int_eq(s->line, 3);
        ck_assert_uint_eq(s->payload, bytes[i]);
        ck_assert_uint_eq(s->n_sweep, 1);
        ck_assert_str_eq(s->sweep[0].key, "payload");
        ck_assert_str_eq(s->sweep[0].value, items[i]);
        /* the run's own entry holds its item, at the list's line */
        ck_assert_str_eq(s->entries[1].value, items[i]);
        ck_assert_int_eq(config_key_line(s, "payload"), 5);
    }
    /* a section without a list is its own base */
    ck_assert_str_eq(sec("a")->base, "a");
    ck_assert_uint_eq(sec("a")->n_sweep, 0);
    ck_assert_ptr_null(sec("a")->sweep);
}
END_TEST

START_TEST(a_single_value_is_not_a_sweep)
{
    ok("[t]\nplugin = direct\npayload = 1k\nclient_cpu = 0,1\n");
    assert_runs("t");
    ck_assert_uint_eq(sec("t")->n_sweep, 0);
}
END_TEST

/* Two lists make their product, named in the order the keys are written,
 * the first varying slowest. */
START_TEST(two_lists_make_their_product_first_key_slowest)
{
    ok("[t]\nplugin = direct\nstart = 5, 6, 7\nwindow = 1\ntimeout_ms = 10, 20\n");
    assert_runs("t[start=5,timeout_ms=10] t[start=5,timeout_ms=20] t[start=6,timeout_ms=10] "
                "t[start=6,timeout_ms=20] t[start=7,timeout_ms=10] t[start=7,timeout_ms=20]");
    const struct config_section *s = &cfg.sections[3];
    ck_assert_int_eq(s->start, 6);
    ck_assert_uint_eq(s->timeout_ms, 20);
    ck_assert_uint_eq(s->n_sweep, 2);
    ck_assert_str_eq(s->sweep[0].key, "start");
    ck_assert_str_eq(s->sweep[0].value, "6");
    ck_assert_str_eq(s->sweep[1].key, "timeout_ms");
    ck_assert_str_eq(s->sweep[1].value, "20");
}
END_TEST

/* A plugin's key sweeps as well, and reaches the plugin as this run's item:
 * trimmed, with \, as a comma. A single value keeps its spaces. */
START_TEST(items_are_trimmed_and_backslash_comma_is_a_comma)
{
    ok("[t]\nplugin = direct\ncolour =  red , a\\, b  \nlabel = x\\,y\n");
    assert_runs("t[colour=red] t[colour=a, b]");
    const struct config_section *s = &cfg.sections[1];
    ck_assert_uint_eq(s->n_options, 2);
    ck_assert_str_eq(s->options[0].key, "colour");
    ck_assert_str_eq(s->options[0].value, "a, b");
    ck_assert_str_eq(s->options[1].value, "x,y");
    ck_assert_str_eq(s->sweep[0].value, "a, b");
    /* a backslash before anything else stays */
    config_free(&cfg);
    ok("[t]\nplugin = direct\npath = a\\b\n");
    ck_assert_str_eq(sec("t")->options[0].value, "a\\b");
}
END_TEST

/* A CPU list has commas of its own: its items are split at '|'. */
START_TEST(cpu_lists_sweep_with_a_bar)
{
    ok("[t]\nplugin = direct\nclient_cpu = 0 | 1,2\nserver_cpu = 0-1\n");
    assert_runs("t[client_cpu=0] t[client_cpu=1,2]");
    const struct config_section *s = &cfg.sections[1];
    ck_assert_str_eq(s->client_cpu, "1,2");
    ck_assert(!CPU_ISSET(0, &s->client_set) && CPU_ISSET(1, &s->client_set) &&
              CPU_ISSET(2, &s->client_set));
    ck_assert(CPU_ISSET(0, &s->server_set) && CPU_ISSET(1, &s->server_set));
    ck_assert_str_eq(cfg.sections[0].client_cpu, "0");
    /* and a plugin key with a '|' is one value */
    config_free(&cfg);
    ok("[t]\nplugin = direct\nexpr = a|b\n");
    assert_runs("t");
}
END_TEST

START_TEST(defines_give_and_replace_lists)
{
    char *give[] = { "t.payload=0,1m" };
    ck_assert_msg(load_defs("[t]\nplugin = direct\n", 1, give) == 0, "%s", err);
    assert_runs("t[payload=0] t[payload=1m]");
    ck_assert_uint_eq(cfg.sections[1].payload, 1048576);
    config_free(&cfg);

    char *replace[] = { "t.payload=4k" };
    ck_assert_msg(load_defs("[t]\nplugin = direct\npayload = 0, 1k\n", 1, replace) == 0, "%s",
                  err);
    assert_runs("t");
    ck_assert_uint_eq(sec("t")->payload, 4096);
    config_free(&cfg);

    /* a key -D adds comes after the written ones */
    char *add[] = { "t.start=1,2" };
    ck_assert_msg(load_defs("[t]\nplugin = direct\npayload = 0, 1k\n", 1, add) == 0, "%s", err);
    assert_runs("t[payload=0,start=1] t[payload=0,start=2] t[payload=1k,start=1] "
                "t[payload=1k,start=2]");
    config_free(&cfg);

    /* its errors are blamed on -D */
    char *empty[] = { "t.payload=1k," };
    ck_assert_int_eq(load_defs("[t]\nplugin = direct\n", 1, empty), -1);
    assert_err_at(0, "[t] payload = '1k,': item 2 of the list is empty", NULL);
}
END_TEST

/* A config of `lists` keys of `items` items each in [t], and `plain` more
 * sections. */
static int load_grid(size_t lists, size_t items, size_t plain)
{
    size_t cap = 64 + lists * (16 + items * 8) + plain * 32, used = 0;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    used += (size_t)snprintf(text + used, cap - used, "[t]\nplugin = direct\n");
    for (size_t k = 0; k < lists; k++) {
        used += (size_t)snprintf(text + used, cap - used, "k%zu = ", k);
        for (size_t i = 0; i < items; i++)
            used += (size_t)snprintf(text + used, cap - used, "%s%zu", i ? "," : "", i);
        used += (size_t)snprintf(text + used, cap - used, "\n");
    }
    for (size_t i = 0; i < plain; i++)
        used += (size_t)snprintf(text + used, cap - used, "[p%zu]\nplugin = direct\n", i);
    ck_assert_uint_lt(used, cap);
    int rc = load(text);
    free(text);
    return rc;
}

START_TEST(a_thousand_runs_and_no_more)
{
    ck_assert_msg(load_grid(3, 10, 0) == 0, "%s", err);
    ck_assert_uint_eq(cfg.n_sections, 1000);
    ck_assert_str_eq(cfg.sections[999].name, "t[k0=9,k1=9,k2=9]");
    config_free(&cfg);
    /* one list more makes 1001 runs from lists in all */
    ck_assert_int_eq(load("[t]\nplugin = direct\nk0 = 0,1,2,3,4,5,6,7,8,9\n"
                          "k1 = 0,1,2,3,4,5,6,7,8,9\nk2 = 0,1,2,3,4,5,6,7,8,9\n"
                          "[u]\nplugin = direct\nk = 0\\, 1\n"
                          "[v]\nplugin = direct\nk = a, b\n"), -1);
    assert_err_at(3, "[t]'s lists would make 1000 runs, the config's lists 1002 in all: at "
                  "most 1000 may run", NULL);
    ck_assert_ptr_null(cfg.sections);
    ck_assert_int_eq(load_grid(20, 2, 0), -1);
    assert_err_at(3, "would make 1048576 runs", NULL);
    /* past what 64 bits count, still said */
    ck_assert_int_eq(load_grid(70, 2, 0), -1);
    assert_err_at(3, "would make more than 2^64 runs", NULL);
    /* written sections are no sweep: they never count against the cap */
    ck_assert_msg(load_grid(3, 10, 5) == 0, "%s", err);
    ck_assert_uint_eq(cfg.n_sections, 1005);
    config_free(&cfg);
    ck_assert_msg(load_grid(0, 0, 2000) == 0, "%s", err);
    ck_assert_uint_eq(cfg.n_sections, 2001);
    config_free(&cfg);
}
END_TEST

/* A bad item is blamed on the list's line and key, naming the item and the
 * run it would have made. */
START_TEST(a_bad_item_in_a_list)
{
    bad("[t]\nplugin = direct\npayload = 0, 4x, 1k\n", 3, "[t[payload=4x]] payload = '4x' is "
        "not a size", NULL);
    bad("[t]\nplugin = direct\nwindow = 1, 0\n", 3, "[t[window=0]] window = 0 is out of range",
        NULL);
    bad("[t]\nplugin = direct\nclient_cpu = 0 | x\n", 3, "[t[client_cpu=x]] client_cpu = 'x' "
        "is not a CPU list", NULL);
    /* and a rule across keys names the run that breaks it */
    bad("[t]\nplugin = direct\nrequests = 10, 2\nwindow = 4\n", 4, "[t[requests=2]] window = 4 "
        "is larger than requests = 2", NULL);
}
END_TEST

START_TEST(an_empty_or_repeated_item_is_refused)
{
    bad("[t]\nplugin = direct\n\npayload = 0, , 1k\n", 4, "[t] payload = '0, , 1k': item 2 of "
        "the list is empty", NULL);
    bad("[t]\nplugin = direct\npayload = 0, 1k,\n", 3, "item 3 of the list is empty", NULL);
    bad("[t]\nplugin = direct\npayload = ,\n", 3, "item 1 of the list is empty", NULL);
    bad("[t]\nplugin = direct\nclient_cpu = 0 || 1\n", 3, "item 2 of the list is empty", NULL);
    bad("[t]\nplugin = direct\nwindow = 1, 2, 1\n", 3, "[t] window = '1, 2, 1': '1' is listed "
        "twice (items 1 and 3)", NULL);
}
END_TEST

START_TEST(plugin_cannot_be_swept)
{
    bad("[t]\nplugin = direct, shm\n", 2, "[t] plugin = 'direct, shm': a section runs one "
        "plugin: write a section for each instead of a list", NULL);
    /* an escaped comma is one (odd) plugin name, not a list */
    ok("[t]\nplugin = a\\,b\n");
    ck_assert_str_eq(sec("t")->plugin, "a,b");
}
END_TEST

/* Items that hold ',' and '=' could name two runs alike: refused. */
START_TEST(two_runs_of_one_name_are_refused)
{
    bad("[t]\nplugin = direct\na = 1\\,b=2, 1\nb = 3, 2\\,b=3\n", 1, "two runs of [t] are "
        "named [t[a=1,b=2,b=3]]: write the lists so that their items differ", NULL);
    /* across sections too: a written name may hold '[' */
    bad("[t]\nplugin = direct\na = 1[b=2, 3\n[t[a=1]\nplugin = direct\nb = 2, 4\n", 4,
        "[t] (line 1) and [t[a=1] both make a run named [t[a=1[b=2]]: rename a section", NULL);
}
END_TEST

START_TEST(baseline_names_a_swept_section_or_one_run)
{
    ok("[runner]\nbaseline = t\n[t]\nplugin = direct\npayload = 0, 1k\n");
    ck_assert_str_eq(cfg.baseline, "t");
    /* a run's name finds that run; the base name, for anything but the
     * baseline, finds nothing (it would be a guess among the runs) */
    ck_assert_ptr_null(config_find(&cfg, "t"));
    ck_assert_ptr_eq(config_find(&cfg, "t[payload=1k]"), &cfg.sections[1]);
    config_free(&cfg);
    ok("[runner]\nbaseline = t[payload=1k]\n[t]\nplugin = direct\npayload = 0, 1k\n");
    config_free(&cfg);
    bad("[runner]\nbaseline = t[payload=2k]\n[t]\nplugin = direct\npayload = 0, 1k\n", 2,
        "baseline = 't[payload=2k]' names no section", NULL);
    bad("[runner]\nbaseline = u\n[t]\nplugin = direct\npayload = 0, 1k\n", 2,
        "baseline = 'u' names no section", NULL);
}
END_TEST

/* Every run of a section with a fixed listen would bind it: a clash, named
 * by run; a list of addresses does not clash. */
START_TEST(listen_clash_between_runs)
{
    bad("[t]\nplugin = direct\nserver = thread\nlisten = 127.0.0.1:9000\npayload = 0, 1k\n", 4,
        "[t[payload=1k]] listen = 127.0.0.1:9000 is also [t[payload=0]]'s", NULL);
    ok("[t]\nplugin = direct\nserver = thread\nlisten = 127.0.0.1:9001, 127.0.0.1:9002\n");
    assert_runs("t[listen=127.0.0.1:9001] t[listen=127.0.0.1:9002]");
    config_free(&cfg);
    bad("[t]\nplugin = direct\nserver = thread\nlisten = a:1, a:2\n[u]\nplugin = direct\n"
        "server = thread\nlisten = a:2\n", 8, "[u] listen = a:2 is also [t[listen=a:2]]'s", NULL);
    ok("[runner]\norder = sequential\n[t]\nplugin = direct\nserver = thread\n"
       "listen = 127.0.0.1:9000\npayload = 0, 1k\n");
}
END_TEST

/* Every config the project ships means what it meant: none of their values
 * turned into a list. */
START_TEST(shipped_configs_do_not_sweep)
{
    const char *top = getenv("top_srcdir");
    static const char *const files[] = {
        "conf/default.ini", "bench/transports.ini", "bench/rest_vs_tcp.ini", "bench/grpc.ini",
        "bench/floors.ini", "bench/direct.ini", "examples/plugin/example.ini",
        "examples/plugin/netexample.ini", "tests/report/report.ini",
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *file = tu_fmt("%s/%s", top && top[0] ? top : "..", files[i]);
        config_free(&cfg);
        int rc = config_load(&cfg, file, NULL, 0, err, sizeof err);
        ck_assert_msg(rc == 0, "%s: %s", file, err);
        for (size_t s = 0; s < cfg.n_sections; s++)
            ck_assert_msg(cfg.sections[s].n_sweep == 0, "%s: [%s] sweeps", file,
                          cfg.sections[s].name);
        free(file);
    }
}
END_TEST

/* The configs that sweep on purpose expand as their comments say:
 * conf/payload.ini is six transports over four sizes, each run named for
 * its size and paired with tcp's run of the same size; conf/tls.ini is
 * each transport without and with TLS. */
START_TEST(shipped_sweeps_expand_as_written)
{
    const char *top = getenv("top_srcdir");
    char *file = tu_fmt("%s/conf/payload.ini", top && top[0] ? top : "..");
    int rc = config_load(&cfg, file, NULL, 0, err, sizeof err);
    ck_assert_msg(rc == 0, "%s: %s", file, err);
    static const char *const bases[] = { "tcp", "uds", "rest", "rest_post", "grpc_unary",
                                         "grpc_stream" };
    static const char *const sizes[] = { "0", "1k", "64k", "1m" };
    static const uint64_t bytes[] = { 0, 1024, 65536, 1048576 };
    ck_assert_uint_eq(cfg.n_sections, 24);
    ck_assert_str_eq(cfg.baseline, "tcp");
    for (size_t b = 0; b < 6; b++)
        for (size_t z = 0; z < 4; z++) {
            const struct config_section *sec = &cfg.sections[b * 4 + z];
            char *name = tu_fmt("%s[payload=%s]", bases[b], sizes[z]);
            ck_assert_str_eq(sec->name, name);
            ck_assert_str_eq(sec->base, bases[b]);
            ck_assert_uint_eq(sec->n_sweep, 1);
            ck_assert_str_eq(sec->sweep[0].key, "payload");
            ck_assert_uint_eq(sec->payload, bytes[z]);
            free(name);
        }
    free(file);
    /* conf/tls.ini: each transport in plaintext, then over TLS, in place;
     * the full-handshake section is written, not swept. */
    config_free(&cfg);
    file = tu_fmt("%s/conf/tls.ini", top && top[0] ? top : "..");
    ck_assert_msg(config_load(&cfg, file, NULL, 0, err, sizeof err) == 0, "%s: %s", file, err);
    static const char *const tls_runs[] = {
        "tcp", "rest[tls=false]", "rest[tls=true]", "rest_close[tls=false]",
        "rest_close[tls=true]", "rest_close_full", "rest_close_tls12", "grpc_unary[tls=false]",
        "grpc_unary[tls=true]", "grpc_stream[tls=false]", "grpc_stream[tls=true]",
    };
    ck_assert_uint_eq(cfg.n_sections, 11);
    ck_assert_str_eq(cfg.baseline, "tcp");
    for (size_t i = 0; i < 11; i++)
        ck_assert_str_eq(cfg.sections[i].name, tls_runs[i]);
    free(file);
    static const char *const benches[] = { "bench/grpc_args.ini", "bench/grpc_args_1m.ini" };
    for (size_t i = 0; i < 2; i++) {
        file = tu_fmt("%s/%s", top && top[0] ? top : "..", benches[i]);
        config_free(&cfg);
        ck_assert_msg(config_load(&cfg, file, NULL, 0, err, sizeof err) == 0, "%s: %s", file,
                      err);
        free(file);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("config");
    TCase *good = tcase_create("good");
    tcase_add_checked_fixture(good, setup, teardown);
    tcase_add_test(good, defaults);
    tcase_add_test(good, orders);
    tcase_add_test(good, every_runner_key);
    tcase_add_test(good, plugin_dir_absolute);
    tcase_add_test(good, formats);
    tcase_add_test(good, runner_section_anywhere);
    tcase_add_test(good, every_section_key);
    tcase_add_test(good, server_modes);
    tcase_add_test(good, window_all);
    tcase_add_test(good, start_values);
    tcase_add_test(good, plugin_keys_in_file_order);
    tcase_add_test(good, two_sections_one_plugin);
    tcase_add_test(good, comments);
    tcase_add_test(good, spaces_and_colons);
    tcase_add_test(good, cpu_lists);
    tcase_add_test(good, where);
    suite_add_tcase(s, good);

    TCase *defs = tcase_create("defines");
    tcase_add_checked_fixture(defs, setup, teardown);
    tcase_add_test(defs, define_replaces);
    tcase_add_test(defs, define_adds);
    tcase_add_test(defs, define_later_wins);
    tcase_add_test(defs, define_value_checked);
    tcase_add_test(defs, define_value_value_with_dots_and_equals);
    tcase_add_test(defs, define_bad_syntax);
    tcase_add_test(defs, define_unknown_section);
    tcase_add_test(defs, define_unknown_runner_key);
    suite_add_tcase(s, defs);

    TCase *b = tcase_create("bad");
    tcase_add_checked_fixture(b, setup, teardown);
    tcase_add_test(b, unknown_runner_key);
    tcase_add_test(b, bad_numbers);
    tcase_add_test(b, bad_numbers_in_sections);
    tcase_add_test(b, bad_start);
    tcase_add_test(b, negative_counts);
    tcase_add_test(b, zero_counts);
    tcase_add_test(b, counts_out_of_range);
    tcase_add_test(b, duplicate_section);
    tcase_add_test(b, repeated_key);
    tcase_add_test(b, the_first_error_in_file_order_wins);
    tcase_add_test(b, a_hundred_thousand_keys);
    tcase_add_test(b, byte_order_mark_is_accepted);
    tcase_add_test(b, nul_bytes_are_refused_at_their_line);
    tcase_add_test(b, section_without_plugin);
    tcase_add_test(b, no_section_to_run);
    tcase_add_test(b, baseline_names_no_section);
    tcase_add_test(b, window_larger_than_requests);
    tcase_add_test(b, window_all_over_cap);
    tcase_add_test(b, external_needs_address);
    tcase_add_test(b, address_without_external);
    tcase_add_test(b, listen_with_external);
    tcase_add_test(b, bad_server);
    tcase_add_test(b, server_cpu_with_external);
    tcase_add_test(b, runner_placement_is_the_default);
    tcase_add_test(b, indented_keys);
    tcase_add_test(b, long_section_name);
    tcase_add_test(b, config_is_a_directory);
    tcase_add_test(b, bad_cpu_lists);
    tcase_add_test(b, bad_format_and_output);
    tcase_add_test(b, key_outside_section);
    tcase_add_test(b, syntax_error);
    tcase_add_test(b, missing_file);
    tcase_add_test(b, address_without_external_names_its_line);
    tcase_add_test(b, define_runner_key_without_runner_section);
    tcase_add_test(b, section_name_with_spaces);
    tcase_add_test(b, unterminated_header_names_its_line);
    tcase_add_test(b, long_line);
    suite_add_tcase(s, b);

    TCase *t = tcase_create("table");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, every_key_of_the_table_is_taken_by_the_runner);
    tcase_add_test(t, help_config_lists_every_key_the_parser_takes_and_only_those);
    tcase_add_test(t, shipped_configs_do_not_sweep);
    tcase_add_test(t, shipped_sweeps_expand_as_written);
    tcase_add_test(t, help_config_shows_payload_bounds_and_lists);
    tcase_add_test(t, a_key_missing_from_the_table_is_refused);
    tcase_add_test(t, bounds_from_the_table_are_enforced);
    tcase_add_test(t, readme_lists_the_keys_of_the_table);
    suite_add_tcase(s, t);

    TCase *pay = tcase_create("payload");
    tcase_add_checked_fixture(pay, setup, teardown);
    tcase_add_test(pay, payload_sizes);
    tcase_add_test(pay, payload_bad_sizes);
    tcase_add_test(pay, payload_is_a_section_key_only);
    tcase_add_test(pay, payload_reaches_the_plugin_in_decimal_only_when_written);
    tcase_add_test(pay, a_refused_payload_is_blamed_on_its_line);
    suite_add_tcase(s, pay);

    TCase *sw = tcase_create("sweeps");
    tcase_add_checked_fixture(sw, setup, teardown);
    tcase_add_test(sw, a_list_makes_a_run_per_item_in_place_of_its_section);
    tcase_add_test(sw, a_single_value_is_not_a_sweep);
    tcase_add_test(sw, two_lists_make_their_product_first_key_slowest);
    tcase_add_test(sw, items_are_trimmed_and_backslash_comma_is_a_comma);
    tcase_add_test(sw, cpu_lists_sweep_with_a_bar);
    tcase_add_test(sw, defines_give_and_replace_lists);
    tcase_add_test(sw, a_thousand_runs_and_no_more);
    tcase_add_test(sw, a_bad_item_in_a_list);
    tcase_add_test(sw, an_empty_or_repeated_item_is_refused);
    tcase_add_test(sw, plugin_cannot_be_swept);
    tcase_add_test(sw, two_runs_of_one_name_are_refused);
    tcase_add_test(sw, baseline_names_a_swept_section_or_one_run);
    tcase_add_test(sw, listen_clash_between_runs);
    suite_add_tcase(s, sw);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
