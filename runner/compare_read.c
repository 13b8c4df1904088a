/*
 * compare_read.c — see compare_read.h. Every member read is checked for
 * its type before use, so a hand-edited or foreign file gives a sentence,
 * never a crash or a silent zero; jansson parses, nothing else here does.
 */
#include "compare_read.h"

#include "report.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Control bytes of s become '?', in place: text from a file may reach a
 * terminal or a one-line message only so. */
static void defuse(char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = '?';
}

/* err = "PATH: " + the formatted sentence. */
static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
    int n = snprintf(err, errlen, "%s: ", path);
    if (n >= 0 && (size_t)n < errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    /* One line, whatever the file holds: jansson's "near '...'" quotes the
     * input raw, and a decoded name may hold a newline or an escape. */
    defuse(err);
    return -1;
}

static const char *kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE: case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* A copy a terminal cannot be steered by: control bytes become '?'. */
static char *clean_copy(const char *s)
{
    char *c = strdup(s);
    if (c != NULL)
        defuse(c);
    return c;
}

/* What a section's messages start with: its name once it is known. */
struct where {
    const char *path;
    char what[160];
};

static int bad(char *err, size_t errlen, const struct where *w, const char *member,
               const char *problem)
{
    return fail(err, errlen, w->path, "%s: \"%s\" %s", w->what, member, problem);
}

/* obj[key] as a number >= 0 (integer or real). */
static int get_ns(const json_t *obj, const char *key, double *out, const struct where *w,
                  const char *prefix, char *err, size_t errlen)
{
    char member[64];
    snprintf(member, sizeof member, "%s%s", prefix, key);
    const json_t *v = json_object_get(obj, key);
    if (v == NULL)
        return bad(err, errlen, w, member, "is missing");
    if (!json_is_number(v)) {
        char why[64];
        snprintf(why, sizeof why, "is %s, not a number", kind(v));
        return bad(err, errlen, w, member, why);
    }
    *out = json_number_value(v);
    if (*out < 0)
        return bad(err, errlen, w, member, "is negative");
    return 0;
}

static int read_repeats(const json_t *o, struct compare_section *s, const struct where *w,
                        char *err, size_t errlen)
{
    const json_t *a = json_object_get(o, "mean_per_repeat_ns");
    if (a == NULL)
        return bad(err, errlen, w, "mean_per_repeat_ns", "is missing");
    if (!json_is_array(a))
        return bad(err, errlen, w, "mean_per_repeat_ns", "is not an array");
    size_t n = json_array_size(a);
    s->repeat_means = calloc(n ? n : 1, sizeof *s->repeat_means);
    if (s->repeat_means == NULL)
        return fail(err, errlen, w->path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        if (!json_is_number(v) || json_number_value(v) < 0) {
            char why[80];
            snprintf(why, sizeof why, "[%zu] is %s, not a time >= 0", i,
                     json_is_number(v) ? "negative" : kind(v));
            return bad(err, errlen, w, "mean_per_repeat_ns", why);
        }
        s->repeat_means[i] = json_number_value(v);
    }
    s->n_repeats = n;
    return 0;
}

/* One [low, high, count] of whole numbers, low <= high. */
static bool bucket_of(const json_t *v, struct compare_bucket *b)
{
    if (!json_is_array(v) || json_array_size(v) != 3)
        return false;
    json_int_t x[3];
    for (size_t k = 0; k < 3; k++) {
        const json_t *e = json_array_get(v, k);
        if (!json_is_integer(e) || json_integer_value(e) < 0)
            return false;
        x[k] = json_integer_value(e);
    }
    b->low = (uint64_t)x[0];
    b->high = (uint64_t)x[1];
    b->count = (uint64_t)x[2];
    return b->low <= b->high;
}

static int read_histogram(const json_t *o, struct compare_section *s, const struct where *w,
                          char *err, size_t errlen)
{
    const json_t *a = json_object_get(o, "histogram");
    if (a == NULL)
        return bad(err, errlen, w, "histogram", "is missing");
    if (!json_is_array(a))
        return bad(err, errlen, w, "histogram", "is not an array");
    size_t n = json_array_size(a);
    s->buckets = calloc(n ? n : 1, sizeof *s->buckets);
    if (s->buckets == NULL)
        return fail(err, errlen, w->path, "out of memory");
    for (size_t i = 0; i < n; i++)
        if (!bucket_of(json_array_get(a, i), &s->buckets[i])) {
            char why[80];
            snprintf(why, sizeof why, "[%zu] is not [low, high, count] (whole ns, low <= high)",
                     i);
            return bad(err, errlen, w, "histogram", why);
        }
    s->n_buckets = n;
    return 0;
}

static int read_section(const json_t *o, size_t i, struct compare_section *s, const char *path,
                        char *err, size_t errlen)
{
    struct where w = { .path = path };
    snprintf(w.what, sizeof w.what, "sections[%zu]", i);
    if (!json_is_object(o))
        return fail(err, errlen, path, "sections[%zu] is %s, not an object", i, kind(o));
    const json_t *name = json_object_get(o, "name");
    if (!json_is_string(name))
        return bad(err, errlen, &w, "name", name ? "is not a string" : "is missing");
    s->name = clean_copy(json_string_value(name));
    if (s->name == NULL)
        return fail(err, errlen, path, "out of memory");
    snprintf(w.what, sizeof w.what, "section \"%.100s\"", s->name);
    const json_t *status = json_object_get(o, "status");
    if (!json_is_string(status))
        return bad(err, errlen, &w, "status", status ? "is not a string" : "is missing");
    s->status = clean_copy(json_string_value(status));
    if (s->status == NULL)
        return fail(err, errlen, path, "out of memory");
    const json_t *pipelined = json_object_get(o, "pipelined");
    if (!json_is_boolean(pipelined))
        return bad(err, errlen, &w, "pipelined",
                   pipelined ? "is not true or false" : "is missing");
    s->pipelined = json_is_true(pipelined);
    /* Figures of a section that did not pass (even a partial one) are not
     * compared: the table shows its status instead. */
    s->ok = strcmp(s->status, "ok") == 0;
    if (!s->ok)
        return 0;
    const json_t *res = json_object_get(o, "results");
    if (!json_is_object(res))
        return bad(err, errlen, &w, "results", res ? "is not an object" : "is missing");
    if (get_ns(res, "mean_ns", &s->mean_ns, &w, "results.", err, errlen) != 0 ||
        get_ns(res, "p50_ns", &s->p50_ns, &w, "results.", err, errlen) != 0 ||
        get_ns(res, "p99_ns", &s->p99_ns, &w, "results.", err, errlen) != 0)
        return -1;
    if (read_repeats(o, s, &w, err, errlen) != 0 || read_histogram(o, s, &w, err, errlen) != 0)
        return -1;
    return 0;
}

/* An optional string member of an optional object, copied ("" if absent). */
static char *optional_text(const json_t *root, const char *obj, const char *key)
{
    const json_t *v = json_object_get(json_object_get(root, obj), key);
    return clean_copy(json_is_string(v) ? json_string_value(v) : "");
}

/* The top level: an object saying it is an incbench report of our schema. */
static int read_head(const json_t *root, struct compare_file *f, const char *path, char *err,
                     size_t errlen)
{
    if (!json_is_object(root))
        return fail(err, errlen, path, "JSON, but not an incbench report (%s, not an object)",
                    kind(root));
    const json_t *version = json_object_get(root, "incbench");
    const json_t *schema = json_object_get(root, "schema_version");
    if (version == NULL && schema == NULL)
        return fail(err, errlen, path, "JSON, but not an incbench report (no \"incbench\" "
                    "or \"schema_version\" member)");
    if (!json_is_string(version))
        return fail(err, errlen, path, "not an incbench report (\"incbench\" %s)",
                    version ? "is not a string" : "is missing");
    if (schema == NULL)
        return fail(err, errlen, path, "an incbench report without schema_version (older "
                    "than schema 1); this runner reads %d", REPORT_SCHEMA_VERSION);
    if (!json_is_integer(schema))
        return fail(err, errlen, path, "not an incbench report (\"schema_version\" is %s, "
                    "not an integer)", kind(schema));
    if (json_integer_value(schema) != REPORT_SCHEMA_VERSION)
        return fail(err, errlen, path, "schema_version %" JSON_INTEGER_FORMAT
                    ", this runner reads %d", json_integer_value(schema),
                    REPORT_SCHEMA_VERSION);
    f->version = clean_copy(json_string_value(version));
    f->host = optional_text(root, "machine", "hostname");
    f->cpu = optional_text(root, "machine", "cpu_model");
    if (f->version == NULL || f->host == NULL || f->cpu == NULL)
        return fail(err, errlen, path, "out of memory");
    return 0;
}

static int read_sections(const json_t *root, struct compare_file *f, const char *path,
                         char *err, size_t errlen)
{
    const json_t *secs = json_object_get(root, "sections");
    if (!json_is_array(secs))
        return fail(err, errlen, path, "\"sections\" %s",
                    secs ? "is not an array" : "is missing");
    size_t n = json_array_size(secs);
    f->sections = calloc(n ? n : 1, sizeof *f->sections);
    if (f->sections == NULL)
        return fail(err, errlen, path, "out of memory");
    for (size_t i = 0; i < n; i++) {
        f->n_sections = i + 1;
        if (read_section(json_array_get(secs, i), i, &f->sections[i], path, err, errlen) != 0)
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(f->sections[k].name, f->sections[i].name) == 0)
                return fail(err, errlen, path, "two sections named \"%.100s\" (sections[%zu] "
                            "and [%zu]): cannot tell which to compare", f->sections[i].name,
                            k, i);
    }
    return 0;
}

static bool blank(const char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n')
            return false;
    return true;
}

int compare_file_parse(struct compare_file *f, const char *path, const char *bytes, size_t len,
                       char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    err[0] = '\0';
    if (blank(bytes, len))
        return fail(err, errlen, path, "empty, not an incbench report");
    /* jansson stops at a NUL as if the text ended there: say what it is. */
    const char *nul = memchr(bytes, '\0', len);
    if (nul != NULL)
        return fail(err, errlen, path, "not JSON: a NUL byte at offset %zu (a binary file?)",
                    (size_t)(nul - bytes));
    json_error_t jerr;
    json_t *root = json_loadb(bytes, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (root == NULL) {
        /* A cut inside a token ("fals", "1.5e", half an escape) is reported as an
         * invalid token, but at the very end of the input. */
        if (json_error_code(&jerr) == json_error_premature_end_of_input ||
            (jerr.position >= 0 && (size_t)jerr.position >= len))
            return fail(err, errlen, path, "cut short: the JSON ends at line %d, column %d "
                        "before it is complete (truncated?)", jerr.line, jerr.column);
        return fail(err, errlen, path, "not JSON: line %d, column %d: %s", jerr.line,
                    jerr.column, jerr.text);
    }
    f->path = strdup(path);
    if (f->path == NULL) {
        fail(err, errlen, path, "out of memory");
        goto fail;
    }
    if (read_head(root, f, path, err, errlen) != 0 ||
        read_sections(root, f, path, err, errlen) != 0)
        goto fail;
    json_decref(root);
    return 0;
fail:
    json_decref(root);
    compare_file_free(f);
    return -1;
}

int compare_file_read(struct compare_file *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        return fail(err, errlen, path, "cannot read it: %s", strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int rc = -1;
    /* One byte past the limit is enough to know it is too large. */
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > COMPARE_MAX_BYTES + 1)
                cap = COMPARE_MAX_BYTES + 1;
            char *grown = realloc(buf, cap);
            if (grown == NULL) {
                fail(err, errlen, path, "out of memory");
                goto out;
            }
            buf = grown;
        }
        size_t got = fread(buf + len, 1, cap - len, fp);
        len += got;
        if (len > COMPARE_MAX_BYTES) {
            fail(err, errlen, path, "larger than %zu MiB, not an incbench report",
                 COMPARE_MAX_BYTES >> 20);
            goto out;
        }
        if (got == 0)
            break;
    }
    if (ferror(fp)) {
        fail(err, errlen, path, "cannot read it: %s", strerror(errno));
        goto out;
    }
    rc = compare_file_parse(f, path, buf, len, err, errlen);
out:
    free(buf);
    fclose(fp);
    return rc;
}

void compare_file_free(struct compare_file *f)
{
    for (size_t i = 0; i < f->n_sections; i++) {
        struct compare_section *s = &f->sections[i];
        free(s->name);
        free(s->status);
        free(s->repeat_means);
        free(s->buckets);
    }
    free(f->sections);
    free(f->path);
    free(f->version);
    free(f->host);
    free(f->cpu);
    memset(f, 0, sizeof *f);
}

const struct compare_section *compare_file_section(const struct compare_file *f,
                                                   const char *name)
{
    for (size_t i = 0; i < f->n_sections; i++)
        if (strcmp(f->sections[i].name, name) == 0)
            return &f->sections[i];
    return NULL;
}
