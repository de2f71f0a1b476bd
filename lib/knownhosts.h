/*
 * knownhosts.h - OpenSSH known_hosts files, read and checked by our own
 * parser so that every line is accounted for.
 *
 * Supported: plain and hashed (|1|salt|hash) host fields, comma-separated
 * patterns with * and ? wildcards and !negation, "[host]:port" for
 * non-default ports, ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa and
 * ssh-dss keys, and the @revoked marker (a revoked key never matches).
 * @cert-authority lines are read, but libssh2 1.10 cannot verify host
 * certificates: a host that only a CA line vouches for is refused with
 * that said (TSAM_KH_CA), per host. A line that cannot be parsed is
 * reported with file:line and skipped; it never hides the lines after it
 * (libssh2's reader stops). Lines added by --accept-new are hashed when
 * the file already holds hashed lines (or tsam_knownhosts_set_hash).
 *
 * A host is looked up by both its inventory name and the address we connect
 * to, as OpenSSH does with CheckHostIP.
 */
#ifndef TSAM_KNOWNHOSTS_H
#define TSAM_KNOWNHOSTS_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

struct tsam_knownhosts;

enum tsam_kh_result {
	TSAM_KH_MATCH = 0,  /* a line has this exact key for the host */
	TSAM_KH_UNKNOWN,    /* no line for the host at all */
	TSAM_KH_OTHER_TYPE, /* lines for the host, none of this key type */
	TSAM_KH_MISMATCH,   /* a line of this type holds another key */
	TSAM_KH_REVOKED,    /* the key is marked @revoked */
	TSAM_KH_CA	    /* only a @cert-authority line is for the host */
};

/* The line a result rests on, for the message: file, line and the SHA256
 * fingerprint of its key ("SHA256:...", as OpenSSH prints it). */
struct tsam_kh_where {
	const char *path; /* kh's; NULL when none */
	size_t line;	  /* 0: added by this process */
	char fingerprint[64];
};

/*
 * Loads path. A missing file is an empty set (strict checking then reports
 * every host unknown). Bad lines are logged as warnings and skipped; *nbad
 * (if not NULL) receives their count. *out is the caller's.
 */
TSAM_MUST_CHECK enum tsam_err tsam_knownhosts_load(const char *path,
						   struct tsam_knownhosts **out,
						   size_t *nbad,
						   struct tsam_errbuf *eb);

/*
 * Parses n bytes of known_hosts text named path (used for messages and by
 * tsam_knownhosts_flush). Like tsam_knownhosts_load without the read.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_knownhosts_parse(const char *path, const char *data, size_t n,
		      struct tsam_knownhosts **out, size_t *nbad);

/* Frees kh; NULL is a no-op. */
void tsam_knownhosts_free(struct tsam_knownhosts *kh);

/*
 * Checks the key (blob: the SSH wire encoding, whose first field is the
 * type) presented by the host known as name, reached at address:port.
 * For MISMATCH (the recorded key of that type), REVOKED and CA (the CA
 * line), *where (may be NULL) says which line.
 */
enum tsam_kh_result tsam_knownhosts_check(const struct tsam_knownhosts *kh,
					  const char *name, const char *address,
					  unsigned port,
					  const unsigned char *blob,
					  size_t bloblen,
					  struct tsam_kh_where *where);

/* The SHA256 fingerprint of a key blob, as OpenSSH prints it. */
void tsam_knownhosts_fingerprint(const unsigned char *blob, size_t bloblen,
				 char *out, size_t outsz);

/* The file kh was read from. */
const char *tsam_knownhosts_path(const struct tsam_knownhosts *kh);

/* Whether lines added from now on are hashed (HashKnownHosts). */
void tsam_knownhosts_set_hash(struct tsam_knownhosts *kh, bool hash);

/*
 * Writes into out (a comma-separated list, e.g. "ssh-ed25519,ecdsa-...")
 * the key types known for the host, so the session can prefer them, as
 * OpenSSH does. Empty when none; out is always terminated.
 */
void tsam_knownhosts_types(const struct tsam_knownhosts *kh, const char *name,
			   const char *address, unsigned port, char *out,
			   size_t outsz);

/*
 * Queues a new line for the host (--accept-new). The key is trusted by
 * later checks in this process at once; the file changes at the next
 * tsam_knownhosts_flush.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_knownhosts_add(struct tsam_knownhosts *kh, const char *name,
		    const char *address, unsigned port,
		    const unsigned char *blob, size_t bloblen);

/*
 * Appends the queued lines to the file atomically (lock file, re-read,
 * temp file, fsync, rename), skipping hosts another process added
 * meanwhile. Safe to call often; a no-op with nothing queued.
 */
TSAM_MUST_CHECK enum tsam_err tsam_knownhosts_flush(struct tsam_knownhosts *kh,
						    struct tsam_errbuf *eb);

/* The SSH key type name inside blob ("ssh-ed25519"), into out. */
TSAM_MUST_CHECK enum tsam_err
tsam_knownhosts_blob_type(const unsigned char *blob, size_t bloblen, char *out,
			  size_t outsz);

#endif
