/*
 * options.c — see options.h. Only the keys a user set become channel args,
 * plus the few we always set (see gc_opts_parse): otherwise the defaults are
 * gRPC's, so a section without keys measures gRPC as shipped.
 */
#include "options.h"

#include "../common/options.h"
#include "../common/payload.h"
#include "codec.h"

#include <openssl/ssl.h>

#include <grpc/compression.h>
#include <limits.h>
#include <stdio.h>

static const char *const shared_keys[] = { "compression", "minimal_stack", "retries",
                                           "max_streams", PAYLOAD_KEYS, TLS_KEYS };
#define N_SHARED (sizeof shared_keys / sizeof shared_keys[0])

static void add_int(struct gc_opts *o, const char *key, int value)
{
    grpc_arg a;
    a.type = GRPC_ARG_INTEGER;
    a.key = (char *)key; /* grpc_arg's key is not const; gRPC never writes it */
    a.value.integer = value;
    gc_chargs_set(o->args, &o->chargs.num_args, a);
}

/* Server-only args: hostile peers meet the server, not the client. */
static void add_server_limits(struct gc_opts *o, int algo, unsigned max_streams)
{
    /* Announced in SETTINGS: a connection's further streams wait at the
     * client. Each open IncrementStream costs some 10-20 kB. */
    add_int(o, GRPC_ARG_MAX_CONCURRENT_STREAMS, (int)max_streams);
    /* Only what the section asked for: a compressed request of any other
     * algorithm is refused with UNIMPLEMENTED before it is read. Unset
     * keeps gRPC's default (every algorithm it has). */
    if (algo >= 0)
        add_int(o, GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET,
                (1 << GRPC_COMPRESS_NONE) | (1 << algo));
    /* gRPC 1.51 inflates a compressed message without bound: its max
     * receive length is compared with the compressed size only
     * (message_decompress_filter.cc), so a 1 MB message could grow to
     * 1 GiB in memory before anything refused it. Ours inflates instead,
     * stopping at the server's limit (bytebuf.c). */
    add_int(o, GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION, 0);
}

/* The longest message this side takes (proto/codec.h), as gRPC's receive
 * limit. Over gRPC's default limit only when the section raises that (it
 * is gRPC's, and stock gRPC is what a section measures): else -1. */
static int add_receive_limit(const struct incbench_params *params, const char *who,
                             enum gc_side side, size_t payload, struct gc_opts *o,
                             char *err, size_t errlen)
{
    const size_t limit = codec_msg_limit(payload);
    if (limit > GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH &&
        !gc_chargs_sets(params, side == GC_SERVER, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH)) {
        snprintf(err, errlen, "%s: payload = %zu makes messages of up to %zu bytes, over "
                 "gRPC's receive limit of %d bytes (arg.%s raises it)", who, payload, limit,
                 GRPC_DEFAULT_MAX_RECV_MESSAGE_LENGTH, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH);
        return -1;
    }
    /* Replaced by the section's own arg when it has one. */
    add_int(o, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, limit > INT_MAX ? INT_MAX : (int)limit);
    return 0;
}

/* The TLS keys, as tls.h reads them, less what gRPC's C API cannot do:
 * it negotiates TLS 1.2 to 1.3 and takes the highest both sides offer (1.3
 * between two of ours); pinning 1.2, or forbidding it, has a setter in the
 * C++ API only (TlsCredentialsOptions::set_min/max_tls_version), none in
 * the C core 1.51 we link. So 1.2 is refused rather than silently
 * measured as 1.3. */
static int read_tls(const struct incbench_params *params, const char *who,
                    struct tls_keys *k, char *err, size_t errlen)
{
    if (tls_keys_read(params, who, k, err, errlen) != 0)
        return -1;
    if (k->on && k->version != TLS1_3_VERSION) {
        snprintf(err, errlen, "%s: tls_version = 1.2 is not available: gRPC's C core (1.51) "
                 "has no setting for the TLS version and always negotiates 1.3 between our "
                 "client and server; use tls_version = 1.3", who);
        return -1;
    }
    return 0;
}

int gc_opts_parse(const struct incbench_params *params, const char *who,
                  const char *const *extra, enum gc_side side, size_t payload,
                  struct gc_opts *o, char *err, size_t errlen)
{
    const char *known[N_SHARED + 16 + GC_CHARGS_MAX + 1];
    size_t n = 0;
    for (size_t i = 0; i < N_SHARED; i++)
        known[n++] = shared_keys[i];
    for (size_t i = 0; extra != NULL && extra[i] != NULL && i < 16; i++)
        known[n++] = extra[i];
    if (gc_chargs_known(params, who, known, &n, err, errlen) != 0)
        return -1;
    known[n] = NULL;
    if (opts_check(params, who, known, err, errlen) != 0)
        return -1;

    o->chargs.num_args = 0;
    o->chargs.args = o->args;

    static const char *const algos[] = { "none", "deflate", "gzip", NULL };
    int algo = -1;
    if (opts_choice(params, who, "compression", algos, &algo, err, errlen) != 0)
        return -1;
    /* The index in `algos` is the grpc_compression_algorithm value. */
    if (algo >= 0)
        add_int(o, GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM, algo);

    if (opts_get(params, "minimal_stack") != NULL) {
        bool on = false;
        if (opts_bool(params, who, "minimal_stack", &on, err, errlen) != 0)
            return -1;
        add_int(o, GRPC_ARG_MINIMAL_STACK, on);
    }
    if (opts_get(params, "retries") != NULL) {
        bool on = false;
        if (opts_bool(params, who, "retries", &on, err, errlen) != 0)
            return -1;
        add_int(o, GRPC_ARG_ENABLE_RETRIES, on);
    }
    if (read_tls(params, who, &o->tls, err, errlen) != 0)
        return -1;
    /* Checked on both sides (a section is one config); used by servers. */
    unsigned max_streams = GC_MAX_STREAMS_DEFAULT;
    if (opts_uint(params, who, "max_streams", 1, GC_MAX_STREAMS_MAX, &max_streams,
                  err, errlen) != 0)
        return -1;

    /* A compressed message is held to the limit twice: on the wire by
     * gRPC, and inflated by bytebuf.c (servers; clients let gRPC inflate,
     * within its 1032:1 deflate ratio bound of the wire size, and bytebuf.c
     * refuses what is longer than the limit). */
    if (add_receive_limit(params, who, side, payload, o, err, errlen) != 0)
        return -1;

    if (side == GC_SERVER) {
        add_server_limits(o, algo, max_streams);
        /* A TLS server binds with gRPC's listener (server.c), which sets
         * SO_REUSEPORT by default: a second server on a port in use would
         * share it, taking some of the connections, where ours fails. */
        if (o->tls.on)
            add_int(o, GRPC_ARG_ALLOW_REUSEPORT, 0);
    } else {
        /* Each client owns its connection: without this, two channels with
         * the same target and args share subchannels (gRPC's global pool),
         * and a fresh client of a later repeat could ride an old one. */
        add_int(o, GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    }
    /* Last, so that an explicit arg replaces what the keys above set. */
    return gc_chargs_put(params, who, side == GC_SERVER, o->args, &o->chargs.num_args,
                         GC_MAX_ARGS, err, errlen);
}

int gc_opts_server_payload(const struct incbench_params *params, const char *who, size_t *len,
                           char *err, size_t errlen)
{
    /* The server echoes what it gets: it needs the limit, not the bytes. */
    unsigned n = 0;
    bool verify = false;
    if (payload_keys_read(params, who, &n, &verify, err, errlen) != 0)
        return -1;
    *len = n;
    return 0;
}

const grpc_channel_args *gc_opts_args(const struct gc_opts *o)
{
    return &o->chargs;
}
