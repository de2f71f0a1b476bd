/*
 * fanout_conn.c - reaching a host: its name looked up off the loop, each
 * address tried in turn within --max-startups per address, retries with
 * backoff, the banner checked before libssh2 reads it; and ending a host
 * (finish), which reports it. See the theory of operation in fanout.c.
 */
#include "fanout_int.h"

#include "log.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Ends process group pid (a ProxyCommand), reaping it later if it is
 * slow to go. */
static void end_proxy(struct engine *e, pid_t pid)
{
	kill(-pid, SIGTERM);
	if (waitpid(pid, NULL, WNOHANG) == 0 &&
	    tsam_grow(&e->zombies, &e->czombies, e->nzombies + 1,
		      sizeof(*e->zombies)) == TSAM_OK)
		e->zombies[e->nzombies++] = pid;
}

void tsam_fan_drop(struct engine *e, struct slot *s)
{
	if (s->lookup != 0) {
		tsam_resolver_cancel(e->res, s->lookup);
		s->lookup = 0;
	}
	if (s->ssh != NULL) {
		tsam_ssh_free(s->ssh);
		s->ssh = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd); /* through a jump host: its tunnel ends */
		s->fd = -1;
	}
	if (s->tun != NULL) {
		s->tun->owner = NULL;
		s->tun = NULL;
	}
	if (s->via != NULL) {
		if (s->via->opener == s)
			s->via->opener = NULL; /* the open goes on, unowned */
		if (--s->via->users == 0)
			s->via->idle_since = now_mono();
		s->via = NULL;
	}
	if (s->pid > 0) {
		end_proxy(e, s->pid);
		s->pid = 0;
	}
	if (s->errfd >= 0) {
		close(s->errfd);
		s->errfd = -1;
	}
}

/*
 * Overwrites every occurrence of secret in b with '*': a password never
 * leaves the engine in output, whatever the endpoint echoed. Secrets
 * shorter than 3 bytes are left alone (they would mangle ordinary text).
 */
static void scrub(struct tsam_buf *b, const char *secret)
{
	size_t n = secret ? strlen(secret) : 0;
	char *p, *end;

	if (n < 3 || b->data == NULL)
		return;
	p = b->data;
	end = b->data + b->len;
	while ((p = (char *)tsam_cur_find(tsam_cur_make(p, (size_t)(end - p)),
					  secret, n)) != NULL) {
		memset(p, '*', n);
		p += n;
	}
}

/* Ends a host: reports it and frees the slot. A jump host's connection
 * ends its hosts instead (jump_failed). */

void tsam_fan_finish(struct engine *e, struct slot *s, enum tsam_host_status st,
		     const char *fmt, ...)
{
	va_list ap;

	if (s->self != NULL) {
		char msg[sizeof(s->r.error)] = "";

		if (fmt != NULL) {
			va_start(ap, fmt);
			vsnprintf(msg, sizeof(msg), fmt, ap);
			va_end(ap);
		}
		tsam_fan_jump_failed(e, s->self, st, msg);
		return;
	}
	tsam_fan_drop(e, s);
	if (s->ai != NULL) {
		freeaddrinfo(s->ai);
		s->ai = NULL;
	}
	s->r.status = st;
	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(s->r.error, sizeof(s->r.error), fmt, ap);
		va_end(ap);
	}
	s->r.ended = now_wall();
	scrub(&s->r.out, s->g->become_password);
	scrub(&s->r.out, s->g->password);
	scrub(&s->r.err, s->g->become_password);
	scrub(&s->r.err, s->g->password);
	e->prog.done++;
	e->prog.active--;
	if (st == TSAM_HOST_OK)
		e->prog.ok++;
	else
		e->prog.failed++;
	e->o->done(e->o->ud, &s->r);
	tsam_buf_free(&s->r.out);
	tsam_buf_free(&s->r.err);
	s->st = S_FREE;
}

/* Connection-level failure: retry with backoff while attempts remain
 * (at least min_retries of them). */
static void conn_failed_n(struct engine *e, struct slot *s,
			  enum tsam_host_status st, const char *msg,
			  unsigned min_retries)
{
	tsam_fan_drop(e, s);
	if (s->ai_next != NULL && s->st == S_CONNECT) {
		tsam_fan_connect(e, s); /* another address of the same name */
		return;
	}
	if (s->r.attempts <= e->o->retries || s->r.attempts <= min_retries) {
		double backoff = fmin(30.0, pow(2.0, s->r.attempts - 1));
		/* Jitter spreads a fleet that failed together. */
		backoff *= 0.75 + 0.5 * ((double)(rand() % 1000) / 1000.0);
		if (s->ai != NULL) {
			freeaddrinfo(s->ai);
			s->ai = NULL;
		}
		tsam_log(TSAM_LOG_DEBUG, s->host->name,
			 "%s; retrying in %.1f s", msg, backoff);
		snprintf(s->r.error, sizeof(s->r.error), "%s", msg);
		s->st = S_WAIT;
		s->deadline = now_mono() + backoff;
		return;
	}
	tsam_fan_finish(e, s, st, "%s", msg);
}

void tsam_fan_conn_failed(struct engine *e, struct slot *s,
			  enum tsam_host_status st, const char *msg)
{
	conn_failed_n(e, s, st, msg, 0);
}

/* Sessions now starting to the address a (address and port). */
static unsigned starting_at(const struct engine *e, const struct addrinfo *a)
{
	unsigned n = 0;
	size_t k;

	for (k = 0; k < nall(e); k++) {
		const struct slot *o = slot_at(e, k);

		if (o->peerlen == a->ai_addrlen && starting(o->st) &&
		    memcmp(&o->peer, a->ai_addr, a->ai_addrlen) == 0)
			n++;
	}
	return n;
}

/* Sessions now starting to where s goes through its jump host (the
 * same jump host, address and port), the one being opened included. */
unsigned tsam_fan_starting_beyond(const struct engine *e, const struct slot *s)
{
	unsigned n = 0;
	size_t k;

	for (k = 0; k < nall(e); k++) {
		const struct slot *o = slot_at(e, k);

		if (o != s && o->reach != NULL &&
		    o->reach->via == s->reach->via &&
		    (starting(o->st) ||
		     (o->st == S_JUMP && o->via && o->via->opener == o)) &&
		    o->reach->port == s->reach->port &&
		    strcmp(o->reach->address, s->reach->address) == 0)
			n++;
	}
	return n;
}

/* A name that did not resolve (getaddrinfo's rc): retried when the
 * failure is temporary, else the end of the host. */
static void lookup_failed(struct engine *e, struct slot *s, int rc)
{
	s->ai = NULL;
	s->st = S_CONNECT; /* for conn_failed's bookkeeping */
	s->ai_next = NULL;
	if (rc == EAI_AGAIN) {
		char msg[400];
		snprintf(msg, sizeof(msg),
			 "cannot resolve '%.200s': %s (a temporary failure: "
			 "is a DNS server reachable?)",
			 s->reach->address, gai_strerror(rc));
		tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
	} else
		tsam_fan_finish(e, s, TSAM_HOST_UNREACHABLE,
				"cannot resolve '%s': %s", s->reach->address,
				gai_strerror(rc));
}

/* The resolver's answer for slot s: connect, or end the host. */
void tsam_fan_resolved(struct engine *e, struct slot *s, struct addrinfo *ai,
		       int rc)
{
	s->lookup = 0;
	if (ai == NULL) {
		lookup_failed(e, s, rc ? rc : EAI_FAIL);
		return;
	}
	s->ai = ai;
	s->ai_next = ai;
	tsam_fan_connect(e, s);
}

void tsam_fan_connect(struct engine *e, struct slot *s)
{
	char portstr[16];
	int rc, fd;

	if (s->ai == NULL && s->reach->via != NULL) {
		tsam_fan_enter_jump(e, s); /* a channel through its jump host */
		return;
	}
	if (s->ai == NULL && s->reach->proxy_command != NULL) {
		tsam_fan_start_proxy(e, s);
		return;
	}
	if (s->ai == NULL) {
		struct addrinfo hints;
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		/* a numeric address at once; a name on the resolver's threads,
		 * never in the loop (a slow DNS server would stall it) */
		hints.ai_flags = AI_NUMERICSERV | AI_NUMERICHOST;
		snprintf(portstr, sizeof(portstr), "%u", host_port(s));
		s->r.attempts++;
		s->t0 = now_mono();
		rc = getaddrinfo(s->reach->address, portstr, &hints, &s->ai);
		if (rc == EAI_NONAME) {
			s->ai = NULL;
			s->lookup = ++e->lookups;
			if (tsam_resolver_submit(e->res, s->lookup,
						 s->reach->address,
						 host_port(s)) != TSAM_OK) {
				s->lookup = 0;
				tsam_fan_finish(
				    e, s, TSAM_HOST_UNREACHABLE,
				    "out of memory for a name lookup");
				return;
			}
			s->st = S_RESOLVE;
			s->t_phase = s->t0;
			s->deadline = s->t0 + connect_timeout_ms(e, s) / 1000.0;
			s->events = 0;
			return;
		}
		if (rc != 0) {
			lookup_failed(e, s, rc);
			return;
		}
		s->ai_next = s->ai;
	}
	while (s->ai_next != NULL) {
		struct addrinfo *a = s->ai_next;
		if (e->o->max_startups > 0 &&
		    a->ai_addrlen <= sizeof(s->peer) &&
		    starting_at(e, a) >= e->o->max_startups) {
			/* as many sessions starting there as sshd likes (its
			 * MaxStartups drops the rest): wait a moment */
			s->st = S_WAIT;
			s->deadline = now_mono() + 0.05;
			return;
		}
		s->ai_next = a->ai_next;
		fd = socket(a->ai_family,
			    a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    a->ai_protocol);
		if (fd < 0)
			continue;
		{
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
				   sizeof(one));
		}
		s->fd = fd;
		s->st = S_CONNECT;
		if (a->ai_addrlen <= sizeof(s->peer)) {
			memcpy(&s->peer, a->ai_addr, a->ai_addrlen);
			s->peerlen = a->ai_addrlen;
		}
		s->t_phase = now_mono();
		s->deadline = s->t_phase + connect_timeout_ms(e, s) / 1000.0;
		s->events = POLLOUT;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
		    errno == EINPROGRESS)
			return;
		{
			char msg[256];
			snprintf(msg, sizeof(msg), "connect: %s",
				 strerror(errno));
			tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
	}
	s->st = S_CONNECT;
	tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, "no usable address");
}

/* This host's escalation: its become= label, else its group's default. */
static enum tsam_become host_become(const struct slot *s)
{
	const char *b = tsam_host_label(s->host, "become");
	int v = b ? tsam_become_parse(b) : -1;

	return v >= 0 ? (enum tsam_become)v : s->g->become;
}

/*
 * The command the host runs: the group's, or it under sudo or doas in a
 * shell that first prints the run's marker line. Nothing of the host's
 * (its name, labels) ever enters this string.
 */
static void build_command(const struct engine *e, struct slot *s)
{
	const char *cmd = s->g->command;

	s->r.become = host_become(s);
	s->become_wait = s->r.become != TSAM_BECOME_NONE;
	if (s->r.become == TSAM_BECOME_SUDO && s->g->become_password != NULL)
		snprintf(s->command, sizeof(s->command),
			 "sudo -S -p %s -- /bin/sh -c 'echo %s; exec %s'",
			 e->prompt, e->marker, cmd);
	else if (s->r.become == TSAM_BECOME_SUDO)
		snprintf(s->command, sizeof(s->command),
			 "sudo -n -- /bin/sh -c 'echo %s; exec %s'", e->marker,
			 cmd);
	else if (s->r.become == TSAM_BECOME_DOAS)
		snprintf(s->command, sizeof(s->command),
			 "doas -n /bin/sh -c 'echo %s; exec %s'", e->marker,
			 cmd);
	else
		snprintf(s->command, sizeof(s->command), "%s", cmd);
}

void tsam_fan_start_host(struct engine *e, struct slot *s, size_t index)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->errfd = -1;
	s->host = &e->inv->hosts[index];
	s->r.index = index;
	s->g = e->o->groups ? &e->o->groups[e->o->group_of[index]] : e->o;
	s->reach = &e->o->reach[index];
	s->r.started = now_wall();
	s->r.exit_status = -1;
	tsam_buf_init(&s->r.out, e->o->max_output);
	tsam_buf_init(&s->r.err, e->o->max_stderr);
	build_command(e, s);
	e->prog.active++;
	tsam_fan_connect(e, s);
}

/* The SSH identification line may be this long (RFC 4253 4.2, CR LF
 * included); lines before it, together, at most PRE_BANNER_MAX. */
#define BANNER_MAX 255
/* A connection closed before the banner is retried this often at least. */
#define BANNER_RETRIES 3
#define PRE_BANNER_MAX (64u * 1024u)

/*
 * BANNER: waits until the server's whole identification line ("SSH-...")
 * is in the socket, before libssh2 reads it: libssh2 1.10 reads the banner
 * a byte at a time and does not return while bytes keep coming, so a peer
 * that floods without a newline would hold the whole run
 * (docs/library-notes.md, libssh2 5). Lines before the banner (RFC 4253 allows
 * them) are read and dropped, up to PRE_BANNER_MAX. The line itself is only
 * peeked at, for libssh2 to read. OK when it is there; AGAIN to wait
 * (s->events, s->wake); other: the host is finished.
 */
enum tsam_err tsam_fan_banner_step(struct engine *e, struct slot *s)
{
	char buf[BANNER_MAX + 1];
	ssize_t n;

	for (;;) {
		const char *nl;

		n = recv(s->fd, buf, sizeof(buf), MSG_PEEK);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			char msg[128];
			snprintf(msg, sizeof(msg), "reading the SSH banner: %s",
				 strerror(errno));
			tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return TSAM_ERR_IO;
		}
		if (n == 0 && s->pid > 0) {
			char said[300], msg[400];
			tsam_fan_proxy_said(s, said, sizeof(said));
			snprintf(msg, sizeof(msg),
				 "the ProxyCommand %s before the SSH banner",
				 said);
			tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return TSAM_ERR_EOF;
		}
		if (n == 0) {
			/* sshd drops connections past MaxStartups this way:
			 * retried with backoff whatever --retries says */
			char msg[300];
			snprintf(
			    msg, sizeof(msg),
			    "the server closed the connection before its "
			    "SSH banner (%u attempt%s): an sshd does so "
			    "past its MaxStartups limit of connections not "
			    "yet logged in; lower --max-startups or --jobs",
			    s->r.attempts, s->r.attempts == 1 ? "" : "s");
			conn_failed_n(e, s, TSAM_HOST_UNREACHABLE, msg,
				      BANNER_RETRIES);
			return TSAM_ERR_EOF;
		}
		nl = memchr(buf, '\n', (size_t)n);
		if (n >= 4 && memcmp(buf, "SSH-", 4) == 0) {
			if (nl != NULL &&
			    memchr(buf, '\0', (size_t)(nl - buf)) != NULL) {
				tsam_fan_finish(
				    e, s, TSAM_HOST_UNREACHABLE,
				    "the SSH banner holds a NUL byte (RFC "
				    "4253 forbids it): a broken server");
				return TSAM_ERR_PARSE;
			}
			if (nl != NULL)
				return TSAM_OK;
			if ((size_t)n > BANNER_MAX) {
				tsam_fan_finish(
				    e, s, TSAM_HOST_UNREACHABLE,
				    "the SSH banner is longer than %d bytes "
				    "(RFC 4253): not an SSH server, or a "
				    "broken one",
				    BANNER_MAX);
				return TSAM_ERR_TOOBIG;
			}
			s->banner_seen = (size_t)n;
			break; /* the rest of the line is still coming */
		}
		/* a line before the banner: read and drop it, bounded */
		if (nl == NULL && (size_t)n <= BANNER_MAX &&
		    s->pre_banner + (size_t)n <= PRE_BANNER_MAX) {
			s->banner_seen = (size_t)n;
			break;
		}
		{
			size_t take = nl ? (size_t)(nl - buf) + 1 : (size_t)n;
			s->pre_banner += take;
			if (s->pre_banner > PRE_BANNER_MAX || nl == NULL) {
				tsam_fan_finish(
				    e, s, TSAM_HOST_UNREACHABLE,
				    "the server sent %zu bytes without an "
				    "SSH identification line: not an SSH "
				    "server (or one behind something that "
				    "talks first)",
				    s->pre_banner);
				return TSAM_ERR_PARSE;
			}
			if (recv(s->fd, buf, take, 0) != (ssize_t)take) {
				tsam_fan_conn_failed(
				    e, s, TSAM_HOST_UNREACHABLE,
				    "reading the lines before the SSH "
				    "banner failed");
				return TSAM_ERR_IO;
			}
		}
	}
	/* More must come. Data already waiting keeps the socket readable,
	 * so poll() would wake at once: look again a little later instead
	 * (errors and hang-ups still wake it). */
	s->events = s->banner_seen > 0 ? 0 : POLLIN;
	s->wake = s->banner_seen > 0 ? now_mono() + 0.02 : 0;
	return TSAM_ERR_AGAIN;
}
