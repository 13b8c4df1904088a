/*
 * compare_read_test.c — reading incbench JSON reports back for --compare:
 * every figure of a good report lands in its struct, and every way a file
 * can be wrong (unreadable, empty, cut short anywhere, not JSON, JSON but
 * not a report, another schema_version, a section missing or mistyping a
 * member) gives one line that names the file and, for a section, the
 * section and the member.
 */
#include "compare_read.h"
#include "comparefix.h"
#include "testutil.h"

#include <check.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PATH "runs/new.json"

static const double means[] = { 1000, 1010, 1020, 1030, 1040 };

static json_t *good(void)
{
    json_t *r = cf_report();
    cf_add(r, cf_section("direct", means, 5));
    cf_add(r, cf_failed("tcp", "failed"));
    return r;
}

/* The text of r, parsed: must fail with one line, "PATH: " first, holding
 * `needle`; the file struct is left empty. */
static void refused_text(const char *text, size_t len, const char *needle)
{
    struct compare_file f;
    char err[512];
    ck_assert_int_eq(compare_file_parse(&f, PATH, text, len, err, sizeof err), -1);
    ck_assert_msg(strncmp(err, PATH ": ", strlen(PATH) + 2) == 0, "no file name: %s", err);
    ck_assert_msg(strstr(err, needle) != NULL, "'%s' not in: %s", needle, err);
    ck_assert_msg(strchr(err, '\n') == NULL, "more than one line: %s", err);
    ck_assert_uint_eq(f.n_sections, 0);
    ck_assert_ptr_null(f.sections);
    compare_file_free(&f);
}

static void refused(json_t *r, const char *needle)
{
    char *t = cf_text(r);
    refused_text(t, strlen(t), needle);
    free(t);
}

/* The first section of r, to break. */
static json_t *first(json_t *r)
{
    return json_array_get(json_object_get(r, "sections"), 0);
}

START_TEST(good_report_is_read_whole)
{
    char *t = cf_text(good());
    struct compare_file f;
    char err[512] = "";
    ck_assert_int_eq(compare_file_parse(&f, PATH, t, strlen(t), err, sizeof err), 0);
    ck_assert_str_eq(f.path, PATH);
    ck_assert_str_eq(f.version, "0.1.0");
    ck_assert_str_eq(f.host, "testhost");
    ck_assert_str_eq(f.cpu, "Test CPU");
    ck_assert_uint_eq(f.n_sections, 2);
    const struct compare_section *d = compare_file_section(&f, "direct");
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->status, "ok");
    ck_assert(d->ok);
    ck_assert(!d->pipelined);
    ck_assert_double_eq_tol(d->mean_ns, 1020, 1e-9);
    ck_assert_double_eq_tol(d->p50_ns, 918, 1e-9);
    ck_assert_double_eq_tol(d->p99_ns, 3060, 1e-9);
    ck_assert_uint_eq(d->n_repeats, 5);
    for (size_t i = 0; i < 5; i++)
        ck_assert_double_eq_tol(d->repeat_means[i], means[i], 1e-9);
    ck_assert_uint_eq(d->n_buckets, 1);
    ck_assert_uint_eq(d->buckets[0].low, 918);
    ck_assert_uint_eq(d->buckets[0].high, 3060);
    ck_assert_uint_eq(d->buckets[0].count, 5000);
    const struct compare_section *tcp = compare_file_section(&f, "tcp");
    ck_assert_ptr_nonnull(tcp);
    ck_assert_str_eq(tcp->status, "failed");
    ck_assert(!tcp->ok);
    ck_assert_ptr_null(compare_file_section(&f, "rest"));
    compare_file_free(&f);
    free(t);
}
END_TEST

START_TEST(control_characters_in_names_are_defused)
{
    json_t *r = cf_report();
    cf_add(r, cf_section("a\x1b[2Jb", means, 5));
    char *t = cf_text(r);
    struct compare_file f;
    char err[512];
    ck_assert_int_eq(compare_file_parse(&f, PATH, t, strlen(t), err, sizeof err), 0);
    ck_assert_str_eq(f.sections[0].name, "a?[2Jb");
    compare_file_free(&f);
    free(t);
}
END_TEST

START_TEST(empty_file_is_refused)
{
    refused_text("", 0, "empty");
    refused_text(" \n\t\n", 4, "empty");
}
END_TEST

/* Cut anywhere, at a brace, in a string, a number, a "true": truncated. */
START_TEST(every_cut_of_a_report_is_truncated)
{
    char *t = cf_text(good());
    size_t len = strlen(t);
    for (size_t n = 1; n < len; n++) {
        struct compare_file f;
        char err[512];
        ck_assert_int_eq(compare_file_parse(&f, PATH, t, n, err, sizeof err), -1);
        ck_assert_msg(strstr(err, "cut short") != NULL, "cut at %zu: %s", n, err);
        compare_file_free(&f);
    }
    free(t);
}
END_TEST

START_TEST(not_json_names_line_and_column)
{
    const char *t = "{\n  \"incbench\": tx,\n  \"b\": 1\n}\n";
    refused_text(t, strlen(t), "not JSON: line 2, column");
}
END_TEST

/* jansson quotes the bad token raw: a newline inside it must not make
 * the message two lines (the fuzzer's find, tests/fuzz/corpus/compare_json). */
START_TEST(a_raw_newline_in_bad_json_stays_one_line)
{
    const char *t = "{\"incbench\": \"0.1\\\n\n\\ x\", \"schema_version\": 1}";
    refused_text(t, strlen(t), "not JSON: line 2, column 0: invalid escape");
}
END_TEST

START_TEST(binary_file_is_not_json)
{
    refused_text("{\"incbench\"\0\1\2", 14, "not JSON: a NUL byte at offset 11");
}
END_TEST

START_TEST(json_that_is_not_a_report_is_refused)
{
    const char *obj = "{\"results\": [1, 2, 3]}";
    refused_text(obj, strlen(obj), "not an incbench report (no \"incbench\" or \"schema_version\"");
    refused_text("[1, 2]", 6, "not an incbench report (an array, not an object)");
    refused_text("42", 2, "not an incbench report");
    json_t *r = good();
    json_object_set_new(r, "incbench", json_integer(3));
    refused(r, "\"incbench\" is not a string");
    r = good();
    json_object_del(r, "incbench");
    refused(r, "\"incbench\" is missing");
    r = good();
    json_object_set_new(r, "schema_version", json_string("1"));
    refused(r, "\"schema_version\" is a string, not an integer");
    r = good();
    json_object_del(r, "sections");
    refused(r, "\"sections\" is missing");
    r = good();
    json_object_set_new(r, "sections", json_object());
    refused(r, "\"sections\" is not an array");
}
END_TEST

START_TEST(another_schema_version_is_refused)
{
    json_t *r = good();
    json_object_set_new(r, "schema_version", json_integer(2));
    refused(r, "schema_version 2, this runner reads 1");
    r = good();
    json_object_del(r, "schema_version");
    refused(r, "without schema_version");
}
END_TEST

START_TEST(malformed_section_names_section_and_member)
{
    json_t *r = good();
    json_array_set_new(json_object_get(r, "sections"), 0, json_integer(7));
    refused(r, "sections[0] is an integer, not an object");
    r = good();
    json_object_del(first(r), "name");
    refused(r, "sections[0]: \"name\" is missing");
    r = good();
    json_object_del(first(r), "status");
    refused(r, "section \"direct\": \"status\" is missing");
    r = good();
    json_object_set_new(first(r), "pipelined", json_string("no"));
    refused(r, "section \"direct\": \"pipelined\" is not true or false");
    r = good();
    json_object_del(first(r), "results");
    refused(r, "section \"direct\": \"results\" is missing");
    r = good();
    json_object_set_new(json_object_get(first(r), "results"), "mean_ns", json_string("1 µs"));
    refused(r, "section \"direct\": \"results.mean_ns\" is a string, not a number");
    r = good();
    json_object_set_new(json_object_get(first(r), "results"), "p99_ns", json_integer(-5));
    refused(r, "section \"direct\": \"results.p99_ns\" is negative");
    r = good();
    json_object_del(json_object_get(first(r), "results"), "p50_ns");
    refused(r, "section \"direct\": \"results.p50_ns\" is missing");
    r = good();
    json_array_set_new(json_object_get(first(r), "mean_per_repeat_ns"), 1, json_null());
    refused(r, "section \"direct\": \"mean_per_repeat_ns\" [1] is null, not a time >= 0");
    r = good();
    json_object_del(first(r), "mean_per_repeat_ns");
    refused(r, "section \"direct\": \"mean_per_repeat_ns\" is missing");
    r = good();
    json_array_set_new(json_object_get(first(r), "histogram"), 0, json_pack("[i,i]", 1, 2));
    refused(r, "section \"direct\": \"histogram\" [0] is not [low, high, count]");
    r = good();
    json_array_set_new(json_object_get(first(r), "histogram"), 0, json_pack("[i,i,i]", 9, 2, 1));
    refused(r, "\"histogram\" [0] is not [low, high, count]");
    r = good();
    json_object_set_new(first(r), "histogram", json_string("none"));
    refused(r, "section \"direct\": \"histogram\" is not an array");
}
END_TEST

START_TEST(two_sections_of_one_name_are_refused)
{
    json_t *r = good();
    cf_add(r, cf_section("direct", means, 5));
    refused(r, "two sections named \"direct\" (sections[0] and [2])");
}
END_TEST

START_TEST(failed_section_needs_no_figures)
{
    json_t *r = cf_report();
    cf_add(r, cf_failed("rest", "interrupted"));
    char *t = cf_text(r);
    struct compare_file f;
    char err[512];
    ck_assert_int_eq(compare_file_parse(&f, PATH, t, strlen(t), err, sizeof err), 0);
    ck_assert(!f.sections[0].ok);
    ck_assert_str_eq(f.sections[0].status, "interrupted");
    ck_assert_uint_eq(f.sections[0].n_repeats, 0);
    compare_file_free(&f);
    free(t);
}
END_TEST

START_TEST(unreadable_files_are_named)
{
    char *dir = tu_tmpdir();
    char *missing = tu_fmt("%s/nothere.json", dir);
    struct compare_file f;
    char err[512];
    ck_assert_int_eq(compare_file_read(&f, missing, err, sizeof err), -1);
    ck_assert_msg(strstr(err, missing) == err && strstr(err, "No such file") != NULL, "%s", err);
    compare_file_free(&f);
    ck_assert_int_eq(compare_file_read(&f, dir, err, sizeof err), -1);
    ck_assert_msg(strstr(err, dir) == err && strstr(err, "cannot read it") != NULL, "%s", err);
    /* a huge file is refused unread (sparse: no disk is used) */
    char *huge = tu_fmt("%s/huge.json", dir);
    int fd = open(huge, O_WRONLY | O_CREAT, 0644);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)COMPARE_MAX_BYTES + 10), 0);
    close(fd);
    ck_assert_int_eq(compare_file_read(&f, huge, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "larger than 64 MiB") != NULL, "%s", err);
    /* and one just under the limit, all NULs, is no JSON */
    fd = open(huge, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)COMPARE_MAX_BYTES), 0);
    close(fd);
    ck_assert_int_eq(compare_file_read(&f, huge, err, sizeof err), -1);
    ck_assert_msg(strstr(err, "NUL byte at offset 0") != NULL, "%s", err);
    /* and a good one is read from disk */
    char *ok = cf_write(dir, "ok.json", good());
    ck_assert_int_eq(compare_file_read(&f, ok, err, sizeof err), 0);
    ck_assert_uint_eq(f.n_sections, 2);
    compare_file_free(&f);
    tu_rmtree(dir);
    free(ok);
    free(huge);
    free(missing);
    free(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("compare_read");
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, good_report_is_read_whole);
    tcase_add_test(tc, control_characters_in_names_are_defused);
    tcase_add_test(tc, empty_file_is_refused);
    tcase_add_test(tc, every_cut_of_a_report_is_truncated);
    tcase_add_test(tc, not_json_names_line_and_column);
    tcase_add_test(tc, a_raw_newline_in_bad_json_stays_one_line);
    tcase_add_test(tc, binary_file_is_not_json);
    tcase_add_test(tc, json_that_is_not_a_report_is_refused);
    tcase_add_test(tc, another_schema_version_is_refused);
    tcase_add_test(tc, malformed_section_names_section_and_member);
    tcase_add_test(tc, two_sections_of_one_name_are_refused);
    tcase_add_test(tc, failed_section_needs_no_figures);
    tcase_add_test(tc, unreadable_files_are_named);
    suite_add_tcase(s, tc);
    return tu_run_suite(s);
}
