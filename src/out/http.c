// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * evtrace serve's HTTP server (out/http.h), around libmicrohttpd's own
 * polling thread.  Debian's libmicrohttpd-dev; the build defines
 * EVTRACE_HTTP when it links it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/common.h"
#include "out/http.h"
#include "out/metrics.h"

/* "[::1]:9435", "127.0.0.1:9435", ":9435": host (maybe "") and port, or -1. */
static int split_spec(const char *spec, char *host, size_t hlen, char *port, size_t plen)
{
	const char *colon;
	size_t n;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':')
			return -1;
		n = close - spec - 1;
		colon = close + 1;
		spec++;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || memchr(spec, ':', colon - spec))
			return -1;	/* IPv6 without brackets */
		n = colon - spec;
	}
	if (n >= hlen || strlen(colon + 1) >= plen || !colon[1] ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) || atol(colon + 1) > 65535)
		return -1;
	memcpy(host, spec, n);
	host[n] = '\0';
	strcpy(port, colon + 1);
	return 0;
}

static void addr_text(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	const struct sockaddr_in *in = (const void *)ss;
	const struct sockaddr_in6 *in6 = (const void *)ss;
	char h[INET6_ADDRSTRLEN] = "?";

	if (ss->ss_family == AF_INET6) {
		inet_ntop(AF_INET6, &in6->sin6_addr, h, sizeof(h));
		snprintf(buf, len, "[%s]:%u", h, ntohs(in6->sin6_port));
	} else {
		inet_ntop(AF_INET, &in->sin_addr, h, sizeof(h));
		snprintf(buf, len, "%s:%u", h, ntohs(in->sin_port));
	}
}

int http_listen(const char *spec, char *bound, size_t bound_len)
{
	struct sockaddr_storage ss = {};
	struct sockaddr_in *in = (void *)&ss;
	struct sockaddr_in6 *in6 = (void *)&ss;
	socklen_t sl = sizeof(ss);
	char host[64], port[8];
	int fd, one = 1, err;

	/* numeric only: a name would mean a DNS lookup, and binding what it says */
	if (split_spec(spec, host, sizeof(host), port, sizeof(port)))
		goto bad;
	if (!host[0] || !strcmp(host, "localhost") ||
	    inet_pton(AF_INET, host, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons(atoi(port));
		if (!host[0])
			in->sin_addr.s_addr = htonl(INADDR_ANY);
		else if (!strcmp(host, "localhost"))
			in->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sl = sizeof(*in);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(atoi(port));
		sl = sizeof(*in6);
	} else {
		goto bad;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		p_err("cannot listen on %s: socket: %s", spec, strerror(errno));
		return -1;
	}
	/* a restart must not wait out the old connections' TIME_WAIT */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, sl) || listen(fd, HTTP_MAX_CONNS)) {
		err = errno;
		p_err("cannot listen on %s: %s%s", spec, strerror(err),
		      err == EADDRINUSE ? " (another evtrace serve? pick another --listen ADDR:PORT)" :
		      err == EADDRNOTAVAIL ? " (not an address of this machine)" :
		      err == EACCES ? " (a port below 1024 needs CAP_NET_BIND_SERVICE)" : "");
		close(fd);
		return -1;
	}
	sl = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sl))
		snprintf(bound, bound_len, "%s", spec);
	else
		addr_text(&ss, bound, bound_len);
	return fd;
bad:
	p_err("invalid --listen '%s': expected ADDR:PORT with a numeric address, such as "
	      "127.0.0.1:9435, [::1]:9435 or :9435 (every address)", spec);
	return -1;
}

#ifdef EVTRACE_HTTP

#include <microhttpd.h>
#include <pthread.h>

struct conn {
	int fd;			/* -1: a free slot */
	uint64_t since;		/* mono_ns: accepted, or its last response sent */
	bool in_request;	/* a whole request arrived: the clock stops */
};

struct http_server {
	struct MHD_Daemon *d;
	pthread_mutex_t lock;	/* the buffers and conns */
	char *text, *om;
	size_t text_len, om_len;
	struct conn conns[HTTP_MAX_CONNS];
};

static const char index_page[] =
	"<!DOCTYPE html>\n<html><head><title>evtrace</title></head><body>\n"
	"<h1>evtrace " EVTRACE_VERSION "</h1>\n"
	"<p>Inode numbers, inode and dentry lifetimes and eventfs_inode refcounts, as "
	"Prometheus metrics: <a href=\"/metrics\">/metrics</a> (the text format, or OpenMetrics "
	"when the Accept header asks for it).</p>\n</body></html>\n";

bool http_available(void)
{
	return true;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int status, const char *type,
			     const void *body, size_t len, bool allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body,
								 MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **req)
{
	struct http_server *h = cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	static const char not_found[] = "not found: evtrace serves / and /metrics\n";
	static const char not_allowed[] = "only GET and HEAD\n";
	enum MHD_Result ret;

	/* the request is whole: the time limit on sending one no longer runs */
	if (ci && ci->socket_context) {
		pthread_mutex_lock(&h->lock);
		((struct conn *)ci->socket_context)->in_request = true;
		pthread_mutex_unlock(&h->lock);
	}
	/* answered on the first call, before any body: a body is never read */
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
			     not_allowed, sizeof(not_allowed) - 1, true);
	if (!strcmp(url, "/"))
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", index_page,
			     sizeof(index_page) - 1, false);
	if (strcmp(url, "/metrics"))
		return reply(c, MHD_HTTP_NOT_FOUND, "text/plain; charset=utf-8", not_found,
			     sizeof(not_found) - 1, false);
	{
		const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
								 MHD_HTTP_HEADER_ACCEPT);
		enum metrics_format fmt = metrics_negotiate(accept);
		bool om = fmt == MF_OPENMETRICS;

		/* the copy is the only work under the lock */
		pthread_mutex_lock(&h->lock);
		ret = reply(c, MHD_HTTP_OK, metrics_content_type(fmt),
			    om ? h->om : h->text, om ? h->om_len : h->text_len, false);
		pthread_mutex_unlock(&h->lock);
	}
	return ret;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct http_server *h = cls;
	const union MHD_ConnectionInfo *ci;
	struct conn *slot = *socket_context;

	pthread_mutex_lock(&h->lock);
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		for (int i = 0; i < HTTP_MAX_CONNS && ci; i++) {
			if (h->conns[i].fd >= 0)
				continue;
			h->conns[i] = (struct conn){ .fd = ci->connect_fd, .since = mono_ns() };
			*socket_context = &h->conns[i];
			break;
		}
	} else if (slot) {
		/* before libmicrohttpd closes the fd: http_reap() never touches a reused one */
		slot->fd = -1;
		*socket_context = NULL;
	}
	pthread_mutex_unlock(&h->lock);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req,
			 enum MHD_RequestTerminationCode code)
{
	struct http_server *h = cls;
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	if (!ci || !ci->socket_context)
		return;
	pthread_mutex_lock(&h->lock);
	((struct conn *)ci->socket_context)->since = mono_ns();
	((struct conn *)ci->socket_context)->in_request = false;
	pthread_mutex_unlock(&h->lock);
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
	char buf[256];

	if (verbose < 2)
		return;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	p_info("http: %s", buf);
}

struct http_server *http_start(int fd)
{
	struct http_server *h = calloc(1, sizeof(*h));

	if (!h) {
		p_err("out of memory");
		close(fd);
		return NULL;
	}
	pthread_mutex_init(&h->lock, NULL);
	for (int i = 0; i < HTTP_MAX_CONNS; i++)
		h->conns[i].fd = -1;
	h->d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG, 0, NULL, NULL,
				handle, h,
				MHD_OPTION_LISTEN_SOCKET, fd,
				MHD_OPTION_CONNECTION_LIMIT, (unsigned int)HTTP_MAX_CONNS,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_MAX_REQUEST,
				MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)HTTP_TIMEOUT_S,
				MHD_OPTION_NOTIFY_CONNECTION, on_connection, h,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
				MHD_OPTION_END);
	if (!h->d) {
		p_err("cannot start the HTTP server (libmicrohttpd %s); -vv says why",
		      MHD_get_version());
		close(fd);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

void http_publish(struct http_server *h, char *text, size_t text_len, char *om, size_t om_len)
{
	char *old_text, *old_om;

	pthread_mutex_lock(&h->lock);
	old_text = h->text;
	old_om = h->om;
	h->text = text;
	h->text_len = text_len;
	h->om = om;
	h->om_len = om_len;
	pthread_mutex_unlock(&h->lock);
	free(old_text);
	free(old_om);
}

void http_reap(struct http_server *h)
{
	uint64_t now = mono_ns();

	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < HTTP_MAX_CONNS; i++) {
		struct conn *c = &h->conns[i];

		/* libmicrohttpd sees the end of the stream and closes it on its thread */
		if (c->fd >= 0 && !c->in_request && now - c->since > HTTP_TIMEOUT_S * 1000000000ull)
			shutdown(c->fd, SHUT_RDWR);
	}
	pthread_mutex_unlock(&h->lock);
}

void http_stop(struct http_server *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	pthread_mutex_destroy(&h->lock);
	free(h->text);
	free(h->om);
	free(h);
}

#else	/* !EVTRACE_HTTP */

bool http_available(void)
{
	return false;
}

struct http_server *http_start(int fd)
{
	close(fd);
	p_err("serve: HTTP is not in this build (the static one: libmicrohttpd needs gnutls, "
	      "which Debian cannot link statically); use --textfile DIR, or ./evtrace");
	return NULL;
}

void http_publish(struct http_server *h, char *text, size_t text_len, char *om, size_t om_len)
{
	free(text);
	free(om);
}

void http_reap(struct http_server *h)
{
}

void http_stop(struct http_server *h)
{
}

#endif
