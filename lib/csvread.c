/*
 * csvread.c - an RFC 4180 reader that works in place on the bytes read.
 *
 * Why not libcsv (which this file used until the issue 5 benchmark):
 * libcsv walks every byte through its state machine and copies every
 * field, which alone took 1.2x the time mawk needs to split the same
 * files, more than half of tsam-cases' whole budget. Here each record is
 * first delimited - memchr to the next LF, memchr over the quotes in
 * between; a record goes on past an LF while its quotes are unbalanced -
 * and then split in place: fields are NUL-terminated where their
 * delimiter was, doubled quotes are folded, nothing is copied. Records
 * without quotes (most rows of most exports) take a memchr-only path.
 * libcsv stays the reference: tests/fuzz/fuzz_csv.c feeds both the same
 * bytes and compares every record.
 *
 * The dialect is libcsv's default one: fields split on ',', records end at
 * LF, CRLF or a lone CR; spaces and tabs around an unquoted field and
 * around a quoted one are dropped; a quote inside an unquoted field is an
 * ordinary character; text after a closing quote is kept as it is. Blank
 * lines are no records. A quote never closed makes a bad record.
 *
 * Lines are physical lines: a record's line is the count of LFs before
 * it, plus one.
 */
#include "csvread.h"

#include "str.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1024 * 1024)
/* A record longer than this is reported bad and skipped, unread. */
#define MAX_RECORD (16u << 20)

struct rd {
	tsam_csv_row_fn fn;
	void *ctx;
	size_t line; /* of the next record */
	size_t lens[TSAM_CSV_MAX_FIELDS];
	char *ptrs[TSAM_CSV_MAX_FIELDS];
	bool stop;
	/* skipping a record over MAX_RECORD: where it began, where in it */
	bool skipping;
	size_t skip_line;
	enum { SK_START, SK_TEXT, SK_QUOTED, SK_QUOTE } skip_state;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Hands one record to the caller. */
static void emit(struct rd *r, size_t line, size_t n, const char *bad)
{
	if (r->fn(r->ctx, line, r->ptrs, r->lens, bad ? 0 : n, bad) != 0)
		r->stop = true;
}

/* Ends field k at p[len] (in place) and records it. */
static const char *field(struct rd *r, size_t k, char *p, size_t len)
{
	if (k == TSAM_CSV_MAX_FIELDS)
		return "more than 256 fields";
	if (len > TSAM_CSV_MAX_FIELD)
		return "a field longer than 64 KiB";
	p[len] = '\0';
	r->ptrs[k] = p;
	r->lens[k] = len;
	return NULL;
}

/* Splits a record without quotes, s[0..n) with s[n] writable. */
static void split_plain(struct rd *r, char *s, size_t n, size_t line)
{
	char *end = s + n, *p = s, *c;
	const char *bad = NULL;
	size_t k = 0;

	for (;;) {
		char *a = p, *b;

		c = memchr(p, ',', (size_t)(end - p));
		b = c ? c : end;
		while (a < b && blank(*a))
			a++;
		while (b > a && blank(b[-1]))
			b--;
		if ((bad = field(r, k++, a, (size_t)(b - a))) != NULL)
			break;
		if (c == NULL)
			break;
		p = c + 1;
	}
	emit(r, line, k, bad);
}

/*
 * Walks a quoted field whose text starts at p: returns its closing quote -
 * the first quote followed by nothing but blanks before a comma, CR, LF or
 * the end of the data (final) - or NULL when the data ends first. A
 * doubled quote is one quote of the text; any other quote is an ordinary
 * character (libcsv's rule). With out, the text is moved down to out,
 * ending at *outend.
 */
static char *quoted_field(char *p, char *end, bool final, char *out,
			  char **outend)
{
	for (;;) {
		char *q = memchr(p, '"', (size_t)(end - p)), *j;
		size_t seg = (size_t)((q ? q : end) - p);

		if (out != NULL) {
			memmove(out, p, seg);
			out += seg;
			*outend = out;
		}
		if (q == NULL)
			return NULL;
		for (j = q + 1; j < end && blank(*j); j++)
			;
		if (j == end && !final)
			return NULL; /* more data decides */
		if (j == end || *j == ',' || *j == '\n' || *j == '\r')
			return q;
		if (out != NULL)
			*out++ = '"';
		p = q + 1 + (q[1] == '"');
	}
}

/*
 * Splits a record with quotes, s[0..n) with s[n] writable (closed is
 * false when the data ended inside a quoted field).
 */
static void split_quoted(struct rd *r, char *s, size_t n, size_t line,
			 bool closed)
{
	char *end = s + n, *p = s;
	const char *bad = closed ? NULL : "a quoted field that is never closed";
	size_t k = 0;

	while (bad == NULL) {
		char *a, *out;

		while (p < end && blank(*p))
			p++;
		a = out = p;
		if (p < end && *p == '"') {
			/* the text moves down over the opening quote */
			char *q = quoted_field(p + 1, end, true, a, &out);

			p = q ? q + 1 : end;
			while (p < end && blank(*p))
				p++;
		} else {
			while (p < end && *p != ',')
				p++;
			out = p;
			while (out > a && blank(out[-1]))
				out--;
		}
		bad = field(r, k++, a, (size_t)(out - a));
		if (bad != NULL || p >= end)
			break;
		p++; /* the comma */
	}
	emit(r, line, k, bad);
}

/* The number of '\n' in p[0..n). */
static size_t newlines(const char *p, size_t n)
{
	const char *end = p + n;
	size_t c = 0;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		c++;
		p++;
	}
	return c;
}

/*
 * Finds the end of the record at s[0..avail) that has a quote: *len bytes
 * up to its terminator (the first LF or CR outside a quoted field), or to
 * the end of the data when final (*closed false if that is inside a
 * quote). False: the record needs more data.
 */
static bool scan_quoted(char *s, size_t avail, bool final, size_t *len,
			bool *closed)
{
	char *p = s, *end = s + avail;

	for (;;) { /* a field */
		while (p < end && blank(*p))
			p++;
		if (p < end && *p == '"') {
			char *q = quoted_field(p + 1, end, final, NULL, NULL);

			if (q == NULL) {
				if (!final)
					return false;
				*closed = false;
				*len = avail;
				return true;
			}
			p = q + 1;
		}
		while (p < end && *p != ',' && *p != '\n' && *p != '\r')
			p++;
		if (p == end) {
			if (!final)
				return false;
			*len = avail;
			return true;
		}
		if (*p != ',') {
			*len = (size_t)(p - s);
			return true;
		}
		p++;
	}
}

/*
 * Skips the rest of a record over MAX_RECORD in buf[0..n), byte by byte
 * (a rare path) with the scanner's rules; returns the bytes consumed
 * (all of them while the record goes on).
 */
static size_t skip(struct rd *r, const char *buf, size_t n, bool final)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char c = buf[i];

		if (c == '\n')
			r->line++;
		switch (r->skip_state) {
		case SK_QUOTED:
			if (c == '"')
				r->skip_state = SK_QUOTE;
			continue;
		case SK_QUOTE: /* a quote inside quotes: doubled or closing */
			if (c == '"') {
				r->skip_state = SK_QUOTED;
				continue;
			}
			break;
		case SK_START:
			if (blank(c))
				continue;
			if (c == '"') {
				r->skip_state = SK_QUOTED;
				continue;
			}
			break;
		default:
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		r->skip_state = c == ',' ? SK_START : SK_TEXT;
	}
	if (i < n || final) {
		r->skipping = false;
		emit(r, r->skip_line, 0, "a record longer than 16 MiB");
		return i < n ? i + 1 : n;
	}
	return n;
}

/*
 * Parses the complete records in buf[0..n) (buf[n] writable; final: the
 * data ends there) and returns the bytes consumed; the rest starts a
 * record that needs more data.
 */
static size_t parse(struct rd *r, char *buf, size_t n, bool final)
{
	size_t pos = 0;

	while (pos < n && !r->stop) {
		char *s = buf + pos, *e;
		size_t avail = n - pos, len, body, term;
		bool closed = true, quoted, lf;

		if (r->skipping) {
			pos += skip(r, s, avail, final);
			continue;
		}
		if (*s == '\n') { /* a blank line */
			r->line++;
			pos++;
			continue;
		}
		e = memchr(s, '\n', avail);
		len = e ? (size_t)(e - s) : avail;
		quoted = memchr(s, '"', len) != NULL;
		if (!quoted) {
			/* the line is the record; a lone CR ends one too */
			char *cr;

			if (e == NULL && !final)
				return pos;
			term = e != NULL;
			lf = e != NULL;
			body = len;
			while (body > 0 && s[body - 1] == '\r')
				body--;
			cr = memchr(s, '\r', body);
			if (cr != NULL) {
				len = body = (size_t)(cr - s);
				term = 1;
				lf = false;
			}
		} else {
			if (!scan_quoted(s, avail, final, &len, &closed))
				return pos;
			body = len;
			term = 0;
			lf = false;
			if (len < avail && s[len] == '\n') {
				term = 1;
				lf = true;
			} else if (len < avail) { /* CR */
				if (len + 1 == avail && !final)
					return pos; /* CRLF cut in two? */
				lf = len + 1 < avail && s[len + 1] == '\n';
				term = lf ? 2 : 1;
			}
		}
		{
			size_t line = r->line, b = 0;
			size_t nl = quoted ? newlines(s, len) : 0;

			while (b < body && (blank(s[b]) || s[b] == '\r'))
				b++;
			if (b == body)
				; /* blanks only: a blank line */
			else if (!tsam_utf8_valid(s, body))
				emit(r, line, 0,
				     "bytes that are not UTF-8 (wrong "
				     "--encoding?)");
			else if (!quoted)
				split_plain(r, s, body, line);
			else
				split_quoted(r, s, body, line, closed);
			r->line += nl + lf;
			pos += len + term;
		}
	}
	return pos;
}

static void rd_init(struct rd *r, tsam_csv_row_fn fn, void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
}

int tsam_csv_read_mem(const char *data, size_t n, tsam_csv_row_fn fn, void *ctx,
		      struct tsam_errbuf *eb)
{
	struct rd r;
	char *copy;

	rd_init(&r, fn, ctx);
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	if ((copy = malloc(n + 1)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	memcpy(copy, data, n);
	parse(&r, copy, n, true);
	free(copy);
	return r.stop ? TSAM_ERR_INTERRUPTED : TSAM_OK;
}

static bool is_utf8_name(const char *enc)
{
	return enc == NULL || strcasecmp(enc, "UTF-8") == 0 ||
	       strcasecmp(enc, "UTF8") == 0;
}

/* Converts in[0..*il) into out (room: ol) through cd; returns bytes
 * written, leaves in *il what waits for more input. */
static size_t convert(iconv_t cd, char *in, size_t *il, char *out, size_t ol,
		      bool more)
{
	char *ip = in, *op = out;
	size_t left = *il;

	while (left > 0 && iconv(cd, &ip, &left, &op, &ol) == (size_t)-1) {
		if (errno == E2BIG)
			break;
		if (errno == EINVAL && more)
			break; /* a character split across reads */
		/* an invalid byte: U+FFFD, so the row is kept and its
		 * field shows where */
		if (ol < 3)
			break;
		memcpy(op, "\xEF\xBF\xBD", 3);
		op += 3;
		ol -= 3;
		ip++;
		left--;
	}
	memmove(in, ip, left);
	*il = left;
	return (size_t)(op - out);
}

int tsam_csv_read(const char *path, const char *encoding, tsam_csv_row_fn fn,
		  void *ctx, struct tsam_errbuf *eb)
{
	struct rd r;
	char *buf = NULL, *raw = NULL;
	size_t len = 0, cap = CHUNK, rawlen = 0;
	iconv_t cd = (iconv_t)-1;
	bool first = true, eof = false, raw_eof = false;
	int fd, rc = TSAM_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s", path,
				       strerror(errno));
	if (!is_utf8_name(encoding)) {
		cd = iconv_open("UTF-8", encoding);
		if (cd == (iconv_t)-1) {
			close(fd);
			return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
					       "%s: unknown encoding \"%s\"",
					       path, encoding);
		}
		raw = malloc(CHUNK);
	}
	buf = malloc(cap + 1);
	if (buf == NULL || (cd != (iconv_t)-1 && raw == NULL)) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	rd_init(&r, fn, ctx);
	while (!eof && !r.stop) {
		size_t used;

		/* one record fills the buffer (converted text needs up to 3
		 * bytes a character: nearly full is full) */
		if (cap - len < 8) {
			if (cap < MAX_RECORD) {
				char *nb = realloc(buf, cap * 2 + 1);

				if (nb == NULL) {
					rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
							     "out of memory");
					goto out;
				}
				buf = nb;
				cap *= 2;
			} else {
				/* skip it, from its start, unread */
				r.skipping = true;
				r.skip_state = SK_START;
				r.skip_line = r.line;
				len -= parse(&r, buf, len, false);
				assert(len == 0);
			}
		}
		if (cd == (iconv_t)-1) {
			ssize_t got = read(fd, buf + len, cap - len);

			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s",
						     path, strerror(errno));
				goto out;
			}
			eof = got == 0;
			len += (size_t)got;
		} else {
			if (!raw_eof && rawlen < CHUNK / 2) {
				ssize_t got =
				    read(fd, raw + rawlen, CHUNK - rawlen);

				if (got < 0 && errno == EINTR)
					continue;
				if (got < 0) {
					rc = tsam_errbuf_set(eb, TSAM_ERR_IO,
							     "%s: %s", path,
							     strerror(errno));
					goto out;
				}
				raw_eof = got == 0;
				rawlen += (size_t)got;
			}
			/* input left over when the output is full waits for
			 * the next turn; at the end of the file a character
			 * cut short becomes U+FFFD */
			len += convert(cd, raw, &rawlen, buf + len, cap - len,
				       !raw_eof);
			eof = raw_eof && rawlen == 0;
		}
		if (first && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
			memmove(buf, buf + 3, len - 3);
			len -= 3;
		}
		if (len >= 3 || eof)
			first = false;
		used = parse(&r, buf, len, eof);
		memmove(buf, buf + used, len - used);
		len -= used;
	}
	if (r.stop)
		rc = TSAM_ERR_INTERRUPTED;
out:
	free(buf);
	free(raw);
	close(fd);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return rc;
}
