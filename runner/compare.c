/*
 * compare.c — see compare.h. One plan (every section name, in the order
 * the files first name them, with each file's section or none) feeds every
 * face, so the table and the markdown cannot disagree on what was matched.
 * The cells come from grid.h, as the run's own report does.
 */
#include "compare.h"

#include "compare_stats.h"
#include "grid.h"
#include "histogram.h"
#include "htmlpage.h"
#include "nines_chart.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NCOLS 9

/* One section name and what each file holds under it (NULL: absent). */
struct plan_row {
    const char *name;
    const struct compare_section *in[COMPARE_MAX_FILES];
};

struct plan {
    struct plan_row *rows;
    size_t n;
};

static int plan_build(const struct compare_file *files, size_t n, struct plan *p)
{
    size_t most = 0;
    for (size_t k = 0; k < n; k++)
        most += files[k].n_sections;
    p->n = 0;
    p->rows = calloc(most ? most : 1, sizeof *p->rows);
    if (p->rows == NULL)
        return -1;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < files[k].n_sections; i++) {
            const struct compare_section *s = &files[k].sections[i];
            size_t r = 0;
            while (r < p->n && strcmp(p->rows[r].name, s->name) != 0)
                r++;
            if (r == p->n)
                p->rows[p->n++].name = s->name;
            p->rows[r].in[k] = s;
        }
    return 0;
}

static char label(size_t k)
{
    return (char)('A' + k);
}

static bool complete(const struct plan_row *r, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (r->in[k] == NULL)
            return false;
    return true;
}

/* "+99.5%", "-3.0%", "+250%"; "-" when there is no base to take it from. */
static void fmt_pct(double pct, char *buf, size_t len)
{
    if (isnan(pct))
        snprintf(buf, len, "-");
    else if (fabs(pct) >= 99.95)
        snprintf(buf, len, "%+.0f%%", pct);
    else
        snprintf(buf, len, "%+.1f%%", pct);
}

static void fmt_p(double p, char *buf, size_t len)
{
    if (p < 0.001)
        snprintf(buf, len, "<0.001");
    else
        snprintf(buf, len, "%.3f", p);
}

/* "FAILED", "INTERRUPTED", "NOT RUN": a status as the run's table shows it. */
static void status_word(const char *status, char *buf, size_t len)
{
    size_t i = 0;
    for (; status[i] && i + 1 < len; i++)
        buf[i] = status[i] == '_' ? ' ' : (char)toupper((unsigned char)status[i]);
    buf[i] = '\0';
}

/* "1.20 µs" or, against a base, "1.20 µs (+5.0%)". */
static void shifted(double v, const struct compare_section *base, double base_v, char *buf,
                    size_t len)
{
    char t[32], pct[32];
    grid_time(v, t, sizeof t);
    if (base == NULL) {
        snprintf(buf, len, "%s", t);
        return;
    }
    fmt_pct(compare_change(base_v, v), pct, sizeof pct);
    snprintf(buf, len, "%s (%s)", t, pct);
}

static void verdict_cells(const struct compare_verdict *v, char *word, char *p, size_t len)
{
    snprintf(p, len, "-");
    switch (v->outcome) {
    case COMPARE_NONE:
        snprintf(word, len, "no repeats to test");
        return;
    case COMPARE_TOO_FEW:
        snprintf(word, len, "too few repeats: need %u each", v->need);
        break;
    case COMPARE_SAME:
        snprintf(word, len, "no clear difference");
        break;
    case COMPARE_FASTER:
        snprintf(word, len, "faster");
        break;
    case COMPARE_SLOWER:
        snprintf(word, len, "slower");
        break;
    }
    fmt_p(v->test.p, p, len);
    if (!v->test.exact)
        strncat(p, " ~", len - strlen(p) - 1);
}

/* The cells of file k's row under one section name. */
static void fill_row(const struct plan_row *pr, size_t k, char (*row)[GRID_CELL])
{
    const struct compare_section *s = pr->in[k], *base = pr->in[0];
    snprintf(row[1], GRID_CELL, "%c", label(k));
    if (s == NULL) {
        snprintf(row[2], GRID_CELL, "absent");
        return;
    }
    if (!s->ok) {
        status_word(s->status, row[2], GRID_CELL);
        for (int c = 3; c < NCOLS; c++)
            snprintf(row[c], GRID_CELL, "-");
        return;
    }
    grid_time(s->mean_ns, row[2], GRID_CELL);
    snprintf(row[6], GRID_CELL, "%zu", s->n_repeats);
    if (k == 0) {
        snprintf(row[4], GRID_CELL, "base");
        shifted(s->p50_ns, NULL, 0, row[7], GRID_CELL);
        shifted(s->p99_ns, NULL, 0, row[8], GRID_CELL);
        return;
    }
    if (base == NULL || !base->ok) {
        snprintf(row[3], GRID_CELL, "-");
        snprintf(row[4], GRID_CELL, "no base: A %s", base == NULL ? "absent" : "failed");
        snprintf(row[5], GRID_CELL, "-");
        shifted(s->p50_ns, NULL, 0, row[7], GRID_CELL);
        shifted(s->p99_ns, NULL, 0, row[8], GRID_CELL);
        return;
    }
    fmt_pct(compare_change(base->mean_ns, s->mean_ns), row[3], GRID_CELL);
    struct compare_verdict v;
    compare_judge(base->repeat_means, base->n_repeats, s->repeat_means, s->n_repeats, &v);
    verdict_cells(&v, row[4], row[5], GRID_CELL);
    shifted(s->p50_ns, base, base->p50_ns, row[7], GRID_CELL);
    shifted(s->p99_ns, base, base->p99_ns, row[8], GRID_CELL);
}

static int fill_grid(const struct plan *p, size_t n, struct grid *g)
{
    static const char *const head[NCOLS] = {
        "section", "run", "mean", "change", "verdict", "p", "repeats", "p50", "p99"
    };
    if (grid_init(g, p->n * n, NCOLS, head) != 0)
        return -1;
    g->left = 1u << 0 | 1u << 1 | 1u << 4;
    for (size_t r = 0; r < p->n; r++)
        for (size_t k = 0; k < n; k++) {
            char (*row)[GRID_CELL] = g->rows[1 + r * n + k];
            if (k == 0)
                snprintf(row[0], GRID_CELL, "%s", p->rows[r].name);
            fill_row(&p->rows[r], k, row);
        }
    return 0;
}

/* "A, C" of the files that hold (want) or lack (!want) the row's section. */
static void which(const struct plan_row *r, size_t n, bool want, char *buf, size_t len)
{
    buf[0] = '\0';
    for (size_t k = 0; k < n; k++)
        if ((r->in[k] != NULL) == want) {
            size_t used = strlen(buf);
            snprintf(buf + used, len - used, "%s%c", used ? ", " : "", label(k));
        }
}

/* Everything worth a line under the table; `item` starts each line. */
static void notes(const struct compare_file *files, size_t n, const struct plan *p,
                  const char *item, FILE *out)
{
    bool partial = false;
    for (size_t r = 0; r < p->n; r++)
        partial |= !complete(&p->rows[r], n);
    if (partial) {
        fprintf(out, "\nonly in some files:\n");
        for (size_t r = 0; r < p->n; r++) {
            if (complete(&p->rows[r], n))
                continue;
            char has[4 * COMPARE_MAX_FILES], lacks[4 * COMPARE_MAX_FILES];
            which(&p->rows[r], n, true, has, sizeof has);
            which(&p->rows[r], n, false, lacks, sizeof lacks);
            fprintf(out, "%s%s: only in %s (absent from %s)\n", item, p->rows[r].name, has,
                    lacks);
        }
    }
    bool head = false;
    for (size_t r = 0; r < p->n; r++) {
        const struct compare_section *base = p->rows[r].in[0];
        for (size_t k = 1; base != NULL && k < n; k++) {
            const struct compare_section *s = p->rows[r].in[k];
            if (s == NULL || s->pipelined == base->pipelined)
                continue;
            if (!head)
                fprintf(out, "\nnotes:\n");
            head = true;
            fprintf(out, "%s%s: pipelined in %c but not in %c: overlapping calls against "
                    "dependent ones, not the same measure\n", item, p->rows[r].name,
                    label(s->pipelined ? k : 0), label(s->pipelined ? 0 : k));
        }
    }
    /* A report without its machine (hand-made) says nothing either way. */
    for (size_t k = 1; k < n && files[0].host[0]; k++) {
        if (!files[k].host[0] || (strcmp(files[k].host, files[0].host) == 0 &&
                                  strcmp(files[k].cpu, files[0].cpu) == 0))
            continue;
        if (!head)
            fprintf(out, "\nnotes:\n");
        head = true;
        fprintf(out, "%s%c ran on another machine than A: %s (%s) against %s (%s)\n", item,
                label(k), files[k].host, files[k].cpu, files[0].host, files[0].cpu);
    }
}

static const char *const footer[] = {
    "change: of the mean per call, from A; p50, p99: with their shift from A",
    "verdict: Mann-Whitney U test on the per-repeat means, two-sided, alpha 0.05: faster or "
    "slower when p < 0.05 (p exact; ~: normal approximation, for many repeats)",
};

static void legend(const struct compare_file *files, size_t n, bool md, FILE *out)
{
    for (size_t k = 0; k < n; k++) {
        const struct compare_file *f = &files[k];
        if (md) {
            fprintf(out, "- **%c**%s: `", label(k), k == 0 ? " (base)" : "");
            for (const char *c = f->path; *c; c++)
                fputc(*c == '`' ? '\'' : *c, out);
            fputc('`', out);
        } else {
            fprintf(out, "%c%s: %s", label(k), k == 0 ? " (base)" : "", f->path);
        }
        fprintf(out, " (incbench %s%s%s)\n", f->version, f->host[0] ? " on " : "", f->host);
    }
    fputc('\n', out);
}

/* A section's histogram rebuilt from its report's buckets, so that the run's
 * percentile chart reads it as it read the original. */
static void histogram_of(const struct compare_section *s, struct histogram *h)
{
    histogram_reset(h);
    for (size_t i = 0; i < s->n_buckets; i++) {
        const struct compare_bucket *b = &s->buckets[i];
        h->counts[histogram_index(b->low)] += b->count;
        h->count += b->count;
        if (b->low < h->min)
            h->min = b->low;
        if (b->high > h->max)
            h->max = b->high;
    }
}

/* One chart per section: each report's percentile curve of it, overlaid. */
static int distributions(const struct compare_file *files, size_t n, const struct plan *p,
                         FILE *out, char *err, size_t errlen)
{
    struct histogram *h = malloc(n * sizeof *h);
    if (h == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t r = 0; r < p->n && rc == 0; r++) {
        struct nines_line lines[COMPARE_MAX_FILES];
        char labels[COMPARE_MAX_FILES][128];
        size_t m = 0;
        for (size_t k = 0; k < n; k++) {
            const struct compare_section *s = p->rows[r].in[k];
            if (s == NULL || !s->ok || s->n_buckets == 0)
                continue;
            histogram_of(s, &h[m]);
            snprintf(labels[m], sizeof labels[m], "%c: %s%s", label(k), files[k].path,
                     s->pipelined ? " (pipelined)" : "");
            lines[m] = (struct nines_line){ labels[m], &h[m], k, s->pipelined };
            m++;
        }
        if (m == 0)
            continue;
        json_t *config = nines_chart(lines, m);
        char id[32];
        snprintf(id, sizeof id, "dist-%zu", r);
        fputs("<h2>", out);
        htmlpage_text(out, p->rows[r].name);
        fputs("</h2>\n", out);
        if (config == NULL) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        } else {
            rc = htmlpage_chart(out, id, config, "Latency at every percentile of each report, "
                                "from its histogram of all repeats; dashed: pipelined.", 340,
                                err, errlen);
            json_decref(config);
        }
    }
    free(h);
    return rc;
}

/* The page: what the table face says, and the distributions. Frees g's rows. */
static int write_html(const struct compare_file *files, size_t n, const struct plan *p,
                      struct grid *g, FILE *out, char *err, size_t errlen)
{
    char title[256];
    snprintf(title, sizeof title, "incbench --compare: %zu reports", n);
    if (htmlpage_begin(out, title, err, errlen) != 0) {
        free(g->rows);
        g->rows = NULL;
        return -1;
    }
    fputs("<h1>incbench --compare</h1>\n<ul>\n", out);
    for (size_t k = 0; k < n; k++) {
        fprintf(out, "<li><b>%c</b>%s: ", label(k), k == 0 ? " (base)" : "");
        htmlpage_text(out, files[k].path);
        fputs(" (incbench ", out);
        htmlpage_text(out, files[k].version);
        if (files[k].host[0]) {
            fputs(" on ", out);
            htmlpage_text(out, files[k].host);
        }
        fputs(")</li>\n", out);
    }
    fputs("</ul>\n", out);
    grid_html(g, "compare", out);
    /* The notes as the table face words them, kept as lines. */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (mem != NULL) {
        notes(files, n, p, "  ", mem);
        fprintf(mem, "\n%s\n%s\n", footer[0], footer[1]);
        if (fclose(mem) == 0 && text != NULL) {
            fputs("<pre class=\"notes\">", out);
            htmlpage_text(out, text);
            fputs("</pre>\n", out);
        }
        free(text);
    }
    int rc = distributions(files, n, p, out, err, errlen);
    if (htmlpage_end(out) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write the comparison");
        rc = -2;
    }
    return rc;
}

int compare_write(const struct compare_file *files, size_t n, enum compare_format fmt,
                  FILE *out, char *err, size_t errlen)
{
    if (n < 2 || n > COMPARE_MAX_FILES) {
        snprintf(err, errlen, "--compare takes 2 to %d files, not %zu", COMPARE_MAX_FILES, n);
        return -1;
    }
    struct plan p;
    struct grid g;
    if (plan_build(files, n, &p) != 0 || fill_grid(&p, n, &g) != 0) {
        free(p.rows);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (fmt == COMPARE_HTML) {
        int rc = write_html(files, n, &p, &g, out, err, errlen);
        free(p.rows);
        return rc;
    }
    bool md = fmt == COMPARE_MARKDOWN;
    legend(files, n, md, out);
    if (md)
        grid_markdown(&g, out);
    else
        grid_print(&g, out);
    notes(files, n, &p, md ? "- " : "  ", out);
    /* markdown: one paragraph, its lines kept apart by a hard break */
    fprintf(out, "\n%s%s\n%s\n", footer[0], md ? "  " : "", footer[1]);
    free(p.rows);
    if (fflush(out) != 0 || ferror(out)) {
        snprintf(err, errlen, "cannot write the comparison");
        return -2;
    }
    return 0;
}

int compare_format_parse(const char *name, enum compare_format *fmt)
{
    static const char *const names[] = { "table", "markdown", "html" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i]) == 0) {
            *fmt = (enum compare_format)i;
            return 0;
        }
    return -1;
}

int compare_files(const char *const *paths, size_t n, enum compare_format fmt, FILE *out,
                  char *err, size_t errlen)
{
    if (n < 2 || n > COMPARE_MAX_FILES) {
        snprintf(err, errlen, "--compare takes 2 to %d files, not %zu", COMPARE_MAX_FILES, n);
        return -1;
    }
    struct compare_file files[COMPARE_MAX_FILES];
    memset(files, 0, sizeof files);
    int rc = -1;
    for (size_t k = 0; k < n; k++)
        if (compare_file_read(&files[k], paths[k], err, errlen) != 0)
            goto out;
    rc = compare_write(files, n, fmt, out, err, errlen);
out:
    for (size_t k = 0; k < n; k++)
        compare_file_free(&files[k]);
    return rc;
}
