/*
 * jsonrows.h - what a JSON export's records become as rows: the Jira
 * changelog and the Zendesk ticket audits, as their REST APIs give them
 * (saved with curl), flattened into the rows of one change each that the
 * CSV reader gives for the same export written as CSV (docs/cases.md,
 * "JSON exports"), so that a mapping reads both alike.
 *
 * Jira (GET /rest/api/3/search?expand=changelog, GET /rest/api/3/issue/
 * {key}?expand=changelog, GET /rest/api/3/issue/{key}/changelog): a row a
 * changed item, columns key, id, created, author, field, fieldtype, from,
 * fromString, to, toString. Zendesk (GET /api/v2/ticket_audits.json, GET
 * /api/v2/tickets/{id}/audits.json): a row an audit event, columns
 * ticket_id, id, created_at, author_id, type, field_name, value,
 * previous_value. A file may also be a JSON array of such pages.
 *
 * Rows are numbered as the CSV's lines would be (the header 1, the first
 * record 2); each keeps its place in the document ("audits[12].events[3]"),
 * which tsam_jsonrows_where gives back for messages. A record that is not
 * of the expected shape (not an object, a list that is not an array, a
 * member that is an object where text belongs) is handed over as a bad
 * row with its reason, never skipped.
 */
#ifndef TSAM_JSONROWS_H
#define TSAM_JSONROWS_H

#include "csvread.h"
#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* Bytes a JSON export may hold (the document is parsed whole). */
#define TSAM_JSONROWS_MAX_FILE (512u << 20)

/* The places of a flattened document's rows (opaque; caller-owned). */
struct tsam_jsonrows;

/*
 * Whether the file at path looks like JSON: its first byte that is not
 * white space (a UTF-8 byte-order mark skipped) is '{' or '['. False when
 * it cannot be read (the reader then says why).
 */
bool tsam_jsonrows_sniff(const char *path);

/*
 * Reads the JSON export at path (at most TSAM_JSONROWS_MAX_FILE bytes,
 * gzipped or not) and hands its rows to o->row (o->ctx; o->rec_bytes, if
 * set, as the CSV reader sets it): the header as line 1, then every
 * record. o->lost, o->looks, o->encoding and the bounds are not used. On
 * success *where holds the rows' places (free with tsam_jsonrows_free),
 * else NULL. TSAM_ERR_IO, TSAM_ERR_PARSE (not JSON, or neither shape:
 * the file and the JSON path named), TSAM_ERR_TOOBIG, TSAM_ERR_NOMEM, or
 * TSAM_ERR_INTERRUPTED when o->row stopped it.
 */
TSAM_MUST_CHECK enum tsam_err tsam_jsonrows_read(const char *path,
						 const struct tsam_csv_opts *o,
						 struct tsam_jsonrows **where,
						 struct tsam_errbuf *eb);

/* The place in the document of the row on line (2 the first record), or
 * NULL (j NULL, the header, no such row). Borrowed from j. */
const char *tsam_jsonrows_where(const struct tsam_jsonrows *j, size_t line);

/* Frees j (NULL: nothing). */
void tsam_jsonrows_free(struct tsam_jsonrows *j);

#endif
