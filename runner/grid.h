/*
 * grid.h — aligned text tables for people: a header row and rows of cells,
 * printed with every column padded to its widest cell (UTF-8 aware), or as
 * a GitHub markdown table; and the time format their cells share. Used by
 * the run's report and by --compare; prints only to the FILE it is given.
 */
#ifndef INCBENCH_GRID_H
#define INCBENCH_GRID_H

#include <stdio.h>

#define GRID_COLS 15    /* most columns a grid holds */
/* Bytes per cell, NUL included: longer text is cut. A swept run's name
 * ("grpc_unary[payload=64k,window=16]") is long. */
#define GRID_CELL 96

struct grid {
    char (*rows)[GRID_COLS][GRID_CELL];   /* rows[0] is the header */
    size_t n_rows;
    int n_cols;
    unsigned left;      /* bit c set: column c is left-aligned (else right) */
};

/* A grid of n_cols columns (at most GRID_COLS) with the header `head` and
 * n_body empty rows below it; only the first column left-aligned. */
int grid_init(struct grid *g, size_t n_body, int n_cols, const char *const *head);

/* Print g aligned, two spaces between columns, then free its rows. */
void grid_print(struct grid *g, FILE *out);

/* Print g as a GitHub markdown table ('|' in a cell escaped), then free
 * its rows. */
void grid_markdown(struct grid *g, FILE *out);

/* Print g as an HTML <table> (cells escaped, htmlpage.h), then free its
 * rows. `id` names the table. */
void grid_html(struct grid *g, const char *id, FILE *out);

/* s for a cell at most `max` bytes wide (ASCII text, max >= 16): longer
 * text keeps its first max - 8 and last 7 bytes around an ellipsis, so two
 * long endpoints that differ only at the end stay apart. */
void grid_elide(const char *s, size_t max, char *buf, size_t len);

/* s as markdown text that cannot end a table cell early ('|' escaped). */
void grid_markdown_text(FILE *out, const char *s);

/* Columns s takes on a terminal: UTF-8 continuation bytes take none. */
int grid_width(const char *s);

/* "812 ns", "13.4 µs", "1.23 ms", "4.56 s": three significant figures;
 * "-" for NaN. */
void grid_time(double ns, char *buf, size_t len);

#endif
