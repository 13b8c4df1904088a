/*
 * server.c — the rest server: libevent's evhttp on its own thread and its
 * own event_base, answering GET /increment/{value} with {"value": value+1}
 * and POST /increment {"value": v} alike. A GET asks for payload bytes by
 * `?payload=N` and gets the first N of the server's own (made once, at
 * start, as the client makes its); a POST's payload is echoed. The
 * server's `payload` key is the most either may carry (413 above it).
 *
 * Why it is built this way:
 *  - We create the listening socket ourselves (net_listen) and hand it to
 *    evhttp, so "port 0" works and the real bound address can be reported.
 *  - The base is created with EVENT_BASE_FLAG_NOLOCK and we never call
 *    evthread_use_pthreads(): that call is process-global (it would change
 *    every base any other plugin in the runner creates) and we do not need
 *    it, because after server_start only the server thread touches the
 *    base. server_stop wakes the loop by writing to an eventfd (a plain
 *    system call, not a libevent call); the loop's own callback breaks it.
 *    pthread_create / pthread_join order the setup and the teardown that
 *    the calling thread does before and after.
 *  - TCP_NODELAY is set on the listening socket: Linux copies it to every
 *    accepted socket, and evhttp 2.1 has no hook between accept and the
 *    first read where we could set it per connection (tests check the
 *    inheritance).
 *  - The per-request path is trimmed to what evhttp allows (each step
 *    measured, see bench/rest_vs_tcp.ini): EVENT_BASE_FLAG_EPOLL_USE_
 *    CHANGELIST folds the enable/disable pairs evhttp makes within one loop
 *    pass into at most one epoll_ctl; send_now() writes the reply in the
 *    pass that read the request instead of the next one; the Date header
 *    is made once a second. What is left per keep-alive request: epoll_wait,
 *    ioctl(FIONREAD) + readv (evbuffer_read always asks), writev, and one
 *    epoll_ctl (evhttp disables EV_READ after a request and enables it
 *    again, which the changelist turns into a MOD, not into nothing).
 *
 * With tls = true each connection's bufferevent is a bufferevent_openssl
 * made by tls_server.c through the guard's hook, and the reply is left to
 * it (send_now's shortcut writes to the socket itself).
 *
 * It must never print, exit or abort; a bad request gets an error status
 * (or a closed connection), never a crash, and never stops other clients.
 * What a hostile peer could do to evhttp alone (make it buffer without
 * limit, keep a connection with a request that never ends, make it spin
 * at EMFILE) is stopped by guard.c.
 */
#include "rest.h"

#include "body.h"
#include "rest_tls.h"
#include "guard.h"
#include "net.h"
#include "payload.h"
#include "route.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* A request line or header block larger than this is refused: nothing we
 * serve needs more, and it bounds what one peer can make us buffer. */
#define REST_MAX_HEADERS 8192
/* A POST body's room besides its payload: the value, the names, the
 * whitespace a client may put. The body limit is payload + this. */
#define REST_BODY_ROOM 4096

struct rest_server {
    struct event_base *base;
    struct evhttp *http;
    struct event *wake;          /* reads stop_fd, breaks the loop */
    int stop_fd;                 /* eventfd written by server_stop */
    struct evbuffer *body;       /* reply body, reused (evhttp drains it) */
    struct rest_guard *guard;    /* input bound, request deadline, accept pause */
    struct payload payload;      /* payload = the limit; GET answers its first N bytes */
    time_t date_sec;             /* the second `date` was made for */
    char date[32];               /* "Wed, 25 Nov 2026 14:40:04 GMT" */
    SSL_CTX *tls;                /* tls = true: every connection's context */
    pthread_t thread;
    bool running;
};

/* The Date header of this second. evhttp would add one itself (RFC 9110
 * wants it from a server with a clock) by formatting the time with
 * snprintf on every reply; that was a tenth of the server's instructions
 * per request, for a text that changes once a second. Fixed English names,
 * as HTTP wants, whatever the process locale. */
static const char *date_now(struct rest_server *s)
{
    static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
    static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    time_t t = time(NULL);
    if (t == s->date_sec && s->date[0] != '\0')
        return s->date;
    struct tm tm;
    if (gmtime_r(&t, &tm) == NULL)
        return NULL;
    snprintf(s->date, sizeof s->date, "%s, %02d %s %04d %02d:%02d:%02d GMT",
             days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec);
    s->date_sec = t;
    return s->date;
}

/* evhttp_send_reply, then write the reply at once instead of on the next
 * pass of the loop. evhttp only queues the reply in the connection's
 * bufferevent and enables its write event; a socket bufferevent writes
 * when epoll next reports the socket writable, which costs an extra
 * epoll_wait plus an epoll_ctl to add EPOLLOUT and one to drop it, on
 * every request. Here the queued bytes go out now with the same writev the
 * bufferevent would make; when they all went, bufferevent_trigger runs the
 * connection's write callback, so evhttp finishes the request exactly as it
 * would have (frees it, starts reading the next one, or closes the
 * connection), and the pending EPOLLOUT is withdrawn before it reaches
 * the kernel (changelist). When the socket takes only part of it (or
 * fails), nothing changes: the write event evhttp enabled sends the rest
 * or reports the error. A socket bufferevent keeps the front of its output
 * buffer frozen so that only it drains it; the unfreeze is for this one
 * write. req, its connection and bev may be freed by the trigger: nothing
 * touches them after it. */
static void send_now(struct rest_server *s, struct evhttp_request *req, int code,
                     const char *reason, struct evbuffer *body)
{
    const char *date = date_now(s);
    if (date != NULL)
        evhttp_add_header(evhttp_request_get_output_headers(req), "Date", date);
    struct evhttp_connection *evcon = evhttp_request_get_connection(req);
    struct bufferevent *bev = evcon != NULL ? evhttp_connection_get_bufferevent(evcon) : NULL;
    int fd = bev != NULL ? bufferevent_getfd(bev) : -1;
    /* Every request is answered here: the connection's next one may take
     * server_timeout_ms from now. */
    rest_guard_request(s->guard, fd);
    evhttp_send_reply(req, code, reason, body);
    /* Over TLS the bytes must go through SSL, and bufferevent_openssl
     * writes what evhttp queued at once anyway (its output callback). */
    if (bev == NULL || s->tls != NULL)
        return;
    struct evbuffer *out = bufferevent_get_output(bev);
    evbuffer_unfreeze(out, 1);
    int n = evbuffer_write(out, fd);
    evbuffer_freeze(out, 1);
    if (n > 0 && evbuffer_get_length(out) == 0)
        bufferevent_trigger(bev, EV_WRITE, 0);
}

static void reply(struct rest_server *s, struct evhttp_request *req, int code,
                  const char *reason, const char *text, int len)
{
    evbuffer_add(s->body, text, (size_t)len);
    send_now(s, req, code, reason, s->body);
    /* evhttp moves the buffer's bytes out; drain in case it did not. */
    evbuffer_drain(s->body, evbuffer_get_length(s->body));
}

/* {"error": msg}, msg made safe inside a JSON string whatever it holds
 * (a quote, a backslash or a control byte becomes '?'). */
static void reply_error(struct rest_server *s, struct evhttp_request *req,
                        int code, const char *reason, const char *msg)
{
    char text[256];
    int len = snprintf(text, sizeof text, "{\"error\": \"%s\"}", msg);
    if (len < 0 || (size_t)len >= sizeof text)
        len = snprintf(text, sizeof text, "{\"error\": \"%s\"}", reason);
    for (int i = 11; i < len - 2; i++)
        if ((unsigned char)text[i] < 0x20 || text[i] == '"' || text[i] == '\\')
            text[i] = '?';
    reply(s, req, code, reason, text, len);
}

/* Over the server's `payload`: 413, naming the limit and the key. */
static void refuse_size(struct rest_server *s, struct evhttp_request *req, uint64_t asked)
{
    char msg[160];
    snprintf(msg, sizeof msg, "a payload of %" PRIu64 " bytes is over this server's limit "
             "of %zu (its payload key raises it)", asked, s->payload.len);
    reply_error(s, req, HTTP_ENTITYTOOLARGE, "Payload Too Large", msg);
}

/* {"value": next} or {"value": next, "payload": "<bytes>"}. The bytes are
 * copied into the reply as an encoder would: evbuffer_add allocates the
 * chain that holds them (libevent's evhttp allocates per request anyway:
 * the request, its header lists). They need no escape (body.c or the
 * server's own payload_fill made sure). */
static void answer(struct rest_server *s, struct evhttp_request *req, int64_t next,
                   bool with_payload, const void *bytes, size_t len)
{
    char digits[24];
    size_t dn;
    const char *d = rest_int64_text(next, digits, &dn);
    evbuffer_add(s->body, "{\"value\": ", 10);
    evbuffer_add(s->body, d, dn);
    if (with_payload) {
        evbuffer_add(s->body, ", \"payload\": \"", 14);
        evbuffer_add(s->body, bytes, len);
        evbuffer_add(s->body, "\"", 1);
    }
    evbuffer_add(s->body, "}", 1);
    send_now(s, req, HTTP_OK, "OK", s->body);
    evbuffer_drain(s->body, evbuffer_get_length(s->body));
}

static void handle_get(struct rest_server *s, struct evhttp_request *req,
                       const struct evhttp_uri *uri, int64_t v)
{
    char msg[160];
    uint64_t n = 0;
    int asked = rest_route_payload(evhttp_uri_get_query(uri), &n, msg, sizeof msg);
    if (asked < 0) {
        reply_error(s, req, HTTP_BADREQUEST, "Bad Request", msg);
        return;
    }
    if (n > s->payload.len) {
        refuse_size(s, req, n);
        return;
    }
    answer(s, req, v + 1, asked > 0, s->payload.bytes, (size_t)n);
}

/* The body is made contiguous for body.c: evbuffer_pullup copies it into
 * one chain when it came in several (a body over libevent's 16 KiB read
 * size does), an allocation libevent makes. */
static void handle_post(struct rest_server *s, struct evhttp_request *req,
                        const struct evhttp_uri *uri)
{
    char msg[160];
    if (evhttp_uri_get_query(uri) != NULL && evhttp_uri_get_query(uri)[0] != '\0') {
        reply_error(s, req, HTTP_BADREQUEST, "Bad Request",
                    "POST " REST_POST_PATH " takes no query: the payload goes in the body");
        return;
    }
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    const char *text = len > 0 ? (const char *)evbuffer_pullup(in, -1) : "";
    if (text == NULL) {
        reply_error(s, req, HTTP_INTERNAL, "Internal Server Error", "out of memory");
        return;
    }
    struct rest_body b;
    if (rest_body_parse(text, len, &b) != 0) {
        snprintf(msg, sizeof msg, "the body is not what POST %s takes: %s", REST_POST_PATH,
                 b.why);
        reply_error(s, req, HTTP_BADREQUEST, "Bad Request", msg);
        return;
    }
    if (!b.has_value || b.value == INT64_MAX) {
        snprintf(msg, sizeof msg, b.has_value ? "%" PRId64 " + 1 would overflow int64"
                 : "the body has no 'value'", b.value);
        reply_error(s, req, HTTP_BADREQUEST, "Bad Request", msg);
        return;
    }
    if (b.payload_len > s->payload.len) {
        refuse_size(s, req, b.payload_len);
        return;
    }
    answer(s, req, b.value + 1, b.has_payload, b.payload, b.payload_len);
}

static void handle(struct evhttp_request *req, void *arg)
{
    struct rest_server *s = arg;
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri != NULL ? evhttp_uri_get_path(uri) : NULL;
    char msg[160];

    if (path == NULL) {
        /* evhttp 2.1.12 answers what it cannot parse itself (garbage:
         * 400, a request line or headers over the limit: 400/413, as
         * HTML, then closes) and does not call us. Should a version hand
         * us such a request, answer its status and drop the connection:
         * its byte stream cannot be trusted. */
        int code = evhttp_request_get_response_code(req);
        if (code < 400 || code > 599)
            code = HTTP_BADREQUEST;
        evhttp_add_header(evhttp_request_get_output_headers(req), "Connection", "close");
        reply_error(s, req, code, code == HTTP_BADREQUEST ? "Bad Request" : "Request Refused",
                    "malformed HTTP request");
        return;
    }
    int64_t v;
    enum rest_route route = rest_route(path, &v, msg, sizeof msg);
    if (route == ROUTE_NOT_FOUND) {
        reply_error(s, req, HTTP_NOTFOUND, "Not Found", msg);
        return;
    }
    /* /increment/{v} is read by GET, /increment by POST. */
    const bool post = route == ROUTE_BODY;
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
    if (cmd != (post ? EVHTTP_REQ_POST : EVHTTP_REQ_GET)) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", post ? "POST" : "GET");
        /* A HEAD answer has no body; evhttp 2.1 would send one anyway
         * (without a Content-Length), corrupting the connection. */
        if (cmd == EVHTTP_REQ_HEAD)
            send_now(s, req, HTTP_BADMETHOD, "Method Not Allowed", NULL);
        else
            reply_error(s, req, HTTP_BADMETHOD, "Method Not Allowed",
                        post ? "only POST is allowed on " REST_POST_PATH
                             : "only GET is allowed on " REST_PREFIX);
        return;
    }
    if (route == ROUTE_BAD_VALUE)
        reply_error(s, req, HTTP_BADREQUEST, "Bad Request", msg);
    else if (post)
        handle_post(s, req, uri);
    else
        handle_get(s, req, uri, v);
}

static void wake(evutil_socket_t fd, short what, void *arg)
{
    (void)what;
    uint64_t n;
    ssize_t r = read(fd, &n, sizeof n);
    (void)r;
    event_base_loopbreak(arg);
}

static void *serve(void *arg)
{
    struct rest_server *s = arg;
    event_base_dispatch(s->base);
    return NULL;
}

void rest_server_stop(void *server)
{
    struct rest_server *s = server;
    if (s == NULL)
        return;
    if (s->running) {
        uint64_t one = 1;
        ssize_t w = write(s->stop_fd, &one, sizeof one);
        (void)w; /* an eventfd counter cannot be full after one write */
        pthread_join(s->thread, NULL);
    }
    /* Closes the listening socket and every client connection (here, on
     * the caller's thread, where SIGPIPE may not be blocked). */
    rest_guard_stopping(s->guard);
    if (s->http != NULL)
        evhttp_free(s->http);
    rest_guard_free(s->guard);
    SSL_CTX_free(s->tls);       /* after the connections' SSLs went */
    if (s->wake != NULL)
        event_free(s->wake);
    if (s->body != NULL)
        evbuffer_free(s->body);
    if (s->base != NULL)
        event_base_free(s->base);
    if (s->stop_fd >= 0)
        close(s->stop_fd);
    payload_free(&s->payload);
    free(s);
}

static struct event_base *new_base(void)
{
    struct event_config *cfg = event_config_new();
    if (cfg == NULL)
        return NULL;
    event_config_set_flag(cfg, EVENT_BASE_FLAG_NOLOCK | EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    struct event_base *base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

int rest_server_start(void **server, const struct incbench_params *params,
                      char *bound, size_t boundlen, char *err, size_t errlen)
{
    *server = NULL;
    struct rest_options o;
    if (rest_options(params, &o, err, errlen) != 0)
        return -1;
    struct rest_server *s = calloc(1, sizeof *s);
    if (s == NULL) {
        snprintf(err, errlen, "rest: out of memory");
        return -1;
    }
    s->stop_fd = -1;
    if (payload_read(params, "rest", &s->payload, err, errlen) != 0)
        goto fail;
    char why[200];
    int fd = net_listen(params->address, 128, why, sizeof why);
    if (fd < 0) {
        snprintf(err, errlen, "rest: %s", why);
        goto fail;
    }
    net_nodelay(fd);
    if (net_local_name(fd, bound, boundlen, why, sizeof why) != 0) {
        snprintf(err, errlen, "rest: %s", why);
        close(fd);
        goto fail;
    }
    if (o.tls.on) {
        s->tls = rest_tls_server_ctx(&o.tls, params->address, bound, boundlen, err, errlen);
        if (s->tls == NULL) {
            close(fd);
            goto fail;
        }
    }
    s->base = new_base();
    s->http = s->base != NULL ? evhttp_new(s->base) : NULL;
    s->body = evbuffer_new();
    const size_t body_max = s->payload.len + REST_BODY_ROOM;
    s->guard = s->base != NULL ? rest_guard_new(s->base, o.server_timeout_ms,
                                                REST_MAX_HEADERS + body_max) : NULL;
    if (s->http == NULL || s->body == NULL || s->guard == NULL) {
        snprintf(err, errlen, "rest: cannot create the libevent HTTP server for %s", bound);
        close(fd);
        goto fail;
    }
    /* From here on evhttp owns fd and closes it in evhttp_free. */
    struct evhttp_bound_socket *listener = evhttp_accept_socket_with_handle(s->http, fd);
    if (listener == NULL) {
        snprintf(err, errlen, "rest: evhttp cannot accept on %s", bound);
        close(fd);
        goto fail;
    }
    if (s->tls != NULL)
        rest_guard_attach(s->guard, s->http, listener, rest_tls_bufferevent,
                          rest_tls_goodbye, s->tls);
    else
        rest_guard_attach(s->guard, s->http, listener, NULL, NULL, NULL);
    evhttp_set_max_headers_size(s->http, REST_MAX_HEADERS);
    /* Over the body limit evhttp answers 413 itself; lingering close has
     * it read (and drop) the rest of the body first, so that a client
     * still sending gets the 413 rather than a reset. */
    evhttp_set_max_body_size(s->http, (ev_ssize_t)body_max);
    evhttp_set_flags(s->http, EVHTTP_SERVER_LINGERING_CLOSE);
    /* evhttp's timeout is an inactivity timer that every byte restarts;
     * the deadline for a request is the guard's. This one stays for a
     * connection the guard could not take on (out of memory). */
    struct timeval tv = { .tv_sec = o.server_timeout_ms / 1000,
                          .tv_usec = (o.server_timeout_ms % 1000) * 1000 };
    evhttp_set_timeout_tv(s->http, &tv);
    evhttp_set_default_content_type(s->http, "application/json");
    /* Let every method reach handle(), which answers 405 with Allow
     * (evhttp itself would answer 501 for a method outside this mask). */
    evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST |
        EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
        EVHTTP_REQ_TRACE | EVHTTP_REQ_CONNECT | EVHTTP_REQ_PATCH);
    evhttp_set_gencb(s->http, handle, s);

    s->stop_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->stop_fd < 0) {
        snprintf(err, errlen, "rest: eventfd for the server on %s: %s", bound, strerror(errno));
        goto fail;
    }
    s->wake = event_new(s->base, s->stop_fd, EV_READ | EV_PERSIST, wake, s->base);
    if (s->wake == NULL || event_add(s->wake, NULL) != 0) {
        snprintf(err, errlen, "rest: cannot watch the stop eventfd of %s", bound);
        goto fail;
    }
    /* The thread starts with SIGPIPE blocked (it inherits this mask):
     * libevent writes with writev, which raises SIGPIPE once a peer has
     * reset, and a host that does not ignore it (the runner does; a test
     * does not) would die of a peer that left. Blocked, the write fails
     * with EPIPE and evhttp drops the connection; nothing process-wide
     * changes, and the signal left pending dies with the thread. */
    sigset_t pipe_only, before;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &before);
    int rc = pthread_create(&s->thread, NULL, serve, s);
    pthread_sigmask(SIG_SETMASK, &before, NULL);
    if (rc != 0) {
        snprintf(err, errlen, "rest: cannot start the server thread for %s: %s",
                 bound, strerror(rc));
        goto fail;
    }
    s->running = true;
    /* The socket listens already: connections queue until the loop runs. */
    *server = s;
    return 0;
fail:
    rest_server_stop(s);
    return -1;
}
