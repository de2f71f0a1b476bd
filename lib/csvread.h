/*
 * csvread.h - RFC 4180 CSV reading (quoted fields, embedded commas, quotes
 * and newlines; CRLF, LF or a lone CR), streamed, with the physical line
 * on which each record starts, a UTF-8 byte-order mark dropped, and other
 * encodings (CP932/Shift_JIS Excel exports) converted to UTF-8 by iconv.
 *
 * Every record is handed to the caller, also a bad one: a record over the
 * bounds, with bytes that are not UTF-8, or holding a quoted field that is
 * never properly closed comes with a reason, so the caller can report
 * file:line and go on. Fields are not limited one by one (a caller limits
 * the columns it uses); records are.
 *
 * A quoted field may run past a line end (a multi-line description), but
 * not without bounds (the rule is in docs/cases.md, "Quoted fields over
 * several lines"): it breaks when the data ends inside it, when it would
 * span more than max_span physical lines, or when one of the lines it
 * would take looks like a record of its own (the caller's looks
 * function). Its record is then bad, reading goes on at the line where it
 * broke, and the non-blank lines it took up to there are reported as lost
 * (they belong to no record), one by one with their line numbers.
 */
#ifndef TSAM_CSVREAD_H
#define TSAM_CSVREAD_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* Bounds: fields per record, bytes per record (its terminator not
 * counted), physical lines one quoted field may span. */
#define TSAM_CSV_MAX_FIELDS 256
#define TSAM_CSV_MAX_RECORD (16u << 20)
#define TSAM_CSV_MAX_SPAN   10000

/*
 * One record: n fields, each NUL-terminated (len without it), starting on
 * physical line `line`. bad is NULL, or why the record cannot be used (its
 * fields are then empty). Return 0 to go on, non-zero to stop the read
 * (which then returns TSAM_ERR_INTERRUPTED).
 */
typedef int (*tsam_csv_row_fn)(void *ctx, size_t line, char **fields,
			       const size_t *lens, size_t n, const char *bad);

/*
 * Physical line `line`, not blank, was taken by a quoted field that then
 * broke (reported just before as the bad record that starts on rec_line):
 * it belongs to no record. Return as tsam_csv_row_fn does.
 */
typedef int (*tsam_csv_lost_fn)(void *ctx, size_t line, size_t rec_line);

/*
 * Whether a line inside a quoted field looks like a record of its own:
 * the line read alone gives n fields (n >= 1); open is true when it ends
 * inside a quoted field, whose text so far is then the last of them.
 * Fields are NUL-terminated scratch copies, valid during the call.
 */
typedef bool (*tsam_csv_looks_fn)(void *ctx, char **fields, const size_t *lens,
				  size_t n, bool open);

/* How to read. Zeroed, then row (and ctx) set: the defaults. */
struct tsam_csv_opts {
	tsam_csv_row_fn row;	 /* every record (required) */
	tsam_csv_lost_fn lost;	 /* NULL: each lost line as a bad record */
	tsam_csv_looks_fn looks; /* NULL: no line looks like a record */
	void *ctx;		 /* for the three */
	const char *encoding;	 /* NULL or UTF-8; else anything iconv knows */
	bool header;		 /* the first record names columns in reasons */
	size_t max_span;	 /* 0: TSAM_CSV_MAX_SPAN */
	size_t max_record;	 /* 0: TSAM_CSV_MAX_RECORD */
	size_t chunk; /* bytes a read (0: 1 MiB); tests cut with it */
	/* NULL, or where each good record's length (terminator not counted)
	 * is put before row sees it: no field of it is longer, which spares
	 * a caller's bound on fields a look at each one */
	size_t *rec_bytes;
};

/*
 * Reads the file at path as o says, calling o->row for every non-empty
 * record and o->lost for every lost line, in file order. TSAM_ERR_IO
 * (unreadable), TSAM_ERR_INVAL (unknown encoding), TSAM_ERR_NOMEM, or
 * TSAM_ERR_INTERRUPTED when a callback stopped it.
 */
TSAM_MUST_CHECK enum tsam_err tsam_csv_read_with(const char *path,
						 const struct tsam_csv_opts *o,
						 struct tsam_errbuf *eb);

/* Like tsam_csv_read_with over n bytes of UTF-8 data in memory (a BOM
 * dropped; o->encoding is not used). */
TSAM_MUST_CHECK enum tsam_err
tsam_csv_read_mem_with(const char *data, size_t n,
		       const struct tsam_csv_opts *o, struct tsam_errbuf *eb);

/*
 * tsam_csv_read_with with the default options: path in encoding (NULL or
 * "UTF-8" for UTF-8), every record and every lost line to fn.
 */
int tsam_csv_read(const char *path, const char *encoding, tsam_csv_row_fn fn,
		  void *ctx, struct tsam_errbuf *eb);

/* Like tsam_csv_read over n bytes of UTF-8 data in memory. */
int tsam_csv_read_mem(const char *data, size_t n, tsam_csv_row_fn fn, void *ctx,
		      struct tsam_errbuf *eb);

#endif
