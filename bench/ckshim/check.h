/*
 * bench/ckshim/check.h — the few Check assertions tests/grpc_unary/rawcall.c
 * uses, for bench/hostile_grpc, which compiles rawcall.c as is but runs
 * outside Check: outside a Check runner a failed ck_assert only says "No
 * messaging setup". Here it names the file, line and condition, then exits
 * 3, which bench/hostile_grpc.sh reports as an attack not measured.
 */
#ifndef INCBENCH_BENCH_CKSHIM_CHECK_H
#define INCBENCH_BENCH_CKSHIM_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define ck_assert_msg(cond, ...)                                                         \
    do {                                                                                 \
        if (!(cond)) {                                                                   \
            fprintf(stderr, "%s:%d: failed: %s: ", __FILE__, __LINE__, #cond);           \
            fprintf(stderr, __VA_ARGS__);                                                \
            fputc('\n', stderr);                                                         \
            exit(3);                                                                     \
        }                                                                                \
    } while (0)
#define ck_assert(cond) ck_assert_msg(cond, "%s", "assertion")
#define ck_abort_msg(...) ck_assert_msg(0, __VA_ARGS__)
#define ck_assert_int_eq(a, b) ck_assert_msg((a) == (b), "%lld != %lld", \
                                             (long long)(a), (long long)(b))
#define ck_assert_uint_lt(a, b) ck_assert_msg((a) < (b), "%llu >= %llu", \
                                              (unsigned long long)(a), (unsigned long long)(b))
#define ck_assert_ptr_nonnull(p) ck_assert_msg((p) != NULL, "%s", "null pointer")

#endif
