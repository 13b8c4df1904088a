/*
 * payload.h — the `payload` and `verify` keys every network plugin shares:
 * how many bytes a request and its answer carry besides the value, made
 * once at init (never per call), and the check of what a peer sent back.
 * The runner has already parsed `payload` (k/m suffixes, the 64 MiB cap)
 * and hands the plugin plain decimal bytes, and only when the section
 * writes the key. Never prints, never exits.
 */
#ifndef INCBENCH_PLUGIN_PAYLOAD_H
#define INCBENCH_PLUGIN_PAYLOAD_H

#include <incbench/transport.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most any section may ask for; the runner's bound too. */
#define PAYLOAD_MAX (64u << 20)

/* For a plugin's list of known keys: PAYLOAD_KEYS, "other", NULL. */
#define PAYLOAD_KEYS "payload", "verify"

struct payload {
    size_t len;      /* bytes each way; 0 = none */
    bool verify;     /* compare the answer's bytes too, not only its length */
    uint8_t *bytes;  /* len bytes (NULL when len is 0), printable so JSON needs no escape */
};

/* Only read `payload` and `verify` (0 and false when absent): for a side
 * that checks them but sends nothing, as a server. 0, or -1 with a
 * sentence naming the key in err. */
int payload_keys_read(const struct incbench_params *params, const char *who, unsigned *len,
                      bool *verify, char *err, size_t errlen);

/* payload_keys_read, then make the bytes into *out.
 * 0, or -1 with a sentence naming the key in err. *out is zeroed first, so
 * payload_free is safe after a failure. */
int payload_read(const struct incbench_params *params, const char *who, struct payload *out,
                 char *err, size_t errlen);

void payload_free(struct payload *p);

/* Fill n bytes with a fixed pseudo-random run of base64url characters
 * (printable, no JSON escapes, not compressible to nothing). */
void payload_fill(uint8_t *buf, size_t n);

/* Whether got (got_len bytes) is what p sent: the length always, the
 * content when p->verify. -1 with a sentence naming both lengths, or the
 * first differing offset, in err. No allocation: fit for the timed path. */
int payload_check(const struct payload *p, const uint8_t *got, size_t got_len, const char *who,
                  char *err, size_t errlen);

#endif
