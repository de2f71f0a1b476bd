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
 *              (both, or the channel window fills: library-notes
 *              libssh2 6) until the remote EOF; stdout past max_output
 *              marks the host truncated and stops reading. Bounded, with
 *              EXEC, by command_timeout.
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

/* Name lookups at once, each on its own thread (resolve.h). */
#define RESOLVER_THREADS 16

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
			tsam_fan_resolved(e, s, ai, rc);
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
			s->events = tsam_fan_relay_events(s->self);
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
			tsam_fan_jump_close(e, e->jumps[k]);
	tsam_fan_sweep(e, true);
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

enum tsam_err tsam_fanout_run(const struct tsam_fanout_opts *o,
			      const struct tsam_inventory *inv,
			      const size_t *idx, size_t n,
			      struct tsam_errbuf *eb)
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
					tsam_fan_finish(&e, &e.slots[k],
							TSAM_HOST_NOT_RUN, "%s",
							why);
			for (; next < n; next++)
				not_run(&e, idx[next], why);
			if (result == TSAM_OK) /* a poll failure stays said */
				result = tsam_errbuf_set(
				    eb, TSAM_ERR_INTERRUPTED, "%s", why);
			break;
		}
		for (k = 0; k < e.nslots && next < n; k++)
			if (e.slots[k].st == S_FREE)
				tsam_fan_start_host(&e, &e.slots[k],
						    idx[next++]);
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
					tsam_fan_pump_tun(&e, u);
					if (!u->j->gone)
						tsam_fan_relay_flush(&e, u->j);
				}
			} else if (r->kind == P_ERR) {
				if (rev != 0)
					tsam_fan_drain_proxy_err(r->p);
			} else {
				struct slot *s = r->p;
				if (rev != 0 || due(&e, s, t)) {
					s->wake = 0;
					tsam_fan_step(&e, s, rev);
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
				tsam_fan_step(&e, s, 0);
		}
		tsam_fan_sweep(&e, false);
		flush_known_hosts(&e);
		report_progress(&e, false);
	}
	flush_known_hosts(&e);
	report_progress(&e, true);
	engine_free(&e);
	return result;
}
