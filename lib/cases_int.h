/*
 * cases_int.h - the cases module's private header: shared by lib/cases*.c
 * only, never installed, never included by tools/ or other modules (their
 * interface is cases.h).
 *
 * The module's files:
 *
 *   cases.c          the set (ids in an arena, the id hash), what the
 *                    readers of both files share (headers, times, rows
 *                    rejected or lost, the --explain rows, events added),
 *                    and the load: the two files read at once, then the
 *                    events grouped by case. The theory of operation is
 *                    at its top.
 *   cases_file.c     the cases file: one row a case, its columns' events.
 *   cases_events.c   the event log: parsed on its own thread (struct
 *                    evread), then resolved against the cases in file
 *                    order.
 *   cases_history.c  a history log's rows (a ticket's states and fields
 *                    over time) turned into the events they mean, and
 *                    their accounting for stats.json.
 *
 * cases_file.c, cases_events.c and cases_history.c call cases.c; the event
 * log calls the cases file's rejected ids (tsam_cases_rejected_line) and
 * the history's derivation (tsam_cases_derive_all); the history calls
 * nothing but cases.c.
 *
 * Every name this header gives the linker starts tsam_cases_. The helpers
 * the readers call on every row are static inline.
 */
#ifndef TSAM_CASES_INT_H
#define TSAM_CASES_INT_H

#include "err.h"

#include "cases.h"

#include "csvread.h"
#include "jsonrows.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OTHER_BIT 0x80000000u

/* A loading's state for one file: its header's columns and what the rows
 * found so far (the event log's thread has its own, in struct evread). */
struct ld {
	struct tsam_cases *cs;
	const struct tsam_cases_opts *o;
	int file;	 /* 0 cases, 1 events */
	int col[16];	 /* role -> field index, -1 absent */
	size_t ncols;	 /* header width */
	int used[16];	 /* the roles with a column, */
	size_t ucol[16]; /* and their columns, for their bound */
	size_t nused;
	size_t rec_bytes; /* the record's length (the reader's) */
	bool header_done;
	int fatal;
	uint32_t last_v; /* the slot value of the last event's case */
	struct {
		char s[32]; /* a kind or state seen, and what it maps to */
		int v;
	} kinds[16];
	size_t nkinds;
	struct tsam_errbuf *eb;
	char why[240]; /* the last rejection's reason */
	/* ids of rejected case rows (not duplicates), sorted once the cases
	 * are read: an event naming one says so, not "unknown case id" */
	struct rej_id {
		const char *id; /* in the set's arena */
		uint32_t line;
	} * rids;
	size_t nrids, caprids;
};

/* What a history log's row gives (raw_ev.hist, hrow.hist). */
enum {
	HF_STATE = 1,	  /* a state (in kind) */
	HF_SEV = 2,	  /* a severity (in sev) */
	HF_COUNTER = 4,	  /* a reopen counter (in evread.ctr) */
	HF_ASSIGNEE = 8,  /* an assignee */
	HF_LEFT = 16,	  /* a state outside first_response.leaves_states */
	HF_UNTRACKED = 32 /* a change of a field the mapping does not track */
};

struct raw_ev; /* an event row as parsed (cases_events.c) */

/*
 * The event log read on its own thread while the main one reads the
 * cases: rows parsed, times converted, kinds mapped - everything that does
 * not need the cases - into raws, resolved against the cases afterwards
 * in file order (so reasons, counts and --strict come out as if read in
 * one pass).
 */
struct evread {
	struct ld l; /* its own header columns and kind labels */
	struct raw_ev *v;
	size_t n, cap;
	uint32_t *ctr; /* a history log's reopen counters, beside v */
	size_t capctr;
	char **ids; /* case ids, one per run of rows naming the same */
	size_t nids, capids;
	struct tsam_cases_arena arena; /* holding the ids */
	char (*why)[240];	       /* the first reasons */
	size_t nwhy;
	size_t rows;
	struct tsam_jsonrows *json; /* a JSON export's row places, or NULL */
	int rc;
	struct tsam_errbuf eb;
};

/* A used row of a history log, its case known: sorted by case and time,
 * then read in that order (derive_case). */
struct hrow {
	int64_t t;
	uint32_t kase, line;
	uint32_t ctr;		 /* the reopen counter, if HF_COUNTER */
	uint8_t kind, sev, hist; /* as in raw_ev */
};

/* ---- the ids: their hash (cases.c builds and grows it) ---- */

static inline uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* What the event file names c by: its key, or its id. */
static inline const char *case_key(const struct tsam_case *c)
{
	return c->key ? c->key : c->id;
}

static inline const char *slot_id(const struct tsam_cases *cs, uint64_t v)
{
	return case_key(&cs->c[((uint32_t)v & ~OTHER_BIT) - 1]);
}

/* The slot for id (hash h): holding it, or the empty one where it would
 * go. The stored hash spares most string compares. */
static inline size_t hash_slot(const struct tsam_cases *cs, const char *id,
			       uint64_t h)
{
	size_t i = (size_t)h & (cs->hcap - 1);
	uint64_t tag = h >> 32;

	while (cs->hash[i] != 0 && (cs->hash[i] >> 32 != tag ||
				    strcmp(slot_id(cs, cs->hash[i]), id) != 0))
		i = (i + 1) & (cs->hcap - 1);
	return i;
}

/* ---- a row's fields ---- */

/* The first role whose column holds more than TSAM_CASES_MAX_FIELD bytes,
 * or -1: columns the mapping does not use may hold anything. */
static inline int too_long(const struct ld *l, const size_t *lens)
{
	size_t i, n = l->nused;

	if (l->rec_bytes <= TSAM_CASES_MAX_FIELD)
		return -1; /* no field can be: most records */
	for (i = 0; i < n; i++)
		if (lens[l->ucol[i]] > TSAM_CASES_MAX_FIELD)
			return l->used[i];
	return -1;
}

/* The time format of l's file. */
static inline const char *time_fmt(const struct ld *l)
{
	const struct tsam_mapping *m = l->o->map;

	return l->file && m->ev_time_format ? m->ev_time_format
					    : m->time_format;
}

/* The field of role (""when the file has no such column, or when it holds
 * one of the mapping's empty_values, e.g. "?"). */
static inline const char *field(const struct ld *l, char **f, int role)
{
	const char *s = l->col[role] >= 0 ? f[l->col[role]] : "";

	return l->o->map->hist.nempty && tsam_mapping_is_empty(l->o->map, s)
		   ? ""
		   : s;
}

/* ---- cases.c: the set ---- */

/* A copy of s[0..n) and a NUL in arena a; NULL: no memory. */
char *tsam_cases_arena_dup(struct tsam_cases_arena *a, const char *s, size_t n);

/* Frees what arena a holds, and zeroes it. */
void tsam_cases_arena_free(struct tsam_cases_arena *a);

/* Doubles the id hash (TSAM_OK or TSAM_ERR_NOMEM). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_hash_grow(struct tsam_cases *cs);

/* Builds the id hash over every case so far (ids out of order, or an
 * event looked up by id). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_hash_build(struct tsam_cases *cs);

/* Grows *v to at least n items (best effort: the appends grow it too). */
void tsam_cases_reserve(void **v, size_t *cap, size_t n, size_t size);

/* The size of path, or 0. */
size_t tsam_cases_file_size(const char *path);

/* ---- cases.c: what both files' readers share ---- */

/* A row rejected (*count: its file's rejected) or a line lost in a broken
 * quoted field (its lost: in rows, listed, in no other count - the file
 * is then not reconciled), listed with its reason (kept in l->why). */
void tsam_cases_count_row(struct ld *l, size_t *count, size_t line,
			  const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#define reject(l, line, ...)                                                   \
	tsam_cases_count_row((l), &(l)->cs->in[(l)->file].rejected, (line),    \
			     __VA_ARGS__)
#define lose(l, line, ...)                                                     \
	tsam_cases_count_row((l), &(l)->cs->in[(l)->file].lost, (line),        \
			     __VA_ARGS__)
/* One field of a used row rejected (the row stays used). */
#define reject_field(l, line, ...)                                             \
	tsam_cases_count_row((l), &(l)->cs->in[(l)->file].fields_rejected,     \
			     (line), __VA_ARGS__)

#define LOST_WHY                                                               \
	"swallowed by the unclosed quoted field of the row on line %zu: not "  \
	"read as a row"

/* The explained id equal to id, or NULL (the common case: none). */
const char *tsam_cases_explained(const struct ld *l, const char *id);

/* Keeps a row of an explained case (its reason: l->why when rejected). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_note_row(struct ld *l, const char *xid,
						  size_t line, int status,
						  int64_t t, int kind, int sev,
						  bool event);

/*
 * Takes the header row of l's file: the columns the mapping names. An
 * error (bad record, a required column missing) names file and line.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cases_take_header(struct ld *l, size_t line,
						     char **f, size_t n,
						     const char *bad);

/* Parses a timestamp with the mapping's format and zone; -1 if bad. */
int64_t tsam_cases_parse_time(const struct ld *l, const char *s);

/*
 * Whether a line inside a quoted field, read on its own (n fields, the
 * last one unclosed when open), looks like a row (see cases.c).
 */
bool tsam_cases_row_like(const struct ld *l, char **f, const size_t *lens,
			 size_t n, bool open);

/* Appends an event of case kase (TSAM_OK or TSAM_ERR_NOMEM). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_add_event(struct tsam_cases *cs,
						   uint32_t kase, int64_t t,
						   int kind, int sev,
						   bool implicit);

/* How both files are read (the encoding, a header, the record's length
 * into l->rec_bytes), ctx passed to the callbacks; the caller sets them:
 * rows, lost lines, and what looks like a row. */
void tsam_cases_csv_opts(struct tsam_csv_opts *co, struct ld *l, void *ctx);

/* ---- cases_file.c: the cases file ---- */

/*
 * Reads the file at path as co says: the CSV reader's records, or, when
 * the file is a JSON export (the mapping's "format", or its first byte
 * that is not white space is '{' or '['), the rows jsonrows.c makes of
 * its records, their places in *json (the caller's, NULL for a CSV).
 */
TSAM_MUST_CHECK enum tsam_err
tsam_cases_read_file(const struct ld *l, const char *path,
		     const struct tsam_csv_opts *co,
		     struct tsam_jsonrows **json, struct tsam_errbuf *eb);

/* Reads the cases file (main thread), then sorts the rejected ids. */
int tsam_cases_read_cases(struct ld *l);

/* The line of the first rejected case row with id, or 0. */
uint32_t tsam_cases_rejected_line(const struct ld *l, const char *id);

/* ---- cases_events.c: the event log ---- */

/* Reads the event log into er->v (its own thread: arg is er). */
void *tsam_cases_read_events(void *arg);

/* Resolves the raw events against the cases, in file order; a history
 * log's rows are then read case by case in time order (derive_all). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_event_apply(struct ld *l,
						     struct evread *er);

/* Frees what er holds (not er itself). */
void tsam_cases_evread_free(struct evread *er);

/* ---- cases_history.c: a history log's events ---- */

/* Derives every case's events from the history rows h[0..n) (sorted here
 * by case and time when the log is not already). */
TSAM_MUST_CHECK enum tsam_err tsam_cases_derive_all(struct ld *l,
						    struct hrow *h, size_t n);

#endif
