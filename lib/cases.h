/*
 * cases.h - a customer's cases and their events, read from a ticket
 * system's CSV exports through a mapping (docs/cases.md).
 *
 * Every row is accounted for: read = used + rejected + other customers'
 * + lost, where lost lines are physical lines a broken quoted field took
 * (lib/csvread.h): they belong to no record, so a file with any is not
 * reconciled. Rejected rows and lost lines keep file, line and reason (the
 * first TSAM_CASES_MAX_REJECTS of them; the counts are always exact).
 */
#ifndef TSAM_CASES_H
#define TSAM_CASES_H

#include "err.h"
#include "json.h"
#include "mapping.h"
#include "tz.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TSAM_CASES_MAX_REJECTS 1000
/* Bytes a column the mapping uses may hold (other columns: any, within
 * the record's TSAM_CSV_MAX_RECORD). */
#define TSAM_CASES_MAX_FIELD (64 * 1024)

struct tsam_event {
	int64_t t;	  /* UTC seconds */
	uint32_t kase;	  /* index into tsam_cases.c */
	uint8_t kind;	  /* enum tsam_ev_kind */
	uint8_t sev;	  /* new severity of a severity_change */
	uint8_t implicit; /* from a column of the cases file */
};

struct tsam_case {
	int64_t created;
	const char *id;	 /* in the set's arena */
	const char *key; /* what the event file names it by (the mapping's
			    cases.key), in the arena; NULL: the id */
	uint32_t line;
	uint32_t ev0, nev; /* events, sorted by time, in tsam_cases.ev */
	uint32_t product, channel, customer; /* name indexes, 0 = "" */
	uint8_t sev0;			     /* severity at creation */
	uint8_t sev_defaulted;		     /* none given: 3 */
	uint8_t email_adjusted;		     /* e-mail: lowered to 3 */
	uint8_t other;			     /* another customer's: skip */
	uint8_t sev_given; /* the export's severity (0: none), before the
			      e-mail rule: what a history log compares with */
};

struct tsam_reject {
	uint8_t file; /* 0 cases, 1 events */
	uint32_t line;
	char reason[240];
};

/* What became of an input row naming a case being explained. */
enum tsam_row_status {
	TSAM_ROW_USED,		 /* the case's row, or an event row used */
	TSAM_ROW_NO_EFFECT,	 /* an event row used, of kind created/none */
	TSAM_ROW_REJECTED,	 /* the row rejected (reason) */
	TSAM_ROW_FIELD_REJECTED, /* one field of the used row (reason) */
	TSAM_ROW_OTHER		 /* another customer's */
};

/*
 * An input row that names a case of tsam_cases_opts.explain, as the
 * loader saw it: for tsam-cases --explain (what rows, what became of
 * them). A row that made an event of the case has event set, with the
 * event's time, kind and severity (the case's own row: kind created).
 */
struct tsam_case_row {
	const char *id; /* the explained id (one of opts.explain) */
	uint32_t line;
	uint8_t file;	/* 0 cases, 1 events */
	uint8_t status; /* enum tsam_row_status */
	uint8_t event;	/* 1: made the next event of the case */
	uint8_t kind, sev;
	int64_t t; /* the row's time, -1 when it has none */
	char reason[240];
};

/* Rows kept for the cases explained, in all. */
#define TSAM_CASES_MAX_EXPLAIN_ROWS 100000
/* Case ids one run may explain. */
#define TSAM_CASES_MAX_EXPLAIN 64

struct tsam_input {
	const char *path;
	size_t rows; /* data rows read and lines lost */
	size_t used, rejected, other;
	size_t lost; /* lines taken by a broken quoted field: in no record */
	size_t fields_rejected; /* fields of used rows rejected (the row is
				   kept without them) */
};

/* What a history log's rows gave (docs/cases.md, "History logs"): every
 * used row of the log is in exactly one of with_events, without_events
 * and untracked. */
struct tsam_history {
	enum tsam_hist_layout layout; /* NONE: an event log */
	size_t with_events;	      /* rows that derived one event or more */
	size_t without_events;	      /* rows that changed nothing measured */
	size_t untracked; /* changes of fields the mapping ignores */
	size_t derived[TSAM_EV_KINDS]; /* events derived, per kind */
	size_t repeated; /* cases file as the log: a case's later rows */
};

struct tsam_jsonrows; /* jsonrows.h */

struct tsam_cases {
	struct tsam_case *c;
	size_t n, cap;
	struct tsam_event *ev;
	size_t nev, capev;
	char **names; /* products, channels, customers */
	size_t nnames, capnames;
	struct tsam_input in[2];
	struct tsam_reject *rej;
	size_t nrej;
	int64_t latest;		    /* latest timestamp read */
	struct tsam_case_row *rows; /* the explained cases' rows, file order */
	size_t nrows, caprows;
	struct tsam_history hist;
	/* private */
	uint64_t *hash; /* case index + 1 (bit 31: another customer's),
			   high 32 bits: the id's hash */
	size_t hcap, hused;
	int hash_built; /* 0: ids so far in increasing order, no hash */
	/* per file: NULL, or a JSON export's row places (jsonrows.h), so
	 * that a rejected row's reason says where in the document it is */
	struct tsam_jsonrows *json[2];
	struct tsam_cases_arena {
		char **chunk; /* 1 MiB each, holding the ids */
		size_t n, used;
	} arena;
};

struct tsam_cases_opts {
	const char *cases_path;
	const char *events_path; /* NULL: none */
	const struct tsam_mapping *map;
	const struct tsam_tz *zone; /* naive timestamps, if map->tz is NULL */
	const char *customer;	    /* NULL: every row */
	bool strict;		    /* stop at the first bad row */
	/* case ids whose input rows are kept in cs->rows (--explain), at
	 * most TSAM_CASES_MAX_EXPLAIN; NULL: none */
	const char *const *explain;
	size_t nexplain;
	FILE *trace; /* NULL, or where each history row's derived events
			are written, one line a row ("file:line: case: ...") */
};

/*
 * Loads cases and events into cs (zeroed by the caller; free with
 * tsam_cases_free also on failure). Fails on a missing file or column, or
 * (strict) on the first bad row or lost line, naming file:line.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cases_load(struct tsam_cases *cs,
					      const struct tsam_cases_opts *o,
					      struct tsam_errbuf *eb);

/* Frees what cs holds. */
void tsam_cases_free(struct tsam_cases *cs);

/* The case whose id is id, or NULL (another customer's included). */
const struct tsam_case *tsam_cases_find(const struct tsam_cases *cs,
					const char *id);

/*
 * For a case loaded with its id in opts.explain: into out[i] (room for
 * c->nev) the index in cs->rows of the row that made the case's i-th
 * event (events are ordered by time, rows of equal time in the order
 * they were read: the cases file's columns first, then the event log).
 * Returns false, out untouched, when the rows are not known (the case was
 * not explained, or the row cap was reached).
 */
bool tsam_cases_event_rows(const struct tsam_cases *cs,
			   const struct tsam_case *c, size_t *out);

/*
 * The accounting of a history log for stats.json's input.events (file 1:
 * the rows with and without derived events, untracked fields, events
 * derived per kind) or input.cases (file 0, when the cases file is the
 * log: its later rows of a case): a new object, the caller's; NULL when
 * the file is no history log.
 */
json_object *tsam_cases_history_json(const struct tsam_cases *cs, int file);

/* The severity of c in force at instant t (events applied up to t). */
int tsam_case_severity_at(const struct tsam_cases *cs,
			  const struct tsam_case *c, int64_t t);

#endif
