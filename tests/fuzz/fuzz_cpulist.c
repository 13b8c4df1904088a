/*
 * fuzz_cpulist.c — libFuzzer harness for runner/cpulist.c, the grammar of
 * client_cpu / server_cpu and of the kernel's CPU lists. What it checks
 * besides "no crash": a list that parses prints back as a list that parses
 * to the same set.
 */
#include "cpulist.h"
#include "fuzz_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (text == NULL)
        return 0;
    cpu_set_t set, again;
    const char *bad = NULL;
    int bad_len = 0;
    enum cpulist_status st = cpulist_parse(text, &set, &bad, &bad_len);
    if (st == CPULIST_BEYOND && (bad == NULL || bad < text || bad + bad_len > text + size))
        abort();    /* the culprit must lie inside what was parsed */
    if (st == CPULIST_OK) {
        char out[CPU_SETSIZE * 6];
        cpulist_format(&set, out, sizeof out);
        if (CPU_COUNT(&set) == 0) {
            if (strcmp(out, "none") != 0)
                abort();
        } else if (cpulist_parse(out, &again, NULL, NULL) != CPULIST_OK ||
                   !CPU_EQUAL(&set, &again)) {
            abort();
        }
    }
    free(text);
    return 0;
}
