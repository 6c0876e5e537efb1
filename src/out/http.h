/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The HTTP server of evtrace serve, around libmicrohttpd: / says what is
 * served, /metrics the last exposition published, anything else 404, any
 * method but GET and HEAD 405.  It runs on a thread of its own and only
 * copies what the pipeline's thread published, under a lock held for that
 * copy: a scrape never waits for the model, and the model never waits for
 * a scrape.
 *
 * Bounded: connections (HTTP_MAX_CONNS), the memory of one (a request
 * larger than HTTP_MAX_REQUEST is refused), and time: idle for
 * HTTP_TIMEOUT_S, or HTTP_TIMEOUT_S without sending a whole request (a
 * client that trickles a byte a second), and the connection is closed.
 *
 * Built without libmicrohttpd (the static binary: Debian has no static
 * p11-kit or libunistring for its gnutls), http_available() is false and
 * http_start() fails saying so.
 */
#ifndef EVTRACE_OUT_HTTP_H
#define EVTRACE_OUT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_DEFAULT_LISTEN	"127.0.0.1:9435"
#define HTTP_MAX_CONNS		64
#define HTTP_MAX_REQUEST	(16 << 10)
#define HTTP_TIMEOUT_S		10

struct http_server;

bool http_available(void);
/*
 * "ADDR:PORT" ("[ADDR]:PORT" for IPv6, ":PORT" every address) bound and
 * listening: the socket, and what it is bound to ("127.0.0.1:9435", the
 * port the kernel chose for 0) in bound; or -1 after saying why (exit
 * status 2 things: a bad address, a port in use).
 */
int http_listen(const char *spec, char *bound, size_t bound_len);
/* Serving on fd (taken over) from a thread of its own; NULL after saying why. */
struct http_server *http_start(int fd);
/*
 * The exposition in the text format and in OpenMetrics (malloc'd; taken
 * over and freed here): what /metrics serves from now on.
 */
void http_publish(struct http_server *h, char *text, size_t text_len, char *om, size_t om_len);
/* Close connections that took too long to send a request; call every second or so. */
void http_reap(struct http_server *h);
/* Stops the thread, closes every connection and the socket. */
void http_stop(struct http_server *h);

#endif
