/*
 * fuzz_text.h — the fuzz input as a C string, for the harnesses whose
 * parser reads one: libFuzzer's bytes carry no terminating NUL, and a copy
 * of exactly `size` bytes lets ASan catch a read one past the end.
 */
#ifndef INCBENCH_FUZZ_TEXT_H
#define INCBENCH_FUZZ_TEXT_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A malloc'd NUL-terminated copy of data (free it), or NULL. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text != NULL) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

#endif
