/*
 * fanout_jump.c - hosts reached through jump hosts: one authenticated
 * connection per jump host (a slot of its own that ends in RELAY) carries
 * many hosts' direct-tcpip channels, each pumped to a socketpair whose
 * other end is the host's socket (tunnel.h); and ProxyCommand, a process
 * per host with a socketpair as its transport. See the theory of
 * operation in fanout.c.
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

/* ---- ProxyCommand: a process per host, a socketpair as its socket ---- */

/*
 * Runs the host's ProxyCommand under /bin/sh with one end of a socketpair
 * as its stdin and stdout (the session gets the other) and its stderr in
 * a pipe, kept for the message; then waits for the banner as after a
 * connect. The command runs in a process group of its own, ended with the
 * host.
 */
void tsam_fan_start_proxy(struct engine *e, struct slot *s)
{
	int sv[2], ep[2];
	pid_t pid;

	s->r.attempts++;
	s->t0 = s->t_phase = now_mono();
	s->proxy_err_len = 0;
	s->proxy_err[0] = '\0';
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		tsam_fan_finish(e, s, TSAM_HOST_UNREACHABLE,
				"ProxyCommand: socketpair: %s",
				strerror(errno));
		return;
	}
	if (pipe(ep) != 0) {
		close(sv[0]);
		close(sv[1]);
		tsam_fan_finish(e, s, TSAM_HOST_UNREACHABLE,
				"ProxyCommand: pipe: %s", strerror(errno));
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
		tsam_fan_finish(e, s, TSAM_HOST_UNREACHABLE,
				"ProxyCommand: fork: %s", strerror(errno));
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
void tsam_fan_drain_proxy_err(struct slot *s)
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
void tsam_fan_proxy_said(struct slot *s, char *out, size_t n)
{
	char said[PROXY_ERR_MAX + 1];
	int status = 0;
	bool reaped = false;
	size_t i;

	tsam_fan_drain_proxy_err(s);
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
void tsam_fan_jump_named(const struct jump *j, char *out, size_t n)
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
	tsam_fan_drop(e, &j->s);
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
void tsam_fan_jump_failed(struct engine *e, struct jump *j,
			  enum tsam_host_status st, const char *msg)
{
	char why[512], name[300];
	size_t k;

	if (j->gone)
		return;
	if (strncmp(msg, "jump host '", 11) == 0) {
		snprintf(why, sizeof(why), "%s", msg); /* from one before */
	} else {
		tsam_fan_jump_named(j, name, sizeof(name));
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
			tsam_fan_finish(e, u, st, "%s", why);
		else
			tsam_fan_finish(e, u, TSAM_HOST_JUMP_FAILED, "%s", why);
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
	tsam_fan_connect(e, &j->s);
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
void tsam_fan_enter_jump(struct engine *e, struct slot *s)
{
	const struct dead *d = dead_for(e, s->reach->via);
	struct jump *j;
	double t = now_mono();

	s->r.attempts++;
	s->t0 = s->t_phase = t;
	if (d == NULL) {
		j = jump_for(e, s);
		if (j == NULL) {
			tsam_fan_finish(
			    e, s, TSAM_HOST_UNREACHABLE,
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
		tsam_fan_finish(e, s, d ? d->st : TSAM_HOST_UNREACHABLE, "%s",
				d ? d->why : "its jump host failed");
	else
		tsam_fan_finish(e, s, TSAM_HOST_JUMP_FAILED, "%s",
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
		     tsam_fan_starting_beyond(e, w) < e->o->max_startups))
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
		tsam_fan_finish(e, w, TSAM_HOST_UNREACHABLE, "socketpair: %s",
				strerror(errno));
		return;
	}
	if (tsam_grow(&j->tun, &j->ctun, j->ntun + 1, sizeof(*j->tun)) !=
		TSAM_OK ||
	    (u = calloc(1, sizeof(*u))) == NULL) {
		close(sv[0]);
		close(sv[1]);
		tsam_ssh_chan_free(ch);
		tsam_fan_finish(e, w, TSAM_HOST_UNREACHABLE,
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
void tsam_fan_pump_tun(struct engine *e, struct tun *u)
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
bool tsam_fan_relay_flush(struct engine *e, struct jump *j)
{
	struct tsam_errbuf eb;
	int rc;

	tsam_errbuf_clear(&eb);
	rc = tsam_ssh_flush(j->s.ssh, &eb);
	if (rc == TSAM_OK || rc == TSAM_ERR_AGAIN)
		return true;
	tsam_fan_jump_failed(e, j, TSAM_HOST_UNREACHABLE,
			     tsam_errbuf_str(&eb, rc));
	return false;
}

/* What j's socket waits for: reading while someone wants the channel
 * side's bytes (not while every channel's buffer is full: nothing would
 * read it), writing while its queue holds some. */
short tsam_fan_relay_events(const struct jump *j)
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
void tsam_fan_relay_step(struct engine *e, struct jump *j, short revents)
{
	struct slot *s = &j->s;
	struct tsam_errbuf eb;
	char name[300], msg[1024];
	double t = now_mono();
	size_t k;
	int rc;

	tsam_errbuf_clear(&eb);
	if (!tsam_fan_relay_flush(e, j))
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
			tsam_fan_jump_named(j, name, sizeof(name));
			snprintf(msg, sizeof(msg),
				 "%s could not open a connection to %s:%u: %s",
				 name, j->open_host, j->open_port,
				 tsam_errbuf_str(&eb, rc));
			tsam_fan_conn_failed(e, w, TSAM_HOST_UNREACHABLE, msg);
		}
		if (!tsam_ssh_alive(s->ssh)) {
			tsam_fan_jump_failed(e, j, TSAM_HOST_UNREACHABLE,
					     "the connection to it broke");
			return;
		}
	}
	for (k = 0; k < j->ntun; k++)
		tsam_fan_pump_tun(e, j->tun[k]);
	if (keepalive_s(e, s) > 0 && t >= s->next_keepalive) {
		int next = keepalive_s(e, s);
		tsam_ssh_keepalive(s->ssh, &next);
		s->next_keepalive = t + (next > 0 ? next : 1);
	}
	if (!tsam_fan_relay_flush(e, j))
		return;
	if (!tsam_ssh_alive(s->ssh) || (revents & (POLLERR | POLLHUP))) {
		tsam_fan_jump_failed(e, j, TSAM_HOST_UNREACHABLE,
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
	s->events = tsam_fan_relay_events(j);
}

/* j authenticated: it becomes a relay and serves its waiting hosts. */
void tsam_fan_jump_ready(struct engine *e, struct jump *j)
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
	tsam_fan_relay_step(e, j, 0);
}

/* Closes j politely (nobody uses it any more). */
void tsam_fan_jump_close(struct engine *e, struct jump *j)
{
	if (j->ready && j->s.ssh != NULL) {
		tsam_ssh_disconnect(j->s.ssh); /* queued: never blocks */
		tsam_fan_relay_flush(e, j);
	}
	if (!j->gone)
		jump_drop(e, j);
}

/*
 * After each round: frees what is over (channels, jump host connections),
 * closes jump host connections idle past JUMP_LINGER (all of them when
 * everything is done), reaps ended ProxyCommands.
 */
void tsam_fan_sweep(struct engine *e, bool all_done)
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
			tsam_fan_jump_close(e, j);
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
