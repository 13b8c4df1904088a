/*
 * server.c — see server.h. Owns the grpc_server, its completion queue and
 * the one thread that drains it; never touches a plugin's objects except
 * through their tags.
 */
#include "server.h"

#include "tlscreds.h"
#include "../common/net.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void unimpl_done(struct gc_tag *tag, bool ok);

static void unimpl_request(struct gc_unimpl *u)
{
    struct gc_server *s = u->server;
    if (gc_server_stopping(s))
        return;
    u->answering = false;
    if (grpc_server_request_call(s->srv, &u->call, &u->details, &u->md, s->cq,
                                 s->cq, &u->tag) == GRPC_CALL_OK)
        gc_server_hold(s);
}

static void unimpl_done(struct gc_tag *tag, bool ok)
{
    struct gc_unimpl *u = (struct gc_unimpl *)tag;
    struct gc_server *s = u->server;
    gc_server_release(s);
    if (u->answering) {
        grpc_call_unref(u->call);
        u->call = NULL;
        grpc_call_details_destroy(&u->details);
        grpc_call_details_init(&u->details);
        u->md.count = 0;
        unimpl_request(u);
        return;
    }
    if (!ok)
        return; /* the server is shutting down: no call came */
    grpc_slice details = grpc_slice_from_static_string("method not implemented by incbench");
    grpc_op ops[3];
    memset(ops, 0, sizeof ops);
    ops[0].op = GRPC_OP_SEND_INITIAL_METADATA;
    ops[1].op = GRPC_OP_SEND_STATUS_FROM_SERVER;
    ops[1].data.send_status_from_server.status = GRPC_STATUS_UNIMPLEMENTED;
    ops[1].data.send_status_from_server.status_details = &details;
    ops[2].op = GRPC_OP_RECV_CLOSE_ON_SERVER;
    ops[2].data.recv_close_on_server.cancelled = &u->cancelled;
    u->answering = true;
    if (grpc_call_start_batch(u->call, ops, 3, &u->tag, NULL) == GRPC_CALL_OK) {
        gc_server_hold(s);
        return;
    }
    grpc_call_unref(u->call);
    u->call = NULL;
    unimpl_request(u);
}

static void shutdown_done(struct gc_tag *tag, bool ok)
{
    (void)ok;
    struct gc_server *s = (struct gc_server *)((char *)tag - offsetof(struct gc_server, shutdown_tag));
    s->shutdown_seen = true;
}

/* Drain until the server has shut down and no object has a tag in flight,
 * then shut the queue down and drain it empty. With an idle hook, look at
 * the queue without blocking first: when nothing is waiting, count a new
 * epoch and run the hook if a handler asked for it, then block. */
static void run_queue(struct gc_server *s)
{
    bool cq_shut = false;
    for (;;) {
        grpc_event ev;
        ev.type = GRPC_QUEUE_TIMEOUT;
        if (s->idle != NULL)
            ev = grpc_completion_queue_next(s->cq, gpr_inf_past(GPR_CLOCK_MONOTONIC), NULL);
        if (ev.type == GRPC_QUEUE_TIMEOUT) {
            s->epoch++;
            if (s->idle_wanted) {
                s->idle_wanted = false;
                s->idle(s->idle_arg);
            }
            if (!cq_shut && s->shutdown_seen && s->live == 0) {
                grpc_completion_queue_shutdown(s->cq);
                cq_shut = true;
            }
            ev = grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL);
        }
        if (ev.type == GRPC_QUEUE_SHUTDOWN)
            break;
        if (ev.type == GRPC_OP_COMPLETE) {
            struct gc_tag *t = ev.tag;
            t->done(t, ev.success != 0);
        }
        if (!cq_shut && s->shutdown_seen && s->live == 0) {
            grpc_completion_queue_shutdown(s->cq);
            cq_shut = true;
        }
    }
}

static void *queue_thread(void *arg)
{
    run_queue(arg);
    return NULL;
}

int gc_server_init(struct gc_server *s, const char *who,
                   const grpc_channel_args *args, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->who = who;
    atomic_init(&s->stopping, false);
    s->shutdown_tag.done = shutdown_done;
    s->unimpl.tag.done = unimpl_done;
    s->unimpl.server = s;
    grpc_call_details_init(&s->unimpl.details);
    grpc_metadata_array_init(&s->unimpl.md);
    gc_listener_init(&s->listener);
    grpc_init();
    s->grpc_inited = true;
    s->srv = grpc_server_create(args, NULL);
    s->cq = grpc_completion_queue_create_for_next(NULL);
    if (s->srv == NULL || s->cq == NULL) {
        snprintf(err, errlen, "%s: could not create the gRPC server", who);
        return -1;
    }
    grpc_server_register_completion_queue(s->srv, s->cq, NULL);
    return 0;
}

void gc_server_on_idle(struct gc_server *s, void (*idle)(void *arg), void *arg)
{
    s->idle = idle;
    s->idle_arg = arg;
}

void *gc_server_method(struct gc_server *s, const char *method,
                       grpc_server_register_method_payload_handling payload)
{
    return grpc_server_register_method(s->srv, method, NULL, payload, 0);
}

/* Over TLS gRPC listens itself: grpc_server_add_channel_from_fd, which our
 * listener hands connections to, takes insecure credentials only (gRPC
 * 1.51's grpc_posix.h says so, and chttp2_server.cc logs "invalid creds"
 * and drops the fd for any other type). So a TLS server has gRPC's
 * listener and its limits (listener.h): the price of TLS here, until gRPC
 * lifts that restriction. A stalled handshake does not hold up the stop:
 * shutting the listener down ends the handshakes in progress.
 * `bound` gets the address's host with the port gRPC bound, and the pin
 * of a made certificate. */
static int listen_tls(struct gc_server *s, const char *address, const struct tls_keys *tls,
                      char *bound, size_t boundlen, char *err, size_t errlen)
{
    if (address == NULL)
        address = NET_DEFAULT_LISTEN;
    grpc_server_credentials *creds = NULL;
    char pin[TLS_PIN_LEN + 1];
    if (gc_tls_server_creds(tls, address, s->who, &creds, pin, err, errlen) != 0)
        return -1;
    const int port = grpc_server_add_http2_port(s->srv, address, creds);
    grpc_server_credentials_release(creds); /* the server keeps what it needs */
    const char *colon = strrchr(address, ':');
    if (port <= 0 || colon == NULL) {
        /* gRPC logs its reason and returns 0: binding ourselves finds it. */
        char why[256] = "gRPC could not bind it";
        const int fd = net_listen(address, 1, why, sizeof why);
        if (fd >= 0)
            close(fd);
        snprintf(err, errlen, "%s: cannot listen on %s over TLS (%s)", s->who, address, why);
        return -1;
    }
    char plain[256];
    const int n = snprintf(plain, sizeof plain, "%.*s:%d", (int)(colon - address), address, port);
    if (n < 0 || (size_t)n >= sizeof plain) {
        snprintf(err, errlen, "%s: the address %s is too long", s->who, address);
        return -1;
    }
    if (pin[0] == '\0') {
        if ((size_t)n >= boundlen) {
            snprintf(err, errlen, "%s: no room for the bound address %s", s->who, plain);
            return -1;
        }
        memcpy(bound, plain, (size_t)n + 1);
        return 0;
    }
    return tls_address_join(plain, pin, bound, boundlen, err, errlen);
}

int gc_server_start(struct gc_server *s, const char *address, const struct tls_keys *tls,
                    int (*prime)(struct gc_server *s, void *arg), void *arg,
                    char *bound, size_t boundlen, char *err, size_t errlen)
{
    const bool secure = tls != NULL && tls->on;
    if (secure ? listen_tls(s, address, tls, bound, boundlen, err, errlen) != 0
               : gc_listener_open(&s->listener, s->who, address, bound, boundlen, err,
                                  errlen) != 0)
        return -1;
    grpc_server_start(s->srv);
    s->started = true;
    unimpl_request(&s->unimpl);
    if (prime != NULL && prime(s, arg) != 0) {
        snprintf(err, errlen, "%s: could not request calls from the gRPC server", s->who);
        return -1;
    }
    if (pthread_create(&s->thread, NULL, queue_thread, s) != 0) {
        snprintf(err, errlen, "%s: cannot start the server thread", s->who);
        return -1;
    }
    s->thread_started = true;
    if (secure)
        return 0;
    /* Connections made meanwhile waited in the backlog. */
    return gc_listener_start(&s->listener, s->who, s->srv, err, errlen);
}

void gc_server_stop(struct gc_server *s)
{
    if (!s->grpc_inited)
        return; /* gc_server_init never ran: nothing was made */
    gc_listener_close(&s->listener); /* no connection reaches gRPC after this */
    if (s->srv != NULL) {
        atomic_store(&s->stopping, true);
        grpc_server_shutdown_and_notify(s->srv, s->cq, &s->shutdown_tag);
        /* Without this, shutdown would wait for every stream to end. */
        grpc_server_cancel_all_calls(s->srv);
        if (s->thread_started)
            pthread_join(s->thread, NULL);
        else
            run_queue(s);
        grpc_server_destroy(s->srv);
        s->srv = NULL;
    } else if (s->cq != NULL) {
        grpc_completion_queue_shutdown(s->cq);
        while (grpc_completion_queue_next(s->cq, gpr_inf_future(GPR_CLOCK_MONOTONIC), NULL).type
               != GRPC_QUEUE_SHUTDOWN) {
        }
    }
    if (s->cq != NULL) {
        grpc_completion_queue_destroy(s->cq);
        s->cq = NULL;
    }
    grpc_call_details_destroy(&s->unimpl.details);
    grpc_metadata_array_destroy(&s->unimpl.md);
    if (s->grpc_inited) {
        s->grpc_inited = false;
        grpc_shutdown();
    }
}
