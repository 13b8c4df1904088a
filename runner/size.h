/*
 * size.h — byte sizes as a config writes them: digits with an optional
 * k or m (powers of 1024, either case), "0", "512", "4k", "1m"; and back
 * to the shortest such text. Nothing else: no sign, no space, no fraction.
 */
#ifndef INCBENCH_SIZE_H
#define INCBENCH_SIZE_H

#include <stddef.h>
#include <stdint.h>

enum size_status {
    SIZE_OK = 0,
    SIZE_SYNTAX = -1,             /* not digits with an optional k or m */
    SIZE_NEGATIVE = -2,           /* "-1", "-4k" */
    SIZE_RANGE = -3,              /* more than max, overflow included */
};

/* text into *out (bytes), at most max. */
enum size_status size_parse(const char *text, uint64_t max, uint64_t *out);

/* n as the shortest exact text size_parse takes back: 65536 -> "64k". */
void size_format(uint64_t n, char *buf, size_t len);

#endif
