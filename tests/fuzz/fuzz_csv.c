/*
 * fuzz_csv.c - differential libFuzzer target for lib/csvread.c: the input
 * is read by our reader and by libcsv (the library the reader replaced,
 * kept here as the reference), and every record and every lost line must
 * agree: its line, its fields, or both calling it bad.
 *
 * The reference is libcsv plus the reader's documented bounds (lib/
 * csvread.h, docs/cases.md "Quoted fields over several lines"), applied
 * here to libcsv's own reading, which is fed one byte at a time so that
 * its state shows where every line break falls: a line break inside a
 * quoted field starts a line the field would take; that field breaks when
 * it would span more than max_span lines, when the line (read on its own
 * by a second libcsv parser) looks like a record by looks() below, or when
 * the data ends inside it. Its record is then bad, the non-blank lines it
 * took are lost, and a fresh libcsv parser goes on at the line where it
 * broke. A record longer than max_record bytes is bad.
 *
 * The first input byte picks how our reader is driven: 'F' through a file
 * (reads of a few bytes, so records cross them and the scanner resumes;
 * big records are dropped as they are scanned), 'M' from memory - both
 * followed by a byte of bounds (max_span, max_record, read size) - else
 * from memory with the default bounds.
 */
#define _GNU_SOURCE
#include "buf.h"
#include "csvread.h"
#include "str.h"

#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXREC 4096

/* libcsv's parser states (csv.c) */
#define ROW_NOT_BEGUN	       0
#define FIELD_BEGUN	       2
#define FIELD_MIGHT_HAVE_ENDED 3

/* What one reader saw, serialised: "line|f1|f2", "line bad", "line lost";
 * width: the first good record's field count (for looks). */
struct recs {
	char *v[MAXREC];
	size_t n, width;
};

static void add(struct recs *R, size_t line, const char *what, char **f,
		const size_t *lens, size_t n)
{
	struct tsam_buf b;
	size_t i;

	if (what == NULL && R->width == 0)
		R->width = n;
	if (R->n == MAXREC)
		return;
	tsam_buf_init(&b, 1u << 30);
	if (what != NULL)
		tsam_buf_addf(&b, "%zu %s", line, what);
	else {
		tsam_buf_addf(&b, "%zu", line);
		for (i = 0; i < n; i++) {
			tsam_buf_add(&b, "|", 1);
			tsam_buf_add(&b, f[i], lens[i]);
		}
	}
	tsam_buf_add(&b, "", 1);
	R->v[R->n++] = b.data;
}

/*
 * A line looks like a record when it has as many fields as the first good
 * record, a non-empty first one - or, ending inside a quoted field, at
 * least two and no more than that.
 */
static bool looks(size_t width, const size_t *lens, size_t n, bool open)
{
	if (width == 0 || n == 0 || lens[0] == 0)
		return false;
	return open ? n >= 2 && n <= width : n == width;
}

static int ours_row(void *ctx, size_t line, char **f, const size_t *lens,
		    size_t n, const char *bad)
{
	add(ctx, line, bad ? "bad" : NULL, f, lens, n);
	return 0;
}

static int ours_lost(void *ctx, size_t line, size_t rec_line)
{
	(void)rec_line;
	add(ctx, line, "lost", NULL, NULL, 0);
	return 0;
}

static bool ours_looks(void *ctx, char **f, const size_t *lens, size_t n,
		       bool open)
{
	(void)f;
	return looks(((struct recs *)ctx)->width, lens, n, open);
}

/* ---- the reference ---- */

struct ref {
	struct recs *R;
	const uint8_t *d;
	size_t size, max_span, max_record;
	size_t line;	  /* of the byte being fed */
	size_t rec_line;  /* where the record under way started */
	size_t rec_start; /* its first byte (after the last terminator) */
	size_t n, q_lines;
	bool bad;
	char *f[TSAM_CSV_MAX_FIELDS];
	size_t lens[TSAM_CSV_MAX_FIELDS];
	size_t lost[MAXREC], nlost; /* lines the quoted field took */
	size_t at;		    /* offset of the byte being fed */
};

static void ref_clear(struct ref *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->f[i]);
	r->n = 0;
	r->bad = false;
}

static void ref_field(void *s, size_t len, void *data)
{
	struct ref *r = data;
	const char *p = s;

	if (r->bad || r->n == TSAM_CSV_MAX_FIELDS || !tsam_utf8_valid(p, len)) {
		r->bad = true;
		return;
	}
	r->f[r->n] = strndup(p, len);
	r->lens[r->n++] = len;
}

static void ref_record(int c, void *data)
{
	struct ref *r = data;
	size_t end = c < 0 ? r->size : r->at;

	(void)c;
	if (r->n > 0 || r->bad) {
		if (end - r->rec_start > r->max_record)
			r->bad = true;
		add(r->R, r->rec_line, r->bad ? "bad" : NULL, r->f, r->lens,
		    r->n);
	}
	ref_clear(r);
	r->rec_start = end + 1;
}

/* A line read on its own: its field count, first field's length, open. */
struct alone {
	size_t n, len0;
};

static void alone_field(void *s, size_t len, void *data)
{
	struct alone *a = data;

	(void)s;
	if (a->n++ == 0)
		a->len0 = len;
}

/* Whether the line d[ls..le) looks like a record (libcsv reading it). */
static bool ref_looks(const struct ref *r, size_t ls, size_t le)
{
	struct csv_parser p;
	struct alone a = {0, 0};
	size_t lens[1];
	bool open;

	if (csv_init(&p, CSV_REPALL_NL) != 0)
		__builtin_trap();
	csv_parse(&p, r->d + ls, le - ls, alone_field, NULL, &a);
	open = p.pstate == FIELD_BEGUN && p.quoted;
	csv_fini(&p, alone_field, NULL, &a);
	csv_free(&p);
	lens[0] = a.len0;
	return a.n <= TSAM_CSV_MAX_FIELDS &&
	       looks(r->R->width, lens, a.n, open);
}

/* The line at ls that a quoted field would take: true when it breaks the
 * field (too many lines, or a record of its own), else noted as taken. */
static bool ref_take(struct ref *r, size_t ls)
{
	size_t le = ls, i, nb;

	if (r->q_lines >= r->max_span)
		return true;
	while (le < r->size && r->d[le] != '\n' && r->d[le] != '\r')
		le++;
	nb = le - ls < r->max_record + 1 ? le - ls : r->max_record + 1;
	for (i = 0; i < nb && (r->d[ls + i] == ' ' || r->d[ls + i] == '\t');
	     i++)
		;
	if (i == nb)
		return false; /* blank */
	if (le - ls <= r->max_record && ref_looks(r, ls, le))
		return true;
	if (r->nlost < MAXREC)
		r->lost[r->nlost++] = r->line;
	return false;
}

/* The record under way broke: bad, its lost lines, nothing more of it. */
static void ref_broken(struct ref *r)
{
	size_t i;

	add(r->R, r->rec_line, "bad", NULL, NULL, 0);
	for (i = 0; i < r->nlost; i++)
		add(r->R, r->lost[i], "lost", NULL, NULL, 0);
	ref_clear(r);
}

static bool in_quotes(const struct csv_parser *p)
{
	return p->quoted && (p->pstate == FIELD_BEGUN ||
			     p->pstate == FIELD_MIGHT_HAVE_ENDED);
}

static void reference(struct ref *r)
{
	struct csv_parser p;
	size_t i = 0;

	r->line = 1;
	for (;;) { /* a libcsv parser from i */
		bool broke = false;

		if (csv_init(&p, CSV_REPALL_NL) != 0)
			__builtin_trap();
		r->rec_start = i;
		for (; i < r->size && !broke; i++) {
			uint8_t c = r->d[i];
			bool was_q = in_quotes(&p),
			     rnb = p.pstate == ROW_NOT_BEGUN;
			bool brk = p.pstate == FIELD_BEGUN && p.quoted &&
				   (c == '\n' ||
				    (c == '\r' && !(i + 1 < r->size &&
						    r->d[i + 1] == '\n')));

			r->at = i;
			csv_parse(&p, &c, 1, ref_field, ref_record, r);
			if (rnb && p.pstate != ROW_NOT_BEGUN)
				r->rec_line = r->line;
			if (!was_q &&
			    in_quotes(&p)) { /* a quoted field opens */
				r->q_lines = 0;
				r->nlost = 0;
			}
			r->line += c == '\n';
			if (brk) {
				r->q_lines++;
				if (i + 1 < r->size && ref_take(r, i + 1)) {
					ref_broken(r);
					broke = true;
				}
			}
		}
		if (!broke)
			break;
		csv_free(&p);
	}
	if (p.pstate == FIELD_BEGUN && p.quoted)
		ref_broken(r); /* never closed */
	else
		csv_fini(&p, ref_field, ref_record, r);
	csv_free(&p);
	ref_clear(r);
}

static void free_recs(struct recs *R)
{
	size_t i;

	for (i = 0; i < R->n; i++)
		free(R->v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t records[8] = {0, 8, 16, 32, 64, 128, 512, 4096};
	static const size_t chunks[4] = {0, 1, 3, 17};
	static struct recs ours, theirs;
	static struct ref ref;
	struct tsam_csv_opts o;
	bool via_file = size > 0 && data[0] == 'F';
	size_t i, n;

	memset(&o, 0, sizeof(o));
	if (size >= 2 && (data[0] == 'F' || data[0] == 'M')) {
		o.max_span = data[1] & 7;
		o.max_record = records[data[1] >> 3 & 7];
		o.chunk = chunks[data[1] >> 6];
		data++;
		size--;
	}
	if (size > 0) {
		data++;
		size--;
	}
	/* libcsv keeps a BOM: leave those out */
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		return 0;
	memset(&ours, 0, sizeof(ours));
	memset(&theirs, 0, sizeof(theirs));
	o.row = ours_row;
	o.lost = ours_lost;
	o.looks = ours_looks;
	o.ctx = &ours;
	o.header = true;
	if (via_file) {
		char path[64];
		int fd = memfd_create("fuzz", 0);

		if (fd < 0 || write(fd, data, size) != (ssize_t)size)
			__builtin_trap();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (tsam_csv_read_with(path, &o, NULL) != TSAM_OK)
			__builtin_trap();
		close(fd);
	} else if (tsam_csv_read_mem_with((const char *)data, size, &o, NULL) !=
		   TSAM_OK) {
		__builtin_trap();
	}
	memset(&ref, 0, sizeof(ref));
	ref.R = &theirs;
	ref.d = data;
	ref.size = size;
	ref.max_span = o.max_span ? o.max_span : TSAM_CSV_MAX_SPAN;
	ref.max_record = o.max_record ? o.max_record : TSAM_CSV_MAX_RECORD;
	reference(&ref);

	if (getenv("FUZZ_CSV_DUMP") != NULL) /* both readings, to debug */
		for (i = 0; i < ours.n || i < theirs.n; i++)
			fprintf(stderr, "%zu: %s\n   %s\n", i,
				i < ours.n ? ours.v[i] : "-",
				i < theirs.n ? theirs.v[i] : "-");
	n = ours.n < theirs.n ? ours.n : theirs.n;
	for (i = 0; i < n; i++)
		if (strcmp(ours.v[i], theirs.v[i]) != 0) {
			fprintf(stderr,
				"entry %zu differs:\n ours:   %s\n reference: "
				"%s\n",
				i, ours.v[i], theirs.v[i]);
			__builtin_trap();
		}
	if (ours.n != theirs.n) {
		fprintf(stderr, "%zu entries, the reference %zu\n", ours.n,
			theirs.n);
		__builtin_trap();
	}
	free_recs(&ours);
	free_recs(&theirs);
	return 0;
}
