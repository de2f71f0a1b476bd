/*
 * ssh.c - libssh2 1.10 behind a non-blocking, error-translating API.
 *
 * Every libssh2 call that can return LIBSSH2_ERROR_EAGAIN is made once per
 * invocation; the caller's event loop waits on the socket in the directions
 * libssh2_session_block_directions() names and calls again. Multi-step
 * operations (open channel then exec; close then wait_closed; agent
 * identities) keep their step in the session so a repeat call resumes.
 *
 * Size: the only libssh2 user (docs/library-notes.md): sessions,
 * authentication, channels and the relay for jump hosts go through one
 * non-blocking contract here, so libssh2's traps are handled once.
 */
#include "ssh.h"

#include "buf.h"
#include "fsio.h"
#include "str.h"

#include <errno.h>
#include <libssh2.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

const char tsam_ssh_rsa_note[] =
    "an RSA key was refused: libssh2 1.10 cannot sign with rsa-sha2-256/512 "
    "and OpenSSH 8.8 and later refuse ssh-rsa (SHA-1) signatures; use an "
    "ed25519 or ECDSA key";

struct tsam_ssh {
	LIBSSH2_SESSION *session;
	LIBSSH2_CHANNEL *channel;
	LIBSSH2_AGENT *agent;
	struct libssh2_agent_publickey *agent_id; /* current identity */
	int agent_step; /* 0 none, 1 listed, 2 trying agent_id */
	int exec_step;	/* 0 open channel, 1 exec, 2 done */
	int close_step; /* 0 close, 1 wait closed, 2 done */
	int fd;
	unsigned agent_tried;	  /* agent keys offered */
	const char *kbd_password; /* answer to keyboard-interactive prompts */
	unsigned kbd_rounds;	  /* prompt rounds answered */
	bool kbd_more;		  /* asked for more than one password */
	char disconnect[160];	  /* the server's SSH_MSG_DISCONNECT text */
	bool relay;		  /* a jump host's: sends are queued */
	bool closing;		  /* being freed: sends fail at once */
	struct tsam_buf queue;	  /* relay: bytes not yet in the socket */
};

/* A direct-tcpip channel of a relay session (tsam_ssh_tunnel_open). */
struct tsam_ssh_chan {
	struct tsam_ssh *s;
	LIBSSH2_CHANNEL *ch;
};

enum tsam_err tsam_ssh_global_init(void)
{
	return libssh2_init(0) == 0 ? TSAM_OK : TSAM_ERR_SSH;
}

void tsam_ssh_global_exit(void)
{
	libssh2_exit();
}

static int fail(struct tsam_ssh *s, int code, const char *what,
		struct tsam_errbuf *eb)
{
	char *msg = NULL;
	int len = 0;

	libssh2_session_last_error(s->session, &msg, &len, 0);
	return tsam_errbuf_set(eb, code, "%s: %s", what,
			       msg && len > 0 ? msg : "failed");
}

/* An auth step that ended in a disconnect: the server's reason, if any. */
static int auth_lost(struct tsam_ssh *s, const char *what,
		     struct tsam_errbuf *eb)
{
	if (s->disconnect[0] != '\0')
		return tsam_errbuf_set(eb, TSAM_ERR_AUTH,
				       "%s: the server disconnected: %s", what,
				       s->disconnect);
	return fail(s, TSAM_ERR_SSH, what, eb);
}

/* Host key algorithms libssh2 1.10 supports, best first. */
static const char *const all_hostkey_types[] = {"ssh-ed25519",
						"ecdsa-sha2-nistp256",
						"ecdsa-sha2-nistp384",
						"ecdsa-sha2-nistp521",
						"rsa-sha2-512",
						"rsa-sha2-256",
						"ssh-rsa",
						"ssh-dss"};

/* True when name is one of the n algorithms in algs. */
static bool listed(const char **algs, int n, const char *name, size_t len)
{
	int i;

	for (i = 0; i < n; i++)
		if (strlen(algs[i]) == len && memcmp(algs[i], name, len) == 0)
			return true;
	return false;
}

/* Appends name to out (comma-separated) unless present or unsupported. */
static void pref_add(char *out, size_t outsz, const char *name,
		     const char **algs, int nalgs)
{
	size_t used = strlen(out), len = strlen(name);
	const char *p = out;

	if (!listed(algs, nalgs, name, len))
		return;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);
		if (l == len && memcmp(p, name, len) == 0)
			return;
		if (end == NULL)
			break;
		p = end + 1;
	}
	if (used + len + 2 > outsz)
		return;
	snprintf(out + used, outsz - used, "%s%s", used ? "," : "", name);
}

/*
 * Builds the host key preference list: the types known_hosts has for the
 * host first, then the rest, best first. Only names this libssh2 supports
 * go in: 1.10's libssh2_session_method_pref drops an unknown name with an
 * overlapping memcpy (found by AddressSanitizer).
 */
static void hostkey_pref_list(LIBSSH2_SESSION *session, const char *known,
			      char *out, size_t outsz)
{
	const char **algs = NULL;
	const char *p = known ? known : "";
	int nalgs;
	size_t i;

	out[0] = '\0';
	nalgs = libssh2_session_supported_algs(session, LIBSSH2_METHOD_HOSTKEY,
					       &algs);
	if (nalgs <= 0)
		return;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		for (i = 0;
		     i < sizeof(all_hostkey_types) / sizeof(*all_hostkey_types);
		     i++) {
			const char *t = all_hostkey_types[i];
			/* ssh-rsa in known_hosts covers rsa-sha2-*. */
			bool rsa = len == 7 && memcmp(p, "ssh-rsa", 7) == 0 &&
				   strncmp(t, "rsa-sha2", 8) == 0;
			if ((strlen(t) == len && memcmp(t, p, len) == 0) || rsa)
				pref_add(out, outsz, t, algs, nalgs);
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	for (i = 0; i < sizeof(all_hostkey_types) / sizeof(*all_hostkey_types);
	     i++)
		pref_add(out, outsz, all_hostkey_types[i], algs, nalgs);
	libssh2_free(session, (void *)algs);
}

/* Keeps the server's reason when it disconnects (OpenSSH: "Too many
 * authentication failures"), for the message. */
static LIBSSH2_DISCONNECT_FUNC(on_disconnect)
{
	struct tsam_ssh *s = *abstract;
	size_t i, n = message_len > 0 ? (size_t)message_len : 0;

	(void)session;
	(void)reason;
	(void)language;
	(void)language_len;
	if (n >= sizeof(s->disconnect))
		n = sizeof(s->disconnect) - 1;
	/* the peer's text, printable ASCII only */
	for (i = 0; i < n; i++)
		s->disconnect[i] =
		    message[i] >= 0x20 && message[i] < 0x7f ? message[i] : '?';
	s->disconnect[n] = '\0';
}

/*
 * A relay session's send callback: what libssh2 sends goes to the socket
 * while nothing is queued, and the rest to the queue, so libssh2 never
 * sees a send block. (Once a send has blocked, libssh2 1.10 refuses any
 * other packet until that one is finished - LIBSSH2_ERROR_BAD_USE - so
 * one busy channel would stop every other on the session.) The caller
 * keeps the queue short: it writes to a channel only while
 * tsam_ssh_queued is under its bound.
 */
static LIBSSH2_SEND_FUNC(relay_send)
{
	struct tsam_ssh *s = *abstract;
	ssize_t n = 0;

	if (s->closing)
		return -EPIPE;
	if (s->queue.len == 0) {
		n = send(socket, buffer, length, flags | MSG_NOSIGNAL);
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (n < 0)
			n = 0;
	}
	if ((size_t)n < length &&
	    tsam_buf_add(&s->queue, (const char *)buffer + n,
			 length - (size_t)n) != TSAM_OK)
		return -ENOBUFS;
	return (ssize_t)length;
}

struct tsam_ssh *tsam_ssh_new(int fd, const char *hostkey_prefs,
			      int keepalive_s)
{
	struct tsam_ssh *s = calloc(1, sizeof(*s));
	char prefs[512];

	if (s == NULL)
		return NULL;
	s->fd = fd;
	s->session = libssh2_session_init_ex(NULL, NULL, NULL, s);
	if (s->session == NULL) {
		free(s);
		return NULL;
	}
	libssh2_session_set_blocking(s->session, 0);
	libssh2_session_callback_set(s->session, LIBSSH2_CALLBACK_DISCONNECT,
				     (void *)on_disconnect);
	hostkey_pref_list(s->session, hostkey_prefs, prefs, sizeof(prefs));
	if (prefs[0] != '\0')
		(void)libssh2_session_method_pref(
		    s->session, LIBSSH2_METHOD_HOSTKEY, prefs);
	if (keepalive_s > 0)
		libssh2_keepalive_config(s->session, 1, (unsigned)keepalive_s);
	return s;
}

void tsam_ssh_free(struct tsam_ssh *s)
{
	if (s == NULL)
		return;
	/*
	 * With the socket shut down, whatever libssh2 still wants to send
	 * fails at once, so the frees below cannot block or return EAGAIN.
	 */
	shutdown(s->fd, SHUT_RDWR);
	s->closing = true;
	libssh2_session_set_blocking(s->session, 1);
	if (s->channel != NULL)
		libssh2_channel_free(s->channel);
	if (s->agent != NULL) {
		libssh2_agent_disconnect(s->agent);
		libssh2_agent_free(s->agent);
	}
	libssh2_session_free(s->session); /* and the tunnels' channels */
	tsam_buf_free(&s->queue);
	free(s);
}

void tsam_ssh_relay(struct tsam_ssh *s, size_t max_queue)
{
	s->relay = true;
	tsam_buf_init(&s->queue, max_queue);
	libssh2_session_callback_set(s->session, LIBSSH2_CALLBACK_SEND,
				     (void *)relay_send);
}

bool tsam_ssh_alive(const struct tsam_ssh *s)
{
	int e = libssh2_session_last_errno(s->session);

	return s->disconnect[0] == '\0' &&
	       e != LIBSSH2_ERROR_SOCKET_DISCONNECT &&
	       e != LIBSSH2_ERROR_SOCKET_RECV &&
	       e != LIBSSH2_ERROR_SOCKET_SEND &&
	       e != LIBSSH2_ERROR_SOCKET_TIMEOUT;
}

size_t tsam_ssh_queued(const struct tsam_ssh *s)
{
	return s->queue.len;
}

enum tsam_err tsam_ssh_flush(struct tsam_ssh *s, struct tsam_errbuf *eb)
{
	ssize_t n;

	while (s->queue.len > 0) {
		n = send(s->fd, s->queue.data, s->queue.len, MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return TSAM_ERR_AGAIN;
		if (n < 0)
			return tsam_errbuf_set(eb, TSAM_ERR_IO, "send: %s",
					       strerror(errno));
		tsam_buf_consume(&s->queue, (size_t)n);
	}
	return TSAM_OK;
}

enum tsam_err tsam_ssh_tunnel_open(struct tsam_ssh *s, const char *host,
				   unsigned port, struct tsam_ssh_chan **out,
				   struct tsam_errbuf *eb)
{
	LIBSSH2_CHANNEL *ch;
	struct tsam_ssh_chan *c;

	*out = NULL;
	ch = libssh2_channel_direct_tcpip_ex(s->session, host, (int)port,
					     "127.0.0.1", 0);
	if (ch == NULL) {
		if (libssh2_session_last_errno(s->session) ==
		    LIBSSH2_ERROR_EAGAIN)
			return TSAM_ERR_AGAIN;
		return fail(s, TSAM_ERR_SSH, "direct-tcpip", eb);
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		libssh2_channel_free(ch); /* non-blocking: may stay till the
					     session goes */
		return TSAM_ERR_NOMEM;
	}
	c->s = s;
	c->ch = ch;
	*out = c;
	return TSAM_OK;
}

enum tsam_err tsam_ssh_chan_read(struct tsam_ssh_chan *c, char *buf, size_t cap,
				 size_t *got, struct tsam_errbuf *eb)
{
	ssize_t r = libssh2_channel_read(c->ch, buf, cap);

	*got = 0;
	if (r > 0) {
		*got = (size_t)r;
		return TSAM_OK;
	}
	if (r == LIBSSH2_ERROR_EAGAIN || r == 0)
		return libssh2_channel_eof(c->ch) ? TSAM_ERR_EOF
						  : TSAM_ERR_AGAIN;
	return fail(c->s, TSAM_ERR_SSH, "read", eb);
}

enum tsam_err tsam_ssh_chan_write(struct tsam_ssh_chan *c, const char *p,
				  size_t n, size_t *done,
				  struct tsam_errbuf *eb)
{
	ssize_t w = libssh2_channel_write(c->ch, p, n);

	*done = 0;
	if (w == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN; /* the channel's window is full */
	if (w < 0)
		return fail(c->s, TSAM_ERR_SSH, "write", eb);
	*done = (size_t)w;
	return TSAM_OK;
}

enum tsam_err tsam_ssh_chan_eof(struct tsam_ssh_chan *c, struct tsam_errbuf *eb)
{
	int rc = libssh2_channel_send_eof(c->ch);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	return rc == 0 ? TSAM_OK : fail(c->s, TSAM_ERR_SSH, "send eof", eb);
}

enum tsam_err tsam_ssh_chan_close(struct tsam_ssh_chan *c)
{
	int rc = libssh2_channel_close(c->ch);

	if (rc == 0)
		rc = libssh2_channel_wait_closed(c->ch);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	return rc == 0 ? TSAM_OK : TSAM_ERR_SSH;
}

void tsam_ssh_chan_free(struct tsam_ssh_chan *c)
{
	if (c == NULL)
		return;
	/* non-blocking: a channel not yet closed by the peer stays in the
	 * session, which frees it when it goes */
	(void)libssh2_channel_free(c->ch);
	free(c);
}

int tsam_ssh_wants(const struct tsam_ssh *s)
{
	int d = libssh2_session_block_directions(s->session), w = 0;

	if (d & LIBSSH2_SESSION_BLOCK_INBOUND)
		w |= TSAM_SSH_WANT_READ;
	if ((d & LIBSSH2_SESSION_BLOCK_OUTBOUND) || s->queue.len > 0)
		w |= TSAM_SSH_WANT_WRITE;
	return w ? w : TSAM_SSH_WANT_READ;
}

enum tsam_err tsam_ssh_handshake(struct tsam_ssh *s, struct tsam_errbuf *eb)
{
	int rc = libssh2_session_handshake(s->session, s->fd);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	if (rc == LIBSSH2_ERROR_KEX_FAILURE)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_SSH,
		    "handshake: no key exchange, cipher or host key type in "
		    "common; most often a server whose only host key is RSA: "
		    "libssh2 1.10 verifies RSA host keys only as ssh-rsa "
		    "(SHA-1), which OpenSSH 8.8 and later no longer offer - "
		    "give the server an ed25519 or ECDSA host key "
		    "(ssh-keygen -A) and list it in known_hosts");
	if (rc != 0)
		return fail(s, TSAM_ERR_SSH, "handshake", eb);
	return TSAM_OK;
}

enum tsam_err tsam_ssh_hostkey(struct tsam_ssh *s, const unsigned char **blob,
			       size_t *len)
{
	int type;
	const char *k = libssh2_session_hostkey(s->session, len, &type);

	if (k == NULL)
		return TSAM_ERR_SSH;
	*blob = (const unsigned char *)k;
	return TSAM_OK;
}

enum tsam_err tsam_ssh_auth_keyfile(struct tsam_ssh *s, const char *user,
				    const char *path, const char *pubpath,
				    const char *passphrase,
				    struct tsam_errbuf *eb)
{
	int rc = libssh2_userauth_publickey_fromfile_ex(
	    s->session, user, (unsigned)strlen(user), pubpath, path,
	    passphrase);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	if (rc == 0)
		return TSAM_OK;
	if (s->disconnect[0] != '\0')
		return auth_lost(s, path, eb);
	if (rc == LIBSSH2_ERROR_FILE)
		return fail(s, TSAM_ERR_AUTH, path, eb);
	if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED ||
	    rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED)
		return tsam_errbuf_set(eb, TSAM_ERR_AUTH, "%s: key refused",
				       path);
	if (rc == LIBSSH2_ERROR_SOCKET_RECV ||
	    rc == LIBSSH2_ERROR_SOCKET_DISCONNECT)
		return auth_lost(s, path, eb);
	return fail(s, TSAM_ERR_AUTH, path, eb);
}

static bool blob_is_rsa(const unsigned char *blob, size_t len)
{
	return len > 11 && memcmp(blob, "\0\0\0\7ssh-rsa", 11) == 0;
}

/* Whether the agent's current identity is one of only[0..nonly). */
static bool agent_wanted(const struct tsam_ssh *s,
			 const struct tsam_ssh_pubkey *only, size_t nonly)
{
	size_t i;

	if (nonly == 0)
		return true;
	for (i = 0; i < nonly; i++)
		if (only[i].len == s->agent_id->blob_len &&
		    memcmp(only[i].blob, s->agent_id->blob, only[i].len) == 0)
			return true;
	return false;
}

/* Moves to the next agent identity wanted; false when there is none. */
static bool agent_next(struct tsam_ssh *s, const struct tsam_ssh_pubkey *only,
		       size_t nonly)
{
	struct libssh2_agent_publickey *prev = s->agent_id;

	for (;;) {
		if (libssh2_agent_get_identity(s->agent, &s->agent_id, prev) !=
		    0)
			return false;
		if (agent_wanted(s, only, nonly))
			return true;
		prev = s->agent_id;
	}
}

enum tsam_err tsam_ssh_auth_agent(struct tsam_ssh *s, const char *user,
				  const char *sock,
				  const struct tsam_ssh_pubkey *only,
				  size_t nonly, bool *rsa_refused,
				  struct tsam_errbuf *eb)
{
	int rc;

	if (s->agent_step == 0) {
		if (sock == NULL && getenv("SSH_AUTH_SOCK") == NULL)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_NOTFOUND,
			    "no ssh-agent (SSH_AUTH_SOCK unset)");
		s->agent = libssh2_agent_init(s->session);
		if (s->agent == NULL)
			return TSAM_ERR_NOMEM;
		if (sock != NULL)
			libssh2_agent_set_identity_path(s->agent, sock);
		/* Local socket I/O with the agent: quick, not the peer. */
		if (libssh2_agent_connect(s->agent) != 0 ||
		    libssh2_agent_list_identities(s->agent) != 0)
			return fail(s, TSAM_ERR_NOTFOUND, "ssh-agent", eb);
		s->agent_id = NULL;
		if (!agent_next(s, only, nonly))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_NOTFOUND, "%s",
			    nonly ? "ssh-agent does not hold the key the "
				    ".pub identity names"
				  : "ssh-agent holds no keys");
		s->agent_step = 1;
	}
	for (;;) {
		rc = libssh2_agent_userauth(s->agent, user, s->agent_id);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return TSAM_ERR_AGAIN;
		if (rc == 0)
			return TSAM_OK;
		s->agent_tried++;
		if (rsa_refused != NULL &&
		    blob_is_rsa(s->agent_id->blob, s->agent_id->blob_len))
			*rsa_refused = true;
		if (s->disconnect[0] != '\0' ||
		    (rc != LIBSSH2_ERROR_AUTHENTICATION_FAILED &&
		     rc != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED &&
		     rc != LIBSSH2_ERROR_AGENT_PROTOCOL)) {
			char what[64];

			snprintf(what, sizeof(what), "ssh-agent key %u",
				 s->agent_tried);
			return auth_lost(s, what, eb);
		}
		if (!agent_next(s, only, nonly))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_AUTH, "%u ssh-agent key%s refused",
			    s->agent_tried, s->agent_tried == 1 ? "" : "s");
	}
}

unsigned tsam_ssh_agent_tried(const struct tsam_ssh *s)
{
	return s->agent_tried;
}

const char *tsam_ssh_disconnect_reason(const struct tsam_ssh *s)
{
	return s->disconnect[0] ? s->disconnect : NULL;
}

enum tsam_err tsam_ssh_auth_methods(struct tsam_ssh *s, const char *user,
				    char *out, size_t outsz,
				    struct tsam_errbuf *eb)
{
	char *list =
	    libssh2_userauth_list(s->session, user, (unsigned)strlen(user));

	out[0] = '\0';
	if (list != NULL) {
		snprintf(out, outsz, "%s", list);
		return TSAM_OK;
	}
	if (libssh2_userauth_authenticated(s->session))
		return TSAM_OK; /* "none" was accepted */
	if (libssh2_session_last_errno(s->session) == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	return auth_lost(s, "asking for the authentication methods", eb);
}

enum tsam_err tsam_ssh_auth_password(struct tsam_ssh *s, const char *user,
				     const char *password,
				     struct tsam_errbuf *eb)
{
	int rc = libssh2_userauth_password_ex(s->session, user,
					      (unsigned)strlen(user), password,
					      (unsigned)strlen(password), NULL);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	if (rc == 0)
		return TSAM_OK;
	if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED)
		return tsam_errbuf_set(eb, TSAM_ERR_AUTH, "password refused");
	if (rc == LIBSSH2_ERROR_PASSWORD_EXPIRED)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_AUTH,
		    "the password has expired: change it with a login first");
	return auth_lost(s, "password", eb);
}

/*
 * Answers keyboard-interactive prompts: the first round's hidden prompts
 * get the password; a later round (a one-time code after the password, or
 * the password asked again) gets empty answers and is remembered.
 */
static LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(kbd_answer)
{
	struct tsam_ssh *s = *abstract;
	int i;

	(void)name;
	(void)name_len;
	(void)instruction;
	(void)instruction_len;
	if (num_prompts > 0 && s->kbd_rounds++ > 0)
		s->kbd_more = true;
	for (i = 0; i < num_prompts; i++) {
		const char *a =
		    !prompts[i].echo && !s->kbd_more ? s->kbd_password : "";
		/* libssh2 frees each answer with its free(): malloc'd */
		responses[i].text = strdup(a);
		responses[i].length =
		    responses[i].text ? (unsigned)strlen(a) : 0;
	}
}

enum tsam_err tsam_ssh_auth_kbdint(struct tsam_ssh *s, const char *user,
				   const char *password, struct tsam_errbuf *eb)
{
	int rc;

	s->kbd_password = password;
	rc = libssh2_userauth_keyboard_interactive_ex(
	    s->session, user, (unsigned)strlen(user), kbd_answer);
	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	s->kbd_password = NULL;
	if (rc == 0)
		return TSAM_OK;
	if (rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_AUTH, "%s",
		    s->kbd_more ? "keyboard-interactive: the server asked "
				  "again after the password (a wrong "
				  "password, or a second factor tsamkit "
				  "cannot answer)"
				: "keyboard-interactive: password refused");
	return auth_lost(s, "keyboard-interactive", eb);
}

bool tsam_ssh_authenticated(struct tsam_ssh *s)
{
	return libssh2_userauth_authenticated(s->session) != 0;
}

enum tsam_err tsam_ssh_exec(struct tsam_ssh *s, const char *cmd,
			    struct tsam_errbuf *eb)
{
	int rc;

	if (s->exec_step == 0) {
		s->channel = libssh2_channel_open_session(s->session);
		if (s->channel == NULL) {
			if (libssh2_session_last_errno(s->session) ==
			    LIBSSH2_ERROR_EAGAIN)
				return TSAM_ERR_AGAIN;
			return fail(s, TSAM_ERR_SSH, "open channel", eb);
		}
		s->exec_step = 1;
	}
	if (s->exec_step == 1) {
		rc = libssh2_channel_exec(s->channel, cmd);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return TSAM_ERR_AGAIN;
		if (rc != 0)
			return fail(s, TSAM_ERR_SSH, "exec", eb);
		s->exec_step = 2;
	}
	return TSAM_OK;
}

enum tsam_err tsam_ssh_write(struct tsam_ssh *s, const char *p, size_t n,
			     size_t *done, struct tsam_errbuf *eb)
{
	ssize_t w = libssh2_channel_write_ex(s->channel, 0, p, n);

	*done = 0;
	if (w == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	if (w < 0)
		return fail(s, TSAM_ERR_SSH, "write", eb);
	*done = (size_t)w;
	return TSAM_OK;
}

enum tsam_err tsam_ssh_send_eof(struct tsam_ssh *s, struct tsam_errbuf *eb)
{
	int rc = libssh2_channel_send_eof(s->channel);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	if (rc != 0)
		return fail(s, TSAM_ERR_SSH, "send eof", eb);
	return TSAM_OK;
}

enum tsam_err tsam_ssh_read(struct tsam_ssh *s, int stream, char *buf,
			    size_t cap, size_t *got, struct tsam_errbuf *eb)
{
	ssize_t r = libssh2_channel_read_ex(s->channel, stream, buf, cap);

	*got = 0;
	if (r > 0) {
		*got = (size_t)r;
		return TSAM_OK;
	}
	if (r == LIBSSH2_ERROR_EAGAIN || r == 0) {
		/* 0 is not EOF in libssh2 (library-notes libssh2 6): ask. */
		if (libssh2_channel_eof(s->channel))
			return TSAM_ERR_EOF;
		return TSAM_ERR_AGAIN;
	}
	return fail(s, TSAM_ERR_SSH, "read", eb);
}

enum tsam_err tsam_ssh_close_channel(struct tsam_ssh *s, int *exit_status,
				     char *signame, size_t signamesz,
				     struct tsam_errbuf *eb)
{
	int rc;

	if (s->close_step == 0) {
		rc = libssh2_channel_close(s->channel);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return TSAM_ERR_AGAIN;
		if (rc != 0)
			return fail(s, TSAM_ERR_SSH, "close channel", eb);
		s->close_step = 1;
	}
	if (s->close_step == 1) {
		char *sig = NULL;
		size_t siglen = 0;

		rc = libssh2_channel_wait_closed(s->channel);
		if (rc == LIBSSH2_ERROR_EAGAIN)
			return TSAM_ERR_AGAIN;
		if (rc != 0)
			return fail(s, TSAM_ERR_SSH, "wait closed", eb);
		*exit_status = libssh2_channel_get_exit_status(s->channel);
		signame[0] = '\0';
		if (libssh2_channel_get_exit_signal(s->channel, &sig, &siglen,
						    NULL, NULL, NULL,
						    NULL) == 0 &&
		    sig != NULL) {
			size_t i, j;
			/* the peer's word: a signal name's characters only */
			for (i = j = 0; i < siglen && j + 1 < signamesz; i++)
				signame[j++] =
				    (sig[i] >= 'A' && sig[i] <= 'Z') ||
					    (sig[i] >= 'a' && sig[i] <= 'z') ||
					    (sig[i] >= '0' && sig[i] <= '9') ||
					    sig[i] == '_' || sig[i] == '-'
					? sig[i]
					: '?';
			signame[j] = '\0';
			libssh2_free(s->session, sig);
		}
		s->close_step = 2;
	}
	return TSAM_OK;
}

enum tsam_err tsam_ssh_disconnect(struct tsam_ssh *s)
{
	int rc = libssh2_session_disconnect(s->session, "done");

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	return rc == 0 ? TSAM_OK : TSAM_ERR_SSH;
}

enum tsam_err tsam_ssh_keepalive(struct tsam_ssh *s, int *next_s)
{
	int rc = libssh2_keepalive_send(s->session, next_s);

	if (rc == LIBSSH2_ERROR_EAGAIN)
		return TSAM_ERR_AGAIN;
	return rc == 0 ? TSAM_OK : TSAM_ERR_SSH;
}

/* Reads a big-endian length-prefixed string from an OpenSSH key blob. */
static bool get_string(const unsigned char **p, size_t *n,
		       const unsigned char **s, size_t *slen)
{
	uint32_t len;

	if (*n < 4)
		return false;
	len = ((uint32_t)(*p)[0] << 24) | ((uint32_t)(*p)[1] << 16) |
	      ((uint32_t)(*p)[2] << 8) | (*p)[3];
	if (len > *n - 4)
		return false;
	*s = *p + 4;
	*slen = len;
	*p += 4 + len;
	*n -= 4 + len;
	return true;
}

static enum tsam_keytype type_of(const unsigned char *t, size_t n)
{
	if (n == 11 && memcmp(t, "ssh-ed25519", 11) == 0)
		return TSAM_KEY_ED25519;
	if (n >= 10 && memcmp(t, "ecdsa-sha2", 10) == 0)
		return TSAM_KEY_ECDSA;
	if (n == 7 && memcmp(t, "ssh-rsa", 7) == 0)
		return TSAM_KEY_RSA;
	if (n == 7 && memcmp(t, "ssh-dss", 7) == 0)
		return TSAM_KEY_DSA;
	return TSAM_KEY_UNKNOWN;
}

enum tsam_err tsam_ssh_keyfile_info(const char *path, enum tsam_keytype *type,
				    bool *encrypted, struct tsam_errbuf *eb)
{
	static const char begin_ossh[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	struct tsam_buf b, b64;
	struct tsam_cur all, line;
	int rc;

	*type = TSAM_KEY_UNKNOWN;
	*encrypted = false;
	tsam_buf_init(&b, 1u << 20);
	tsam_buf_init(&b64, 1u << 20);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc != TSAM_OK)
		goto out;
	all = tsam_cur_make(b.data ? b.data : "", b.len);
	if (!tsam_cur_getline(&all, &line)) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE, "%s: empty key file",
				     path);
		goto out;
	}
	tsam_cur_trim(&line);
	if (tsam_cur_eq(line, begin_ossh)) {
		const unsigned char *p, *s;
		unsigned char *raw;
		size_t n, slen;
		int len;

		while (tsam_cur_getline(&all, &line)) {
			tsam_cur_trim(&line);
			if (line.n > 0 && line.p[0] == '-')
				break;
			rc = tsam_buf_add(&b64, line.p, line.n);
			if (rc != TSAM_OK)
				goto out;
		}
		raw = malloc(b64.len + 4);
		if (raw == NULL) {
			rc = TSAM_ERR_NOMEM;
			goto out;
		}
		len = EVP_DecodeBlock(
		    raw, (unsigned char *)(b64.data ? b64.data : ""),
		    (int)b64.len);
		/* magic, cipher, kdf, kdf options, key count, public key */
		p = raw + 15;
		n = len > 15 ? (size_t)len - 15 : 0;
		if (len < 15 || memcmp(raw, "openssh-key-v1", 15) != 0 ||
		    !get_string(&p, &n, &s, &slen)) {
			free(raw);
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: not an OpenSSH private key",
					     path);
			goto out;
		}
		*encrypted = !(slen == 4 && memcmp(s, "none", 4) == 0);
		if (get_string(&p, &n, &s, &slen) &&
		    get_string(&p, &n, &s, &slen) && n >= 4) {
			const unsigned char *pub, *t;
			size_t publen, tlen;
			p += 4;
			n -= 4;
			if (get_string(&p, &n, &pub, &publen) &&
			    get_string(&pub, &publen, &t, &tlen))
				*type = type_of(t, tlen);
		}
		free(raw);
	} else if (tsam_cur_skip_prefix(&line, "-----BEGIN ")) {
		if (tsam_cur_skip_prefix(&line, "RSA "))
			*type = TSAM_KEY_RSA;
		else if (tsam_cur_skip_prefix(&line, "EC "))
			*type = TSAM_KEY_ECDSA;
		else if (tsam_cur_skip_prefix(&line, "DSA "))
			*type = TSAM_KEY_DSA;
		if (tsam_cur_skip_prefix(&line, "ENCRYPTED "))
			*encrypted = true;
		while (tsam_cur_getline(&all, &line))
			if (tsam_cur_contains(line, "ENCRYPTED"))
				*encrypted = true;
	} else {
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: not a private key file", path);
	}
out:
	tsam_buf_free(&b);
	tsam_buf_free(&b64);
	return rc;
}

enum tsam_err tsam_ssh_pubkey_load(const char *path,
				   struct tsam_ssh_pubkey *out,
				   enum tsam_keytype *type,
				   struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	struct tsam_cur all, line, tname, tb64;
	unsigned char *raw = NULL;
	const unsigned char *p, *t;
	size_t n, tlen, pad = 0;
	int rc, len;

	memset(out, 0, sizeof(*out));
	*type = TSAM_KEY_UNKNOWN;
	tsam_buf_init(&b, 64u << 10);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc != TSAM_OK)
		goto out;
	all = tsam_cur_make(b.data ? b.data : "", b.len);
	if (!tsam_cur_getline(&all, &line) || !tsam_cur_token(&line, &tname) ||
	    !tsam_cur_token(&line, &tb64) || tb64.n == 0 || tb64.n > 16384) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: not a public key line ('TYPE "
				     "BASE64 [comment]')",
				     path);
		goto out;
	}
	if (tsam_cur_contains(tname, "-cert-v01@openssh.com")) {
		rc = tsam_errbuf_set(
		    eb, TSAM_ERR_INVAL,
		    "%s: an OpenSSH certificate; libssh2 1.10 cannot "
		    "authenticate with certificates: give the plain key (the "
		    "server must accept it in authorized_keys)",
		    path);
		goto out;
	}
	raw = malloc(tb64.n);
	if (raw == NULL) {
		rc = TSAM_ERR_NOMEM;
		goto out;
	}
	len = EVP_DecodeBlock(raw, (const unsigned char *)tb64.p, (int)tb64.n);
	while (pad < 2 && pad < tb64.n && tb64.p[tb64.n - 1 - pad] == '=')
		pad++;
	p = raw;
	n = len > (int)pad ? (size_t)len - pad : 0;
	/* the blob starts with its own type name, which must agree */
	if (len < 0 || !get_string(&p, &n, &t, &tlen) || tlen != tname.n ||
	    memcmp(t, tname.p, tlen) != 0) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: the key data does not decode as a "
				     "'%.*s' key",
				     path, (int)(tname.n > 40 ? 40 : tname.n),
				     tname.p);
		goto out;
	}
	*type = type_of(t, tlen);
	out->blob = raw;
	out->len = (size_t)len - pad;
	raw = NULL;
out:
	free(raw);
	tsam_buf_free(&b);
	return rc;
}
