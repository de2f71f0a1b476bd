/*
 * csvread.c - libcsv drives the RFC 4180 state machine; this file adds line
 * numbers, bounds, UTF-8 checks, the BOM and iconv around it.
 *
 * Line counting: with CSV_REPALL_NL libcsv reports every unquoted CR and
 * LF, so physical lines are the LFs reported plus the LFs inside quoted
 * fields; a record's line is the count before its first field.
 */
#include "csvread.h"

#include "str.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (256 * 1024)

struct rd {
	tsam_csv_row_fn fn;
	void *ctx;
	size_t line, rec_line;
	char *arena; /* the record's fields, each NUL-terminated */
	size_t used, cap;
	size_t off[TSAM_CSV_MAX_FIELDS];
	size_t lens[TSAM_CSV_MAX_FIELDS];
	char *ptrs[TSAM_CSV_MAX_FIELDS];
	size_t n;
	const char *bad;
	bool stop, started;
};

static void on_field(void *s, size_t len, void *data)
{
	struct rd *r = data;
	const char *p = s;
	size_t i;

	if (!r->started) {
		r->started = true;
		r->rec_line = r->line;
	}
	for (i = 0; i < len; i++) /* quoted newlines */
		if (p[i] == '\n')
			r->line++;
	if (r->bad != NULL)
		return;
	if (r->n == TSAM_CSV_MAX_FIELDS) {
		r->bad = "more than 256 fields";
		return;
	}
	if (len > TSAM_CSV_MAX_FIELD) {
		r->bad = "a field longer than 64 KiB";
		return;
	}
	if (!tsam_utf8_valid(p, len)) {
		r->bad = "bytes that are not UTF-8 (wrong --encoding?)";
		return;
	}
	if (r->used + len + 1 > r->cap) {
		/* fields are capped, so a record never needs more than
		 * fields x (cap + 1) bytes */
		size_t cap = r->cap * 2;
		char *na;

		while (cap < r->used + len + 1)
			cap *= 2;
		na = realloc(r->arena, cap);
		if (na == NULL) {
			r->bad = "out of memory";
			return;
		}
		r->arena = na;
		r->cap = cap;
	}
	memcpy(r->arena + r->used, p, len);
	r->arena[r->used + len] = '\0';
	r->off[r->n] = r->used;
	r->lens[r->n] = len;
	r->used += len + 1;
	r->n++;
}

static void on_record(int c, void *data)
{
	struct rd *r = data;
	size_t i;

	if (r->started && !r->stop) {
		for (i = 0; i < r->n; i++)
			r->ptrs[i] = r->arena + r->off[i];
		if (r->bad != NULL)
			r->n = 0;
		if (r->fn(r->ctx, r->rec_line, r->ptrs, r->lens, r->n,
			  r->bad) != 0)
			r->stop = true;
	}
	if (c == '\n')
		r->line++;
	r->started = false;
	r->n = 0;
	r->used = 0;
	r->bad = NULL;
}

static int feed(struct csv_parser *p, struct rd *r, const char *d, size_t n,
		struct tsam_errbuf *eb)
{
	if (csv_parse(p, d, n, on_field, on_record, r) != n)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "CSV: %s",
				       csv_strerror(csv_error(p)));
	return r->stop ? TSAM_ERR_INTERRUPTED : TSAM_OK;
}

static int rd_init(struct rd *r, struct csv_parser *p, tsam_csv_row_fn fn,
		   void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	r->cap = 4096;
	r->arena = malloc(r->cap);
	if (r->arena == NULL || csv_init(p, CSV_REPALL_NL) != 0) {
		free(r->arena);
		return TSAM_ERR_NOMEM;
	}
	return TSAM_OK;
}

static int rd_fini(struct rd *r, struct csv_parser *p, int rc)
{
	if (rc == TSAM_OK) {
		csv_fini(p, on_field, on_record, r);
		if (r->stop)
			rc = TSAM_ERR_INTERRUPTED;
	}
	csv_free(p);
	free(r->arena);
	return rc;
}

int tsam_csv_read_mem(const char *data, size_t n, tsam_csv_row_fn fn, void *ctx,
		      struct tsam_errbuf *eb)
{
	struct csv_parser p;
	struct rd r;
	int rc;

	if (rd_init(&r, &p, fn, ctx) != TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		n -= 3;
	}
	rc = feed(&p, &r, data, n, eb);
	return rd_fini(&r, &p, rc);
}

static bool is_utf8_name(const char *enc)
{
	return enc == NULL || strcasecmp(enc, "UTF-8") == 0 ||
	       strcasecmp(enc, "UTF8") == 0;
}

int tsam_csv_read(const char *path, const char *encoding, tsam_csv_row_fn fn,
		  void *ctx, struct tsam_errbuf *eb)
{
	struct csv_parser p;
	struct rd r;
	char *in = NULL, *out = NULL;
	size_t keep = 0;
	iconv_t cd = (iconv_t)-1;
	bool first = true;
	int fd, rc;

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
	}
	in = malloc(CHUNK + 16);
	out = malloc(CHUNK * 4 + 64);
	if (in == NULL || out == NULL || rd_init(&r, &p, fn, ctx) != TSAM_OK) {
		free(in);
		free(out);
		close(fd);
		if (cd != (iconv_t)-1)
			iconv_close(cd);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	rc = TSAM_OK;
	for (;;) {
		ssize_t got = read(fd, in + keep, CHUNK);
		char *data = in;
		size_t n;

		if (got < 0) {
			if (errno == EINTR)
				continue;
			rc = tsam_errbuf_set(eb, TSAM_ERR_IO, "%s: %s", path,
					     strerror(errno));
			break;
		}
		n = keep + (size_t)got;
		keep = 0;
		if (n == 0)
			break;
		if (cd != (iconv_t)-1) {
			char *ip = in, *op = out;
			size_t il = n, ol = CHUNK * 4 + 64;

			while (il > 0 &&
			       iconv(cd, &ip, &il, &op, &ol) == (size_t)-1) {
				if (errno == EINVAL && got > 0)
					break; /* a character split across reads
						*/
				/* an invalid byte: U+FFFD, so the row is kept
				 * and its field shows where */
				if (ol < 3)
					break;
				memcpy(op, "\xEF\xBF\xBD", 3);
				op += 3;
				ol -= 3;
				ip++;
				il--;
			}
			memmove(in, ip, il);
			keep = il;
			data = out;
			n = (size_t)(op - out);
		}
		if (first && n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
			data += 3;
			n -= 3;
		}
		first = false;
		rc = feed(&p, &r, data, n, eb);
		if (rc != TSAM_OK || got == 0)
			break;
	}
	rc = rd_fini(&r, &p, rc);
	free(in);
	free(out);
	close(fd);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return rc;
}
