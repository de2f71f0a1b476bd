/*
 * cases.c - loading case and event exports: header resolution, row
 * validation with reasons, ids in an arena (hashed once they arrive out of
 * order), events grouped by case with a counting sort (O(n), stable) and
 * then ordered by time within each case.
 *
 * The event log is parsed on a second thread while this one reads the
 * cases (struct evread: times, kinds, severities - all that needs no case);
 * its rows are then resolved against the cases in file order, so reasons,
 * counts and --strict are those of one pass.
 *
 * Accounting: every record of a file is a row (used, rejected or another
 * customer's); so is every line a broken quoted field took (lost: it
 * belongs to no record - the reader tells which, lib/csvread.h). For the
 * reader to tell, it asks row_like whether a line inside a quoted field
 * looks like a row of its own: the header's width, a case id and a time
 * that parses where the mapping says - a stray quote then costs its own
 * row, not the rows after it.
 *
 * This file holds the set (the arena, the id hash), what the readers of
 * both files share (headers, times, rows rejected or lost and the
 * --explain rows they note, events added) and the load itself; the cases
 * file is read in cases_file.c, the event log in cases_events.c, a history
 * log's events derived in cases_history.c (cases_int.h).
 */
#include "cases_int.h"

#include "buf.h"
#include "date.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define ARENA_CHUNK (1024 * 1024)

/* A copy of s[0..n) and a NUL in arena a; NULL: no memory. */
char *tsam_cases_arena_dup(struct tsam_cases_arena *a, const char *s, size_t n)
{
	char *p;

	if (n + 1 > ARENA_CHUNK)
		return NULL;
	if (a->n == 0 || a->used + n + 1 > ARENA_CHUNK) {
		char **na = realloc(a->chunk, (a->n + 1) * sizeof(*na));

		if (na == NULL)
			return NULL;
		a->chunk = na;
		if ((na[a->n] = malloc(ARENA_CHUNK)) == NULL)
			return NULL;
		a->n++;
		a->used = 0;
	}
	p = a->chunk[a->n - 1] + a->used;
	memcpy(p, s, n);
	p[n] = '\0';
	a->used += n + 1;
	return p;
}

void tsam_cases_arena_free(struct tsam_cases_arena *a)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		free(a->chunk[i]);
	free(a->chunk);
	memset(a, 0, sizeof(*a));
}

void tsam_cases_free(struct tsam_cases *cs)
{
	size_t i;

	for (i = 0; i < cs->nnames; i++)
		free(cs->names[i]);
	free(cs->names);
	tsam_cases_arena_free(&cs->arena);
	free(cs->c);
	free(cs->ev);
	free(cs->rej);
	free(cs->rows);
	free(cs->hash);
	tsam_jsonrows_free(cs->json[0]);
	tsam_jsonrows_free(cs->json[1]);
	memset(cs, 0, sizeof(*cs));
}

enum tsam_err tsam_cases_hash_grow(struct tsam_cases *cs)
{
	uint64_t *old = cs->hash;
	size_t oldcap = cs->hcap, i;

	cs->hcap = oldcap ? oldcap * 2 : 1024;
	cs->hash = calloc(cs->hcap, sizeof(*cs->hash));
	if (cs->hash == NULL) {
		cs->hash = old;
		cs->hcap = oldcap;
		return TSAM_ERR_NOMEM;
	}
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (old[i] == 0)
			continue;
		j = (size_t)hash_str(slot_id(cs, old[i])) & (cs->hcap - 1);
		while (cs->hash[j] != 0)
			j = (j + 1) & (cs->hcap - 1);
		cs->hash[j] = old[i];
	}
	free(old);
	return TSAM_OK;
}

/*
 * Builds the id hash over every case so far. Until it is needed the set
 * has none: while ids arrive in increasing order (exports sorted by id)
 * a duplicate can only be the previous id, and a case's events are found
 * by looking one case ahead.
 */
enum tsam_err tsam_cases_hash_build(struct tsam_cases *cs)
{
	size_t want = cs->n > cs->cap ? cs->n : cs->cap, i;

	free(cs->hash);
	cs->hash = NULL;
	cs->hcap = cs->hused = 0;
	cs->hash_built = 1;
	while (cs->hcap < 2 * want + 2)
		cs->hcap = cs->hcap ? cs->hcap * 2 : 1024;
	if ((cs->hash = calloc(cs->hcap, sizeof(*cs->hash))) == NULL) {
		cs->hcap = 0;
		return TSAM_ERR_NOMEM;
	}
	for (i = 0; i < cs->n; i++) {
		const char *k = case_key(&cs->c[i]);
		uint64_t h = hash_str(k);

		cs->hash[hash_slot(cs, k, h)] =
		    (h >> 32 << 32) | (uint32_t)(i + 1) |
		    (cs->c[i].other ? OTHER_BIT : 0);
	}
	cs->hused = cs->n;
	return TSAM_OK;
}

/* Lists a rejected row or lost line (the first ones) and, strict, stops;
 * the reason is l->why. */
static void list_row(struct ld *l, size_t line)
{
	struct tsam_cases *cs = l->cs;
	const char *where;

	if (cs->nrej < TSAM_CASES_MAX_REJECTS) {
		struct tsam_reject *r;

		if (cs->rej == NULL &&
		    (cs->rej = calloc(TSAM_CASES_MAX_REJECTS,
				      sizeof(*cs->rej))) == NULL)
			return;
		r = &cs->rej[cs->nrej++];
		r->file = (uint8_t)l->file;
		r->line = (uint32_t)line;
		where = tsam_jsonrows_where(cs->json[l->file], line);
		memcpy(r->reason, l->why, sizeof(r->reason));
		if (where != NULL) { /* a JSON export's row: its place first */
			size_t k = strlen(where);

			if (k + 2 < sizeof(r->reason)) {
				memcpy(r->reason, where, k);
				memcpy(r->reason + k, ": ", 2);
				memcpy(r->reason + k + 2, l->why,
				       sizeof(r->reason) - k - 2);
				r->reason[sizeof(r->reason) - 1] = '\0';
			}
		}
		if (l->o->strict)
			l->fatal = tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE, "%s:%zu: %s",
			    cs->in[l->file].path, line, r->reason);
	} else if (l->o->strict) {
		l->fatal = TSAM_ERR_PARSE;
	}
}

/* A row rejected or a line lost (cases_int.h's reject, lose and
 * reject_field): counted, its reason kept in l->why, listed. */
void tsam_cases_count_row(struct ld *l, size_t *count, size_t line,
			  const char *fmt, ...)
{
	va_list ap;

	(*count)++;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
	list_row(l, line);
}

/* The explained id equal to id, or NULL (the common case: none). */
const char *tsam_cases_explained(const struct ld *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->o->nexplain; i++)
		if (strcmp(l->o->explain[i], id) == 0)
			return l->o->explain[i];
	return NULL;
}

/* Keeps a row of an explained case (its reason: l->why when rejected). */
enum tsam_err tsam_cases_note_row(struct ld *l, const char *xid, size_t line,
				  int status, int64_t t, int kind, int sev,
				  bool event)
{
	struct tsam_cases *cs = l->cs;
	struct tsam_case_row *r;

	if (cs->nrows == TSAM_CASES_MAX_EXPLAIN_ROWS)
		return TSAM_OK; /* tsam_cases_event_rows then says unknown */
	if (tsam_grow(&cs->rows, &cs->caprows, cs->nrows + 1,
		      sizeof(*cs->rows)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	r = &cs->rows[cs->nrows++];
	memset(r, 0, sizeof(*r));
	r->id = xid;
	r->line = (uint32_t)line;
	r->file = (uint8_t)l->file;
	r->status = (uint8_t)status;
	r->event = event;
	r->kind = (uint8_t)kind;
	r->sev = (uint8_t)sev;
	r->t = t;
	if (status == TSAM_ROW_REJECTED || status == TSAM_ROW_FIELD_REJECTED)
		memcpy(r->reason, l->why, sizeof(r->reason));
	return TSAM_OK;
}

static void header(struct ld *l, char **f, size_t n, char *const *names,
		   int nroles)
{
	int r;
	size_t i;

	l->ncols = n;
	l->nused = 0;
	for (r = 0; r < nroles; r++) {
		l->col[r] = -1;
		for (i = 0; names[r] != NULL && i < n; i++)
			if (strcmp(f[i], names[r]) == 0) {
				l->col[r] = (int)i;
				l->ucol[l->nused] = i;
				l->used[l->nused++] = r;
				break;
			}
	}
}

/* Parses a timestamp with the mapping's format and zone; -1 if bad. */
int64_t tsam_cases_parse_time(const struct ld *l, const char *s)
{
	const struct tsam_mapping *m = l->o->map;
	struct tsam_datetime dt;
	int64_t wall;

	if (!tsam_datetime_parse(s, strlen(s), time_fmt(l), &dt) ||
	    dt.y < 1980 || dt.y > 2099)
		return -1;
	wall = tsam_datetime_wall(&dt);
	if (dt.has_offset)
		return wall - dt.offset;
	if (m->tz != NULL)
		return tsam_tz_to_utc(m->tz, wall);
	return l->o->zone ? tsam_tz_to_utc(l->o->zone, wall) : wall;
}

/*
 * Whether a line inside a quoted field, read on its own (n fields, the
 * last one unclosed when open), looks like a row: no more fields than the
 * header (as many when complete), a case id and a time that parses in the
 * columns the mapping names. A free-text line of a legitimate multi-line
 * field almost never has both where they belong.
 */
bool tsam_cases_row_like(const struct ld *l, char **f, const size_t *lens,
			 size_t n, bool open)
{
	int id = l->col[l->file ? TSAM_ECOL_CASE : TSAM_COL_ID];
	int t = l->col[l->file ? TSAM_ECOL_TIME : TSAM_COL_CREATED];
	size_t done = open ? n - 1 : n; /* fields complete on the line */

	if (!l->header_done || l->fatal != TSAM_OK || n > l->ncols ||
	    (!open && n != l->ncols))
		return false;
	if (id < 0 || t < 0 || (size_t)id >= done || (size_t)t >= done ||
	    lens[id] == 0 || lens[id] > TSAM_CASES_MAX_FIELD || lens[t] > 256)
		return false;
	return tsam_cases_parse_time(l, f[t]) >= 0;
}

enum tsam_err tsam_cases_add_event(struct tsam_cases *cs, uint32_t kase,
				   int64_t t, int kind, int sev, bool implicit)
{
	struct tsam_event *e;

	if (tsam_grow(&cs->ev, &cs->capev, cs->nev + 1, sizeof(*cs->ev)) !=
	    TSAM_OK)
		return TSAM_ERR_NOMEM;
	e = &cs->ev[cs->nev++];
	e->t = t;
	e->kase = kase;
	e->kind = (uint8_t)kind;
	e->sev = (uint8_t)sev;
	e->implicit = implicit;
	if (t > cs->latest)
		cs->latest = t;
	return TSAM_OK;
}

/*
 * Takes the header row of l's file: the columns the mapping names. An
 * error (bad record, a required column missing) names file and line.
 */
enum tsam_err tsam_cases_take_header(struct ld *l, size_t line, char **f,
				     size_t n, const char *bad)
{
	const struct tsam_mapping *m = l->o->map;
	static const int need_c[] = {TSAM_COL_ID, TSAM_COL_CREATED};
	static const int need_e[] = {TSAM_ECOL_CASE, TSAM_ECOL_TIME};
	char *const *names = l->file ? m->event_cols : m->case_cols;
	const int *need = l->file ? need_e : need_c;
	const char *path = l->file ? l->o->events_path : l->o->cases_path;
	size_t i;

	l->header_done = true;
	if (bad != NULL)
		return tsam_errbuf_set(l->eb, TSAM_ERR_PARSE,
				       "%s:%zu: header: %s", path, line, bad);
	header(l, f, n, names, l->file ? TSAM_EVENT_COLS : TSAM_CASE_COLS);
	for (i = 0; i < 2; i++)
		if (l->col[need[i]] < 0)
			return tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE,
			    "%s:%zu: no column \"%s\" (the mapping's %s.%s)",
			    path, line, names[need[i]],
			    l->file ? "events" : "cases",
			    l->file ? tsam_event_col_name(need[i])
				    : tsam_case_col_name(need[i]));
	/* a column the mapping names that has no default is wanted */
	for (i = l->file ? TSAM_ECOL_REOPEN_COUNT : TSAM_COL_KEY;
	     i < (l->file ? TSAM_EVENT_COLS : TSAM_CASE_COLS); i++)
		if (names[i] != NULL && l->col[i] < 0)
			return tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE,
			    "%s:%zu: no column \"%s\" (the mapping's %s.%s)",
			    path, line, names[i], l->file ? "events" : "cases",
			    l->file ? tsam_event_col_name(i)
				    : tsam_case_col_name(i));
	if (l->file == 0)
		return TSAM_OK;
	if (m->hist.layout == TSAM_HIST_SNAPSHOTS &&
	    l->col[TSAM_ECOL_STATE] < 0 && l->col[TSAM_ECOL_SEVERITY] < 0 &&
	    l->col[TSAM_ECOL_REOPEN_COUNT] < 0 &&
	    l->col[TSAM_ECOL_ASSIGNEE] < 0)
		return tsam_errbuf_set(l->eb, TSAM_ERR_PARSE,
				       "%s:%zu: a history log with none of "
				       "its columns \"%s\", \"%s\" (state, "
				       "severity) or the mapping's "
				       "events.reopen_count, events.assignee",
				       path, line,
				       m->event_cols[TSAM_ECOL_STATE],
				       m->event_cols[TSAM_ECOL_SEVERITY]);
	if (m->hist.layout == TSAM_HIST_NONE && l->col[TSAM_ECOL_KIND] < 0 &&
	    l->col[TSAM_ECOL_STATE] < 0)
		return tsam_errbuf_set(
		    l->eb, TSAM_ERR_PARSE,
		    "%s:%zu: neither a \"%s\" nor a \"%s\" column", path, line,
		    m->event_cols[TSAM_ECOL_KIND],
		    m->event_cols[TSAM_ECOL_STATE]);
	return TSAM_OK;
}

/* How both files are read (their readers set the callbacks: rows, lost
 * lines, and what looks like a row). */
void tsam_cases_csv_opts(struct tsam_csv_opts *co, struct ld *l, void *ctx)
{
	memset(co, 0, sizeof(*co));
	co->ctx = ctx;
	co->encoding = l->o->map->encoding;
	co->header = true;
	co->rec_bytes = &l->rec_bytes;
}

enum tsam_err tsam_cases_read_file(const struct ld *l, const char *path,
				   const struct tsam_csv_opts *co,
				   struct tsam_jsonrows **json,
				   struct tsam_errbuf *eb)
{
	enum tsam_map_format f = l->o->map->format;

	tsam_jsonrows_free(*json);
	*json = NULL;
	/* "json" is the event file's format; the cases file is then still
	 * told by its first byte */
	if (f == TSAM_FORMAT_CSV || (!(f == TSAM_FORMAT_JSON && l->file == 1) &&
				     !tsam_jsonrows_sniff(path)))
		return tsam_csv_read_with(path, co, eb);
	return tsam_jsonrows_read(path, co, json, eb);
}

/* Grows *v to at least n items (best effort: the appends grow it too). */
void tsam_cases_reserve(void **v, size_t *cap, size_t n, size_t size)
{
	void *nv;

	if (n <= *cap)
		return;
	nv = realloc(*v, n * size);
	if (nv != NULL) {
		*v = nv;
		*cap = n;
		/* arrays of 100 MB and more: 2 MiB pages, a 512th of the
		 * page faults (where the kernel lets us ask) */
		if (n * size >= (8u << 20)) {
			uintptr_t a = ((uintptr_t)nv + (2u << 20) - 1) &
				      ~(uintptr_t)((2u << 20) - 1);
			uintptr_t e = ((uintptr_t)nv + n * size) &
				      ~(uintptr_t)((2u << 20) - 1);

			if (e > a)
				madvise((void *)a, e - a, MADV_HUGEPAGE);
		}
	}
}

/* The size of path, or 0. */
size_t tsam_cases_file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || st.st_size <= 0 ||
	    st.st_size >= (1LL << 36))
		return 0;
	return (size_t)st.st_size;
}

/* Groups events by case (stable counting sort), then by time. */
static int group_events(struct tsam_cases *cs)
{
	struct tsam_event *out;
	size_t i;
	bool grouped = true;

	/* an event log sorted by case (the usual export) needs no copy */
	for (i = 1; grouped && i < cs->nev; i++)
		grouped = cs->ev[i - 1].kase <= cs->ev[i].kase;
	if (grouped) {
		for (i = 0; i < cs->n; i++)
			cs->c[i].nev = cs->c[i].ev0 = 0;
		for (i = cs->nev; i-- > 0;) {
			cs->c[cs->ev[i].kase].ev0 = (uint32_t)i;
			cs->c[cs->ev[i].kase].nev++;
		}
		goto by_time;
	}
	out = malloc((cs->nev ? cs->nev : 1) * sizeof(*out));
	if (out == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; i < cs->n; i++)
		cs->c[i].nev = 0;
	for (i = 0; i < cs->nev; i++)
		cs->c[cs->ev[i].kase].nev++;
	for (i = 0; i < cs->n; i++)
		cs->c[i].ev0 =
		    (uint32_t)(i ? cs->c[i - 1].ev0 + cs->c[i - 1].nev : 0);
	for (i = 0; i < cs->n; i++)
		cs->c[i].nev = 0;
	for (i = 0; i < cs->nev; i++) {
		struct tsam_case *c = &cs->c[cs->ev[i].kase];

		out[c->ev0 + c->nev++] = cs->ev[i];
	}
	free(cs->ev);
	cs->ev = out;
	cs->capev = cs->nev;
by_time:
	for (i = 0; i < cs->n; i++) {
		struct tsam_event *e = cs->ev + cs->c[i].ev0;
		size_t k, j;

		for (k = 1; k < cs->c[i].nev;
		     k++) /* insertion: nearly sorted */
			for (j = k; j > 0 && e[j - 1].t > e[j].t; j--) {
				struct tsam_event tmp = e[j];

				e[j] = e[j - 1];
				e[j - 1] = tmp;
			}
	}
	return TSAM_OK;
}

enum tsam_err tsam_cases_load(struct tsam_cases *cs,
			      const struct tsam_cases_opts *o,
			      struct tsam_errbuf *eb)
{
	struct ld l;
	struct evread er;
	pthread_t th;
	bool threaded = false;
	int rc;

	memset(&l, 0, sizeof(l));
	l.cs = cs;
	l.o = o;
	l.eb = eb;
	memset(&er, 0, sizeof(er));
	er.l.o = o;
	er.l.file = 1;
	er.l.eb = &er.eb;
	tsam_errbuf_clear(&er.eb);
	cs->in[1].path = o->events_path;
	cs->hist.layout = o->map->hist.layout;
	/* the event log on a second thread while this one reads the cases;
	 * in this one afterwards if no thread can be had */
	if (o->events_path != NULL)
		threaded =
		    pthread_create(&th, NULL, tsam_cases_read_events, &er) == 0;
	rc = tsam_cases_read_cases(&l);
	if (threaded)
		pthread_join(th, NULL);
	else if (o->events_path != NULL && rc == TSAM_OK)
		tsam_cases_read_events(&er);
	if (rc == TSAM_OK && o->events_path != NULL && er.rc != TSAM_OK) {
		rc = er.rc;
		if (eb != NULL)
			*eb = er.eb;
	}
	if (rc == TSAM_OK && o->events_path != NULL) {
		tsam_cases_reserve((void **)&cs->ev, &cs->capev, cs->nev + er.n,
				   sizeof(*cs->ev));
		l.file = 1;
		cs->json[1] = er.json; /* the set's from here on */
		er.json = NULL;
		rc = tsam_cases_event_apply(&l, &er);
	}
	tsam_cases_evread_free(&er);
	free(l.rids);
	if (rc == TSAM_OK)
		rc = group_events(cs);
	return rc;
}

int tsam_case_severity_at(const struct tsam_cases *cs,
			  const struct tsam_case *c, int64_t t)
{
	int sev = c->sev0;
	uint32_t i;

	for (i = 0; i < c->nev && cs->ev[c->ev0 + i].t <= t; i++)
		if (cs->ev[c->ev0 + i].kind == TSAM_EV_SEVERITY_CHANGE)
			sev = cs->ev[c->ev0 + i].sev;
	return sev;
}

const struct tsam_case *tsam_cases_find(const struct tsam_cases *cs,
					const char *id)
{
	size_t i;

	if (cs->hash_built) {
		uint64_t v = cs->hash[hash_slot(cs, id, hash_str(id))];

		if (v &&
		    strcmp(cs->c[((uint32_t)v & ~OTHER_BIT) - 1].id, id) == 0)
			return &cs->c[((uint32_t)v & ~OTHER_BIT) - 1];
	}
	/* ids in order (no hash), or a mapping's key column (the hash holds
	 * keys): by id, one by one - a few ids are looked up, once */
	for (i = 0; i < cs->n; i++)
		if (strcmp(cs->c[i].id, id) == 0)
			return &cs->c[i];
	return NULL;
}

bool tsam_cases_event_rows(const struct tsam_cases *cs,
			   const struct tsam_case *c, size_t *out)
{
	size_t i, k, j, n = 0;

	if (cs->nrows == TSAM_CASES_MAX_EXPLAIN_ROWS)
		return false; /* some rows may be missing */
	/* the rows that made events, in the order the events were added */
	for (i = 0; i < cs->nrows; i++)
		if (cs->rows[i].event && strcmp(cs->rows[i].id, c->id) == 0) {
			if (n == c->nev)
				return false;
			out[n++] = i;
		}
	if (n != c->nev)
		return false;
	/* then ordered by time, stable - as group_events orders the events */
	for (k = 1; k < n; k++)
		for (j = k;
		     j > 0 && cs->rows[out[j - 1]].t > cs->rows[out[j]].t;
		     j--) {
			size_t tmp = out[j];

			out[j] = out[j - 1];
			out[j - 1] = tmp;
		}
	return true;
}
