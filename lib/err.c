/* err.c - error codes and the caller-owned error buffer. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const messages[TSAM_ERR__COUNT] = {
    [TSAM_OK] = "success",
    [TSAM_ERR_NOMEM] = "out of memory",
    [TSAM_ERR_IO] = "input/output error",
    [TSAM_ERR_PARSE] = "malformed input",
    [TSAM_ERR_TOOBIG] = "size limit exceeded",
    [TSAM_ERR_INVAL] = "invalid argument",
    [TSAM_ERR_NOTFOUND] = "not found",
    [TSAM_ERR_DUP] = "duplicate",
    [TSAM_ERR_AGAIN] = "operation would block",
    [TSAM_ERR_EOF] = "end of stream",
    [TSAM_ERR_TIMEOUT] = "timed out",
    [TSAM_ERR_CONNECT] = "connection failed",
    [TSAM_ERR_AUTH] = "authentication failed",
    [TSAM_ERR_HOSTKEY_UNKNOWN] = "host key unknown",
    [TSAM_ERR_HOSTKEY_MISMATCH] = "host key mismatch",
    [TSAM_ERR_SSH] = "SSH error",
    [TSAM_ERR_ZLIB] = "compression error",
    [TSAM_ERR_INTERRUPTED] = "interrupted",
    [TSAM_ERR_INTERNAL] = "internal error",
    [TSAM_ERR_PDF] = "PDF library error",
};

const char *tsam_strerror(int code)
{
	if (code < 0 || code >= TSAM_ERR__COUNT || messages[code] == NULL)
		return "unknown error";
	return messages[code];
}

int tsam_errbuf_set(struct tsam_errbuf *eb, int code, const char *fmt, ...)
{
	char msg[sizeof(eb->msg)];
	va_list ap;

	if (eb == NULL)
		return code;
	/* formatted aside first: an argument may be eb's own message
	 * ("%s: %s", path, tsam_errbuf_str(eb, rc)), and vsnprintf into the
	 * buffer it reads from is undefined */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(eb->msg, msg, sizeof(msg));
	return code;
}

void tsam_errbuf_clear(struct tsam_errbuf *eb)
{
	if (eb != NULL)
		eb->msg[0] = '\0';
}

const char *tsam_errbuf_str(const struct tsam_errbuf *eb, int code)
{
	if (eb != NULL && eb->msg[0] != '\0')
		return eb->msg;
	return tsam_strerror(code);
}
