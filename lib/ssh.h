/*
 * ssh.h - one SSH session over a connected non-blocking socket; the only
 * module that speaks to libssh2 (1.10 on Debian 12). It translates libssh2's
 * errors into tsam_err codes with text, and hides its traps (see
 * docs/tsam-collect.md and docs/library-notes.md): every call here may return
 * TSAM_ERR_AGAIN, after which the caller waits on the socket for
 * tsam_ssh_wants() and calls again. Nothing here blocks or spins.
 *
 * Ownership: the session does not own the socket; the caller closes it
 * after tsam_ssh_free.
 */
#ifndef TSAM_SSH_H
#define TSAM_SSH_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

struct tsam_ssh;

/* Directions the session waits for after TSAM_ERR_AGAIN. */
#define TSAM_SSH_WANT_READ  1
#define TSAM_SSH_WANT_WRITE 2

/* Key type names as in known_hosts and key files. */
enum tsam_keytype {
	TSAM_KEY_UNKNOWN = 0,
	TSAM_KEY_ED25519,
	TSAM_KEY_ECDSA,
	TSAM_KEY_RSA,
	TSAM_KEY_DSA
};

/* Once per process, in main, before any thread: wraps libssh2_init. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_global_init(void);

/* Once at exit. */
void tsam_ssh_global_exit(void);

/*
 * A new session on fd. hostkey_prefs (may be NULL or "") lists the host key
 * types to prefer, as known_hosts has them, so a host is not reported
 * unknown only because the server offered another type first.
 * keepalive_s > 0 enables keepalives at that interval. NULL on failure.
 */
struct tsam_ssh *tsam_ssh_new(int fd, const char *hostkey_prefs,
			      int keepalive_s);

/* Frees the session without blocking (the socket is shut down). */
void tsam_ssh_free(struct tsam_ssh *s);

/* TSAM_SSH_WANT_* bits to poll for after TSAM_ERR_AGAIN. */
int tsam_ssh_wants(const struct tsam_ssh *s);

/* Runs the SSH handshake (banner, key exchange). */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_handshake(struct tsam_ssh *s,
						 struct tsam_errbuf *eb);

/*
 * The server's host key (SSH wire blob) after the handshake; points into
 * the session, valid until tsam_ssh_free.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_ssh_hostkey(struct tsam_ssh *s, const unsigned char **blob, size_t *len);

/*
 * Public-key authentication with a private key file (OpenSSH or PEM
 * format; passphrase may be NULL). pubpath (may be NULL) is its public
 * key: without it libssh2 derives the public key from the private one,
 * which for an encrypted key costs a second decryption. TSAM_ERR_AUTH
 * when refused.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_ssh_auth_keyfile(struct tsam_ssh *s, const char *user, const char *path,
		      const char *pubpath, const char *passphrase,
		      struct tsam_errbuf *eb);

/* A public key as the SSH wire blob (the base64 field of a .pub file). */
struct tsam_ssh_pubkey {
	unsigned char *blob;
	size_t len;
};

/*
 * Authentication with each identity of the ssh-agent at sock (NULL:
 * $SSH_AUTH_SOCK) in turn or, when nonly > 0, only with those whose key is one
 * of only[0..nonly) (OpenSSH's IdentitiesOnly: a server's MaxAuthTries ends a
 * long agent list before the right key). TSAM_ERR_AUTH when all are refused or
 * the server gave up (its reason in the message), TSAM_ERR_NOTFOUND when there
 * is no agent or it holds no key wanted. *rsa_refused (may be NULL) is set when
 * an RSA identity was refused.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_ssh_auth_agent(struct tsam_ssh *s, const char *user, const char *sock,
		    const struct tsam_ssh_pubkey *only, size_t nonly,
		    bool *rsa_refused, struct tsam_errbuf *eb);

/* How many agent keys this session offered and had refused. */
unsigned tsam_ssh_agent_tried(const struct tsam_ssh *s);

/*
 * The authentication methods the server accepts for user
 * ("publickey,password"), into out. TSAM_OK with out "" when the server
 * let user in without any ("none").
 */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_auth_methods(struct tsam_ssh *s,
						    const char *user, char *out,
						    size_t outsz,
						    struct tsam_errbuf *eb);

/* Password authentication. TSAM_ERR_AUTH when refused or expired. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_auth_password(struct tsam_ssh *s,
						     const char *user,
						     const char *password,
						     struct tsam_errbuf *eb);

/*
 * Keyboard-interactive authentication answering the password to the
 * first round of hidden prompts (PAM's "Password:"). A server that asks
 * again (a second factor) is refused with that said.
 */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_auth_kbdint(struct tsam_ssh *s,
						   const char *user,
						   const char *password,
						   struct tsam_errbuf *eb);

/* The text of the server's disconnect message, or NULL. */
const char *tsam_ssh_disconnect_reason(const struct tsam_ssh *s);

/* True once authenticated. */
bool tsam_ssh_authenticated(struct tsam_ssh *s);

/* Opens a session channel and execs cmd on it. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_exec(struct tsam_ssh *s, const char *cmd,
					    struct tsam_errbuf *eb);

/* Writes up to n bytes to the command's stdin; *done gets the count. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_write(struct tsam_ssh *s, const char *p,
					     size_t n, size_t *done,
					     struct tsam_errbuf *eb);

/* Sends EOF on the command's stdin. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_send_eof(struct tsam_ssh *s,
						struct tsam_errbuf *eb);

/*
 * Reads up to cap bytes of stdout (stream 0) or stderr (stream 1).
 * TSAM_OK with *got > 0; TSAM_ERR_AGAIN when nothing is there now;
 * TSAM_ERR_EOF when the remote has sent EOF and everything was read.
 */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_read(struct tsam_ssh *s, int stream,
					    char *buf, size_t cap, size_t *got,
					    struct tsam_errbuf *eb);

/*
 * Closes the channel and waits for the remote close. Then *exit_status
 * gets the status (-1 if none was sent... which libssh2 cannot tell: see
 * the collector trailer) and signame the exit signal name ("" for none).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_ssh_close_channel(struct tsam_ssh *s, int *exit_status, char *signame,
		       size_t signamesz, struct tsam_errbuf *eb);

/* Sends SSH_MSG_DISCONNECT. */
enum tsam_err tsam_ssh_disconnect(struct tsam_ssh *s);

/* Sends a keepalive when due; *next_s gets seconds until the next one. */
enum tsam_err tsam_ssh_keepalive(struct tsam_ssh *s, int *next_s);

/*
 * Inspects a private key file without decrypting it: its type and whether
 * it is encrypted. Reads OpenSSH ("openssh-key-v1") and PEM files.
 */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_keyfile_info(const char *path,
						    enum tsam_keytype *type,
						    bool *encrypted,
						    struct tsam_errbuf *eb);

/*
 * Reads a public key file (OpenSSH's "TYPE BASE64 [comment]" line, as in
 * KEY.pub) into out (out->blob is the caller's to free) and its type.
 * Certificates (*-cert-v01@openssh.com) are refused: libssh2 1.10 cannot
 * use them, and the message says so.
 */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_pubkey_load(const char *path,
						   struct tsam_ssh_pubkey *out,
						   enum tsam_keytype *type,
						   struct tsam_errbuf *eb);

/*
 * ---- Jump hosts (ProxyJump) ----
 *
 * A jump host's session carries one direct-tcpip channel per host reached
 * through it. Made a relay (after tsam_ssh_new, before the handshake),
 * the session never blocks on a send: what the socket does not take is
 * queued (at most max_queue bytes; past it the session fails), and the
 * caller writes the queue out with tsam_ssh_flush when the socket is
 * writable (tsam_ssh_wants says so). Writers keep it short by writing to
 * a channel only while tsam_ssh_queued is small.
 */
void tsam_ssh_relay(struct tsam_ssh *s, size_t max_queue);

/* False once the session's connection is known broken or the server
 * disconnected. */
bool tsam_ssh_alive(const struct tsam_ssh *s);

/* Bytes a relay session has queued for its socket. */
size_t tsam_ssh_queued(const struct tsam_ssh *s);

/* Writes the queue: TSAM_OK when empty, TSAM_ERR_AGAIN, TSAM_ERR_IO. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_flush(struct tsam_ssh *s,
					     struct tsam_errbuf *eb);

/* A direct-tcpip channel: a TCP connection the jump host made. */
struct tsam_ssh_chan;

/*
 * Asks the authenticated session s to connect to host (a name the jump
 * host resolves, or an address) and port; *out is the caller's
 * (tsam_ssh_chan_free, before tsam_ssh_free of s). One open at a time per
 * session: repeat the same call after TSAM_ERR_AGAIN. TSAM_ERR_SSH with
 * the jump host's reason ("connect failed", "administratively
 * prohibited").
 */
TSAM_MUST_CHECK enum tsam_err
tsam_ssh_tunnel_open(struct tsam_ssh *s, const char *host, unsigned port,
		     struct tsam_ssh_chan **out, struct tsam_errbuf *eb);

/* Reads what the far end sent: TSAM_OK (*got > 0), TSAM_ERR_AGAIN,
 * TSAM_ERR_EOF (it closed its side and everything was read). */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_chan_read(struct tsam_ssh_chan *c,
						 char *buf, size_t cap,
						 size_t *got,
						 struct tsam_errbuf *eb);

/* Writes up to n bytes (*done of them); TSAM_ERR_AGAIN while the
 * channel's window is full. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_chan_write(struct tsam_ssh_chan *c,
						  const char *p, size_t n,
						  size_t *done,
						  struct tsam_errbuf *eb);

/* Sends EOF: the far end reads the end of the stream. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_chan_eof(struct tsam_ssh_chan *c,
						struct tsam_errbuf *eb);

/* Closes the channel: TSAM_ERR_AGAIN until the jump host has closed its
 * side too. */
TSAM_MUST_CHECK enum tsam_err tsam_ssh_chan_close(struct tsam_ssh_chan *c);

/* Frees c without blocking (a channel not yet closed is freed with its
 * session). */
void tsam_ssh_chan_free(struct tsam_ssh_chan *c);

/* The message for an RSA key refused by a modern server (docs/library-notes.md,
 * libssh2 1). */
extern const char tsam_ssh_rsa_note[];

#endif
