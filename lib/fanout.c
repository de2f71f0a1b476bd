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
 *   JUMP       waiting for its jump host's connection to open a channel
 *              to it (below); then BANNER.
 *   RESOLVE    a name (not a numeric address) is looked up on the
 *              resolver's threads (resolve.h), never in the loop: a slow
 *              or dead DNS server costs that host its connect_timeout,
 *              not every session in flight.
 *   CONNECT    non-blocking connect(), each resolved address in turn;
 *              bounded by connect_timeout. No answer or refusal: unreachable.
 *   BANNER     wait until the server's whole identification line is in the
 *              socket (peeked, at most 255 bytes; lines before it read and
 *              dropped, at most 64 KiB) before libssh2 reads it: libssh2
 *              1.10 reads the banner a byte at a time and never returns
 *              while bytes keep coming, so a peer flooding without a
 *              newline would otherwise hold the whole run.
 *   HANDSHAKE  banner and key exchange, then the host key is checked against
 *              known_hosts (strict; --accept-new queues unknown keys and never
 *              replaces a changed one). Bounded, with AUTH, by login_timeout.
 *   AUTH       ask the server which methods it takes (libssh2_userauth_list,
 *              so every failure can name them), then identity= key, else
 *              the --identity key files, then the agent (only the keys
 *              named by .pub identities, if any), then the password
 *              (password, keyboard-interactive) when one was given. A
 *              server that disconnects (MaxAuthTries) ends the attempts
 *              with its reason.
 *   EXEC       open a session channel, exec the command ("/bin/sh -s"), or
 *              under sudo/doas (become): "sudo -n -- /bin/sh -c 'echo
 *              MARKER; exec /bin/sh -s'".
 *   IO         with become, first wait for the marker line on stdout: the
 *              privileged shell runs. sudo's password (sudo -S, a prompt
 *              holding the run's token) is written only after its prompt
 *              appears on stderr, and never twice; sudo exiting before the
 *              marker is become_failed with its own words. Then write the
 *              script to stdin, EOF, read stdout and stderr
 *              (both, or the channel window fills: PITFALLS 6) until the
 *              remote EOF; stdout past max_output marks the host truncated
 *              and stops reading. Bounded, with EXEC, by command_timeout.
 *   CLOSE/BYE  channel close, exit status, disconnect: a short grace period,
 *              after which the socket is simply closed.
 *
 * One poll() waits for all slots: every slot says which directions it is
 * blocked on (libssh2_session_block_directions) and when its deadline
 * falls; poll's timeout is the nearest deadline, so a silent or
 * black-holed host (or name) costs nothing until its deadline, and then ends
 * with its own status while the others go on. After each wake-up every slot
 * with an event or a passed deadline is stepped: a step calls the current
 * state's operation until it would block (TSAM_ERR_AGAIN) or the host is
 * done. No loop ever spins on EAGAIN.
 *
 * Jump hosts (reach->via): a host reached through a jump host waits in
 * JUMP until a connection to that jump host (struct jump: a slot of its
 * own, outside the window, driven through the same states up to AUTH, then
 * RELAY) opens a direct-tcpip channel to it; the host's own session then
 * runs over one end of a socketpair whose other end a tunnel (tunnel.h)
 * pumps to the channel, and goes on from BANNER as after a connect. A
 * relay's sends are queued rather than blocked (ssh.h), channels are
 * opened one at a time, each connection carries at most jump_channels
 * hosts, and one that nobody uses is closed after JUMP_LINGER. A jump host
 * further on is itself a slot reached through the one before. A jump host
 * that fails ends every slot going through it (jump_failed); one that
 * failed before it was ready is remembered, and later hosts fail at once.
 * A ProxyCommand is a process per host (its own process group) whose
 * stdin and stdout are a socketpair's other end; it starts at BANNER too.
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
#include "resolve.h"
#include "str.h"
#include "tunnel.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * Seconds a finished host may spend closing politely (exit status, close,
 * disconnect). Generous: a loaded endpoint may keep the channel open a
 * while after the output ends (busybox timeout(1) keeps stdout for up to
 * a second).
 */
#define CLOSE_GRACE 10.0

/* Name lookups at once, each on its own thread (resolve.h). */
#define RESOLVER_THREADS 16

/* A jump host connection's send queue: channels write while it is under
 * JUMP_QUEUE_HIGH; past JUMP_QUEUE_MAX (control messages alone) the
 * connection fails. */
#define JUMP_QUEUE_HIGH (256u << 10)
#define JUMP_QUEUE_MAX	(16u << 20)
/* Seconds a jump host connection nobody uses is kept for the next host. */
#define JUMP_LINGER 2.0
/* Bytes of a ProxyCommand's stderr kept for the message. */
#define PROXY_ERR_MAX 240

static const char *const status_names[TSAM_HOST__COUNT] = {
    [TSAM_HOST_OK] = "ok",
    [TSAM_HOST_UNREACHABLE] = "unreachable",
    [TSAM_HOST_TIMEOUT] = "timeout",
    [TSAM_HOST_AUTH_FAILED] = "auth_failed",
    [TSAM_HOST_BECOME_FAILED] = "become_failed",
    [TSAM_HOST_HOSTKEY_UNKNOWN] = "hostkey_unknown",
    [TSAM_HOST_HOSTKEY_MISMATCH] = "hostkey_mismatch",
    [TSAM_HOST_COMMAND_FAILED] = "command_failed",
    [TSAM_HOST_TRUNCATED] = "truncated",
    [TSAM_HOST_NOT_RUN] = "not_run",
    [TSAM_HOST_JUMP_FAILED] = "jump_failed",
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

static const char *const become_names[] = {"none", "sudo", "doas"};

const char *tsam_become_name(enum tsam_become b)
{
	return (unsigned)b < 3 ? become_names[b] : "none";
}

int tsam_become_parse(const char *name)
{
	int i;

	for (i = 0; i < 3; i++)
		if (strcmp(become_names[i], name) == 0)
			return i;
	return -1;
}

/* The authentication methods, in the order they are tried. */
enum auth_phase { A_METHODS, A_KEYS, A_AGENT, A_PASSWORD, A_KBDINT, A_NONE };

enum state {
	S_FREE,
	S_WAIT,
	S_RESOLVE,
	S_CONNECT,
	S_BANNER,
	S_HANDSHAKE,
	S_AUTH,
	S_EXEC,
	S_IO,
	S_CLOSE,
	S_BYE,
	S_JUMP, /* waiting for its jump host to open a channel to it */
	S_RELAY /* a jump host's connection, carrying other hosts' channels */
};

struct jump;
struct tun;

struct slot {
	enum state st;
	const struct tsam_host *host;
	struct tsam_fanout_result r;
	struct addrinfo *ai, *ai_next; /* resolved addresses, next to try */
	int fd;
	short events; /* for poll */
	struct tsam_ssh *ssh;
	double deadline; /* of the current phase (monotonic) */
	double wake;	 /* step again then, events or not (0: no) */
	struct sockaddr_storage peer; /* where it connects (max_startups) */
	socklen_t peerlen;	      /* 0: nowhere yet */
	uint64_t lookup;    /* the resolver's id of its name lookup, or 0 */
	size_t banner_seen; /* bytes of the banner peeked so far */
	size_t pre_banner;  /* bytes of lines before it, consumed */
	double t0, t_phase; /* monotonic: attempt start, phase start */
	size_t in_off;	    /* stdin bytes sent */
	bool eof_sent, remote_eof;
	unsigned auth_step; /* index into the host's key list */
	enum auth_phase auth_phase;
	bool rsa_refused;
	char methods[128];  /* what the server accepts ("publickey,...") */
	char auth_log[384]; /* what was tried, for the message */
	char command[512];  /* what runs: the command, maybe under sudo */
	bool become_wait;   /* waiting for the privileged shell's marker */
	size_t pw_off;	    /* become password bytes sent, newline included */
	size_t err_seen;    /* stderr searched for sudo's prompt so far */
	unsigned prompts;   /* sudo's password prompts seen */
	double next_keepalive;
	char hk_types[256];
	const struct tsam_fanout_opts *g; /* the host's script, passwords */
	const struct tsam_reach *reach;	  /* how to reach it */
	struct jump *self; /* a jump host's own connection: that jump */
	struct jump *via;  /* the jump host connection it goes through */
	struct tun *tun;   /* its channel there, once open */
	pid_t pid;	   /* its ProxyCommand, or 0 */
	int errfd;	   /* the ProxyCommand's stderr, or -1 */
	char proxy_err[PROXY_ERR_MAX + 1]; /* its first bytes */
	size_t proxy_err_len;
};

/*
 * A jump host connection: its own slot (connect, banner, handshake, host
 * key, auth as any host's, then S_RELAY instead of a command) and the
 * channels it carries, one per host reached through it.
 */
struct jump {
	struct slot s;	       /* s.self == this */
	struct tsam_host host; /* its name and address, for messages */
	const struct tsam_reach *reach;
	struct tun **tun; /* its channels, open or closing */
	size_t ntun, ctun;
	unsigned users;	     /* slots whose via is this */
	bool opening;	     /* a direct-tcpip open is under way */
	struct slot *opener; /* for whom (NULL: it went away) */
	char open_host[256]; /* what is being opened (libssh2 must be asked
				the same until it answers) */
	unsigned open_port;
	bool ready;	   /* authenticated: S_RELAY */
	bool gone;	   /* closed or failed: freed by the sweep */
	double idle_since; /* when users became 0, or 0 */
};

/* One host's channel through a jump host. */
struct tun {
	struct tsam_tunnel t;
	struct jump *j;
	struct slot *owner; /* the host (or jump host) using it, or NULL */
	short events;	    /* for t.fd */
	bool closing;	    /* channel close sent, waiting for the reply */
	bool done;	    /* over: freed by the sweep */
	double close_by;
};

/* A jump host that failed before it was ready: its hosts fail alike. */
struct dead {
	const struct tsam_reach *reach;
	enum tsam_host_status st;
	char why[512];
};

/* What a poll entry is for. */
enum pkind { P_SLOT, P_TUN, P_ERR, P_RES };
struct pref {
	enum pkind kind;
	void *p;
};

struct engine {
	const struct tsam_fanout_opts *o;
	const struct tsam_inventory *inv;
	struct slot *slots;
	unsigned nslots;
	struct tsam_fanout_progress prog;
	double mono0, wall0, last_progress;
	/* this run's random token: sudo's prompt "tsam-become-password-T:"
	 * and the privileged shell's marker line "TSAM-BECOME T" */
	char token[33];
	char prompt[64], marker[64];
	struct tsam_resolver *res;    /* names, off the loop */
	uint64_t lookups;	      /* ids handed out */
	struct tsam_knownhosts **khs; /* those --accept-new may add to */
	size_t nkhs;
	struct jump **jumps; /* jump host connections */
	size_t njumps, cjumps;
	struct dead *dead; /* jump hosts that failed */
	size_t ndead, cdead;
	pid_t *zombies; /* ProxyCommands told to end, not yet reaped */
	size_t nzombies, czombies;
	struct pollfd *pfd; /* this round's poll set */
	struct pref *pref;
	size_t npfd, cpfd, cpref;
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
	return s->reach->port ? s->reach->port : 22;
}

static const char *host_user(const struct slot *s)
{
	return s->reach->user;
}

/* The name known_hosts is searched for: HostKeyAlias, else the host's. */
static const char *kh_name(const struct slot *s)
{
	return s->reach->kh_name ? s->reach->kh_name : s->host->name;
}

/* ... and the address beside it (OpenSSH's CheckHostIP; not with an
 * alias). */
static const char *kh_address(const struct slot *s)
{
	return s->reach->kh_name ? s->reach->kh_name : s->reach->address;
}

static int connect_timeout_ms(const struct engine *e, const struct slot *s)
{
	return s->reach->connect_timeout_ms > 0 ? s->reach->connect_timeout_ms
						: e->o->connect_timeout_ms;
}

static int keepalive_s(const struct engine *e, const struct slot *s)
{
	return s->reach->keepalive_s >= 0 ? s->reach->keepalive_s
					  : e->o->keepalive_s;
}

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

static void drop_connection(struct engine *e, struct slot *s)
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

static void jump_failed(struct engine *e, struct jump *j,
			enum tsam_host_status st, const char *msg);

/* Ends a host: reports it and frees the slot. A jump host's connection
 * ends its hosts instead (jump_failed). */
static void finish(struct engine *e, struct slot *s, enum tsam_host_status st,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void finish(struct engine *e, struct slot *s, enum tsam_host_status st,
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
		jump_failed(e, s->self, st, msg);
		return;
	}
	drop_connection(e, s);
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

/* Starts (or restarts) connecting: next address, non-blocking connect. */
static void start_connect(struct engine *e, struct slot *s);

/* Connection-level failure: retry with backoff while attempts remain
 * (at least min_retries of them). */
static void conn_failed_n(struct engine *e, struct slot *s,
			  enum tsam_host_status st, const char *msg,
			  unsigned min_retries)
{
	drop_connection(e, s);
	if (s->ai_next != NULL && s->st == S_CONNECT) {
		start_connect(e, s); /* another address of the same name */
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
	finish(e, s, st, "%s", msg);
}

static void conn_failed(struct engine *e, struct slot *s,
			enum tsam_host_status st, const char *msg)
{
	conn_failed_n(e, s, st, msg, 0);
}

/* The session-starting states: what sshd's MaxStartups counts. */
static bool starting(enum state st)
{
	return st == S_CONNECT || st == S_BANNER || st == S_HANDSHAKE ||
	       st == S_AUTH;
}

/* Every slot: the window's, then the jump host connections'. */
static size_t nall(const struct engine *e)
{
	return e->nslots + e->njumps;
}

static struct slot *slot_at(const struct engine *e, size_t k)
{
	return k < e->nslots ? &e->slots[k] : &e->jumps[k - e->nslots]->s;
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
static unsigned starting_beyond(const struct engine *e, const struct slot *s)
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
		conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
	} else
		finish(e, s, TSAM_HOST_UNREACHABLE, "cannot resolve '%s': %s",
		       s->reach->address, gai_strerror(rc));
}

/* The resolver's answer for slot s: connect, or end the host. */
static void resolved(struct engine *e, struct slot *s, struct addrinfo *ai,
		     int rc)
{
	s->lookup = 0;
	if (ai == NULL) {
		lookup_failed(e, s, rc ? rc : EAI_FAIL);
		return;
	}
	s->ai = ai;
	s->ai_next = ai;
	start_connect(e, s);
}

static void enter_jump(struct engine *e, struct slot *s);
static void start_proxy(struct engine *e, struct slot *s);

static void start_connect(struct engine *e, struct slot *s)
{
	char portstr[16];
	int rc, fd;

	if (s->ai == NULL && s->reach->via != NULL) {
		enter_jump(e, s); /* a channel through its jump host */
		return;
	}
	if (s->ai == NULL && s->reach->proxy_command != NULL) {
		start_proxy(e, s);
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
				finish(e, s, TSAM_HOST_UNREACHABLE,
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
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
	}
	s->st = S_CONNECT;
	conn_failed(e, s, TSAM_HOST_UNREACHABLE, "no usable address");
}

/* ---- ProxyCommand: a process per host, a socketpair as its socket ---- */

/*
 * Runs the host's ProxyCommand under /bin/sh with one end of a socketpair
 * as its stdin and stdout (the session gets the other) and its stderr in
 * a pipe, kept for the message; then waits for the banner as after a
 * connect. The command runs in a process group of its own, ended with the
 * host.
 */
static void start_proxy(struct engine *e, struct slot *s)
{
	int sv[2], ep[2];
	pid_t pid;

	s->r.attempts++;
	s->t0 = s->t_phase = now_mono();
	s->proxy_err_len = 0;
	s->proxy_err[0] = '\0';
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		finish(e, s, TSAM_HOST_UNREACHABLE,
		       "ProxyCommand: socketpair: %s", strerror(errno));
		return;
	}
	if (pipe(ep) != 0) {
		close(sv[0]);
		close(sv[1]);
		finish(e, s, TSAM_HOST_UNREACHABLE, "ProxyCommand: pipe: %s",
		       strerror(errno));
		return;
	}
	pid = fork();
	if (pid == 0) {
		/* only async-signal-safe calls until exec */
		setpgid(0, 0);
		dup2(sv[1], 0);
		dup2(sv[1], 1);
		dup2(ep[1], 2);
		execl("/bin/sh", "sh", "-c", s->reach->proxy_command,
		      (char *)NULL);
		_exit(127);
	}
	close(sv[1]);
	close(ep[1]);
	fcntl(ep[0], F_SETFD, FD_CLOEXEC);
	if (pid < 0) {
		close(sv[0]);
		close(ep[0]);
		finish(e, s, TSAM_HOST_UNREACHABLE, "ProxyCommand: fork: %s",
		       strerror(errno));
		return;
	}
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	fcntl(ep[0], F_SETFL, fcntl(ep[0], F_GETFL) | O_NONBLOCK);
	s->pid = pid;
	s->fd = sv[0];
	s->errfd = ep[0];
	s->st = S_BANNER;
	s->deadline = s->t_phase + e->o->login_timeout_ms / 1000.0;
	s->events = POLLIN;
}

/* Reads what the ProxyCommand wrote on stderr: the first bytes kept, the
 * rest dropped (it never blocks on a full pipe). */
static void drain_proxy_err(struct slot *s)
{
	char buf[4096];
	ssize_t n;

	while (s->errfd >= 0) {
		n = read(s->errfd, buf, sizeof(buf));
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0) {
			close(s->errfd);
			s->errfd = -1;
			return;
		}
		if (s->proxy_err_len < PROXY_ERR_MAX) {
			size_t k = (size_t)n < PROXY_ERR_MAX - s->proxy_err_len
				       ? (size_t)n
				       : PROXY_ERR_MAX - s->proxy_err_len;
			memcpy(s->proxy_err + s->proxy_err_len, buf, k);
			s->proxy_err_len += k;
			s->proxy_err[s->proxy_err_len] = '\0';
		}
	}
}

/* What became of the ProxyCommand, for a message: "exited with status 1:
 * <its stderr, one line>". */
static void proxy_said(struct slot *s, char *out, size_t n)
{
	char said[PROXY_ERR_MAX + 1];
	int status = 0;
	bool reaped = false;
	size_t i;

	drain_proxy_err(s);
	for (i = 0; i < s->proxy_err_len && i < sizeof(said) - 1; i++)
		said[i] = (unsigned char)s->proxy_err[i] < 0x20 ||
				  s->proxy_err[i] == 0x7f
			      ? ' '
			      : s->proxy_err[i];
	said[i] = '\0';
	while (i > 0 && said[i - 1] == ' ')
		said[--i] = '\0';
	/* its output ended: it is exiting (its files are closed before it
	 * can be reaped), so wait for it a moment, 100 ms at most */
	for (i = 0; s->pid > 0 && i < 100 && !reaped; i++) {
		struct timespec ms = {0, 1000000};
		pid_t r = waitpid(s->pid, &status, WNOHANG);

		if (r < 0)
			break;
		reaped = r == s->pid;
		if (!reaped)
			nanosleep(&ms, NULL);
	}
	if (reaped) {
		s->pid = 0;
		if (WIFEXITED(status))
			snprintf(out, n, "exited with status %d%s%s",
				 WEXITSTATUS(status), said[0] ? ": " : "",
				 said);
		else
			snprintf(out, n, "ended by signal %d%s%s",
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0,
				 said[0] ? ": " : "", said);
	} else {
		snprintf(out, n, "closed its output%s%s", said[0] ? ": " : "",
			 said);
	}
}

/* ---- Jump hosts: one connection carries many hosts' channels ---- */

/* "jump host 'NAME' (user@address:port)" for messages. */
static void jump_named(const struct jump *j, char *out, size_t n)
{
	snprintf(out, n, "jump host '%s' (%s@%s:%u)", j->reach->name,
		 j->reach->user, j->reach->address,
		 j->reach->port ? j->reach->port : 22);
}

static const struct dead *dead_for(const struct engine *e,
				   const struct tsam_reach *r)
{
	size_t k;

	for (k = 0; k < e->ndead; k++)
		if (e->dead[k].reach == r)
			return &e->dead[k];
	return NULL;
}

/* Frees a channel of j now (before j's session goes). */
static void tun_drop(struct tun *u)
{
	if (u->t.chan != NULL) {
		tsam_ssh_chan_free(u->t.chan);
		u->t.chan = NULL;
	}
	if (u->t.fd >= 0) {
		close(u->t.fd);
		u->t.fd = -1;
	}
	if (u->owner != NULL) {
		u->owner->tun = NULL;
		u->owner = NULL;
	}
	u->done = true;
}

/* Ends j's connection: its channels, its session, its slot. The struct
 * itself goes in the sweep. */
static void jump_drop(struct engine *e, struct jump *j)
{
	size_t k;

	for (k = 0; k < j->ntun; k++)
		if (!j->tun[k]->done)
			tun_drop(j->tun[k]);
	j->opening = false;
	j->opener = NULL;
	drop_connection(e, &j->s);
	if (j->s.ai != NULL) {
		freeaddrinfo(j->s.ai);
		j->s.ai = NULL;
	}
	j->s.st = S_FREE;
	j->gone = true;
}

/*
 * j failed (st and msg as a host's would be): every slot that goes through
 * it ends - a host with jump_failed, a jump host beyond it as j did - each
 * message naming j. Before it was ready, j is remembered: later hosts
 * needing it end at once with the same words.
 */
static void jump_failed(struct engine *e, struct jump *j,
			enum tsam_host_status st, const char *msg)
{
	char why[512], name[300];
	size_t k;

	if (j->gone)
		return;
	if (strncmp(msg, "jump host '", 11) == 0) {
		snprintf(why, sizeof(why), "%s", msg); /* from one before */
	} else {
		jump_named(j, name, sizeof(name));
		snprintf(why, sizeof(why), "%s: %s", name, msg);
	}
	tsam_log(TSAM_LOG_DEBUG, j->reach->name, "%s", why);
	if (!j->ready && dead_for(e, j->reach) == NULL &&
	    tsam_grow(&e->dead, &e->cdead, e->ndead + 1, sizeof(*e->dead)) ==
		TSAM_OK) {
		e->dead[e->ndead].reach = j->reach;
		e->dead[e->ndead].st = st;
		snprintf(e->dead[e->ndead].why, sizeof(e->dead[e->ndead].why),
			 "%s", why);
		e->ndead++;
	}
	j->ready = false;
	for (k = 0; k < nall(e); k++) {
		struct slot *u = slot_at(e, k);

		if (u->st == S_FREE || u->via != j)
			continue;
		if (u->self != NULL)
			finish(e, u, st, "%s", why);
		else
			finish(e, u, TSAM_HOST_JUMP_FAILED, "%s", why);
	}
	jump_drop(e, j);
}

/* A new connection to the jump host r, on behalf of s (its passwords). */
static struct jump *jump_new(struct engine *e, const struct tsam_reach *r,
			     const struct slot *s)
{
	struct jump *j;

	if (tsam_grow(&e->jumps, &e->cjumps, e->njumps + 1,
		      sizeof(*e->jumps)) != TSAM_OK ||
	    (j = calloc(1, sizeof(*j))) == NULL)
		return NULL;
	e->jumps[e->njumps++] = j;
	j->reach = r;
	j->host.name = (char *)r->name;
	j->host.address = (char *)r->address;
	j->s.fd = -1;
	j->s.errfd = -1;
	j->s.host = &j->host;
	j->s.reach = r;
	j->s.g = s->g;
	j->s.self = j;
	j->s.r.started = now_wall();
	j->s.r.exit_status = -1;
	tsam_buf_init(&j->s.r.out, 0);
	tsam_buf_init(&j->s.r.err, 0);
	tsam_log(TSAM_LOG_DEBUG, r->name, "connecting to the jump host");
	start_connect(e, &j->s);
	return j;
}

/* A connection to s's jump host with room for s: one already there, else
 * a new one (each carries at most jump_channels hosts). */
static struct jump *jump_for(struct engine *e, const struct slot *s)
{
	unsigned cap = e->o->jump_channels ? e->o->jump_channels : 1;
	size_t k;

	for (k = 0; k < e->njumps; k++) {
		struct jump *j = e->jumps[k];

		if (!j->gone && j->reach == s->reach->via && j->users < cap)
			return j;
	}
	return jump_new(e, s->reach->via, s);
}

/* s (a host, or a jump host further on) starts through its jump host. */
static void enter_jump(struct engine *e, struct slot *s)
{
	const struct dead *d = dead_for(e, s->reach->via);
	struct jump *j;
	double t = now_mono();

	s->r.attempts++;
	s->t0 = s->t_phase = t;
	if (d == NULL) {
		j = jump_for(e, s);
		if (j == NULL) {
			finish(e, s, TSAM_HOST_UNREACHABLE,
			       "out of memory for a jump host connection");
			return;
		}
		d = j->gone ? dead_for(e, s->reach->via) : NULL;
		if (!j->gone) {
			s->via = j;
			j->users++;
			j->idle_since = 0;
			s->st = S_JUMP;
			s->fd = -1;
			s->events = 0;
			s->deadline = t + (connect_timeout_ms(e, s) +
					   e->o->login_timeout_ms) /
					      1000.0;
			if (j->ready)
				j->s.wake = t; /* open its channel soon */
			return;
		}
	}
	if (s->self != NULL)
		finish(e, s, d ? d->st : TSAM_HOST_UNREACHABLE, "%s",
		       d ? d->why : "its jump host failed");
	else
		finish(e, s, TSAM_HOST_JUMP_FAILED, "%s",
		       d ? d->why : "its jump host failed");
}

/* The next slot waiting in S_JUMP for j whose target takes another
 * starting session (max_startups), or NULL. */
static struct slot *next_waiting(struct engine *e, struct jump *j)
{
	size_t k;

	for (k = 0; k < nall(e); k++) {
		struct slot *w = slot_at(e, k);

		if (w->st == S_JUMP && w->via == j &&
		    (e->o->max_startups == 0 ||
		     starting_beyond(e, w) < e->o->max_startups))
			return w;
	}
	return NULL;
}

/* j opened the channel ch for w: w gets a socketpair's end as its socket
 * and goes on as after a connect. */
static void attach(struct engine *e, struct jump *j, struct slot *w,
		   struct tsam_ssh_chan *ch)
{
	struct tun *u = NULL;
	double t = now_mono();
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0,
		       sv) != 0) {
		tsam_ssh_chan_free(ch);
		finish(e, w, TSAM_HOST_UNREACHABLE, "socketpair: %s",
		       strerror(errno));
		return;
	}
	if (tsam_grow(&j->tun, &j->ctun, j->ntun + 1, sizeof(*j->tun)) !=
		TSAM_OK ||
	    (u = calloc(1, sizeof(*u))) == NULL) {
		close(sv[0]);
		close(sv[1]);
		tsam_ssh_chan_free(ch);
		finish(e, w, TSAM_HOST_UNREACHABLE,
		       "out of memory for a tunnel");
		return;
	}
	u->t.relay = j->s.ssh;
	u->t.chan = ch;
	u->t.fd = sv[1];
	u->t.max_queue = JUMP_QUEUE_HIGH;
	u->j = j;
	u->owner = w;
	u->events = POLLIN;
	j->tun[j->ntun++] = u;
	w->tun = u;
	w->fd = sv[0];
	w->r.t_connect = t - w->t_phase;
	w->t_phase = t;
	w->deadline = t + e->o->login_timeout_ms / 1000.0;
	w->st = S_BANNER;
	w->events = POLLIN;
}

/* Moves one channel's bytes; a channel whose tunnel ended is closed. */
static void pump_tun(struct engine *e, struct tun *u)
{
	struct tsam_errbuf eb;
	double t = now_mono();
	int rc;

	if (u->done)
		return;
	tsam_errbuf_clear(&eb);
	if (!u->closing) {
		rc = tsam_tunnel_pump(&u->t, &u->events, &eb);
		if (rc == TSAM_ERR_AGAIN) {
			if (u->t.more)
				u->j->s.wake = t;
			return;
		}
		if (rc != TSAM_ERR_EOF && u->owner != NULL)
			tsam_log(TSAM_LOG_DEBUG, u->owner->host->name,
				 "the channel through the jump host failed: %s",
				 tsam_errbuf_str(&eb, rc));
		/* the host's session reads the end of its socket */
		close(u->t.fd);
		u->t.fd = -1;
		u->events = 0;
		u->closing = true;
		u->close_by = t + CLOSE_GRACE;
	}
	if (tsam_ssh_chan_close(u->t.chan) != TSAM_ERR_AGAIN ||
	    t >= u->close_by)
		tun_drop(u);
}

/* Writes j's queue; false (and j failed) when the connection broke. */
static bool relay_flush(struct engine *e, struct jump *j)
{
	struct tsam_errbuf eb;
	int rc;

	tsam_errbuf_clear(&eb);
	rc = tsam_ssh_flush(j->s.ssh, &eb);
	if (rc == TSAM_OK || rc == TSAM_ERR_AGAIN)
		return true;
	jump_failed(e, j, TSAM_HOST_UNREACHABLE, tsam_errbuf_str(&eb, rc));
	return false;
}

/* What j's socket waits for: reading while someone wants the channel
 * side's bytes (not while every channel's buffer is full: nothing would
 * read it), writing while its queue holds some. */
static short relay_events(const struct jump *j)
{
	bool reading = j->opening;
	size_t k;

	for (k = 0; k < j->ntun && !reading; k++)
		reading =
		    !j->tun[k]->done &&
		    (j->tun[k]->closing || tsam_tunnel_reading(&j->tun[k]->t));
	return (short)((reading ? POLLIN : 0) |
		       (tsam_ssh_queued(j->s.ssh) > 0 ? POLLOUT : 0));
}

/* The relay's step: write its queue, open the channels its hosts wait
 * for (one at a time, as libssh2 allows), move every channel's bytes. */
static void relay_step(struct engine *e, struct jump *j, short revents)
{
	struct slot *s = &j->s;
	struct tsam_errbuf eb;
	char name[300], msg[1024];
	double t = now_mono();
	size_t k;
	int rc;

	tsam_errbuf_clear(&eb);
	if (!relay_flush(e, j))
		return;
	for (;;) {
		struct tsam_ssh_chan *ch;
		struct slot *w;

		if (!j->opening) {
			w = next_waiting(e, j);
			if (w == NULL)
				break;
			j->opening = true;
			j->opener = w;
			snprintf(j->open_host, sizeof(j->open_host), "%s",
				 w->reach->address);
			j->open_port = host_port(w);
			w->t_phase = t;
		}
		rc = tsam_ssh_tunnel_open(s->ssh, j->open_host, j->open_port,
					  &ch, &eb);
		if (rc == TSAM_ERR_AGAIN)
			break;
		w = j->opener;
		j->opening = false;
		j->opener = NULL;
		if (rc == TSAM_OK && w == NULL)
			tsam_ssh_chan_free(ch); /* nobody wants it now */
		else if (rc == TSAM_OK)
			attach(e, j, w, ch);
		else if (w != NULL) {
			jump_named(j, name, sizeof(name));
			snprintf(msg, sizeof(msg),
				 "%s could not open a connection to %s:%u: %s",
				 name, j->open_host, j->open_port,
				 tsam_errbuf_str(&eb, rc));
			conn_failed(e, w, TSAM_HOST_UNREACHABLE, msg);
		}
		if (!tsam_ssh_alive(s->ssh)) {
			jump_failed(e, j, TSAM_HOST_UNREACHABLE,
				    "the connection to it broke");
			return;
		}
	}
	for (k = 0; k < j->ntun; k++)
		pump_tun(e, j->tun[k]);
	if (keepalive_s(e, s) > 0 && t >= s->next_keepalive) {
		int next = keepalive_s(e, s);
		tsam_ssh_keepalive(s->ssh, &next);
		s->next_keepalive = t + (next > 0 ? next : 1);
	}
	if (!relay_flush(e, j))
		return;
	if (!tsam_ssh_alive(s->ssh) || (revents & (POLLERR | POLLHUP))) {
		jump_failed(e, j, TSAM_HOST_UNREACHABLE,
			    tsam_ssh_disconnect_reason(s->ssh)
				? "it disconnected"
				: "the connection to it broke");
		return;
	}
	if (next_waiting(e, j) == NULL && e->o->max_startups > 0) {
		/* hosts held back by max_startups: look again soon */
		for (k = 0; k < nall(e); k++)
			if (slot_at(e, k)->st == S_JUMP &&
			    slot_at(e, k)->via == j && !j->opening) {
				s->wake = t + 0.05;
				break;
			}
	}
	s->events = relay_events(j);
}

/* j authenticated: it becomes a relay and serves its waiting hosts. */
static void jump_ready(struct engine *e, struct jump *j)
{
	struct slot *s = &j->s;

	tsam_ssh_relay(s->ssh, JUMP_QUEUE_MAX);
	j->ready = true;
	s->st = S_RELAY;
	s->deadline = now_mono() + 1e9; /* the hosts' deadlines bound it */
	s->next_keepalive = now_mono() + keepalive_s(e, s);
	if (j->users == 0)
		j->idle_since = now_mono();
	tsam_log(TSAM_LOG_DEBUG, j->reach->name,
		 "jump host ready (%.2f s to connect and log in)",
		 now_mono() - s->t0);
	relay_step(e, j, 0);
}

/* Closes j politely (nobody uses it any more). */
static void jump_close(struct engine *e, struct jump *j)
{
	if (j->ready && j->s.ssh != NULL) {
		tsam_ssh_disconnect(j->s.ssh); /* queued: never blocks */
		relay_flush(e, j);
	}
	if (!j->gone)
		jump_drop(e, j);
}

/*
 * After each round: frees what is over (channels, jump host connections),
 * closes jump host connections idle past JUMP_LINGER (all of them when
 * everything is done), reaps ended ProxyCommands.
 */
static void sweep(struct engine *e, bool all_done)
{
	double t = now_mono();
	size_t k, m;

	for (k = 0; k < e->njumps; k++) {
		struct jump *j = e->jumps[k];

		for (m = 0; m < j->ntun;) {
			if (j->tun[m]->done) {
				free(j->tun[m]);
				j->tun[m] = j->tun[--j->ntun];
			} else {
				m++;
			}
		}
		if (!j->gone && j->users == 0 && j->ntun == 0 && !j->opening &&
		    (all_done ||
		     (j->idle_since > 0 && t - j->idle_since >= JUMP_LINGER)))
			jump_close(e, j);
	}
	for (k = 0; k < e->njumps;) {
		struct jump *j = e->jumps[k];

		if (j->gone && j->users == 0) {
			for (m = 0; m < j->ntun; m++)
				free(j->tun[m]);
			free(j->tun);
			tsam_buf_free(&j->s.r.out);
			tsam_buf_free(&j->s.r.err);
			free(j);
			e->jumps[k] = e->jumps[--e->njumps];
		} else {
			k++;
		}
	}
	for (k = 0; k < e->nzombies;) {
		if (waitpid(e->zombies[k], NULL, WNOHANG) != 0)
			e->zombies[k] = e->zombies[--e->nzombies];
		else
			k++;
	}
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

static void start_host(struct engine *e, struct slot *s, size_t index)
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
	start_connect(e, s);
}

/* The i-th key file to try (agent-only identities are the agent's). */
static const struct tsam_identity *key_for(const struct slot *s, unsigned i)
{
	size_t k;

	for (k = 0; k < s->reach->nids; k++)
		if (!s->reach->ids[k].agent_only && i-- == 0)
			return &s->reach->ids[k];
	return NULL;
}

/* The agent keys to offer, when .pub identities name some (else all). */
static size_t agent_only_keys(const struct slot *s, struct tsam_ssh_pubkey *out,
			      size_t max)
{
	size_t k, m = 0;

	for (k = 0; k < s->reach->nids && m < max; k++)
		if (s->reach->ids[k].agent_only)
			out[m++] = s->reach->ids[k].pub;
	return m;
}

static void note_auth(struct slot *s, const char *what)
{
	size_t used = strlen(s->auth_log);
	snprintf(s->auth_log + used, sizeof(s->auth_log) - used, "%s%s",
		 used ? "; " : "", what);
}

/* Whether the server's method list names method. */
static bool accepts(const struct slot *s, const char *method)
{
	size_t n = strlen(method);
	const char *p = s->methods;

	while ((p = strstr(p, method)) != NULL) {
		if ((p == s->methods || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return true;
		p += n;
	}
	return false;
}

/*
 * One step of AUTH: the methods the server takes, then keys, the agent
 * and the password in turn, each only where the server takes it. Returns
 * AGAIN, OK (authenticated) or AUTH (s->auth_log says what was tried).
 */
static int step_auth(struct slot *s)
{
	const char *user = host_user(s);
	struct tsam_ssh_pubkey only[16];
	struct tsam_errbuf eb;
	size_t nonly;
	int rc = TSAM_ERR_AUTH;

	for (;;) {
		const struct tsam_identity *id;

		tsam_errbuf_clear(&eb);
		switch (s->auth_phase) {
		case A_METHODS: {
			size_t i;
			rc = tsam_ssh_auth_methods(s->ssh, user, s->methods,
						   sizeof(s->methods), &eb);
			if (rc != TSAM_OK)
				break;
			if (tsam_ssh_authenticated(s->ssh))
				return TSAM_OK;
			for (i = 0; s->methods[i]; i++) /* the peer's text */
				if (s->methods[i] < 0x20 ||
				    s->methods[i] > 0x7e)
					s->methods[i] = '?';
			s->auth_phase =
			    accepts(s, "publickey") ? A_KEYS : A_PASSWORD;
			continue;
		}
		case A_KEYS:
			if ((id = key_for(s, s->auth_step)) == NULL) {
				s->auth_phase = A_AGENT;
				continue;
			}
			rc = tsam_ssh_auth_keyfile(s->ssh, user, id->path,
						   id->pubpath, id->passphrase,
						   &eb);
			if (rc == TSAM_ERR_AUTH && id->type == TSAM_KEY_RSA)
				s->rsa_refused = true;
			if (rc == TSAM_ERR_AUTH)
				s->auth_step++;
			break;
		case A_AGENT:
			nonly = agent_only_keys(s, only, 16);
			if (!s->reach->use_agent) {
				s->auth_phase = A_PASSWORD;
				continue;
			}
			rc = tsam_ssh_auth_agent(s->ssh, user,
						 s->reach->agent_sock, only,
						 nonly, &s->rsa_refused, &eb);
			if (rc == TSAM_ERR_AUTH || rc == TSAM_ERR_NOTFOUND)
				s->auth_phase = A_PASSWORD;
			break;
		case A_PASSWORD:
			if (s->g->password == NULL || !accepts(s, "password")) {
				s->auth_phase = A_KBDINT;
				continue;
			}
			rc = tsam_ssh_auth_password(s->ssh, user,
						    s->g->password, &eb);
			if (rc == TSAM_ERR_AUTH)
				s->auth_phase = A_KBDINT;
			break;
		case A_KBDINT:
			if (s->g->password == NULL ||
			    !accepts(s, "keyboard-interactive")) {
				s->auth_phase = A_NONE;
				continue;
			}
			rc = tsam_ssh_auth_kbdint(s->ssh, user, s->g->password,
						  &eb);
			if (rc == TSAM_ERR_AUTH)
				s->auth_phase = A_NONE;
			break;
		case A_NONE:
			return TSAM_ERR_AUTH;
		}
		if (rc == TSAM_ERR_AGAIN || rc == TSAM_OK)
			return rc;
		if (rc != TSAM_ERR_AUTH && rc != TSAM_ERR_NOTFOUND) {
			note_auth(s, tsam_errbuf_str(&eb, rc));
			return rc;
		}
		note_auth(s, tsam_errbuf_str(&eb, rc));
		/* a server that gave up (MaxAuthTries) takes nothing more */
		if (tsam_ssh_disconnect_reason(s->ssh) != NULL)
			return TSAM_ERR_AUTH;
	}
}

/* The auth_failed message: who, what the server takes, what was tried,
 * and what to do about it. */
static void auth_failed(struct engine *e, struct slot *s)
{
	const char *why = tsam_ssh_disconnect_reason(s->ssh);
	bool keys = accepts(s, "publickey");
	bool pw = accepts(s, "password") || accepts(s, "keyboard-interactive");
	const char *hint = "";

	if (why != NULL && strstr(why, "Too many authentication failures"))
		hint = "; the server's MaxAuthTries ended the attempts before "
		       "the right key: name it with --identity (a KEY.pub of "
		       "an ssh-agent key offers only that agent key)";
	else if (!keys && pw && s->g->password == NULL)
		hint = "; the server takes only passwords here: give one with "
		       "--password-env VAR or --ask-pass";
	else if (!keys && !pw && s->methods[0])
		hint = "; tsamkit can use none of these methods (publickey, "
		       "password, keyboard-interactive)";
	else if (keys && s->auth_log[0])
		hint = "; if the key is in the account's authorized_keys, sshd "
		       "refused the account itself (locked, a missing login "
		       "shell, AllowUsers): the server's log says which";
	finish(e, s, TSAM_HOST_AUTH_FAILED,
	       "as '%s': the server accepts %s; %s%s%s%s", host_user(s),
	       s->methods[0] ? s->methods : "(unknown methods)",
	       s->auth_log[0] ? s->auth_log
			      : "no key, agent or password to try",
	       s->rsa_refused ? "; " : "",
	       s->rsa_refused ? tsam_ssh_rsa_note : "", hint);
}

static void check_hostkey(struct engine *e, struct slot *s)
{
	const unsigned char *blob;
	size_t len;
	struct tsam_kh_where where;
	char type[48] = "?", fp[64];
	unsigned port = host_port(s);
	enum tsam_kh_result kr;

	if (tsam_ssh_hostkey(s->ssh, &blob, &len) != TSAM_OK) {
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN, "no host key received");
		return;
	}
	tsam_knownhosts_blob_type(blob, len, type, sizeof(type));
	tsam_knownhosts_fingerprint(blob, len, fp, sizeof(fp));
	kr = tsam_knownhosts_check(s->reach->kh, kh_name(s), kh_address(s),
				   port, blob, len, &where);
	switch (kr) {
	case TSAM_KH_MATCH:
		break;
	case TSAM_KH_UNKNOWN:
		if (s->reach->accept_new) {
			if (tsam_knownhosts_add(s->reach->kh, kh_name(s),
						kh_address(s), port, blob,
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
		       "%s host key %s not in known_hosts; nothing was run "
		       "(verify it, then add it or use --accept-new)",
		       type, fp);
		return;
	case TSAM_KH_OTHER_TYPE:
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		       "known_hosts has keys of other types (%s) for this host "
		       "but the server offered %s; nothing was run",
		       s->hk_types, type);
		return;
	case TSAM_KH_MISMATCH:
		finish(e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		       "the %s host key is %s, but %s:%zu records %s: possible "
		       "man-in-the-middle or a reinstalled host; nothing was "
		       "run",
		       type, fp, where.path ? where.path : "known_hosts",
		       where.line, where.fingerprint);
		return;
	case TSAM_KH_REVOKED:
		finish(e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		       "the %s host key %s is marked @revoked at %s:%zu; "
		       "nothing was run",
		       type, fp, where.path ? where.path : "known_hosts",
		       where.line);
		return;
	case TSAM_KH_CA:
		finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		       "%s:%zu trusts a host certificate authority "
		       "(@cert-authority) for this host, but libssh2 1.10 "
		       "cannot verify host certificates; nothing was run: list "
		       "the host's own key (ssh-keyscan -t ed25519, or "
		       "--accept-new once); its %s key is %s",
		       where.path ? where.path : "known_hosts", where.line,
		       type, fp);
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

/*
 * What sudo or doas said (stderr, its prompts taken out), as one line of
 * at most outsz bytes: the line naming the tool, else the last one.
 */
static void become_said(const struct engine *e, const struct slot *s, char *out,
			size_t outsz)
{
	const char *p = s->r.err.data ? s->r.err.data : "";
	const char *end = p + s->r.err.len, *best = NULL, *last = NULL;
	size_t bestn = 0, lastn = 0, pl = strlen(e->prompt), i, j;

	if (s->r.err.len > 4096)
		p = end - 4096;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *q = p;
		/* skip prompts at the start of the line */
		while ((size_t)(le - q) >= pl && memcmp(q, e->prompt, pl) == 0)
			q += pl;
		while (q < le && (*q == ' ' || *q == '\r'))
			q++;
		if (q < le) {
			last = q;
			lastn = (size_t)(le - q);
			if (best == NULL && ((size_t)(le - q) > 5 &&
					     (memcmp(q, "sudo:", 5) == 0 ||
					      memcmp(q, "doas:", 5) == 0))) {
				best = q;
				bestn = (size_t)(le - q);
			}
		}
		p = nl ? nl + 1 : end;
	}
	if (best == NULL) {
		best = last;
		bestn = lastn;
	}
	for (i = j = 0; best != NULL && i < bestn && j + 1 < outsz; i++)
		out[j++] = best[i] >= 0x20 && best[i] < 0x7f ? best[i] : '?';
	out[j] = '\0';
}

/* What to do about a refusal, by the words sudo or doas used. */
static const char *become_hint(const struct slot *s, const char *said)
{
	if (strstr(said, "a password is required") ||
	    strstr(said, "no tty present"))
		return "give sudo's password with --become-password-env VAR "
		       "or --ask-become-pass, or allow this account NOPASSWD "
		       "for /bin/sh";
	if (strstr(said, "must have a tty"))
		return "this host's sudoers has 'Defaults requiretty': add "
		       "'Defaults:USER !requiretty' for this account (tsamkit "
		       "does not ask for a terminal: it would mix the "
		       "password, the script and its output)";
	if (strstr(said, "not in the sudoers") ||
	    strstr(said, "not allowed to execute") ||
	    strstr(said, "may not run sudo"))
		return "no sudo rule lets this account run /bin/sh as root";
	if (strstr(said, "incorrect password") ||
	    strstr(said, "Sorry, try again") || s->prompts > 1)
		return "sudo refused the password";
	if (strstr(said, "Authentication required") ||
	    strstr(said, "Authorization required") ||
	    strstr(said, "Authentication failed"))
		return "doas wants a password, which it reads only from a "
		       "terminal: give the account a 'permit nopass' rule for "
		       "/bin/sh, or use --become sudo";
	if (strstr(said, "not permitted"))
		return "no doas rule lets this account run /bin/sh as root";
	if (strstr(said, "not found"))
		return "it is not installed on this host";
	return NULL;
}

/* Ends a host whose escalation failed (or timed out), with the words. */
static void become_failed(struct engine *e, struct slot *s,
			  enum tsam_host_status st)
{
	char said[256];
	const char *tool = tsam_become_name(s->r.become), *hint;

	become_said(e, s, said, sizeof(said));
	hint = become_hint(s, said);
	if (st == TSAM_HOST_TIMEOUT)
		finish(e, s, st,
		       "%s did not start a shell within %d s "
		       "(--command-timeout)%s%s%s",
		       tool, e->o->command_timeout_ms / 1000,
		       said[0] ? "; it printed: '" : "", said,
		       said[0] ? "'" : "");
	else
		finish(e, s, TSAM_HOST_BECOME_FAILED, "%s refused%s%s%s%s%s",
		       tool, said[0] ? ": '" : "", said, said[0] ? "'" : "",
		       hint ? ": " : "", hint ? hint : "");
}

/*
 * With become: reads until the privileged shell's marker line arrives
 * on stdout (then takes the line out of the output: the rest is the
 * collectors'), answering sudo's password prompt once. OK when the
 * shell runs; AGAIN to wait; anything else: the host is finished.
 */
static int become_step(struct engine *e, struct slot *s, struct tsam_errbuf *eb)
{
	const char *pw = s->g->become_password;
	size_t ml = strlen(e->marker), pl = strlen(e->prompt);
	const char *m, *p;
	int rc = pump_output(e, s, eb);

	/* sudo's prompts on stderr */
	while (s->r.err.data != NULL && s->err_seen < s->r.err.len &&
	       (p = tsam_cur_find(tsam_cur_make(s->r.err.data + s->err_seen,
						s->r.err.len - s->err_seen),
				  e->prompt, pl)) != NULL) {
		s->err_seen = (size_t)(p - s->r.err.data) + pl;
		s->prompts++;
	}
	if (s->prompts > 1 || (s->prompts > 0 && pw == NULL)) {
		become_failed(e, s, TSAM_HOST_BECOME_FAILED);
		return TSAM_ERR_AUTH;
	}
	while (s->prompts == 1 && pw != NULL && s->pw_off <= strlen(pw)) {
		size_t n = strlen(pw), done = 0;
		int wrc = s->pw_off < n
			      ? tsam_ssh_write(s->ssh, pw + s->pw_off,
					       n - s->pw_off, &done, eb)
			      : tsam_ssh_write(s->ssh, "\n", 1, &done, eb);
		if (wrc == TSAM_ERR_AGAIN)
			break;
		if (wrc != TSAM_OK) {
			become_failed(e, s, TSAM_HOST_BECOME_FAILED);
			return wrc;
		}
		s->pw_off += done;
	}
	/* the marker, at the start of a line */
	for (m = s->r.out.data;
	     m != NULL &&
	     (m = tsam_cur_find(
		  tsam_cur_make(m, s->r.out.len - (size_t)(m - s->r.out.data)),
		  e->marker, ml)) != NULL;
	     m += ml) {
		size_t at = (size_t)(m - s->r.out.data);
		if ((at == 0 || m[-1] == '\n') && at + ml < s->r.out.len &&
		    m[ml] == '\n') {
			memmove(s->r.out.data + at, m + ml + 1,
				s->r.out.len - at - ml - 1);
			s->r.out.len -= ml + 1;
			s->become_wait = false;
			return TSAM_OK;
		}
	}
	if (rc == TSAM_ERR_AGAIN)
		return TSAM_ERR_AGAIN;
	/* sudo ended (or the output cap) before the shell said it runs */
	become_failed(e, s, TSAM_HOST_BECOME_FAILED);
	return TSAM_ERR_AUTH;
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
 * that floods without a newline would hold the whole run (PITFALLS 5).
 * Lines before the banner (RFC 4253 allows them) are read and dropped, up
 * to PRE_BANNER_MAX. The line itself is only peeked at, for libssh2 to
 * read. OK when it is there; AGAIN to wait (s->events, s->wake); other:
 * the host is finished.
 */
static int banner_step(struct engine *e, struct slot *s)
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
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return TSAM_ERR_IO;
		}
		if (n == 0 && s->pid > 0) {
			char said[300], msg[400];
			proxy_said(s, said, sizeof(said));
			snprintf(msg, sizeof(msg),
				 "the ProxyCommand %s before the SSH banner",
				 said);
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
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
				finish(e, s, TSAM_HOST_UNREACHABLE,
				       "the SSH banner holds a NUL byte (RFC "
				       "4253 forbids it): a broken server");
				return TSAM_ERR_PARSE;
			}
			if (nl != NULL)
				return TSAM_OK;
			if ((size_t)n > BANNER_MAX) {
				finish(e, s, TSAM_HOST_UNREACHABLE,
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
				finish(e, s, TSAM_HOST_UNREACHABLE,
				       "the server sent %zu bytes without an "
				       "SSH identification line: not an SSH "
				       "server (or one behind something that "
				       "talks first)",
				       s->pre_banner);
				return TSAM_ERR_PARSE;
			}
			if (recv(s->fd, buf, take, 0) != (ssize_t)take) {
				conn_failed(e, s, TSAM_HOST_UNREACHABLE,
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
	if (s->st == S_FREE)
		return; /* ended earlier in this round */
	if (s->errfd >= 0)
		drain_proxy_err(s);
	if (s->st == S_WAIT) {
		if (t >= s->deadline)
			start_connect(e, s);
		return;
	}
	if (t >= s->deadline) {
		switch (s->st) {
		case S_JUMP: {
			char msg[400], name[300];
			jump_named(s->via, name, sizeof(name));
			snprintf(msg, sizeof(msg),
				 "%s did not open a connection to %s:%u in "
				 "time",
				 name, s->reach->address, host_port(s));
			conn_failed(e, s, TSAM_HOST_TIMEOUT, msg);
			return;
		}
		case S_RESOLVE: {
			char msg[400];
			snprintf(msg, sizeof(msg),
				 "the name lookup of '%.200s' did not answer "
				 "within %d s (a slow or dead DNS server?)",
				 s->reach->address,
				 connect_timeout_ms(e, s) / 1000);
			tsam_resolver_cancel(e->res, s->lookup);
			s->lookup = 0;
			s->st = S_CONNECT; /* conn_failed: retry or end */
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
		case S_CONNECT: {
			char msg[128];
			snprintf(msg, sizeof(msg),
				 "no answer within %d s (connect)",
				 connect_timeout_ms(e, s) / 1000);
			conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
		case S_BANNER:
			conn_failed(e, s, TSAM_HOST_TIMEOUT,
				    s->banner_seen
					? "no complete SSH banner line before "
					  "the login timeout"
					: "no SSH banner before the login "
					  "timeout");
			return;
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
			if (s->become_wait) {
				become_failed(e, s, TSAM_HOST_TIMEOUT);
				return;
			}
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
			s->st = S_BANNER;
			break;
		}
		case S_BANNER:
			rc = banner_step(e, s);
			if (rc == TSAM_ERR_AGAIN)
				return; /* s->events, s->wake set */
			if (rc != TSAM_OK)
				return; /* finished */
			tsam_knownhosts_types(s->reach->kh, kh_name(s),
					      kh_address(s), host_port(s),
					      s->hk_types, sizeof(s->hk_types));
			s->ssh =
			    tsam_ssh_new(s->fd, s->hk_types, keepalive_s(e, s));
			if (s->ssh == NULL) {
				finish(e, s, TSAM_HOST_UNREACHABLE,
				       "out of memory for an SSH session");
				return;
			}
			s->st = S_HANDSHAKE;
			break;
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
			rc = step_auth(s);
			if (rc == TSAM_ERR_AGAIN)
				goto again;
			if (rc != TSAM_OK) {
				auth_failed(e, s);
				return;
			}
			s->r.t_auth = now_mono() - s->t_phase;
			s->t_phase = now_mono();
			if (s->self != NULL) {
				jump_ready(e, s->self);
				return;
			}
			s->deadline =
			    s->t_phase + e->o->command_timeout_ms / 1000.0;
			s->next_keepalive = s->t_phase + keepalive_s(e, s);
			s->st = S_EXEC;
			break;
		case S_EXEC:
			rc = tsam_ssh_exec(s->ssh, s->command, &eb);
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
			if (s->become_wait) {
				rc = become_step(e, s, &eb);
				if (rc == TSAM_ERR_AGAIN)
					goto again;
				if (rc != TSAM_OK)
					return; /* finished */
			}
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
			if (keepalive_s(e, s) > 0 && t >= s->next_keepalive) {
				int next = keepalive_s(e, s);
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
		case S_RELAY:
			relay_step(e, s->self, revents);
			return;
		default: /* S_JUMP: its jump host moves it on */
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

/* The resolver's answers, each to the slot still waiting for it. */
static void answers(struct engine *e)
{
	struct addrinfo *ai;
	uint64_t id;
	size_t k;
	int rc;

	while (tsam_resolver_take(e->res, &id, &ai, &rc)) {
		struct slot *s = NULL;

		for (k = 0; k < nall(e) && s == NULL; k++)
			if (slot_at(e, k)->st == S_RESOLVE &&
			    slot_at(e, k)->lookup == id)
				s = slot_at(e, k);
		if (s != NULL)
			resolved(e, s, ai, rc);
		else if (ai != NULL)
			freeaddrinfo(ai);
	}
}

/* Writes the keys --accept-new queued since the last call, in every
 * known_hosts a host of the run may add to (e->khs). */
static void flush_known_hosts(const struct engine *e)
{
	size_t i;

	for (i = 0; i < e->nkhs; i++) {
		struct tsam_errbuf kerr;

		tsam_errbuf_clear(&kerr);
		if (tsam_knownhosts_flush(e->khs[i], &kerr) != TSAM_OK)
			tsam_log(TSAM_LOG_ERROR, NULL, "%s",
				 tsam_errbuf_str(&kerr, TSAM_ERR_IO));
	}
}

/* Collects into e->khs the distinct known_hosts that the hosts idx[0..n)
 * may add keys to (accept_new). */
static int collect_khs(struct engine *e, const size_t *idx, size_t n)
{
	size_t i, k, cap = 0;

	for (i = 0; i < n; i++) {
		const struct tsam_reach *r;

		/* the host's, and its jump hosts' */
		for (r = &e->o->reach[idx[i]]; r != NULL; r = r->via) {
			bool seen = false;

			if (!r->accept_new || r->kh == NULL)
				continue;
			for (k = 0; k < e->nkhs && !seen; k++)
				seen = e->khs[k] == r->kh;
			if (seen)
				continue;
			if (tsam_grow(&e->khs, &cap, e->nkhs + 1,
				      sizeof(*e->khs)) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			e->khs[e->nkhs++] = r->kh;
		}
	}
	return TSAM_OK;
}

/* Whether every host has a reach with a known_hosts, and a group. */
static bool groups_ok(const struct tsam_fanout_opts *o, const size_t *idx,
		      size_t n)
{
	size_t i;

	if (o->reach == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (o->reach[idx[i]].kh == NULL ||
		    o->reach[idx[i]].user == NULL ||
		    o->reach[idx[i]].address == NULL)
			return false;
	if (o->groups == NULL)
		return true;
	if (o->group_of == NULL)
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
	o->max_startups = 8;
	o->jump_channels = 32;
}

/* Adds fd to this round's poll set, for what p (of kind k) is. */
static bool poll_add(struct engine *e, int fd, short events, enum pkind k,
		     void *p)
{
	if (tsam_grow(&e->pfd, &e->cpfd, e->npfd + 1, sizeof(*e->pfd)) !=
		TSAM_OK ||
	    tsam_grow(&e->pref, &e->cpref, e->npfd + 1, sizeof(*e->pref)) !=
		TSAM_OK)
		return false;
	e->pfd[e->npfd].fd = fd;
	e->pfd[e->npfd].events = events;
	e->pfd[e->npfd].revents = 0;
	e->pref[e->npfd].kind = k;
	e->pref[e->npfd].p = p;
	e->npfd++;
	return true;
}

/* Whether slot s is due a step at t without an event. */
static bool due(const struct engine *e, const struct slot *s, double t)
{
	return t >= s->deadline || (s->wake > 0 && t >= s->wake) ||
	       ((s->st == S_IO || s->st == S_RELAY) && keepalive_s(e, s) > 0 &&
		t >= s->next_keepalive);
}

/*
 * This round's poll set: every slot's socket (a jump host's as its relay
 * needs), every channel's local end, every ProxyCommand's stderr, the
 * resolver. *nearest gets the nearest deadline or wake-up.
 */
static bool poll_set(struct engine *e, double *nearest)
{
	size_t k, m;
	bool ok = true;

	e->npfd = 0;
	for (k = 0; k < nall(e); k++) {
		struct slot *s = slot_at(e, k);

		if (s->st == S_FREE)
			continue;
		if (s->deadline < *nearest)
			*nearest = s->deadline;
		if (s->wake > 0 && s->wake < *nearest)
			*nearest = s->wake;
		if ((s->st == S_IO || s->st == S_RELAY) &&
		    keepalive_s(e, s) > 0 && s->next_keepalive < *nearest)
			*nearest = s->next_keepalive;
		if (s->st == S_RELAY)
			s->events = relay_events(s->self);
		if (s->st != S_WAIT && s->fd >= 0)
			ok = ok && poll_add(e, s->fd, s->events, P_SLOT, s);
		if (s->errfd >= 0)
			ok = ok && poll_add(e, s->errfd, POLLIN, P_ERR, s);
	}
	for (k = 0; k < e->njumps; k++)
		for (m = 0; m < e->jumps[k]->ntun; m++) {
			struct tun *u = e->jumps[k]->tun[m];

			if (!u->done && !u->closing && u->t.fd >= 0)
				ok = ok &&
				     poll_add(e, u->t.fd, u->events, P_TUN, u);
		}
	return ok && poll_add(e, tsam_resolver_fd(e->res), POLLIN, P_RES, NULL);
}

/* Ends every jump host connection and reaps every ProxyCommand. */
static void engine_free(struct engine *e)
{
	size_t k;

	for (k = 0; k < e->njumps; k++)
		if (!e->jumps[k]->gone)
			jump_close(e, e->jumps[k]);
	sweep(e, true);
	for (k = 0; k < e->nzombies; k++) {
		kill(-e->zombies[k], SIGKILL);
		waitpid(e->zombies[k], NULL, 0);
	}
	if (e->res != NULL)
		tsam_resolver_free(e->res);
	free(e->jumps);
	free(e->dead);
	free(e->zombies);
	free(e->pfd);
	free(e->pref);
	free(e->khs);
	free(e->slots);
}

int tsam_fanout_run(const struct tsam_fanout_opts *o,
		    const struct tsam_inventory *inv, const size_t *idx,
		    size_t n, struct tsam_errbuf *eb)
{
	struct engine e;
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
	if (e.slots == NULL || collect_khs(&e, idx, n) != TSAM_OK ||
	    tsam_resolver_new(RESOLVER_THREADS, &e.res) != TSAM_OK) {
		engine_free(&e);
		return TSAM_ERR_NOMEM;
	}
	e.prog.total = n;
	if (tsam_random_hex(e.token) != TSAM_OK) {
		engine_free(&e);
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "no random bytes");
	}
	snprintf(e.prompt, sizeof(e.prompt),
		 "tsam-become-password-%s:", e.token);
	snprintf(e.marker, sizeof(e.marker), "TSAM-BECOME %s", e.token);
	e.mono0 = now_mono();
	e.wall0 = now_wall();

	for (;;) {
		double t = now_mono(), nearest;
		unsigned k;
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
			if (result == TSAM_OK) /* a poll failure stays said */
				result = tsam_errbuf_set(
				    eb, TSAM_ERR_INTERRUPTED, "%s", why);
			break;
		}
		for (k = 0; k < e.nslots && next < n; k++)
			if (e.slots[k].st == S_FREE)
				start_host(&e, &e.slots[k], idx[next++]);
		if (e.prog.active == 0 && next >= n)
			break;

		nearest = t + 0.5; /* progress and signal checks */
		if (!poll_set(&e, &nearest)) {
			result = tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
						 "out of memory");
			why = "internal error (out of memory)";
			continue;
		}
		timeout_ms = (int)ceil((nearest - t) * 1000.0);
		if (timeout_ms < 0)
			timeout_ms = 0;
		pr = poll(e.pfd, e.npfd, timeout_ms);
		if (pr < 0 && errno != EINTR) {
			result = tsam_errbuf_set(eb, TSAM_ERR_IO, "poll: %s",
						 strerror(errno));
			why = "internal error (poll failed)";
			continue;
		}
		t = now_mono();
		for (i = 0; i < e.npfd; i++) {
			struct pref *r = &e.pref[i];
			short rev = pr > 0 ? e.pfd[i].revents : 0;

			if (r->kind == P_RES) {
				if (rev != 0)
					answers(&e);
			} else if (r->kind == P_TUN) {
				struct tun *u = r->p;
				if (rev != 0 && !u->done && !u->j->gone) {
					pump_tun(&e, u);
					if (!u->j->gone)
						relay_flush(&e, u->j);
				}
			} else if (r->kind == P_ERR) {
				if (rev != 0)
					drain_proxy_err(r->p);
			} else {
				struct slot *s = r->p;
				if (rev != 0 || due(&e, s, t)) {
					s->wake = 0;
					step(&e, s, rev);
				}
			}
		}
		/* slots without a socket: waiting to retry, for a name, or
		 * for their jump host */
		for (i = 0; i < nall(&e); i++) {
			struct slot *s = slot_at(&e, i);
			if ((s->st == S_WAIT || s->st == S_RESOLVE ||
			     s->st == S_JUMP) &&
			    t >= s->deadline)
				step(&e, s, 0);
		}
		sweep(&e, false);
		flush_known_hosts(&e);
		report_progress(&e, false);
	}
	flush_known_hosts(&e);
	report_progress(&e, true);
	engine_free(&e);
	return result;
}
