/*
 * response.c — see response.h. Reads only inside buf[0..len); every
 * failure is a static sentence, so the caller can quote it.
 */
#include "response.h"

#include <string.h>
#include <strings.h>

static bool is_token_char(char c)
{
    return c > 0x20 && c < 0x7f && strchr("()<>@,;:\\\"/[]?={}", c) == NULL;
}

/* Does the comma-separated header value v[0..n) list `token`? */
static bool lists_token(const char *v, size_t n, const char *token)
{
    size_t tlen = strlen(token);
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t start = i;
        while (i < n && v[i] != ',')
            i++;
        size_t end = i;
        while (end > start && (v[end - 1] == ' ' || v[end - 1] == '\t'))
            end--;
        if (end - start == tlen && strncasecmp(v + start, token, tlen) == 0)
            return true;
    }
    return false;
}

/* The CR of the CRLF that ends the line starting at `line`, searched up to
 * `stop` (just past the CRLF that ends the header block, so one is always
 * found); NULL when the first LF has no CR before it. memchr, not memmem:
 * this runs for every line of every answer. */
static const char *line_end(const char *line, const char *stop)
{
    const char *lf = memchr(line, '\n', (size_t)(stop - line));
    return lf > line && lf[-1] == '\r' ? lf - 1 : NULL;
}

static int fail(struct http_response *out, const char *why)
{
    out->why = why;
    return -1;
}

static int parse_status_line(const char *p, size_t n, struct http_response *out,
                             bool *http10)
{
    if (n < 12 || memcmp(p, "HTTP/1.", 7) != 0 || (p[7] != '0' && p[7] != '1') || p[8] != ' ')
        return fail(out, "the status line does not start with HTTP/1.0 or HTTP/1.1");
    *http10 = p[7] == '0';
    int status = 0;
    for (int i = 9; i < 12; i++) {
        if (p[i] < '0' || p[i] > '9')
            return fail(out, "the status code is not three digits");
        status = status * 10 + (p[i] - '0');
    }
    if (n > 12 && p[12] != ' ')
        return fail(out, "the status code is not followed by a space");
    if (status < 200 || status > 599)
        return fail(out, "unexpected status class (want 2xx..5xx)");
    out->status = status;
    return 0;
}

static int parse_content_length(const char *v, size_t n, size_t *out_len,
                                struct http_response *out)
{
    if (n == 0 || n > 9)
        return fail(out, "Content-Length is empty or too long");
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (v[i] < '0' || v[i] > '9')
            return fail(out, "Content-Length is not a decimal number");
        len = len * 10 + (size_t)(v[i] - '0');
    }
    if (len > RESPONSE_MAX_BODY)
        return fail(out, "Content-Length is larger than any answer we expect");
    *out_len = len;
    return 0;
}

int http_response_parse(const char *buf, size_t len, struct http_response *out)
{
    out->total = 0;
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (end == NULL)
        return 0;
    size_t head = (size_t)(end - buf) + 4;
    const char *line = buf;
    const char *eol = line_end(line, end + 2);
    if (eol == NULL)
        return fail(out, "a line of the header ends in a bare LF");
    bool http10 = false;
    if (parse_status_line(line, (size_t)(eol - line), out, &http10) != 0)
        return -1;

    bool have_length = false, said_close = false, said_keep = false;
    size_t body = 0;
    for (line = eol + 2; line < end + 2; line = eol + 2) {
        eol = line_end(line, end + 2);
        if (eol == NULL)
            return fail(out, "a line of the header ends in a bare LF");
        size_t n = (size_t)(eol - line);
        const char *colon = memchr(line, ':', n);
        if (colon == NULL || colon == line)
            return fail(out, "a header line has no name");
        for (const char *c = line; c < colon; c++)
            if (!is_token_char(*c))
                return fail(out, "a header name has a character HTTP does not allow");
        size_t name_len = (size_t)(colon - line);
        const char *v = colon + 1;
        size_t vn = n - name_len - 1;
        while (vn > 0 && (*v == ' ' || *v == '\t')) {
            v++;
            vn--;
        }
        while (vn > 0 && (v[vn - 1] == ' ' || v[vn - 1] == '\t'))
            vn--;
        if (name_len == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
            size_t l;
            if (parse_content_length(v, vn, &l, out) != 0)
                return -1;
            if (have_length && l != body)
                return fail(out, "two different Content-Length headers");
            have_length = true;
            body = l;
        } else if (name_len == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0) {
            return fail(out, "Transfer-Encoding is not supported (want Content-Length)");
        } else if (name_len == 10 && strncasecmp(line, "Connection", 10) == 0) {
            said_close = said_close || lists_token(v, vn, "close");
            said_keep = said_keep || lists_token(v, vn, "keep-alive");
        }
    }
    if (!have_length)
        return fail(out, "the response has no Content-Length");
    if (len - head < body) {
        out->total = head + body;
        return 0;
    }
    out->body_offset = head;
    out->body_length = body;
    out->total = head + body;
    /* HTTP/1.1 keeps the connection unless told; HTTP/1.0 closes it unless
     * told to keep it. */
    out->close = said_close || (http10 && !said_keep);
    out->why = NULL;
    return 1;
}
