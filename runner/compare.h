/*
 * compare.h — `runner --compare OLD.json NEW.json [MORE.json ...]`: reads
 * incbench JSON reports and sets each further one against the first, the
 * baseline, section by section (matched by name): means, change, a verdict
 * from the repeats (compare_stats.h), p50/p99 shifts. Sections some files
 * lack are listed, failed ones shown as failed. Prints only to `out`.
 */
#ifndef INCBENCH_COMPARE_H
#define INCBENCH_COMPARE_H

#include "compare_read.h"

#include <stdio.h>

/* Runs are labelled A, B, C, ... in the order given. */
#define COMPARE_MAX_FILES 26

enum compare_format { COMPARE_TABLE, COMPARE_MARKDOWN, COMPARE_HTML };

/* "table", "markdown" or "html"; -1 for anything else. */
int compare_format_parse(const char *name, enum compare_format *fmt);

/* Read the n files at paths (2 to COMPARE_MAX_FILES) and write their
 * comparison in fmt to out. 0; -1 with one line in err for a file that
 * cannot be compared or a format this build cannot write (nothing is
 * written then); -2 when writing to out failed. */
int compare_files(const char *const *paths, size_t n, enum compare_format fmt, FILE *out,
                  char *err, size_t errlen);

/* The comparison of files already read, files[0] the baseline. The html
 * face is one self-contained page (htmlpage.h) of the same table with each
 * section's latency distributions overlaid; -1 with the reason in a build
 * without Chart.js. */
int compare_write(const struct compare_file *files, size_t n, enum compare_format fmt,
                  FILE *out, char *err, size_t errlen);

#endif
