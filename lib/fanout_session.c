/*
 * fanout_session.c - a host's SSH session once its transport is there:
 * the host key against known_hosts, authentication (keys, agent,
 * password, keyboard-interactive), the command under sudo or doas, its
 * I/O and close; and step(), the state machine that drives a slot through
 * all of it. See the theory of operation in fanout.c.
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
	tsam_fan_finish(
	    e, s, TSAM_HOST_AUTH_FAILED,
	    "as '%s': the server accepts %s; %s%s%s%s", host_user(s),
	    s->methods[0] ? s->methods : "(unknown methods)",
	    s->auth_log[0] ? s->auth_log : "no key, agent or password to try",
	    s->rsa_refused ? "; " : "", s->rsa_refused ? tsam_ssh_rsa_note : "",
	    hint);
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
		tsam_fan_finish(e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
				"no host key received");
		return;
	}
	if (tsam_knownhosts_blob_type(blob, len, type, sizeof(type)) != TSAM_OK)
		snprintf(type, sizeof(type), "unknown");
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
				tsam_fan_finish(
				    e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
				    "could not record the new %s key", type);
				return;
			}
			tsam_log(TSAM_LOG_INFO, s->host->name,
				 "new %s host key recorded (--accept-new)",
				 type);
			break;
		}
		tsam_fan_finish(
		    e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		    "%s host key %s not in known_hosts; nothing was run "
		    "(verify it, then add it or use --accept-new)",
		    type, fp);
		return;
	case TSAM_KH_OTHER_TYPE:
		tsam_fan_finish(
		    e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		    "known_hosts has keys of other types (%s) for this host "
		    "but the server offered %s; nothing was run",
		    s->hk_types, type);
		return;
	case TSAM_KH_MISMATCH:
		tsam_fan_finish(
		    e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		    "the %s host key is %s, but %s:%zu records %s: possible "
		    "man-in-the-middle or a reinstalled host; nothing was "
		    "run",
		    type, fp, where.path ? where.path : "known_hosts",
		    where.line, where.fingerprint);
		return;
	case TSAM_KH_REVOKED:
		tsam_fan_finish(
		    e, s, TSAM_HOST_HOSTKEY_MISMATCH,
		    "the %s host key %s is marked @revoked at %s:%zu; "
		    "nothing was run",
		    type, fp, where.path ? where.path : "known_hosts",
		    where.line);
		return;
	case TSAM_KH_CA:
		tsam_fan_finish(
		    e, s, TSAM_HOST_HOSTKEY_UNKNOWN,
		    "%s:%zu trusts a host certificate authority "
		    "(@cert-authority) for this host, but libssh2 1.10 "
		    "cannot verify host certificates; nothing was run: list "
		    "the host's own key (ssh-keyscan -t ed25519, or "
		    "--accept-new once); its %s key is %s",
		    where.path ? where.path : "known_hosts", where.line, type,
		    fp);
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
		tsam_fan_finish(e, s, st,
				"%s did not start a shell within %d s "
				"(--command-timeout)%s%s%s",
				tool, e->o->command_timeout_ms / 1000,
				said[0] ? "; it printed: '" : "", said,
				said[0] ? "'" : "");
	else
		tsam_fan_finish(e, s, TSAM_HOST_BECOME_FAILED,
				"%s refused%s%s%s%s%s", tool,
				said[0] ? ": '" : "", said, said[0] ? "'" : "",
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
void tsam_fan_step(struct engine *e, struct slot *s, short revents)
{
	struct tsam_errbuf eb;
	double t = now_mono();
	int rc;

	tsam_errbuf_clear(&eb);
	if (s->st == S_FREE)
		return; /* ended earlier in this round */
	if (s->errfd >= 0)
		tsam_fan_drain_proxy_err(s);
	if (s->st == S_WAIT) {
		if (t >= s->deadline)
			tsam_fan_connect(e, s);
		return;
	}
	if (t >= s->deadline) {
		switch (s->st) {
		case S_JUMP: {
			char msg[400], name[300];
			tsam_fan_jump_named(s->via, name, sizeof(name));
			snprintf(msg, sizeof(msg),
				 "%s did not open a connection to %s:%u in "
				 "time",
				 name, s->reach->address, host_port(s));
			tsam_fan_conn_failed(e, s, TSAM_HOST_TIMEOUT, msg);
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
			tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
		case S_CONNECT: {
			char msg[128];
			snprintf(msg, sizeof(msg),
				 "no answer within %d s (connect)",
				 connect_timeout_ms(e, s) / 1000);
			tsam_fan_conn_failed(e, s, TSAM_HOST_UNREACHABLE, msg);
			return;
		}
		case S_BANNER:
			tsam_fan_conn_failed(
			    e, s, TSAM_HOST_TIMEOUT,
			    s->banner_seen
				? "no complete SSH banner line before "
				  "the login timeout"
				: "no SSH banner before the login "
				  "timeout");
			return;
		case S_HANDSHAKE:
			tsam_fan_conn_failed(
			    e, s, TSAM_HOST_TIMEOUT,
			    "no SSH banner or key exchange before the "
			    "login timeout");
			return;
		case S_AUTH:
			tsam_fan_finish(
			    e, s, TSAM_HOST_TIMEOUT,
			    "authentication did not finish in time");
			return;
		case S_EXEC:
		case S_IO:
			if (s->become_wait) {
				become_failed(e, s, TSAM_HOST_TIMEOUT);
				return;
			}
			tsam_fan_finish(
			    e, s, TSAM_HOST_TIMEOUT,
			    "command did not finish within %d s "
			    "(--command-timeout); %zu bytes received",
			    e->o->command_timeout_ms / 1000, s->r.out.len);
			return;
		case S_CLOSE:
		case S_BYE:
			/* Output is complete; the peer is slow to close. */
			s->r.closed = s->st == S_BYE;
			tsam_fan_finish(e, s, done_status(s), NULL);
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
				tsam_fan_conn_failed(
				    e, s, TSAM_HOST_UNREACHABLE, msg);
				return;
			}
			s->r.t_connect = t - s->t_phase;
			s->t_phase = t;
			s->deadline = t + e->o->login_timeout_ms / 1000.0;
			s->st = S_BANNER;
			break;
		}
		case S_BANNER:
			rc = tsam_fan_banner_step(e, s);
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
				tsam_fan_finish(
				    e, s, TSAM_HOST_UNREACHABLE,
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
				tsam_fan_conn_failed(e, s,
						     TSAM_HOST_UNREACHABLE,
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
				tsam_fan_jump_ready(e, s->self);
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
				tsam_fan_finish(e, s, TSAM_HOST_COMMAND_FAILED,
						"%s", tsam_errbuf_str(&eb, rc));
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
				tsam_fan_finish(
				    e, s, TSAM_HOST_COMMAND_FAILED,
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
				tsam_fan_finish(e, s, done_status(s), NULL);
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
			tsam_fan_finish(e, s, done_status(s), NULL);
			return;
		case S_RELAY:
			tsam_fan_relay_step(e, s->self, revents);
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
