/*
 * opts_test.h — white-box tests of grpc_common/options.c and chargs.c:
 * the grpc_args a section's keys become, read back from gc_opts_parse
 * (linked into test_grpc_unary, which has grpc_common at hand).
 */
#ifndef INCBENCH_TESTS_OPTS_TEST_H
#define INCBENCH_TESTS_OPTS_TEST_H

/* arg.NAME = VALUE becomes an int arg when VALUE is a decimal int and NAME
 * is not one gRPC reads as a string, else a string arg. */
void gt_arg_values_become_ints_or_strings_by_their_name(void);

/* Each channel arg appears once: an explicit arg.* replaces what a named
 * key or a fixed limit set, and server_arg.* / client_arg.* replace arg.*
 * on their side only. */
void gt_explicit_args_override_named_keys_and_side_args_override_arg(void);

#endif
