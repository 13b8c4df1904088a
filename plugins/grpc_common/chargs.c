/*
 * chargs.c — see chargs.h. The tables below are the channel args gRPC 1.51
 * declares in its public headers (grpc_types.h, compression_types.h), by
 * the type it reads them as: a value of the wrong type would be ignored by
 * gRPC without a word (it reads an int arg given as a string as unset), so
 * for these names it is a config error instead. Pointer args cannot come
 * from a config at all.
 */
#include "chargs.h"

#include <errno.h>
#include <grpc/compression.h>
#include <grpc/grpc_security_constants.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const int_args[] = {
    GRPC_ARG_ENABLE_CENSUS,
    GRPC_ARG_ENABLE_LOAD_REPORTING,
    GRPC_ARG_MINIMAL_STACK,
    GRPC_ARG_MAX_CONCURRENT_STREAMS,
    GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH,
    GRPC_ARG_MAX_SEND_MESSAGE_LENGTH,
    GRPC_ARG_MAX_CONNECTION_IDLE_MS,
    GRPC_ARG_MAX_CONNECTION_AGE_MS,
    GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
    GRPC_ARG_CLIENT_IDLE_TIMEOUT_MS,
    GRPC_ARG_ENABLE_PER_MESSAGE_COMPRESSION,
    GRPC_ARG_ENABLE_PER_MESSAGE_DECOMPRESSION,
    GRPC_ARG_ENABLE_DEADLINE_CHECKS,
    GRPC_ARG_HTTP2_INITIAL_SEQUENCE_NUMBER,
    GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES,
    GRPC_ARG_HTTP2_HPACK_TABLE_SIZE_DECODER,
    GRPC_ARG_HTTP2_HPACK_TABLE_SIZE_ENCODER,
    GRPC_ARG_HTTP2_MAX_FRAME_SIZE,
    GRPC_ARG_HTTP2_BDP_PROBE,
    GRPC_ARG_HTTP2_MIN_SENT_PING_INTERVAL_WITHOUT_DATA_MS,
    GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
    GRPC_ARG_HTTP2_MAX_PINGS_WITHOUT_DATA,
    GRPC_ARG_HTTP2_MAX_PING_STRIKES,
    GRPC_ARG_HTTP2_WRITE_BUFFER_SIZE,
    GRPC_ARG_HTTP2_ENABLE_TRUE_BINARY,
    GRPC_ARG_KEEPALIVE_TIME_MS,
    GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
    GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS,
    GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
    GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
    GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
    GRPC_ARG_DNS_MIN_TIME_BETWEEN_RESOLUTIONS_MS,
    GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
    GRPC_ARG_TSI_MAX_FRAME_SIZE,
    GRPC_ARG_MAX_METADATA_SIZE,
    GRPC_ARG_ALLOW_REUSEPORT,
    GRPC_ARG_EXPAND_WILDCARD_ADDRS,
    GRPC_ARG_SERVICE_CONFIG_DISABLE_RESOLUTION,
    GRPC_ARG_MAX_CHANNEL_TRACE_EVENT_MEMORY_PER_NODE,
    GRPC_ARG_ENABLE_CHANNELZ,
    GRPC_ARG_USE_CRONET_PACKET_COALESCING,
    GRPC_ARG_TCP_READ_CHUNK_SIZE,
    GRPC_ARG_TCP_MIN_READ_CHUNK_SIZE,
    GRPC_ARG_TCP_MAX_READ_CHUNK_SIZE,
    GRPC_ARG_TCP_TX_ZEROCOPY_ENABLED,
    GRPC_ARG_TCP_TX_ZEROCOPY_SEND_BYTES_THRESHOLD,
    GRPC_ARG_TCP_TX_ZEROCOPY_MAX_SIMULT_SENDS,
    GRPC_ARG_GRPCLB_CALL_TIMEOUT_MS,
    GRPC_ARG_GRPCLB_FALLBACK_TIMEOUT_MS,
    GRPC_ARG_PRIORITY_FAILOVER_TIMEOUT_MS,
    GRPC_ARG_WORKAROUND_CRONET_COMPRESSION,
    GRPC_ARG_ENABLE_RETRIES,
    GRPC_ARG_EXPERIMENTAL_ENABLE_HEDGING,
    GRPC_ARG_PER_RPC_RETRY_BUFFER_SIZE,
    GRPC_ARG_DISABLE_CLIENT_AUTHORITY_FILTER,
    GRPC_ARG_ENABLE_HTTP_PROXY,
    GRPC_ARG_SURFACE_USER_AGENT,
    GRPC_ARG_INHIBIT_HEALTH_CHECKING,
    GRPC_ARG_DNS_ENABLE_SRV_QUERIES,
    GRPC_ARG_DNS_ARES_QUERY_TIMEOUT_MS,
    GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL,
    GRPC_ARG_SERVER_CONFIG_CHANGE_DRAIN_GRACE_TIME_MS,
    GRPC_COMPRESSION_CHANNEL_DEFAULT_ALGORITHM,
    GRPC_COMPRESSION_CHANNEL_DEFAULT_LEVEL,
    GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET,
    NULL,
};

/* Strings even when the value looks like a number ("1" as a user agent). */
static const char *const string_args[] = {
    GRPC_ARG_HTTP2_SCHEME,
    GRPC_ARG_DEFAULT_AUTHORITY,
    GRPC_ARG_PRIMARY_USER_AGENT_STRING,
    GRPC_ARG_SECONDARY_USER_AGENT_STRING,
    GRPC_SSL_TARGET_NAME_OVERRIDE_ARG,
    GRPC_ARG_SERVICE_CONFIG,
    GRPC_ARG_LB_POLICY_NAME,
    GRPC_ARG_OPTIMIZATION_TARGET,
    GRPC_ARG_HTTP_PROXY,
    GRPC_ARG_CHANNEL_POOL_DOMAIN,
    NULL,
};

/* Objects in memory: nothing a config can name. */
static const char *const pointer_args[] = {
    GRPC_SSL_SESSION_CACHE_ARG,
    GRPC_ARG_RESOURCE_QUOTA,
    GRPC_ARG_SOCKET_MUTATOR,
    GRPC_ARG_SOCKET_FACTORY,
    GRPC_ARG_EXPERIMENTAL_GRPCLB_CHANNEL_ARGS,
    GRPC_ARG_MOBILE_LOG_CONTEXT,
    GRPC_ARG_AUTHORIZATION_POLICY_PROVIDER,
    NULL,
};

/* The only values gRPC knows for grpc.optimization_target (it logs and
 * falls back to its default for any other). */
static const char *const targets[] = { "latency", "blend", "throughput", NULL };

enum scope { BOTH, SERVER, CLIENT };
static const char *const prefixes[] = { "arg.", "server_arg.", "client_arg." };
#define N_PREFIXES (sizeof prefixes / sizeof prefixes[0])

static bool listed(const char *const *list, const char *name)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, name) == 0)
            return true;
    return false;
}

/* The channel arg name after one of our prefixes, and the prefix's scope;
 * NULL when key has none. */
static const char *arg_name(const char *key, enum scope *scope)
{
    for (size_t i = 0; i < N_PREFIXES; i++) {
        const size_t n = strlen(prefixes[i]);
        if (strncmp(key, prefixes[i], n) == 0) {
            *scope = (enum scope)i;
            return key + n;
        }
    }
    return NULL;
}

bool gc_chargs_is_key(const char *key)
{
    enum scope scope;
    return arg_name(key, &scope) != NULL;
}

int gc_chargs_known(const struct incbench_params *params, const char *who,
                    const char **known, size_t *n, char *err, size_t errlen)
{
    size_t count = 0;
    for (size_t i = 0; i < params->n_options; i++) {
        if (!gc_chargs_is_key(params->options[i].key))
            continue;
        if (++count > GC_CHARGS_MAX) {
            snprintf(err, errlen, "%s: option '%s' is one arg.* / server_arg.* / "
                     "client_arg.* option more than the %d a section may have", who,
                     params->options[i].key, GC_CHARGS_MAX);
            return -1;
        }
        known[(*n)++] = params->options[i].key;
    }
    return 0;
}

/* A decimal int with an optional sign, the whole of s; ERANGE beyond int. */
static bool parse_int(const char *s, int *out, bool *range)
{
    *range = false;
    if (s[0] == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    const long v = strtol(s, &end, 10);
    /* strtol skips leading blanks and takes "0x" no further than "0". */
    if (*end != '\0' || s[0] == ' ' || s[0] == '\t')
        return false;
    if (errno == ERANGE || v < INT_MIN || v > INT_MAX) {
        *range = true;
        return false;
    }
    *out = (int)v;
    return true;
}

/* The grpc_arg for key = value (name follows the key's prefix). */
static int make_arg(const char *who, const char *key, const char *name, const char *value,
                    grpc_arg *a, char *err, size_t errlen)
{
    if (name[0] == '\0') {
        snprintf(err, errlen, "%s: option '%s' names no channel argument", who, key);
        return -1;
    }
    if (listed(pointer_args, name)) {
        snprintf(err, errlen, "%s: option '%s': gRPC's %s is a pointer to an object, "
                 "which a config cannot give", who, key, name);
        return -1;
    }
    a->key = (char *)name; /* grpc_arg's key is not const; gRPC copies it */
    int v = 0;
    bool range = false;
    const bool is_int = parse_int(value, &v, &range);
    if (listed(string_args, name)) {
        if (strcmp(name, GRPC_ARG_OPTIMIZATION_TARGET) == 0 && !listed(targets, value)) {
            snprintf(err, errlen, "%s: option '%s' = '%s': gRPC knows latency, blend "
                     "and throughput", who, key, value);
            return -1;
        }
        a->type = GRPC_ARG_STRING;
        a->value.string = (char *)value; /* not const either; gRPC copies it */
        return 0;
    }
    if (range) {
        snprintf(err, errlen, "%s: option '%s' = '%s' is out of the range of an int "
                 "(%d..%d)", who, key, value, INT_MIN, INT_MAX);
        return -1;
    }
    if (!is_int && listed(int_args, name)) {
        snprintf(err, errlen, "%s: option '%s' = '%s': gRPC reads %s as an integer", who,
                 key, value, name);
        return -1;
    }
    if (is_int) {
        a->type = GRPC_ARG_INTEGER;
        a->value.integer = v;
    } else {
        a->type = GRPC_ARG_STRING;
        a->value.string = (char *)value;
    }
    return 0;
}

bool gc_chargs_sets(const struct incbench_params *params, bool server, const char *name)
{
    for (size_t i = 0; i < params->n_options; i++) {
        enum scope scope;
        const char *n = arg_name(params->options[i].key, &scope);
        if (n != NULL && strcmp(n, name) == 0 &&
            (scope == BOTH || scope == (server ? SERVER : CLIENT)))
            return true;
    }
    return false;
}

void gc_chargs_set(grpc_arg *args, size_t *n, grpc_arg arg)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp(args[i].key, arg.key) == 0) {
            args[i] = arg;
            return;
        }
    }
    args[(*n)++] = arg;
}

int gc_chargs_put(const struct incbench_params *params, const char *who, bool server,
                  grpc_arg *args, size_t *n, size_t cap, char *err, size_t errlen)
{
    const enum scope mine = server ? SERVER : CLIENT;
    /* Two rounds: arg.* first, so that the side's own keys replace them. */
    for (int round = 0; round < 2; round++) {
        for (size_t i = 0; i < params->n_options; i++) {
            const struct incbench_option *o = &params->options[i];
            enum scope scope;
            const char *name = arg_name(o->key, &scope);
            if (name == NULL || (scope == BOTH) != (round == 0))
                continue;
            grpc_arg a;
            if (make_arg(who, o->key, name, o->value, &a, err, errlen) != 0)
                return -1;
            if (scope != BOTH && scope != mine)
                continue; /* checked, not ours */
            if (*n >= cap) {
                snprintf(err, errlen, "%s: too many channel arguments", who);
                return -1;
            }
            gc_chargs_set(args, n, a);
        }
    }
    return 0;
}
