/*
 * handshakes_test.c — TLS handshakes (ABI minor 3) end to end through the
 * built runner, without OpenSSL: the test plugin nettls reconnects per call
 * and counts handshakes as a resuming TLS client would (the first full, the
 * rest resumed), so one run's every output file (table, markdown, CSV,
 * JSON, html) can be checked against counts known in advance. A minor-2
 * plugin that writes poison where the new members lie, and a plain one,
 * leave every face as it was. The same runs' --check-plugin verdicts are in
 * e2e_test. Made-by-hand results in every face: tests/report/tls_test.
 */
#include "e2eutil.h"

#include <check.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define WARMUP 4
#define REQUESTS 20
#define REPEATS 3
/* a repeat's client: the cold call, warm-up and measured calls, each on a
 * connection of its own */
#define PER_REPEAT (1 + WARMUP + REQUESTS)

#ifdef HAVE_CHARTJS
#define HTML_OUT ", r.html"
#else
#define HTML_OUT ""
#endif

/* Run `sections` with every format written to e2e_dir/r.*; stdout is the
 * table. */
static void run_all(struct tu_proc *p, const char *sections)
{
    char *text = tu_fmt("[runner]\nrequests = %d\nwarmup = %d\nrepeat = %d\n"
                        "output = r.json, r.csv, r.md" HTML_OUT "\n%s",
                        REQUESTS, WARMUP, REPEATS, sections);
    char *path = conf(text);
    run_env(p, NULL, e2e_dir, path, (const char *)NULL);
    ck_assert_msg(p->status == 0, "exit %d:\n%.1500s", p->status, p->err);
    free(path);
    free(text);
}

static char *out_file(const char *name)
{
    char *f = tu_fmt("%s/%s", e2e_dir, name);
    char *text = tu_read(f);
    ck_assert_msg(text != NULL, "%s not written", f);
    free(f);
    return text;
}

/* The three test plugins' sections: TLS, plain, minor 2 with poison. */
static char *three_sections(void)
{
    char *tls = tu_test_plugin("nettls"), *plain = tu_test_plugin("net"),
         *old = tu_test_plugin("netminor2");
    char *s = tu_fmt("[tls]\nplugin = %s\n[plain]\nplugin = %s\n[old]\nplugin = %s\n", tls,
                     plain, old);
    free(tls);
    free(plain);
    free(old);
    return s;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

/* s with every run of spaces made one (the table pads its cells). */
static void squeeze(char *s)
{
    char *w = s;
    for (const char *r = s; *r; r++)
        if (!(r[0] == ' ' && r[1] == ' '))
            *w++ = *r;
    *w = '\0';
}

/* `name`'s row of the placement table, which follows its header. */
static char *placement_row(const char *table, const char *header, const char *name)
{
    const char *h = strstr(table, header);
    ck_assert_msg(h != NULL, "no '%s' in:\n%s", header, table);
    char *row = line_starting(h, name);
    ck_assert_msg(row != NULL, "no placement row '%s' in:\n%s", name, h);
    return row;
}

START_TEST(handshakes_in_every_format)
{
    char *sections = three_sections();
    struct tu_proc p;
    run_all(&p, sections);

    /* JSON: sums as connections are, and each repeat's figures */
    char *text = out_file("r.json");
    json_t *root = parse_json(text);
    json_t *tls = section_at(root, 0);
    ck_assert_int_eq(get_int(tls, "connections"), REPEATS * PER_REPEAT);
    ck_assert_int_eq(get_int(tls, "tls_full_handshakes"), REPEATS);
    ck_assert_int_eq(get_int(tls, "tls_resumed_handshakes"), REPEATS * (PER_REPEAT - 1));
    json_t *full = get(tls, "tls_full_handshakes_per_repeat"),
           *resumed = get(tls, "tls_resumed_handshakes_per_repeat");
    ck_assert_uint_eq(json_array_size(full), REPEATS);
    ck_assert_uint_eq(json_array_size(resumed), REPEATS);
    for (size_t k = 0; k < REPEATS; k++) {
        ck_assert_int_eq(json_integer_value(json_array_get(full, k)), 1);
        ck_assert_int_eq(json_integer_value(json_array_get(resumed, k)), PER_REPEAT - 1);
    }
    /* plain counts none; minor 2's poison (4242) is never read */
    for (size_t i = 1; i < 3; i++) {
        json_t *s = section_at(root, i);
        ck_assert_int_eq(get_int(s, "connections"), REPEATS);
        ck_assert_msg(json_is_null(get(s, "tls_full_handshakes")) &&
                      json_is_null(get(s, "tls_resumed_handshakes")) &&
                      json_is_null(get(s, "tls_full_handshakes_per_repeat")) &&
                      json_is_null(get(s, "tls_resumed_handshakes_per_repeat")),
                      "%s reports handshakes", get_str(s, "name"));
    }
    json_decref(root);
    free(text);

    /* the table on stdout */
    char *row = placement_row(p.out, "\nsection  plugin", "tls  ");
    squeeze(row);
    char *want = tu_fmt(" %d %d/%d 1/%d", REPEATS * PER_REPEAT, REPEATS,
                        REPEATS * (PER_REPEAT - 1), PER_REPEAT - 1);
    ck_assert_msg(ends_with(row, want), "'%s' does not end with '%s'", row, want);
    free(want);
    free(row);
    row = placement_row(p.out, "\nsection  plugin", "old  ");
    squeeze(row);
    ck_assert_msg(ends_with(row, " 3 - -"), "%s", row);
    free(row);
    char *head = line_starting(p.out, "section  plugin");
    squeeze(head);
    ck_assert_msg(ends_with(head, " conns tls handshakes per repeat"), "%s", head);
    free(head);
    char *legend = line_starting(p.out, "tls handshakes: full/resumed");
    ck_assert_ptr_nonnull(legend);
    free(legend);

    /* markdown */
    text = out_file("r.md");
    const char *md_head = "| section | plugin | server | address | cpu client/server | "
                          "cold call | conns | tls handshakes | per repeat |";
    row = placement_row(text, md_head, "| tls |");
    want = tu_fmt("| %d | %d/%d | 1/%d |", REPEATS * PER_REPEAT, REPEATS,
                  REPEATS * (PER_REPEAT - 1), PER_REPEAT - 1);
    ck_assert_msg(ends_with(row, want), "'%s' does not end with '%s'", row, want);
    ck_assert_uint_eq(tu_count(row, "|"), tu_count(md_head, "|"));
    free(want);
    free(row);
    row = placement_row(text, md_head, "| plain |");
    ck_assert_msg(ends_with(row, "| 3 | - | - |"), "%s", row);
    free(row);
    free(text);

    /* CSV: the sums, last */
    text = out_file("r.csv");
    head = line_starting(text, "section,");
    ck_assert_msg(ends_with(head, ",mb_per_s,tls_full_handshakes,tls_resumed_handshakes"),
                  "%s", head);
    free(head);
    row = line_starting(text, "\"tls\",");
    want = tu_fmt(",%d,%d", REPEATS, REPEATS * (PER_REPEAT - 1));
    ck_assert_msg(ends_with(row, want), "'%s' does not end with '%s'", row, want);
    free(want);
    free(row);
    row = line_starting(text, "\"old\",");
    ck_assert_msg(ends_with(row, ",,"), "%s", row);
    free(row);
    free(text);

#ifdef HAVE_CHARTJS
    text = out_file("r.html");
    ck_assert_ptr_nonnull(strstr(text, "<th class=\"num\">tls handshakes</th>"
                                       "<th class=\"num\">per repeat</th></tr>"));
    want = tu_fmt("<td class=\"num\">%d</td><td class=\"num\">%d/%d</td>"
                  "<td class=\"num\">1/%d</td></tr>", REPEATS * PER_REPEAT, REPEATS,
                  REPEATS * (PER_REPEAT - 1), PER_REPEAT - 1);
    ck_assert_msg(strstr(text, want) != NULL, "no '%s' in the page", want);
    free(want);
    free(text);
#endif
    free(sections);
    tu_proc_free(&p);
}
END_TEST

/* No plugin counted a handshake: no face shows the columns, and the CSV
 * header is the one from before issue 14. */
START_TEST(a_plaintext_run_shows_no_handshakes)
{
    char *plain = tu_test_plugin("net"), *old = tu_test_plugin("netminor2");
    char *sections = tu_fmt("[plain]\nplugin = %s\n[old]\nplugin = %s\n[direct]\n"
                            "plugin = direct\n", plain, old);
    struct tu_proc p;
    run_all(&p, sections);
    ck_assert_msg(strstr(p.out, "handshake") == NULL, "%s", p.out);
    char *head = line_starting(p.out, "section  plugin");
    squeeze(head);
    ck_assert_msg(ends_with(head, " cold call conns"), "%s", head);
    free(head);
    static const char *const files[] = { "r.md", "r.csv",
#ifdef HAVE_CHARTJS
                                         "r.html",
#endif
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *text = out_file(files[i]);
        ck_assert_msg(strstr(text, "handshake") == NULL, "%s shows handshakes", files[i]);
        if (strcmp(files[i], "r.csv") == 0) {
            head = line_starting(text, "section,");
            ck_assert_msg(ends_with(head, ",bytes_per_call,mb_per_s"), "%s", head);
            free(head);
        }
        free(text);
    }
    char *text = out_file("r.json");
    json_t *root = parse_json(text);
    for (size_t i = 0; i < 3; i++)
        ck_assert(json_is_null(get(section_at(root, i), "tls_full_handshakes")));
    json_decref(root);
    free(text);
    free(sections);
    free(plain);
    free(old);
    tu_proc_free(&p);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("handshakes");
    TCase *t = tcase_create("faces");
    tcase_add_checked_fixture(t, e2e_setup, e2e_teardown);
    tcase_add_test(t, handshakes_in_every_format);
    tcase_add_test(t, a_plaintext_run_shows_no_handshakes);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return tu_run_suite(suite());
}
