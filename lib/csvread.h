/*
 * csvread.h - RFC 4180 CSV reading over libcsv (quoted fields, embedded commas,
 * quotes and newlines; CRLF or LF), streamed, with the physical line on
 * which each record starts, a UTF-8 byte-order mark dropped, and other
 * encodings (CP932/Shift_JIS Excel exports) converted to UTF-8 by iconv.
 *
 * Every record is handed to the caller, also a bad one: a record with a
 * field or field count over the bounds, or with bytes that are not UTF-8,
 * comes with a reason, so the caller can report file:line and go on.
 */
#ifndef TSAM_CSVREAD_H
#define TSAM_CSVREAD_H

#include "err.h"

#include <stddef.h>

/* Bounds: bytes per field, fields per record. */
#define TSAM_CSV_MAX_FIELD  (64 * 1024)
#define TSAM_CSV_MAX_FIELDS 256

/*
 * One record: n fields, each NUL-terminated (len without it), starting on
 * physical line `line`. bad is NULL, or why the record cannot be used (its
 * fields are then empty). Return 0 to go on, non-zero to stop the read
 * (tsam_csv_read then returns TSAM_ERR_INTERRUPTED).
 */
typedef int (*tsam_csv_row_fn)(void *ctx, size_t line, char **fields,
			       const size_t *lens, size_t n, const char *bad);

/*
 * Reads path (encoding NULL or "UTF-8" for UTF-8; anything iconv knows,
 * e.g. "CP932", otherwise) and calls fn for every non-empty record.
 */
int tsam_csv_read(const char *path, const char *encoding, tsam_csv_row_fn fn,
		  void *ctx, struct tsam_errbuf *eb);

/* Like tsam_csv_read over n bytes of UTF-8 data in memory. */
int tsam_csv_read_mem(const char *data, size_t n, tsam_csv_row_fn fn, void *ctx,
		      struct tsam_errbuf *eb);

#endif
