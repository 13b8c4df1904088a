/*
 * watch.c — see watch.h. Nothing polls the client's queue while it
 * reconnects: the server's queue thread, in this process, drives both ends
 * of the connection (gRPC's poller is shared).
 */
#include "watch.h"

#include "grpc_test.h"

#include "../../plugins/grpc_common/client.h"

#include <grpc/support/time.h>
#include <string.h>
#include <unistd.h>

/* Take the client's queue's events as the stats op does, until `want`
 * connections are counted or 5 s pass: the watch's completion is posted a
 * moment after the state changes. The count. */
static uint64_t count_until(struct gc_client *gc, uint64_t want)
{
    const gpr_timespec until = gpr_time_add(gpr_now(GPR_CLOCK_MONOTONIC),
                                            gpr_time_from_millis(5000, GPR_TIMESPAN));
    while (gc->connections < want) {
        grpc_event ev = grpc_completion_queue_next(gc->cq, until, NULL);
        if (ev.type != GRPC_OP_COMPLETE)
            break;
        ck_assert_msg(gc_client_watch_event(gc, &ev), "an event that is not the watch");
    }
    return gc->connections;
}

/* Ask the channel to connect and wait (5 s at most) for READY without
 * touching the client's queue. */
static void connect_behind_the_queue(struct gc_client *gc)
{
    grpc_connectivity_state st = grpc_channel_check_connectivity_state(gc->ch, 1);
    for (int i = 0; i < 500 && st != GRPC_CHANNEL_READY; i++) {
        usleep(10 * 1000);
        st = grpc_channel_check_connectivity_state(gc->ch, 1);
    }
    ck_assert_msg(st == GRPC_CHANNEL_READY, "the channel never got READY (state %d)", st);
}

/* Wait (5 s at most) until the channel has seen its connection end. */
static void see_it_end(struct gc_client *gc)
{
    grpc_connectivity_state st = grpc_channel_check_connectivity_state(gc->ch, 0);
    for (int i = 0; i < 500 && st == GRPC_CHANNEL_READY; i++) {
        usleep(10 * 1000);
        st = grpc_channel_check_connectivity_state(gc->ch, 0);
    }
    ck_assert_msg(st != GRPC_CHANNEL_READY, "the channel never saw its connection end");
}

void gt_a_reconnect_before_the_watch_event_is_taken_still_counts(void)
{
    char bound[64];
    void *s = gt_server(NULL, NULL, bound);
    struct harness_params hp;
    harness_params(&hp, bound, 5000, NULL);
    struct gc_client gc;
    memset(&gc, 0, sizeof gc);
    char err[256] = "";
    ck_assert_msg(gc_client_open(&gc, &hp.p, "watch_test", NULL, "/incbench.Incrementer/Increment",
                                 err, sizeof err) == 0, "%s", err);
    connect_behind_the_queue(&gc);
    ck_assert_uint_eq(count_until(&gc, 1), 1);

    /* The connection ends (the watch fires: READY left) and a new one is
     * READY before the client looks at its queue. */
    T->server_stop(s);
    harness_params(&hp, bound, 5000, NULL);
    s = harness_server(T, &hp, bound);
    see_it_end(&gc); /* not before: the old state would pass for the new one */
    connect_behind_the_queue(&gc);
    const uint64_t n = count_until(&gc, 2);
    ck_assert_msg(n == 2, "%llu connections counted, want 2", (unsigned long long)n);

    gc_client_close(&gc, false);
    gc_client_exit(&gc, false);
    T->server_stop(s);
}
