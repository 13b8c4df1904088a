/*
 * grid.c — see grid.h. A fixed cell size keeps a grid one allocation that
 * cannot fail halfway; what does not fit a cell is cut, never overflowed.
 */
#include "grid.h"

#include "htmlpage.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int grid_init(struct grid *g, size_t n_body, int n_cols, const char *const *head)
{
    g->n_rows = n_body + 1;
    g->n_cols = n_cols > GRID_COLS ? GRID_COLS : n_cols;
    g->left = 1u;
    g->rows = calloc(g->n_rows, sizeof *g->rows);
    if (g->rows == NULL)
        return -1;
    for (int c = 0; c < g->n_cols; c++)
        snprintf(g->rows[0][c], GRID_CELL, "%s", head[c]);
    return 0;
}

int grid_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xc0) != 0x80)
            w++;
    return w;
}

static void cell(FILE *out, const char *s, int w, int left)
{
    int pad = w - grid_width(s);
    if (!left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
    fputs(s, out);
    if (left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
}

static int is_left(const struct grid *g, int c)
{
    return (g->left >> c) & 1u;
}

void grid_print(struct grid *g, FILE *out)
{
    int w[GRID_COLS] = { 0 };
    for (size_t i = 0; i < g->n_rows; i++)
        for (int c = 0; c < g->n_cols; c++)
            if (grid_width(g->rows[i][c]) > w[c])
                w[c] = grid_width(g->rows[i][c]);
    for (size_t i = 0; i < g->n_rows; i++) {
        /* The last left-aligned column is not padded: no trailing blanks. */
        int last = g->n_cols - 1;
        while (last > 0 && g->rows[i][last][0] == '\0')
            last--;
        for (int c = 0; c <= last; c++) {
            if (c)
                fputs("  ", out);
            cell(out, g->rows[i][c], c == last && is_left(g, c) ? 0 : w[c], is_left(g, c));
        }
        fputc('\n', out);
    }
    free(g->rows);
    g->rows = NULL;
}

void grid_markdown_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputc('\\', out);
        fputc(*s, out);
    }
}

static void md_cell(FILE *out, const char *s)
{
    fputs("| ", out);
    grid_markdown_text(out, s);
    fputc(' ', out);
}

void grid_markdown(struct grid *g, FILE *out)
{
    for (size_t i = 0; i < g->n_rows; i++) {
        for (int c = 0; c < g->n_cols; c++)
            md_cell(out, g->rows[i][c]);
        fputs("|\n", out);
        if (i == 0) {
            for (int c = 0; c < g->n_cols; c++)
                fputs(is_left(g, c) ? "|:---" : "|---:", out);
            fputs("|\n", out);
        }
    }
    free(g->rows);
    g->rows = NULL;
}

void grid_html(struct grid *g, const char *id, FILE *out)
{
    fprintf(out, "<table id=\"%s\">\n", id);
    for (size_t i = 0; i < g->n_rows; i++) {
        fputs("<tr>", out);
        for (int c = 0; c < g->n_cols; c++) {
            const char *tag = i == 0 ? "th" : "td";
            fprintf(out, "<%s%s>", tag, is_left(g, c) ? "" : " class=\"num\"");
            htmlpage_text(out, g->rows[i][c]);
            fprintf(out, "</%s>", tag);
        }
        fputs("</tr>\n", out);
    }
    fputs("</table>\n", out);
    free(g->rows);
    g->rows = NULL;
}

void grid_time(double ns, char *buf, size_t len)
{
    if (isnan(ns)) {
        snprintf(buf, len, "-");
        return;
    }
    const char *unit = "ns";
    double v = ns;
    if (ns >= 1e9) {
        v = ns / 1e9;
        unit = "s";
    } else if (ns >= 1e6) {
        v = ns / 1e6;
        unit = "ms";
    } else if (ns >= 1e3) {
        v = ns / 1e3;
        unit = "µs";
    }
    if (v >= 100 || (v == floor(v) && unit[0] == 'n'))
        snprintf(buf, len, "%.0f %s", v, unit);
    else if (v >= 10)
        snprintf(buf, len, "%.1f %s", v, unit);
    else
        snprintf(buf, len, "%.2f %s", v, unit);
}

void grid_elide(const char *s, size_t max, char *buf, size_t len)
{
    size_t n = strlen(s);
    if (n <= max) {
        snprintf(buf, len, "%s", s);
        return;
    }
    snprintf(buf, len, "%.*s\u2026%s", (int)(max - 8), s, s + n - 7);
}
