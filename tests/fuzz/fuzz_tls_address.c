/*
 * fuzz_tls_address.c — libFuzzer harness for the certificate pin on an
 * address (plugins/common/tls.c: tls_address_split, tls_address_join),
 * which a client reads from its config or from a spawned server's READY
 * line. Besides "no crash": a refusal says why in one line and leaves no
 * pin; an accepted address is the text before "#sha256=", its pin is
 * "sha256=" and 64 lower-case hex digits (or empty without the mark), and
 * joining the two and splitting again gives them back.
 */
#include "fuzz_text.h"
#include "tls.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_pin(const char *pin)
{
    if (pin[0] == '\0')
        return;
    if (strncmp(pin, "sha256=", 7) != 0 || strlen(pin) != TLS_PIN_LEN)
        abort();
    for (const char *p = pin + 7; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_text(data, size);
    if (text == NULL)
        return 0;
    char addr[256], pin[TLS_PIN_LEN + 1], err[512] = "";
    if (tls_address_split(text, addr, sizeof addr, pin, err, sizeof err) != 0) {
        if (err[0] == '\0' || strchr(err, '\n') != NULL || pin[0] != '\0')
            abort();
        free(text);
        return 0;
    }
    check_pin(pin);
    const char *mark = strstr(text, TLS_PIN_MARK);
    size_t n = mark != NULL ? (size_t)(mark - text) : strlen(text);
    if (strlen(addr) != n || memcmp(addr, text, n) != 0 || (mark != NULL) != (pin[0] != '\0'))
        abort();
    if (pin[0] != '\0') {
        char bound[512], again[256], pin2[TLS_PIN_LEN + 1];
        if (tls_address_join(addr, pin, bound, sizeof bound, err, sizeof err) != 0 ||
            tls_address_split(bound, again, sizeof again, pin2, err, sizeof err) != 0 ||
            strcmp(again, addr) != 0 || strcmp(pin2, pin) != 0)
            abort();
    }
    free(text);
    return 0;
}
