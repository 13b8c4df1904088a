/*
 * opts_test.c — see opts_test.h.
 */
#include "opts_test.h"

#include "grpc_test.h"

#include "../../plugins/grpc_common/options.h"

#include <string.h>

/* Parse hp for `side` (asserted to succeed). */
static void parse(const struct harness_params *hp, enum gc_side side, struct gc_opts *o)
{
    char err[256] = "";
    ck_assert_msg(gc_opts_parse(&hp->p, "test", NULL, side, 0, o, err, sizeof err) == 0,
                  "gc_opts_parse: %s", err);
}

/* The one arg named `name` in o (asserted to be there exactly once). */
static const grpc_arg *the_arg(const struct gc_opts *o, const char *name)
{
    const grpc_channel_args *a = gc_opts_args(o);
    const grpc_arg *found = NULL;
    for (size_t i = 0; i < a->num_args; i++) {
        if (strcmp(a->args[i].key, name) != 0)
            continue;
        ck_assert_msg(found == NULL, "%s is set twice", name);
        found = &a->args[i];
    }
    ck_assert_msg(found != NULL, "%s is not set", name);
    return found;
}

static void want_int(const struct gc_opts *o, const char *name, int v)
{
    const grpc_arg *a = the_arg(o, name);
    ck_assert_msg(a->type == GRPC_ARG_INTEGER, "%s is not an int arg", name);
    ck_assert_msg(a->value.integer == v, "%s = %d, want %d", name, a->value.integer, v);
}

static void want_string(const struct gc_opts *o, const char *name, const char *v)
{
    const grpc_arg *a = the_arg(o, name);
    ck_assert_msg(a->type == GRPC_ARG_STRING, "%s is not a string arg", name);
    ck_assert_str_eq(a->value.string, v);
}

void gt_arg_values_become_ints_or_strings_by_their_name(void)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, "arg.incbench.int", "-42",
                   "arg.incbench.plus", "+7", "arg.incbench.str", "7x",
                   "arg.incbench.hex", "0x10", "arg.incbench.empty", "",
                   "arg.grpc.primary_user_agent", "123", "arg.grpc.http2.bdp_probe", "0",
                   "arg.grpc.optimization_target", "throughput", NULL);
    struct gc_opts o;
    parse(&hp, GC_CLIENT, &o);
    want_int(&o, "incbench.int", -42);
    want_int(&o, "incbench.plus", 7);
    want_string(&o, "incbench.str", "7x");
    want_string(&o, "incbench.hex", "0x10");
    want_string(&o, "incbench.empty", "");
    want_string(&o, "grpc.primary_user_agent", "123");
    want_int(&o, "grpc.http2.bdp_probe", 0);
    want_string(&o, "grpc.optimization_target", "throughput");
}

void gt_explicit_args_override_named_keys_and_side_args_override_arg(void)
{
    struct harness_params hp;
    harness_params(&hp, "127.0.0.1:1", 1000, "minimal_stack", "true",
                   "arg.grpc.minimal_stack", "0", "max_streams", "5",
                   "server_arg.grpc.max_concurrent_streams", "9",
                   "client_arg.grpc.max_receive_message_length", "30",
                   "server_arg.grpc.max_receive_message_length", "20",
                   "arg.grpc.max_receive_message_length", "10",
                   "arg.grpc.use_local_subchannel_pool", "0", NULL);
    struct gc_opts srv, cli;
    parse(&hp, GC_SERVER, &srv);
    parse(&hp, GC_CLIENT, &cli);
    want_int(&srv, GRPC_ARG_MINIMAL_STACK, 0);
    want_int(&cli, GRPC_ARG_MINIMAL_STACK, 0);
    want_int(&srv, GRPC_ARG_MAX_CONCURRENT_STREAMS, 9);
    /* written after the side's own key, arg.* still loses to it */
    want_int(&srv, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 20);
    want_int(&cli, GRPC_ARG_MAX_RECEIVE_MESSAGE_LENGTH, 30);
    want_int(&cli, GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 0);
    want_int(&srv, GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 0); /* arg.*: both sides */
}
