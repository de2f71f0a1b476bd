/*
 * fanout.c - the collection engine.
 *
 * Theory of operation
 * -------------------
 * Hosts are taken in inventory order into a window of at most o->jobs
 * slots. Each slot is a small state machine driving one non-blocking
 * connection; nothing about a host outside the window is held except its
 * index, so memory grows with the window, not with the fleet:
 *
 *   WAIT ──(backoff over)──► CONNECT ──► HANDSHAKE ──► AUTH ──► EXEC
 *     ▲                        │             │           │        │
 *     └──(retry: connection-level failure)───┘           │        ▼
 *                                                        │       IO ──► CLOSE
 * ──► BYE ──► done (any failure) ──────┴─────────────────────────────────► done
 *
 *   CONNECT    non-blocking connect(), each resolved address in turn;
 *              bounded by connect_timeout. No answer or refusal: unreachable.
 *   HANDSHAKE  banner and key exchange, then the host key is checked against
 *              known_hosts (strict; --accept-new queues unknown keys and never
 *              replaces a changed one). Bounded, with AUTH, by login_timeout.
 *   AUTH       identity= key, else the --identity keys, then the agent.
 *   EXEC       open a session channel, exec the command ("/bin/sh -s").
 *   IO         write the script to stdin, EOF, read stdout and stderr
 *              (both, or the channel window fills: PITFALLS 6) until the
 *              remote EOF; stdout past max_output marks the host truncated
 *              and stops reading. Bounded, with EXEC, by command_timeout.
 *   CLOSE/BYE  channel close, exit status, disconnect: a short grace period,
 *              after which the socket is simply closed.
 *
 * One poll() waits for all slots: every slot says which directions it is
 * blocked on (libssh2_session_block_directions) and when its deadline
 * falls; poll's timeout is the nearest deadline, so a silent or
 * black-holed host costs nothing until its deadline, and then ends with
 * its own status while the others go on. After each wake-up every slot
 * with an event or a passed deadline is stepped: a step calls the current
 * state's operation until it would block (TSAM_ERR_AGAIN) or the host is
 * done. No loop ever spins on EAGAIN.
 *
 * Several fleets can share the window (o->groups): each slot then takes
 * its host's user, keys, known_hosts and script from the host's group, so
 * one customer's hosts are never checked against another's known_hosts.
 *
 * A signal sets *o->stop: no new host starts, hosts in flight are closed at
 * once and reported not_run, as are those never started. The overall
 * deadline does the same. Results leave through o->done as each host ends.
 */
#include "fanout.h"

#include "log.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/*
 * Seconds a finished host may spend closing politely (exit status, close,
 * disconnect). Generous: a loaded endpoint may keep the channel open a
 * while after the output ends (busybox timeout(1) keeps stdout for up to
 * a second).
 */
#define CLOSE_GRACE 10.0

static const char *const status_names[TSAM_HOST__COUNT] = {
    [TSAM_HOST_OK] = "ok",
    [TSAM_HOST_UNREACHABLE] = "unreachable",
    [TSAM_HOST_TIMEOUT] = "timeout",
    [TSAM_HOST_AUTH_FAILED] = "auth_failed",
    [TSAM_HOST_HOSTKEY_UNKNOWN] = "hostkey_unknown",
    [TSAM_HOST_HOSTKEY_MISMATCH] = "hostkey_mismatch",
    [TSAM_HOST_COMMAND_FAILED] = "command_failed",
    [TSAM_HOST_TRUNCATED] = "truncated",
    [TSAM_HOST_NOT_RUN] = "not_run",
};

const char *tsam_host_status_name(enum tsam_host_status st)
{
	if ((int)st < 0 || st >= TSAM_HOST__COUNT)
		return "unknown";
	return status_names[st];
}

int tsam_host_status_parse(const char *name)
{
	int i;

	for (i = 0; i < TSAM_HOST__COUNT; i++)
		if (strcmp(status_names[i], name) == 0)
			return i;
	return -1;
}

enum state {
	S_FREE,
	S_WAIT,
	S_CONNECT,
	S_HANDSHAKE,
	S_AUTH,
	S_EXEC,
	S_IO,
	S_CLOSE,
	S_BYE
};

struct slot {
	enum state st;
	const struct tsam_host *host;
	struct tsam_fanout_result r;
	struct addrinfo *ai, *ai_next; /* resolved addresses, next to try */
	int fd;
	short events; /* for poll */
	struct tsam_ssh *ssh;
	double deadline;    /* of the current phase (monotonic) */
	double t0, t_phase; /* monotonic: attempt start, phase start */
	size_t in_off;	    /* stdin bytes sent */
	bool eof_sent, remote_eof;
	unsigned auth_step; /* index into the host's key list */
	bool agent_tried, rsa_refused;
	char auth_log[256]; /* what was tried, for the message */
	double next_keepalive;
	char hk_types[256];
	const struct tsam_fanout_opts *g; /* the host's keys, known_hosts */
};

struct engine {
	const struct tsam_fanout_opts *o;
	const struct tsam_inventory *inv;
	struct slot *slots;
	unsigned nslots;
	struct tsam_fanout_progress prog;
	double mono0, wall0, last_progress;
};

static double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned host_port(const struct slot *s)
{
	return s->host->port ? s->host->port
			     : (s->g->default_port ? s->g->default_port : 22);
}

static const char *host_user(const struct slot *s)
{
	return s->host->user ? s->host->user : s->g->default_user;
}

static void drop_connection(struct slot *s)
{
	if (s->ssh != NULL) {
		tsam_ssh_free(s->ssh);
		s->ssh = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
}

/* Ends a host: reports it and frees the slot. */
static void finish(struct engine *e, struct slot *s, enum tsam_host_status st,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void finish(struct engine *e, struct slot *s, enum tsam_host_status st,
		   const char *fmt, ...)
{
	va_list ap;

	drop_connection(s);
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

/* Starts (or restarts) connecting: next address, non-blocking connect. */
static void start_connect(struct engine *e, struct slot *s);

/* Connection-level failure: retry with backoff while attempts remain. */
static void conn_failed(struct engine *e, struct slot *s,
			enum tsam_host_status st, const char *msg)
{
	drop_connection(s);
	if (s->ai_next != NULL && s->st == S_CONNECT) {
		start_connect(e, s); /* another address of the same name */
		return;
	}
	if (s->r.attempts <= e->o->retries) {
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
	finish(e, s, st, "%s", msg);
}

static void start_connect(struct engine *e, struct slot *s)
{
	char portstr[16];
	int rc, fd;

	if (s->ai == NULL) {
		struct addrinfo hints;
		memset(&hints, 0, sizeof(hints));
		hints.ai_socktype = SOCK_STREAM;
		hints.ai_flags = AI_NUMERICSERV | AI_ADDRCONFIG;
		snprintf(portstr, sizeof(portstr), "%u", host_port(s));
		s->r.attempts++;
		s->t0 = now_mono();
		rc = getaddrinfo(s->host->address, portstr, &hints, &s->ai);
		if (rc != 0) {
			s->ai = NULL;
			s->st = S_CONNECT; /* for conn_failed's bookkeeping */
			s->ai_next = NULL;
			if (rc == EAI_AGAIN)
				conn_failed(e, s, TSAM_HOST_UNREACHABLE,
					    "name lookup failed (temporary)");
			else
				finish(e, s, TSAM_HOST_UNREACHABLE,
				       "cannot resolve '%s': %s",
				       s->host->address, gai_strerror(rc));
			return;
		}
		s->ai_next = s->ai;
	}
	while (s->ai_next != NULL) {
		struct addrinfo *a = s->ai_next;
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
		s->t_phase = now_mono();
		s->deadline = s->t_phase + e->o->connect_timeout_ms / 1000.0;
		s->events = POLLOUT;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0 ||
		    errno == EINPROGRESS)
			return;
		{
			char msg[256];
			snprintf(msg, sizeof(msg), "connect: %s",
				 strerror(errno));
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
	}
	s->st = S_CONNECT;
	conn_failed(e, s, TSAM_HOST_UNREACHABLE, "no usable address");
}

static void start_host(struct engine *e, struct slot *s, size_t index)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->host = &e->inv->hosts[index];
	s->r.index = index;
	s->g = e->o->groups ? &e->o->groups[e->o->group_of[index]] : e->o;
	s->r.started = now_wall();
	s->r.exit_status = -1;
	tsam_buf_init(&s->r.out, e->o->max_output);
	tsam_buf_init(&s->r.err, e->o->max_stderr);
	e->prog.active++;
	start_connect(e, s);
}

/* The key files to try for a host, in order: identity= or --identity. */
static const struct tsam_identity *key_for(struct engine *e, struct slot *s,
					   unsigned i)
{
	const char *want = tsam_host_label(s->host, "identity");
	size_t k;

	if (want != NULL) {
		if (i > 0)
			return NULL;
		for (k = 0; k < s->g->nhost_ids; k++)
			if (strcmp(s->g->host_ids[k].path, want) == 0)
				return &s->g->host_ids[k];
		return NULL;
	}
	return i < s->g->nids ? &s->g->ids[i] : NULL;
}

static void note_auth(struct slot *s, const char *what)
{
	size_t used = strlen(s->auth_log);
	snprintf(s->auth_log + used, sizeof(s->auth_log) - used, "%s%s",
		 used ? "; " : "", what);
}

/* One step of AUTH. Returns AGAIN, OK (authenticated) or AUTH. */
static int step_auth(struct engine *e, struct slot *s)
{
	const char *user = host_user(s);
	struct tsam_errbuf eb;
	int rc;

	for (;;) {
		const struct tsam_identity *id = key_for(e, s, s->auth_step);

		tsam_errbuf_clear(&eb);
		if (id != NULL) {
			rc = tsam_ssh_auth_keyfile(s->ssh, user, id->path,
						   id->pubpath, id->passphrase,
						   &eb);
			if (rc == TSAM_ERR_AGAIN || rc == TSAM_OK)
				return rc;
			if (rc != TSAM_ERR_AUTH)
				return rc;
			if (id->type == TSAM_KEY_RSA)
				s->rsa_refused = true;
			note_auth(s, tsam_errbuf_str(&eb, rc));
			s->auth_step++;
			continue;
		}
		if (s->g->use_agent && !s->agent_tried) {
			rc = tsam_ssh_auth_agent(s->ssh, user, &s->rsa_refused,
						 &eb);
			if (rc == TSAM_ERR_AGAIN || rc == TSAM_OK)
				return rc;
			if (rc != TSAM_ERR_AUTH && rc != TSAM_ERR_NOTFOUND)
				return rc;
			s->agent_tried = true;
			note_auth(s, tsam_errbuf_str(&eb, rc));
			continue;
		}
		return TSAM_ERR_AUTH;
	}
}

static void check_hostkey(struct engine *e, struct slot *s)
{
	const unsigned char *blob;
	size_t len;
	char type[48] = "?";
	unsigned port = host_port(s);
	enum tsam_kh_result kr;

	if (tsam_ssh_hostkey(s->ssh, &blob, &len) != TSAM_OK) {
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN, "no host key received");
		return;
	}
	tsam_knownhosts_blob_type(blob, len, type, sizeof(type));
	kr = tsam_knownhosts_check(s->g->kh, s->host->name, s->host->address,
				   port, blob, len);
	switch (kr) {
	case TSAM_KH_MATCH:
		break;
	case TSAM_KH_UNKNOWN:
		if (s->g->accept_new) {
			if (tsam_knownhosts_add(s->g->kh, s->host->name,
						s->host->address, port, blob,
						len) != TSAM_OK) {
				finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
				       "could not record the new %s key", type);
				return;
			}
			tsam_log(TSAM_LOG_INFO, s->host->name,
				 "new %s host key recorded (--accept-new)",
				 type);
			break;
		}
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		       "%s host key not in known_hosts; nothing was run "
		       "(verify it, then add it or use --accept-new)",
		       type);
		return;
	case TSAM_KH_OTHER_TYPE:
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		       "known_hosts has keys of other types (%s) for this host "
		       "but the server offered %s; nothing was run",
		       s->hk_types, type);
		return;
	case TSAM_KH_MISMATCH:
		finish(
		    e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		    "%s host key differs from known_hosts: possible "
		    "man-in-the-middle or a reinstalled host; nothing was run",
		    type);
		return;
	case TSAM_KH_REVOKED:
		finish(e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		       "%s host key is marked @revoked in known_hosts; nothing "
		       "was run",
		       type);
		return;
	}
	s->st = S_AUTH;
	s->r.t_handshake = now_mono() - s->t_phase;
	s->t_phase = now_mono();
}

/* Reads what is there on both streams; returns false when finished. */
static int pump_output(struct engine *e, struct slot *s, struct tsam_errbuf *eb)
{
	char chunk[32768];
	int stream, rc = TSAM_ERR_AGAIN;

	for (stream = 1; stream >= 0; stream--) {
		struct tsam_buf *b = stream ? &s->r.err : &s->r.out;
		for (;;) {
			size_t got;
			rc = tsam_ssh_read(s->ssh, stream, chunk, sizeof(chunk),
					   &got, eb);
			if (rc != TSAM_OK)
				break;
			s->r.bytes_in += got;
			if (got > tsam_buf_room(b)) {
				tsam_buf_add(b, chunk, tsam_buf_room(b));
				if (stream == 0) {
					s->r.truncated = true;
					return TSAM_ERR_TOOBIG;
				}
				continue; /* stderr: keep draining, drop */
			}
			tsam_buf_add(b, chunk, got);
		}
		if (rc == TSAM_ERR_EOF && stream == 0)
			return TSAM_ERR_EOF;
		if (rc != TSAM_ERR_AGAIN && rc != TSAM_ERR_EOF)
			return rc;
	}
	return TSAM_ERR_AGAIN;
}

static void enter_close(struct engine *e, struct slot *s)
{
	s->r.t_command = now_mono() - s->t_phase;
	s->st = S_CLOSE;
	s->deadline = now_mono() + CLOSE_GRACE;
}

static enum tsam_host_status done_status(const struct slot *s)
{
	return s->r.truncated ? TSAM_HOST_TRUNCATED : TSAM_HOST_OK;
}

/* Advances s as far as it goes without blocking. */
static void step(struct engine *e, struct slot *s, short revents)
{
	struct tsam_errbuf eb;
	double t = now_mono();
	int rc;

	tsam_errbuf_clear(&eb);
	if (s->st == S_WAIT) {
		if (t >= s->deadline)
			start_connect(e, s);
		return;
	}
	if (t >= s->deadline) {
		switch (s->st) {
		case S_CONNECT: {
			char msg[128];
			snprintf(msg, sizeof(msg),
				 "no answer within %d s (connect)",
				 e->o->connect_timeout_ms / 1000);
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
		case S_HANDSHAKE:
			conn_failed(e, s, TSAM_HOST_TIMEOUT,
				    "no SSH banner or key exchange before the "
				    "login timeout");
			return;
		case S_AUTH:
			finish(e, s, TSAM_HOST_TIMEOUT,
			       "authentication did not finish in time");
			return;
		case S_EXEC:
		case S_IO:
			finish(e, s, TSAM_HOST_TIMEOUT,
			       "command did not finish within %d s "
			       "(--command-timeout); %zu bytes received",
			       e->o->command_timeout_ms / 1000, s->r.out.len);
			return;
		case S_CLOSE:
		case S_BYE:
			/* Output is complete; the peer is slow to close. */
			s->r.closed = s->st == S_BYE;
			finish(e, s, done_status(s), NULL);
			return;
		default:
			return;
		}
	}
	for (;;) {
		switch (s->st) {
		case S_CONNECT: {
			int err = 0;
			socklen_t len = sizeof(err);
			char msg[256];
			if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
				return;
			getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
			if (err != 0) {
				snprintf(msg, sizeof(msg), "connect: %s",
					 strerror(err));
				conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
				return;
			}
			s->r.t_connect = t - s->t_phase;
			s->t_phase = t;
			s->deadline = t + e->o->login_timeout_ms / 1000.0;
			tsam_knownhosts_types(s->g->kh, s->host->name,
					      s->host->address, host_port(s),
					      s->hk_types, sizeof(s->hk_types));
			s->ssh =
			    tsam_ssh_new(s->fd, s->hk_types, e->o->keepalive_s);
			if (s->ssh == NULL) {
				finish(e, s, TSAM_HOST_UNREACHABLE,
				       "out of memory for an SSH session");
				return;
			}
			s->st = S_HANDSHAKE;
			break;
		}
		case S_HANDSHAKE:
			rc = tsam_ssh_handshake(s->ssh, &eb);
			if (rc == TSAM_ERR_AGAIN)
				goto again;
			if (rc != TSAM_OK) {
				conn_failed(e, s, TSAM_HOST_UNREACHABLE,
					    tsam_errbuf_str(&eb, rc));
				return;
			}
			check_hostkey(e, s);
			if (s->st == S_FREE)
				return;
			break;
		case S_AUTH:
			rc = step_auth(e, s);
			if (rc == TSAM_ERR_AGAIN)
				goto again;
			if (rc == TSAM_ERR_AUTH) {
				finish(e, s, TSAM_HOST_AUTH_FAILED,
				       "as '%s': %s%s%s", host_user(s),
				       s->auth_log[0]
					   ? s->auth_log
					   : "no key or agent to try",
				       s->rsa_refused ? "; " : "",
				       s->rsa_refused ? tsam_ssh_rsa_note : "");
				return;
			}
			if (rc != TSAM_OK) {
				finish(e, s, TSAM_HOST_AUTH_FAILED, "%s",
				       tsam_errbuf_str(&eb, rc));
				return;
			}
			s->r.t_auth = now_mono() - s->t_phase;
			s->t_phase = now_mono();
			s->deadline =
			    s->t_phase + e->o->command_timeout_ms / 1000.0;
			s->next_keepalive = s->t_phase + e->o->keepalive_s;
			s->st = S_EXEC;
			break;
		case S_EXEC:
			rc = tsam_ssh_exec(s->ssh, s->g->command, &eb);
			if (rc == TSAM_ERR_AGAIN)
				goto again;
			if (rc != TSAM_OK) {
				finish(e, s, TSAM_HOST_COMMAND_FAILED, "%s",
				       tsam_errbuf_str(&eb, rc));
				return;
			}
			s->st = S_IO;
			break;
		case S_IO: {
			bool blocked = false;
			while (s->in_off < s->g->input_len) {
				size_t done;
				rc = tsam_ssh_write(
				    s->ssh, s->g->input + s->in_off,
				    s->g->input_len - s->in_off, &done, &eb);
				if (rc == TSAM_ERR_AGAIN) {
					blocked = true;
					break;
				}
				if (rc != TSAM_OK) {
					/* The remote may have exited early;
					 * read what it said before giving up.
					 */
					s->in_off = s->g->input_len;
					s->eof_sent = true;
					break;
				}
				s->in_off += done;
			}
			if (!blocked && !s->eof_sent) {
				rc = tsam_ssh_send_eof(s->ssh, &eb);
				if (rc == TSAM_OK || rc != TSAM_ERR_AGAIN)
					s->eof_sent = true;
			}
			rc = pump_output(e, s, &eb);
			if (rc == TSAM_ERR_EOF || rc == TSAM_ERR_TOOBIG) {
				enter_close(e, s);
				break;
			}
			if (rc != TSAM_ERR_AGAIN) {
				finish(e, s, TSAM_HOST_COMMAND_FAILED,
				       "connection lost during the command: %s",
				       tsam_errbuf_str(&eb, rc));
				return;
			}
			if (e->o->keepalive_s > 0 && t >= s->next_keepalive) {
				int next = e->o->keepalive_s;
				tsam_ssh_keepalive(s->ssh, &next);
				s->next_keepalive = t + (next > 0 ? next : 1);
			}
			goto again;
		}
		case S_CLOSE: {
			rc = tsam_ssh_close_channel(
			    s->ssh, &s->r.exit_status, s->r.exit_signal,
			    sizeof(s->r.exit_signal), &eb);
			if (rc == TSAM_ERR_AGAIN) {
				/* Drain what still arrives so close can finish.
				 */
				if (!s->r.truncated)
					pump_output(e, s, &eb);
				goto again;
			}
			if (rc != TSAM_OK) {
				finish(e, s, done_status(s), NULL);
				return;
			}
			s->r.closed = true;
			s->st = S_BYE;
			break;
		}
		case S_BYE:
			rc = tsam_ssh_disconnect(s->ssh);
			if (rc == TSAM_ERR_AGAIN)
				goto again;
			finish(e, s, done_status(s), NULL);
			return;
		default:
			return;
		}
		revents = 0;
	}
again : {
	int w = tsam_ssh_wants(s->ssh);
	s->events = (short)(((w & TSAM_SSH_WANT_READ) ? POLLIN : 0) |
			    ((w & TSAM_SSH_WANT_WRITE) ? POLLOUT : 0));
}
}

/* Writes the keys --accept-new queued since the last call, in every
 * group's known_hosts. */
static void flush_known_hosts(const struct tsam_fanout_opts *o)
{
	size_t n = o->groups ? o->ngroups : 1, i;

	for (i = 0; i < n; i++) {
		const struct tsam_fanout_opts *g =
		    o->groups ? &o->groups[i] : o;
		struct tsam_errbuf kerr;

		if (!g->accept_new)
			continue;
		tsam_errbuf_clear(&kerr);
		if (tsam_knownhosts_flush(g->kh, &kerr) != TSAM_OK)
			tsam_log(TSAM_LOG_ERROR, NULL, "%s",
				 tsam_errbuf_str(&kerr, TSAM_ERR_IO));
	}
}

/* Whether every host has a group and every group a known_hosts. */
static bool groups_ok(const struct tsam_fanout_opts *o, const size_t *idx,
		      size_t n)
{
	size_t i;

	if (o->groups == NULL)
		return o->kh != NULL;
	if (o->group_of == NULL)
		return false;
	for (i = 0; i < o->ngroups; i++)
		if (o->groups[i].kh == NULL)
			return false;
	for (i = 0; i < n; i++)
		if (o->group_of[idx[i]] >= o->ngroups)
			return false;
	return true;
}

static void report_progress(struct engine *e, bool force)
{
	double t = now_mono();

	if (e->o->progress == NULL || (!force && t - e->last_progress < 0.5))
		return;
	e->last_progress = t;
	e->prog.elapsed = t - e->mono0;
	e->o->progress(e->o->ud, &e->prog);
}

/* Reports a host that never ran (stopped before it started). */
static void not_run(struct engine *e, size_t index, const char *why)
{
	struct tsam_fanout_result r;

	memset(&r, 0, sizeof(r));
	r.index = index;
	r.status = TSAM_HOST_NOT_RUN;
	r.exit_status = -1;
	snprintf(r.error, sizeof(r.error), "%s", why);
	tsam_buf_init(&r.out, 0);
	tsam_buf_init(&r.err, 0);
	e->prog.done++;
	e->prog.failed++;
	e->o->done(e->o->ud, &r);
}

void tsam_fanout_opts_defaults(struct tsam_fanout_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->jobs = 64;
	o->connect_timeout_ms = 10000;
	o->login_timeout_ms = 30000;
	o->command_timeout_ms = 120000;
	o->max_output = 32u << 20;
	o->max_stderr = 1u << 20;
	o->keepalive_s = 15;
	o->use_agent = true;
	o->default_port = 22;
}

int tsam_fanout_run(const struct tsam_fanout_opts *o,
		    const struct tsam_inventory *inv, const size_t *idx,
		    size_t n, struct tsam_errbuf *eb)
{
	struct engine e;
	struct pollfd *pfd;
	unsigned *pslot;
	size_t next = 0, i;
	int result = TSAM_OK;
	const char *why = NULL;

	if (o->jobs == 0 || !groups_ok(o, idx, n) || o->done == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "bad fan-out options");
	memset(&e, 0, sizeof(e));
	e.o = o;
	e.inv = inv;
	e.nslots = o->jobs < n ? o->jobs : (unsigned)(n ? n : 1);
	e.slots = calloc(e.nslots, sizeof(*e.slots));
	pfd = calloc(e.nslots, sizeof(*pfd));
	pslot = calloc(e.nslots, sizeof(*pslot));
	if (e.slots == NULL || pfd == NULL || pslot == NULL) {
		free(e.slots);
		free(pfd);
		free(pslot);
		return TSAM_ERR_NOMEM;
	}
	e.prog.total = n;
	e.mono0 = now_mono();
	e.wall0 = now_wall();

	for (;;) {
		double t = now_mono(), nearest;
		unsigned k, np = 0;
		int timeout_ms, pr;

		if (why == NULL && o->stop != NULL && *o->stop)
			why =
			    "interrupted by a signal before this host finished";
		if (why == NULL && o->deadline > 0 && now_wall() >= o->deadline)
			why = "the run's --deadline passed before this host "
			      "finished";
		if (why != NULL) {
			/* Wind down: in-flight hosts end now, the rest never
			 * start. */
			for (k = 0; k < e.nslots; k++)
				if (e.slots[k].st != S_FREE)
					finish(&e, &e.slots[k],
					       TSAM_HOST_NOT_RUN, "%s", why);
			for (; next < n; next++)
				not_run(&e, idx[next], why);
			result = tsam_errbuf_set(eb, TSAM_ERR_INTERRUPTED, "%s",
						 why);
			break;
		}
		for (k = 0; k < e.nslots && next < n; k++)
			if (e.slots[k].st == S_FREE)
				start_host(&e, &e.slots[k], idx[next++]);
		if (e.prog.active == 0 && next >= n)
			break;

		nearest = t + 0.5; /* progress and signal checks */
		for (k = 0; k < e.nslots; k++) {
			struct slot *s = &e.slots[k];
			if (s->st == S_FREE)
				continue;
			if (s->deadline < nearest)
				nearest = s->deadline;
			if (s->st == S_IO && o->keepalive_s > 0 &&
			    s->next_keepalive < nearest)
				nearest = s->next_keepalive;
			if (s->st != S_WAIT && s->fd >= 0) {
				pfd[np].fd = s->fd;
				pfd[np].events = s->events;
				pfd[np].revents = 0;
				pslot[np] = k;
				np++;
			}
		}
		timeout_ms = (int)ceil((nearest - t) * 1000.0);
		if (timeout_ms < 0)
			timeout_ms = 0;
		pr = poll(pfd, np, timeout_ms);
		if (pr < 0 && errno != EINTR) {
			result = tsam_errbuf_set(eb, TSAM_ERR_IO, "poll: %s",
						 strerror(errno));
			why = "internal error (poll failed)";
			continue;
		}
		t = now_mono();
		for (i = 0; i < np; i++) {
			struct slot *s = &e.slots[pslot[i]];
			if (pfd[i].revents != 0 || t >= s->deadline ||
			    (s->st == S_IO && o->keepalive_s > 0 &&
			     t >= s->next_keepalive))
				step(&e, s, pfd[i].revents);
		}
		for (k = 0; k < e.nslots; k++)
			if (e.slots[k].st == S_WAIT && t >= e.slots[k].deadline)
				step(&e, &e.slots[k], 0);
		flush_known_hosts(o);
		report_progress(&e, false);
	}
	flush_known_hosts(o);
	report_progress(&e, true);
	free(e.slots);
	free(pfd);
	free(pslot);
	return result;
}
