/*
 * fanout_int.h - the collection engine's own header, shared by its files
 * and by nothing else (the engine's interface is fanout.h):
 *
 *   fanout.c          the run: the window, the poll loop, results, progress
 *   fanout_conn.c     reaching a host: names, connect, retries, per-address
 *                     limits, the banner; ending a host (finish)
 *   fanout_session.c  the SSH session: host key, authentication, the
 *                     command under sudo/doas, its I/O, close; the state
 *                     machine's step
 *   fanout_jump.c     jump hosts (one connection carrying many hosts'
 *                     channels) and ProxyCommand
 *
 * The theory of operation is at the top of fanout.c.
 */
#ifndef TSAM_FANOUT_INT_H
#define TSAM_FANOUT_INT_H

#include "err.h"

#include "fanout.h"
#include "resolve.h"
#include "ssh.h"
#include "tunnel.h"

#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

/*
 * Seconds a finished host may spend closing politely (exit status, close,
 * disconnect). Generous: a loaded endpoint may keep the channel open a
 * while after the output ends (busybox timeout(1) keeps stdout for up to
 * a second).
 */
#define CLOSE_GRACE 10.0

/* A jump host connection's send queue: channels write while it is under
 * JUMP_QUEUE_HIGH; past JUMP_QUEUE_MAX (control messages alone) the
 * connection fails. */
#define JUMP_QUEUE_HIGH (256u << 10)
#define JUMP_QUEUE_MAX	(16u << 20)
/* Seconds a jump host connection nobody uses is kept for the next host. */
#define JUMP_LINGER 2.0
/* Bytes of a ProxyCommand's stderr kept for the message. */
#define PROXY_ERR_MAX 240

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

static inline double now_mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline double now_wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline unsigned host_port(const struct slot *s)
{
	return s->reach->port ? s->reach->port : 22;
}

static inline const char *host_user(const struct slot *s)
{
	return s->reach->user;
}

/* The name known_hosts is searched for: HostKeyAlias, else the host's. */
static inline const char *kh_name(const struct slot *s)
{
	return s->reach->kh_name ? s->reach->kh_name : s->host->name;
}

/* ... and the address beside it (OpenSSH's CheckHostIP; not with an
 * alias). */
static inline const char *kh_address(const struct slot *s)
{
	return s->reach->kh_name ? s->reach->kh_name : s->reach->address;
}

static inline int connect_timeout_ms(const struct engine *e,
				     const struct slot *s)
{
	return s->reach->connect_timeout_ms > 0 ? s->reach->connect_timeout_ms
						: e->o->connect_timeout_ms;
}

static inline int keepalive_s(const struct engine *e, const struct slot *s)
{
	return s->reach->keepalive_s >= 0 ? s->reach->keepalive_s
					  : e->o->keepalive_s;
}

/* The session-starting states: what sshd's MaxStartups counts. */
static inline bool starting(enum state st)
{
	return st == S_CONNECT || st == S_BANNER || st == S_HANDSHAKE ||
	       st == S_AUTH;
}

/* Every slot: the window's, then the jump host connections'. */
static inline size_t nall(const struct engine *e)
{
	return e->nslots + e->njumps;
}

static inline struct slot *slot_at(const struct engine *e, size_t k)
{
	return k < e->nslots ? &e->slots[k] : &e->jumps[k - e->nslots]->s;
}

/* ---- fanout_conn.c ---- */

/* Closes whatever s holds (lookup, session, socket, its channel through a
 * jump host, its ProxyCommand); s stays in its state. */
void tsam_fan_drop(struct engine *e, struct slot *s);

/* Ends a host: reports it (o->done) and frees the slot. A jump host's
 * connection ends the hosts going through it instead (jump_failed). */
void tsam_fan_finish(struct engine *e, struct slot *s, enum tsam_host_status st,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A connection-level failure: retried with backoff while attempts remain
 * (--retries), else the host ends with st and msg. */
void tsam_fan_conn_failed(struct engine *e, struct slot *s,
			  enum tsam_host_status st, const char *msg);

/* Sessions starting to where s goes through its jump host. */
unsigned tsam_fan_starting_beyond(const struct engine *e, const struct slot *s);

/* The resolver's answer for s (ai, or getaddrinfo's rc): connect or end. */
void tsam_fan_resolved(struct engine *e, struct slot *s, struct addrinfo *ai,
		       int rc);

/* Starts (or restarts) reaching s: through its jump host, its
 * ProxyCommand, or the next address of its name. */
void tsam_fan_connect(struct engine *e, struct slot *s);

/* Takes inventory host index into the free slot s and starts it. */
void tsam_fan_start_host(struct engine *e, struct slot *s, size_t index);

/* BANNER: OK when the identification line is there for libssh2, AGAIN to
 * wait (s->events, s->wake), anything else: s was ended or retried. */
TSAM_MUST_CHECK enum tsam_err tsam_fan_banner_step(struct engine *e,
						   struct slot *s);

/* ---- fanout_session.c ---- */

/* Advances s as far as it goes without blocking (revents: what poll said
 * of its socket). */
void tsam_fan_step(struct engine *e, struct slot *s, short revents);

/* ---- fanout_jump.c ---- */

/* Runs s's ProxyCommand with a socketpair as its transport; then BANNER. */
void tsam_fan_start_proxy(struct engine *e, struct slot *s);

/* Reads the ProxyCommand's stderr, keeping its first bytes. */
void tsam_fan_drain_proxy_err(struct slot *s);

/* What became of s's ProxyCommand, for a message. */
void tsam_fan_proxy_said(struct slot *s, char *out, size_t n);

/* "jump host 'NAME' (user@address:port)". */
void tsam_fan_jump_named(const struct jump *j, char *out, size_t n);

/* j failed: every slot going through it ends, naming j. */
void tsam_fan_jump_failed(struct engine *e, struct jump *j,
			  enum tsam_host_status st, const char *msg);

/* s starts through its jump host (JUMP), a connection made if needed. */
void tsam_fan_enter_jump(struct engine *e, struct slot *s);

/* Moves one channel's bytes (its local end was ready). */
void tsam_fan_pump_tun(struct engine *e, struct tun *u);

/* Writes j's queue; false (j failed) when the connection broke. */
bool tsam_fan_relay_flush(struct engine *e, struct jump *j);

/* What j's socket waits for. */
short tsam_fan_relay_events(const struct jump *j);

/* RELAY: j's queue, channel opens, every channel's bytes. */
void tsam_fan_relay_step(struct engine *e, struct jump *j, short revents);

/* j authenticated: it becomes a relay. */
void tsam_fan_jump_ready(struct engine *e, struct jump *j);

/* Closes j politely. */
void tsam_fan_jump_close(struct engine *e, struct jump *j);

/* After each round: frees what is over, closes idle jump host
 * connections (all of them when all_done), reaps ProxyCommands. */
void tsam_fan_sweep(struct engine *e, bool all_done);

#endif
