/*
 * fuzz_csv.c - differential libFuzzer target for lib/csvread.c: the input
 * is read by tsam_csv_read_mem and by libcsv (the library the reader
 * replaced, kept here as the reference), and every record must agree:
 * its line, its fields, or both calling it bad. Documented differences
 * are allowed: a quote never closed is a bad record for us (libcsv takes
 * the rest of the input as the field), after which nothing is compared.
 * The first input byte picks how the file reader is driven: 'F' through a
 * file (so records cross read boundaries with a tiny first read), else
 * from memory.
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

/* One record as both readers see it, serialised: line, bad, fields. */
struct recs {
	char *v[MAXREC];
	size_t n;
	bool unclosed; /* ours: a quote never closed */
};

static void add(struct recs *R, size_t line, const char *bad, char **f,
		const size_t *lens, size_t n)
{
	struct tsam_buf b;
	size_t i;

	if (R->n == MAXREC)
		return;
	tsam_buf_init(&b, 1u << 30);
	if (bad != NULL)
		tsam_buf_addf(&b, "%zu bad", line);
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

static int ours_row(void *ctx, size_t line, char **f, const size_t *lens,
		    size_t n, const char *bad)
{
	struct recs *R = ctx;

	if (bad != NULL && strstr(bad, "never closed") != NULL) {
		R->unclosed = true;
		return 1;
	}
	add(R, line, bad, f, lens, n);
	return 0;
}

/* The reference: libcsv with the old reader's line counting and bounds. */
struct ref {
	struct recs *R;
	size_t line, rec_line, n;
	bool started, bad;
	char *f[TSAM_CSV_MAX_FIELDS];
	size_t lens[TSAM_CSV_MAX_FIELDS];
};

static void ref_field(void *s, size_t len, void *data)
{
	struct ref *r = data;
	const char *p = s;
	size_t i;

	if (!r->started) {
		r->started = true;
		r->rec_line = r->line;
	}
	for (i = 0; i < len; i++)
		if (p[i] == '\n')
			r->line++;
	if (r->bad || r->n == TSAM_CSV_MAX_FIELDS || len > TSAM_CSV_MAX_FIELD ||
	    !tsam_utf8_valid(p, len)) {
		r->bad = true;
		return;
	}
	r->f[r->n] = strndup(p, len);
	r->lens[r->n++] = len;
}

static void ref_record(int c, void *data)
{
	struct ref *r = data;
	size_t i;

	if (r->started)
		add(r->R, r->rec_line, r->bad ? "bad" : NULL, r->f, r->lens,
		    r->n);
	for (i = 0; i < r->n; i++)
		free(r->f[i]);
	if (c == '\n')
		r->line++;
	r->started = r->bad = false;
	r->n = 0;
}

static void free_recs(struct recs *R)
{
	size_t i;

	for (i = 0; i < R->n; i++)
		free(R->v[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct recs ours, theirs;
	struct csv_parser p;
	struct ref ref;
	bool via_file = size > 0 && data[0] == 'F';
	size_t i, n;

	if (size > 0) {
		data++;
		size--;
	}
	/* libcsv keeps a BOM and NULs are no text: leave those out */
	if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		return 0;
	memset(&ours, 0, sizeof(ours));
	memset(&theirs, 0, sizeof(theirs));
	if (via_file) {
		char path[64];
		int fd = memfd_create("fuzz", 0);

		if (fd < 0 || write(fd, data, size) != (ssize_t)size)
			__builtin_trap();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		tsam_csv_read(path, NULL, ours_row, &ours, NULL);
		close(fd);
	} else {
		tsam_csv_read_mem((const char *)data, size, ours_row, &ours,
				  NULL);
	}
	memset(&ref, 0, sizeof(ref));
	ref.R = &theirs;
	ref.line = 1;
	if (csv_init(&p, CSV_REPALL_NL) != 0)
		__builtin_trap();
	csv_parse(&p, data, size, ref_field, ref_record, &ref);
	csv_fini(&p, ref_field, ref_record, &ref);
	csv_free(&p);
	for (i = 0; i < ref.n; i++)
		free(ref.f[i]);

	n = ours.n < theirs.n ? ours.n : theirs.n;
	for (i = 0; i < n; i++)
		if (strcmp(ours.v[i], theirs.v[i]) != 0) {
			fprintf(
			    stderr,
			    "record %zu differs:\n ours:   %s\n libcsv: %s\n",
			    i, ours.v[i], theirs.v[i]);
			__builtin_trap();
		}
	if (!ours.unclosed && ours.n != theirs.n) {
		fprintf(stderr, "%zu records, libcsv %zu\n", ours.n, theirs.n);
		__builtin_trap();
	}
	free_recs(&ours);
	free_recs(&theirs);
	return 0;
}
