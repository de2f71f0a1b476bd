/*
 * err.h - the one error enum of tsamkit, its messages, and the optional
 * caller-owned error buffer that carries context ("inv.txt:12: bad port").
 *
 * Every library function that can fail returns an int from this enum
 * (TSAM_OK on success). There is no hidden error state: context, when the
 * caller wants it, goes into a struct tsam_errbuf the caller owns.
 */
#ifndef TSAM_ERR_H
#define TSAM_ERR_H

#include <stddef.h>

/* Marks a function whose result says whether it worked: the compiler
 * warns where it is ignored (an error in CI, -Werror). */
#if defined(__GNUC__)
#define TSAM_MUST_CHECK __attribute__((warn_unused_result))
#else
#define TSAM_MUST_CHECK
#endif

enum tsam_err {
	TSAM_OK = 0,
	TSAM_ERR_NOMEM,		   /* out of memory */
	TSAM_ERR_IO,		   /* file or socket I/O failed */
	TSAM_ERR_PARSE,		   /* malformed input */
	TSAM_ERR_TOOBIG,	   /* a bound was hit */
	TSAM_ERR_INVAL,		   /* invalid argument or option */
	TSAM_ERR_NOTFOUND,	   /* no such item */
	TSAM_ERR_DUP,		   /* duplicate item */
	TSAM_ERR_AGAIN,		   /* would block: call again when ready */
	TSAM_ERR_EOF,		   /* end of stream */
	TSAM_ERR_TIMEOUT,	   /* a deadline passed */
	TSAM_ERR_CONNECT,	   /* could not connect */
	TSAM_ERR_AUTH,		   /* authentication refused */
	TSAM_ERR_HOSTKEY_UNKNOWN,  /* host key not in known_hosts */
	TSAM_ERR_HOSTKEY_MISMATCH, /* host key differs from known_hosts */
	TSAM_ERR_SSH,		   /* SSH protocol or library error */
	TSAM_ERR_ZLIB,		   /* compression error */
	TSAM_ERR_INTERRUPTED,	   /* stopped by a signal or deadline */
	TSAM_ERR_INTERNAL,	   /* a bug */
	TSAM_ERR_PDF,		   /* the PDF library refused (libharu) */
	TSAM_ERR__COUNT
};

/* Size of the message in a struct tsam_errbuf, terminator included. */
#define TSAM_ERRBUF_SIZE 512

/* Caller-owned context for an error; msg is "" when nothing was set. */
struct tsam_errbuf {
	char msg[TSAM_ERRBUF_SIZE];
};

/* Static English text for code; never NULL, also for unknown codes. */
const char *tsam_strerror(int code);

/*
 * Formats a message into eb (if eb is not NULL) and returns code, so that a
 * failure path reads "return tsam_errbuf_set(eb, TSAM_ERR_PARSE, ...)".
 * Truncates silently at TSAM_ERRBUF_SIZE. An argument may be eb's own
 * message (wrapping it with context): it is read before it is replaced.
 */
int tsam_errbuf_set(struct tsam_errbuf *eb, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Empties eb (no-op for NULL). */
void tsam_errbuf_clear(struct tsam_errbuf *eb);

/* eb's message, or tsam_strerror(code) when eb is NULL or empty. */
const char *tsam_errbuf_str(const struct tsam_errbuf *eb, int code);

#endif
