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

/* Take every event waiting on the client's queue, as the stats op does. */
static void take_events(struct gc_client *gc)
{
    for (int i = 0; i < 100; i++) {
        grpc_event ev = grpc_completion_queue_next(gc->cq, gpr_inf_past(GPR_CLOCK_MONOTONIC),
                                                   NULL);
        if (ev.type != GRPC_OP_COMPLETE)
            return;
        ck_assert_msg(gc_client_watch_event(gc, &ev), "an event that is not the watch");
    }
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
    take_events(&gc);
    ck_assert_uint_eq(gc.connections, 1);

    /* The connection ends (the watch fires: READY left) and a new one is
     * READY before the client looks at its queue. */
    T->server_stop(s);
    harness_params(&hp, bound, 5000, NULL);
    s = harness_server(T, &hp, bound);
    connect_behind_the_queue(&gc);
    take_events(&gc);
    ck_assert_msg(gc.connections == 2, "%llu connections counted, want 2",
                  (unsigned long long)gc.connections);

    gc_client_close(&gc, false);
    gc_client_exit(&gc, false);
    T->server_stop(s);
}
