/*
 * fuzz_config.c — libFuzzer harness for the config reader (runner/config.c
 * through inih): the input is an INI file, or, when it starts with the line
 * "#defs", the -D overrides (one per line) applied to a fixed small INI.
 * Besides "no crash" and no leak (config_load frees what it built on
 * error): a refusal always says why, in one line.
 */
#include "config.h"
#include "fuzz_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_DEFS 64

static const char base_ini[] =
    "[runner]\nrequests = 100\nwarmup = 10\nrepeat = 2\nbaseline = direct\n"
    "[direct]\n"
    "[tcp]\nserver = thread\nwindow = 4\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as a file config_load can open by name, without touching disk. */
static int as_file(const void *bytes, size_t n, char *path, size_t len)
{
    int fd = memfd_create("fuzz-config", 0);
    if (fd < 0)
        return -1;
    if (n > 0 && write(fd, bytes, n) != (ssize_t)n) {
        close(fd);
        return -1;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

static void check(const char *ini, size_t n, char *const *defs, size_t n_defs)
{
    char path[64], err[1024] = "";
    int fd = as_file(ini, n, path, sizeof path);
    if (fd < 0)
        return;
    struct config cfg;
    if (config_load(&cfg, path, defs, n_defs, err, sizeof err) == 0)
        config_free(&cfg);
    else if (err[0] == '\0' || strchr(err, '\n') != NULL)
        abort();
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char tag[] = "#defs\n";
    if (size < sizeof tag - 1 || memcmp(data, tag, sizeof tag - 1) != 0) {
        check((const char *)data, size, NULL, 0);
        return 0;
    }
    char *text = fuzz_text(data, size), *defs[MAX_DEFS];
    if (text == NULL)
        return 0;
    size_t n = 0;
    for (char *line = text + sizeof tag - 1, *next; line != NULL && n < MAX_DEFS; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        defs[n++] = line;
    }
    check(base_ini, sizeof base_ini - 1, defs, n);
    free(text);
    return 0;
}
