/*
 * guard.c — the rest server's defences that evhttp 2.1 lacks: a bound on a
 * connection's input buffer, a deadline per request (evhttp's timeout is an
 * inactivity timer that every byte restarts), and an accept that pauses at
 * EMFILE instead of spinning and printing. A ping-pong request pays one
 * array lookup and one store for all of it; the rest runs per connection.
 * Never prints, never changes process-wide libevent state.
 */
#include "guard.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* What one connection may hold of unread input, at least: hundreds of
 * pipelined GETs. A server with a payload allows more (rest_guard_new):
 * evhttp keeps a Content-Length body in the connection's input until the
 * whole of it is in, so the bound must hold its largest request. One read
 * may pass it by up to libevent's 16 KiB read size. */
#define GUARD_INPUT_MIN (64 * 1024)
/* While accept fails for want of descriptors (or memory), retry this often. */
#define GUARD_ACCEPT_PAUSE_MS 100

struct guard_conn {
    struct rest_guard *g;
    struct bufferevent *bev;          /* we hold a reference: never dangles */
    struct evhttp_connection *evcon;  /* NULL until adopted */
    struct event *deadline;
    struct evbuffer_cb_entry *input_cb; /* input_changed on bev's input */
    struct timeval since;             /* when the time for a request began */
    int fd;
    bool refuse;                      /* the maker failed: close, serve nothing */
    struct guard_conn *prev, *next;   /* in g->fresh, then in g->live */
};

struct rest_guard {
    struct event_base *base;
    struct timeval limit;
    size_t input_max;                 /* what a connection may hold unread */
    struct event *adopt;              /* made active when a connection is made */
    struct guard_conn *fresh, *live;
    struct guard_conn **by_fd;        /* live connections by socket */
    size_t n_by_fd;
    rest_guard_maker maker;           /* NULL: plain socket bufferevents */
    rest_guard_closer closer;         /* NULL, or the maker's goodbye */
    bool stopping;                    /* no closer: see rest_guard_stopping */
    void *maker_arg;
};

static void conn_link(struct guard_conn **head, struct guard_conn *c)
{
    c->prev = NULL;
    c->next = *head;
    if (*head != NULL)
        (*head)->prev = c;
    *head = c;
}

static void conn_unlink(struct guard_conn **head, struct guard_conn *c)
{
    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        *head = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    c->prev = c->next = NULL;
}

static void conn_release(struct guard_conn *c)
{
    struct rest_guard *g = c->g;
    conn_unlink(c->evcon != NULL ? &g->live : &g->fresh, c);
    if (c->fd >= 0 && (size_t)c->fd < g->n_by_fd && g->by_fd[c->fd] == c)
        g->by_fd[c->fd] = NULL;
    if (c->deadline != NULL)
        event_free(c->deadline);
    /* evhttp may still touch the buffer before it frees it: no callback
     * may then reach c. */
    evbuffer_remove_cb_entry(bufferevent_get_input(c->bev), c->input_cb);
    bufferevent_decref(c->bev);
    free(c);
}

/* evhttp closes the connection: called before it frees the bufferevent,
 * so our reference is never the last one while its socket is watched. */
static void conn_closed(struct evhttp_connection *evcon, void *arg)
{
    (void)evcon;
    struct guard_conn *c = arg;
    if (c->g->closer != NULL && !c->refuse && !c->g->stopping)
        c->g->closer(c->bev);
    conn_release(c);
}

/* The timer is due `limit` after the connection was made, and is not
 * moved when a request arrives (that would cost every request an event_add):
 * when it fires early, it is set again for what is left. */
static void conn_deadline(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct guard_conn *c = arg;
    const struct rest_guard *g = c->g;
    struct timeval now, due, left;
    event_base_gettimeofday_cached(g->base, &now);
    evutil_timeradd(&c->since, &g->limit, &due);
    if (evutil_timercmp(&now, &due, <)) {
        evutil_timersub(&due, &now, &left);
        if (evutil_timercmp(&left, &g->limit, >))
            left = g->limit;   /* the wall clock went back */
        if (event_add(c->deadline, &left) == 0)
            return;
    }
    /* An unfinished request, a silent peer or an unread reply: drop it,
     * as evhttp drops a connection whose own timeout fired. conn_closed
     * releases c. */
    evhttp_connection_free(c->evcon);
}

/* Input arrived or was consumed. Below the bound, nothing to do. At it,
 * libevent's own read watermark takes over for this connection: reading
 * stops while the buffer is full and resumes as evhttp consumes it. It is
 * not set from the start because its callback re-adds the read event on
 * every change of the buffer, a cost each ping-pong request would pay. */
static void input_changed(struct evbuffer *buf, const struct evbuffer_cb_info *info,
                          void *conn)
{
    const struct guard_conn *c = conn;
    if (info->n_added > 0 && evbuffer_get_length(buf) >= c->g->input_max)
        bufferevent_setwatermark(c->bev, EV_READ, 0, c->g->input_max);
}

/* evhttp's hook for making a connection's bufferevent; the socket comes
 * later, and evhttp hands us no connection yet: `adopt` finds it once
 * evhttp is done, in this same pass of the loop. Returning NULL would have
 * evhttp make a plain bufferevent of its own, unguarded: fine for a plain
 * server, but a TLS server must not answer in plaintext, so when its maker
 * fails the connection gets a plain one marked to be closed at adoption. */
static struct bufferevent *new_bufferevent(struct event_base *base, void *arg)
{
    struct rest_guard *g = arg;
    struct bufferevent *bev = g->maker != NULL ? g->maker(base, g->maker_arg) : NULL;
    const bool refuse = g->maker != NULL && bev == NULL;
    /* Options 0, as evhttp's own: evhttp closes the socket itself. */
    if (bev == NULL)
        bev = bufferevent_socket_new(base, -1, 0);
    struct guard_conn *c = calloc(1, sizeof *c);
    if (bev == NULL || c == NULL ||
        (c->input_cb = evbuffer_add_cb(bufferevent_get_input(bev), input_changed, c)) == NULL) {
        free(c);
        /* A TLS bufferevent goes on unguarded (evhttp's own timeout);
         * a plain one is dropped and evhttp makes its own, likewise. */
        if (bev != NULL && !refuse && g->maker != NULL)
            return bev;
        if (bev != NULL)
            bufferevent_free(bev);
        return NULL;
    }
    c->g = g;
    c->bev = bev;
    c->fd = -1;
    c->refuse = refuse;
    bufferevent_incref(bev);
    event_base_gettimeofday_cached(base, &c->since);
    conn_link(&g->fresh, c);
    event_active(g->adopt, EV_TIMEOUT, 0);
    return bev;
}

static int by_fd_room(struct rest_guard *g, int fd)
{
    if ((size_t)fd < g->n_by_fd)
        return 0;
    size_t n = g->n_by_fd > 0 ? g->n_by_fd : 64;
    while (n <= (size_t)fd)
        n *= 2;
    struct guard_conn **p = realloc(g->by_fd, n * sizeof *p);
    if (p == NULL)
        return -1;
    memset(p + g->n_by_fd, 0, (n - g->n_by_fd) * sizeof *p);
    g->by_fd = p;
    g->n_by_fd = n;
    return 0;
}

/* evhttp gives each connection's bufferevent the connection as callback
 * argument; that is how we find it (checked both ways). A bufferevent
 * without callbacks was freed by evhttp already (it failed to set the
 * connection up): our reference kept it, now it goes. */
static void adopt(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    struct rest_guard *g = arg;
    while (g->fresh != NULL) {
        struct guard_conn *c = g->fresh;
        bufferevent_event_cb eventcb = NULL;
        void *evcon = NULL;
        bufferevent_getcb(c->bev, NULL, NULL, &eventcb, &evcon);
        c->fd = bufferevent_getfd(c->bev);
        if (eventcb == NULL || evcon == NULL || c->fd < 0 ||
            evhttp_connection_get_bufferevent(evcon) != c->bev ||
            by_fd_room(g, c->fd) != 0 ||
            (c->deadline = evtimer_new(g->base, conn_deadline, c)) == NULL ||
            event_add(c->deadline, &g->limit) != 0) {
            const bool drop = c->refuse && eventcb != NULL && evcon != NULL &&
                              evhttp_connection_get_bufferevent(evcon) == c->bev;
            conn_release(c);   /* a live one keeps evhttp's own timeout */
            if (drop)
                evhttp_connection_free(evcon);
            continue;
        }
        conn_unlink(&g->fresh, c);
        c->evcon = evcon;
        conn_link(&g->live, c);
        g->by_fd[c->fd] = c;
        evhttp_connection_set_closecb(c->evcon, conn_closed, c);
        if (c->refuse)
            evhttp_connection_free(c->evcon);   /* conn_closed releases c */
    }
}

void rest_guard_request(struct rest_guard *g, int fd)
{
    if (fd >= 0 && (size_t)fd < g->n_by_fd && g->by_fd[fd] != NULL)
        event_base_gettimeofday_cached(g->base, &g->by_fd[fd]->since);
}

static void accept_resume(evutil_socket_t fd, short what, void *lev)
{
    (void)fd;
    (void)what;
    evconnlistener_enable(lev);
}

/* accept failed for a reason other than a retriable one (EMFILE, ENFILE,
 * ENOBUFS, ENOMEM...). Without this callback libevent prints a warning and
 * the level-triggered listener calls again at once: a spin that fills the
 * disk with warnings. So stop listening a moment; the queued connections
 * wait in the backlog. (The argument is evhttp's, not ours; the timer
 * needs only the listener, and event_base_free frees it if still pending
 * at stop.) If even the timer cannot be had, keep listening: a spin, but
 * a silent one.
 *
 * libevent's own logging is left alone: event_set_log_callback is one
 * setting for the whole process, which the runner or any other plugin
 * using libevent may have set or rely on. Rather than silence it, the
 * server avoids the paths that log: this one; the others are evhttp's
 * out-of-memory paths. */
static void accept_failed(struct evconnlistener *lev, void *http)
{
    (void)http;
    const struct timeval pause = { 0, GUARD_ACCEPT_PAUSE_MS * 1000 };
    if (event_base_once(evconnlistener_get_base(lev), -1, EV_TIMEOUT, accept_resume,
                        lev, &pause) == 0)
        evconnlistener_disable(lev);
}

struct rest_guard *rest_guard_new(struct event_base *base, unsigned limit_ms,
                                  size_t request_max)
{
    struct rest_guard *g = calloc(1, sizeof *g);
    if (g == NULL)
        return NULL;
    g->base = base;
    g->input_max = request_max > GUARD_INPUT_MIN ? request_max : GUARD_INPUT_MIN;
    g->limit.tv_sec = limit_ms / 1000;
    g->limit.tv_usec = (limit_ms % 1000) * 1000;
    g->adopt = event_new(base, -1, 0, adopt, g);
    if (g->adopt == NULL) {
        free(g);
        return NULL;
    }
    return g;
}

void rest_guard_attach(struct rest_guard *g, struct evhttp *http,
                       struct evhttp_bound_socket *bound, rest_guard_maker maker,
                       rest_guard_closer closer, void *maker_arg)
{
    g->maker = maker;
    g->closer = closer;
    g->maker_arg = maker_arg;
    evhttp_set_bevcb(http, new_bufferevent, g);
    evconnlistener_set_error_cb(evhttp_bound_socket_get_listener(bound), accept_failed);
}

void rest_guard_stopping(struct rest_guard *g)
{
    if (g != NULL)
        g->stopping = true;
}

void rest_guard_free(struct rest_guard *g)
{
    if (g == NULL)
        return;
    while (g->fresh != NULL)
        conn_release(g->fresh);
    while (g->live != NULL)   /* none: evhttp_free closed them all */
        conn_release(g->live);
    event_free(g->adopt);
    free(g->by_fd);
    free(g);
}
