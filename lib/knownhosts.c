/* knownhosts.c - OpenSSH known_hosts parsing, checking and appending. */
#include "knownhosts.h"

#include "buf.h"
#include "fsio.h"
#include "log.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define KH_MAX_BYTES (64u << 20)
#define KH_MAX_BLOB  16384

struct entry {
	bool revoked;
	bool ca;		/* @cert-authority: a CA key for the hosts */
	size_t line;		/* in the file (0: added in this process) */
	char *hosts;		/* the host field as written (plain) */
	unsigned char salt[64]; /* hashed entries */
	size_t saltlen;
	unsigned char hash[64];
	size_t hashlen;
	bool hashed;
	char type[48];
	unsigned char *blob;
	size_t bloblen;
};

struct tsam_knownhosts {
	char *path;
	struct entry *e;
	size_t n, cap;
	struct tsam_buf pending; /* lines queued by tsam_knownhosts_add */
	size_t npending;
	bool hash; /* add hashed lines (the file has some, or asked) */
};

static void entry_free(struct entry *e)
{
	free(e->hosts);
	free(e->blob);
}

void tsam_knownhosts_free(struct tsam_knownhosts *kh)
{
	size_t i;

	if (kh == NULL)
		return;
	for (i = 0; i < kh->n; i++)
		entry_free(&kh->e[i]);
	free(kh->e);
	free(kh->path);
	tsam_buf_free(&kh->pending);
	free(kh);
}

/* Decodes base64 text into out (cap outsz); returns length or -1. */
static long b64_decode(struct tsam_cur in, unsigned char *out, size_t outsz)
{
	int len;
	size_t pad = 0;

	if (in.n == 0 || in.n % 4 != 0 || in.n / 4 * 3 > outsz ||
	    in.n > INT32_MAX)
		return -1;
	len = EVP_DecodeBlock(out, (const unsigned char *)in.p, (int)in.n);
	if (len < 0)
		return -1;
	if (in.p[in.n - 1] == '=')
		pad++;
	if (in.p[in.n - 2] == '=')
		pad++;
	return (long)((size_t)len - pad);
}

enum tsam_err tsam_knownhosts_blob_type(const unsigned char *blob,
					size_t bloblen, char *out, size_t outsz)
{
	uint32_t n;

	if (bloblen < 4)
		return TSAM_ERR_PARSE;
	n = ((uint32_t)blob[0] << 24) | ((uint32_t)blob[1] << 16) |
	    ((uint32_t)blob[2] << 8) | blob[3];
	if (n == 0 || n > bloblen - 4 || n >= outsz)
		return TSAM_ERR_PARSE;
	memcpy(out, blob + 4, n);
	out[n] = '\0';
	return TSAM_OK;
}

static bool known_type(const char *t)
{
	return strcmp(t, "ssh-ed25519") == 0 ||
	       strcmp(t, "ecdsa-sha2-nistp256") == 0 ||
	       strcmp(t, "ecdsa-sha2-nistp384") == 0 ||
	       strcmp(t, "ecdsa-sha2-nistp521") == 0 ||
	       strcmp(t, "ssh-rsa") == 0 || strcmp(t, "ssh-dss") == 0;
}

/* Parses one non-comment line into e; returns a reason on failure. */
static const char *parse_line(struct tsam_cur line, struct entry *e)
{
	struct tsam_cur hosts, type, key;
	char tbuf[48];
	long blen;

	memset(e, 0, sizeof(*e));
	if (!tsam_cur_token(&line, &hosts))
		return "empty";
	if (hosts.p[0] == '@') {
		if (tsam_cur_eq(hosts, "@revoked"))
			e->revoked = true;
		else if (tsam_cur_eq(hosts, "@cert-authority"))
			e->ca = true; /* checked per host: see the check */
		else
			return "unknown marker";
		if (!tsam_cur_token(&line, &hosts))
			return "no host field after marker";
	}
	if (!tsam_cur_token(&line, &type))
		return "no key type";
	if (!tsam_cur_token(&line, &key))
		return "no key";
	if (type.n >= sizeof(tbuf))
		return "key type too long";
	memcpy(tbuf, type.p, type.n);
	tbuf[type.n] = '\0';
	if (!known_type(tbuf))
		return "unsupported key type";
	if (key.n == 0 || key.n / 4 * 3 > KH_MAX_BLOB)
		return "bad base64 key";
	/* as much as the key's base64 decodes to (51 bytes for ed25519) */
	e->blob = malloc(key.n / 4 * 3 + 1);
	if (e->blob == NULL)
		return "out of memory";
	blen = b64_decode(key, e->blob, key.n / 4 * 3 + 1);
	if (blen <= 0)
		return "bad base64 key";
	e->bloblen = (size_t)blen;
	if (tsam_knownhosts_blob_type(e->blob, e->bloblen, e->type,
				      sizeof(e->type)) != TSAM_OK ||
	    strcmp(e->type, tbuf) != 0)
		return "key blob does not match its type";
	if (tsam_cur_skip_prefix(&hosts, "|1|")) {
		const char *bar = memchr(hosts.p, '|', hosts.n);
		long sl, hl;
		if (bar == NULL)
			return "bad hashed host field";
		sl = b64_decode(tsam_cur_make(hosts.p, (size_t)(bar - hosts.p)),
				e->salt, sizeof(e->salt));
		hl = b64_decode(
		    tsam_cur_make(bar + 1,
				  hosts.n - (size_t)(bar - hosts.p) - 1),
		    e->hash, sizeof(e->hash));
		if (sl != 20 || hl != 20)
			return "bad hashed host field";
		e->saltlen = (size_t)sl;
		e->hashlen = (size_t)hl;
		e->hashed = true;
	} else if (hosts.p[0] == '|') {
		return "unknown host hash format";
	} else {
		e->hosts = tsam_cur_dup(hosts);
		if (e->hosts == NULL)
			return "out of memory";
	}
	return NULL;
}

static int kh_push(struct tsam_knownhosts *kh, struct entry *e)
{
	if (tsam_grow(&kh->e, &kh->cap, kh->n + 1, sizeof(*kh->e)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	kh->e[kh->n++] = *e;
	return TSAM_OK;
}

/* Parses text into kh; logs each bad line. */
static int parse_all(struct tsam_knownhosts *kh, const char *data, size_t n,
		     bool quiet, size_t *nbad)
{
	struct tsam_cur all = tsam_cur_make(data, n), line;
	size_t lineno = 0, bad = 0;

	while (tsam_cur_getline(&all, &line)) {
		struct entry e;
		const char *why;
		struct tsam_cur t;

		lineno++;
		t = line;
		tsam_cur_trim(&t);
		if (t.n == 0 || t.p[0] == '#')
			continue;
		why = parse_line(t, &e);
		e.line = lineno;
		if (why == NULL && e.hashed)
			kh->hash = true;
		if (why != NULL) {
			bad++;
			if (!quiet)
				tsam_log(TSAM_LOG_WARN, NULL, "%s:%zu: %s",
					 kh->path, lineno, why);
			entry_free(&e);
			continue;
		}
		if (kh_push(kh, &e) != TSAM_OK) {
			entry_free(&e);
			return TSAM_ERR_NOMEM;
		}
	}
	if (nbad != NULL)
		*nbad = bad;
	return TSAM_OK;
}

enum tsam_err tsam_knownhosts_parse(const char *path, const char *data,
				    size_t n, struct tsam_knownhosts **out,
				    size_t *nbad)
{
	struct tsam_knownhosts *kh = calloc(1, sizeof(*kh));
	int rc;

	*out = NULL;
	if (nbad != NULL)
		*nbad = 0;
	if (kh == NULL)
		return TSAM_ERR_NOMEM;
	tsam_buf_init(&kh->pending, KH_MAX_BYTES);
	kh->path = strdup(path);
	if (kh->path == NULL) {
		tsam_knownhosts_free(kh);
		return TSAM_ERR_NOMEM;
	}
	rc = parse_all(kh, data, n, false, nbad);
	if (rc != TSAM_OK) {
		tsam_knownhosts_free(kh);
		return rc;
	}
	*out = kh;
	return TSAM_OK;
}

enum tsam_err tsam_knownhosts_load(const char *path,
				   struct tsam_knownhosts **out, size_t *nbad,
				   struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	int rc;

	*out = NULL;
	tsam_buf_init(&b, KH_MAX_BYTES);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc == TSAM_ERR_NOTFOUND) {
		/* No file yet: an empty set. */
		tsam_errbuf_clear(eb);
		rc = tsam_knownhosts_parse(path, "", 0, out, nbad);
	} else if (rc == TSAM_OK) {
		rc = tsam_knownhosts_parse(path, b.data ? b.data : "", b.len,
					   out, nbad);
	}
	tsam_buf_free(&b);
	return rc;
}

/* Host names compare without case, as in OpenSSH. */
static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The name OpenSSH looks up: "host" on port 22, else "[host]:port". */
static void lookup_name(const char *host, unsigned port, char *out,
			size_t outsz)
{
	if (port == 0 || port == 22)
		snprintf(out, outsz, "%s", host);
	else
		snprintf(out, outsz, "[%s]:%u", host, port);
	lower(out);
}

/*
 * OpenSSH's wildcards: '*' any run, '?' one character, nothing else ('['
 * is literal: "[host]:port" is a name, not a character class).
 */
static bool wild(const char *p, const char *s)
{
	const char *star = NULL, *resume = NULL;

	while (*s) {
		if (*p == '*') {
			star = p++;
			resume = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

/* OpenSSH pattern-list semantics: any positive match, no negated match. */
static bool plain_match(const char *patterns, const char *name)
{
	const char *p = patterns;
	bool hit = false;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char pat[1024];
		bool neg = false;

		if (len > 0 && len < sizeof(pat)) {
			memcpy(pat, p, len);
			pat[len] = '\0';
			if (pat[0] == '!') {
				neg = true;
				memmove(pat, pat + 1, len);
			}
			lower(pat);
			if (wild(pat, name)) {
				if (neg)
					return false;
				hit = true;
			}
		}
		if (end == NULL)
			break;
		p = end + 1;
	}
	return hit;
}

static bool entry_matches(const struct entry *e, const char *name)
{
	if (e->hashed) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		if (HMAC(EVP_sha1(), e->salt, (int)e->saltlen,
			 (const unsigned char *)name, strlen(name), md,
			 &mdlen) == NULL)
			return false;
		return mdlen == e->hashlen && memcmp(md, e->hash, mdlen) == 0;
	}
	return plain_match(e->hosts, name);
}

static bool entry_for(const struct entry *e, const char *n1, const char *n2)
{
	return entry_matches(e, n1) || (n2 != NULL && entry_matches(e, n2));
}

/* Where an entry is, for a message. */
static void where_is(const struct tsam_knownhosts *kh, const struct entry *e,
		     struct tsam_kh_where *w)
{
	if (w == NULL)
		return;
	w->path = kh->path;
	w->line = e->line;
	tsam_knownhosts_fingerprint(e->blob, e->bloblen, w->fingerprint,
				    sizeof(w->fingerprint));
}

enum tsam_kh_result tsam_knownhosts_check(const struct tsam_knownhosts *kh,
					  const char *name, const char *address,
					  unsigned port,
					  const unsigned char *blob,
					  size_t bloblen,
					  struct tsam_kh_where *where)
{
	char n1[1100], n2[1100], type[48];
	bool any = false, match = false;
	const struct entry *same_type = NULL, *ca = NULL;
	size_t i;

	if (where != NULL)
		memset(where, 0, sizeof(*where));
	if (tsam_knownhosts_blob_type(blob, bloblen, type, sizeof(type)) !=
	    TSAM_OK)
		return TSAM_KH_MISMATCH;
	lookup_name(name, port, n1, sizeof(n1));
	lookup_name(address, port, n2, sizeof(n2));
	for (i = 0; i < kh->n; i++) {
		const struct entry *e = &kh->e[i];
		bool same_key = e->bloblen == bloblen &&
				memcmp(e->blob, blob, bloblen) == 0;
		if (e->revoked) {
			/* @revoked applies to the key wherever it appears. */
			if (same_key && entry_for(e, n1, n2)) {
				where_is(kh, e, where);
				return TSAM_KH_REVOKED;
			}
			continue;
		}
		if (!entry_for(e, n1, strcmp(n1, n2) ? n2 : NULL))
			continue;
		if (e->ca) {
			if (ca == NULL)
				ca = e;
			continue;
		}
		any = true;
		if (strcmp(e->type, type) == 0) {
			if (same_type == NULL)
				same_type = e;
			if (same_key)
				match = true;
		}
	}
	if (match)
		return TSAM_KH_MATCH;
	if (same_type != NULL) {
		where_is(kh, same_type, where);
		return TSAM_KH_MISMATCH;
	}
	if (!any && ca != NULL) {
		where_is(kh, ca, where);
		return TSAM_KH_CA;
	}
	return any ? TSAM_KH_OTHER_TYPE : TSAM_KH_UNKNOWN;
}

void tsam_knownhosts_fingerprint(const unsigned char *blob, size_t bloblen,
				 char *out, size_t outsz)
{
	unsigned char md[32], enc[48];
	unsigned int mdlen = 0;
	size_t n;

	out[0] = '\0';
	if (EVP_Digest(blob, bloblen, md, &mdlen, EVP_sha256(), NULL) != 1 ||
	    mdlen != 32)
		return;
	EVP_EncodeBlock(enc, md, 32);
	n = strlen((char *)enc);
	while (n > 0 && enc[n - 1] == '=') /* as OpenSSH prints it */
		n--;
	snprintf(out, outsz, "SHA256:%.*s", (int)n, (char *)enc);
}

void tsam_knownhosts_set_hash(struct tsam_knownhosts *kh, bool hash)
{
	kh->hash = hash;
}

void tsam_knownhosts_types(const struct tsam_knownhosts *kh, const char *name,
			   const char *address, unsigned port, char *out,
			   size_t outsz)
{
	char n1[1100], n2[1100];
	size_t i, used = 0;

	out[0] = '\0';
	lookup_name(name, port, n1, sizeof(n1));
	lookup_name(address, port, n2, sizeof(n2));
	for (i = 0; i < kh->n; i++) {
		const struct entry *e = &kh->e[i];
		size_t tl = strlen(e->type);
		if (e->revoked || e->ca || !entry_for(e, n1, n2) ||
		    strstr(out, e->type))
			continue;
		if (used + tl + 2 > outsz)
			break;
		if (used > 0)
			out[used++] = ',';
		memcpy(out + used, e->type, tl + 1);
		used += tl;
	}
}

/* "|1|salt|hmac" for name, as OpenSSH's HashKnownHosts writes it. */
static int hashed_name(const char *name, char *out, size_t outsz)
{
	unsigned char salt[20], md[EVP_MAX_MD_SIZE], es[32], eh[32];
	unsigned int mdlen = 0;

	if (getrandom(salt, sizeof(salt), 0) != (ssize_t)sizeof(salt) ||
	    HMAC(EVP_sha1(), salt, (int)sizeof(salt),
		 (const unsigned char *)name, strlen(name), md,
		 &mdlen) == NULL ||
	    mdlen != 20)
		return TSAM_ERR_IO;
	EVP_EncodeBlock(es, salt, 20);
	EVP_EncodeBlock(eh, md, 20);
	snprintf(out, outsz, "|1|%s|%s", (char *)es, (char *)eh);
	return TSAM_OK;
}

/*
 * Formats the known_hosts line(s) for a host into b: "name,address type
 * key", or, hashed, one line per name (as ssh-keygen -H writes them).
 */
static int format_line(struct tsam_buf *b, const char *name,
		       const char *address, unsigned port,
		       const unsigned char *blob, size_t bloblen, bool hash)
{
	char n1[1100], n2[1100], type[48], h1[80], h2[80];
	unsigned char *enc;
	int rc;

	if (tsam_knownhosts_blob_type(blob, bloblen, type, sizeof(type)) !=
	    TSAM_OK)
		return TSAM_ERR_PARSE;
	lookup_name(name, port, n1, sizeof(n1));
	lookup_name(address, port, n2, sizeof(n2));
	enc = malloc(4 * ((bloblen + 2) / 3) + 1);
	if (enc == NULL)
		return TSAM_ERR_NOMEM;
	EVP_EncodeBlock(enc, blob, (int)bloblen);
	if (hash) {
		rc = hashed_name(n1, h1, sizeof(h1));
		if (rc == TSAM_OK)
			rc = tsam_buf_addf(b, "%s %s %s\n", h1, type, enc);
		if (rc == TSAM_OK && strcmp(n1, n2) != 0 &&
		    (rc = hashed_name(n2, h2, sizeof(h2))) == TSAM_OK)
			rc = tsam_buf_addf(b, "%s %s %s\n", h2, type, enc);
	} else if (strcmp(n1, n2) != 0) {
		rc = tsam_buf_addf(b, "%s,%s %s %s\n", n1, n2, type, enc);
	} else {
		rc = tsam_buf_addf(b, "%s %s %s\n", n1, type, enc);
	}
	free(enc);
	return rc;
}

enum tsam_err tsam_knownhosts_add(struct tsam_knownhosts *kh, const char *name,
				  const char *address, unsigned port,
				  const unsigned char *blob, size_t bloblen)
{
	struct tsam_buf line;
	struct entry e;
	const char *why;
	int rc;

	tsam_buf_init(&line, 64 * 1024);
	rc = format_line(&line, name, address, port, blob, bloblen, kh->hash);
	if (rc == TSAM_OK) {
		/* trusted in this process at once: each line parsed in */
		struct tsam_cur all = tsam_cur_make(line.data, line.len), one;
		while (rc == TSAM_OK && tsam_cur_getline(&all, &one)) {
			why = parse_line(one, &e);
			if (why != NULL) {
				entry_free(&e);
				rc = TSAM_ERR_INTERNAL;
			} else if ((rc = kh_push(kh, &e)) != TSAM_OK) {
				entry_free(&e);
			}
		}
	}
	if (rc == TSAM_OK)
		rc = tsam_buf_add(&kh->pending, line.data, line.len);
	if (rc == TSAM_OK)
		kh->npending++;
	tsam_buf_free(&line);
	return rc;
}

/* Parses without warnings: the file was reported when it was loaded. */
static int reparse_quiet(const char *path, const char *data, size_t n,
			 struct tsam_knownhosts **out)
{
	struct tsam_knownhosts *kh = NULL;
	int rc = tsam_knownhosts_parse(path, "", 0, &kh, NULL);

	if (rc == TSAM_OK)
		rc = parse_all(kh, data, n, true, NULL);
	if (rc != TSAM_OK) {
		tsam_knownhosts_free(kh);
		kh = NULL;
	}
	*out = kh;
	return rc;
}

enum tsam_err tsam_knownhosts_flush(struct tsam_knownhosts *kh,
				    struct tsam_errbuf *eb)
{
	struct tsam_knownhosts *now = NULL;
	struct tsam_buf file, lock;
	struct tsam_cur all, line;
	struct stat st;
	mode_t mode = 0600;
	char *real;
	const char *path;
	int lfd, rc;

	if (kh->npending == 0)
		return TSAM_OK;
	/* a symlinked known_hosts (dotfiles kept elsewhere) stays a link:
	 * the file it points to is the one rewritten */
	real = realpath(kh->path, NULL);
	path = real ? real : kh->path;
	tsam_buf_init(&lock, 4096);
	tsam_buf_init(&file, KH_MAX_BYTES);
	lfd = -1;
	if ((rc = tsam_buf_addf(&lock, "%s.lock", path)) != TSAM_OK)
		goto out;
	lfd = open(lock.data, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: cannot lock: %s",
				     lock.data, strerror(errno));
		goto out;
	}
	/* Re-read under the lock: another process may have appended. */
	rc = tsam_fsio_read(path, &file, eb);
	if (rc == TSAM_ERR_NOTFOUND) {
		tsam_errbuf_clear(eb);
		rc = tsam_buf_add(&file, "", 0);
	}
	if (rc == TSAM_OK && stat(path, &st) == 0)
		mode = st.st_mode & 0777;
	if (rc == TSAM_OK)
		rc = reparse_quiet(path, file.data, file.len, &now);
	if (rc == TSAM_OK && file.len > 0 && file.data[file.len - 1] != '\n')
		rc = tsam_buf_add(&file, "\n", 1);
	all = tsam_cur_make(kh->pending.data, kh->pending.len);
	while (rc == TSAM_OK && tsam_cur_getline(&all, &line)) {
		struct entry e;
		size_t i;
		bool present = false;

		if (parse_line(line, &e) != NULL) {
			entry_free(&e);
			continue;
		}
		for (i = 0; i < now->n && !present; i++)
			present =
			    now->e[i].bloblen == e.bloblen &&
			    memcmp(now->e[i].blob, e.blob, e.bloblen) == 0 &&
			    e.hosts != NULL && now->e[i].hosts != NULL &&
			    strcmp(now->e[i].hosts, e.hosts) == 0;
		entry_free(&e);
		if (!present) {
			rc = tsam_buf_add(&file, line.p, line.n);
			if (rc == TSAM_OK)
				rc = tsam_buf_add(&file, "\n", 1);
		}
	}
	if (rc == TSAM_OK)
		rc =
		    tsam_fsio_write_atomic(path, file.data, file.len, mode, eb);
	if (rc == TSAM_OK) {
		tsam_buf_reset(&kh->pending);
		kh->npending = 0;
	}
out:
	tsam_knownhosts_free(now);
	tsam_buf_free(&file);
	if (lfd >= 0) {
		flock(lfd, LOCK_UN); /* a failed lock: unlocking does nothing */
		close(lfd);
	}
	tsam_buf_free(&lock);
	free(real);
	return rc;
}

const char *tsam_knownhosts_path(const struct tsam_knownhosts *kh)
{
	return kh->path;
}
