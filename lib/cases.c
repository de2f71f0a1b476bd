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
 */
#include "cases.h"

#include "buf.h"
#include "csvread.h"
#include "str.h"
#include "date.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define ARENA_CHUNK (1024 * 1024)
#define OTHER_BIT   0x80000000u

/* A copy of s[0..n) and a NUL in arena a; NULL: no memory. */
static char *arena_dup(struct tsam_cases_arena *a, const char *s, size_t n)
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

static void arena_free(struct tsam_cases_arena *a)
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
	arena_free(&cs->arena);
	free(cs->c);
	free(cs->ev);
	free(cs->rej);
	free(cs->rows);
	free(cs->hash);
	memset(cs, 0, sizeof(*cs));
}

/* Index of name in the pool, added if new; 0 is "". UINT32_MAX: no memory. */
static uint32_t name_index(struct tsam_cases *cs, const char *s)
{
	size_t i;

	if (cs->nnames == 0) {
		cs->names = calloc(16, sizeof(*cs->names));
		if (cs->names == NULL || (cs->names[0] = strdup("")) == NULL)
			return UINT32_MAX;
		cs->nnames = 1;
		cs->capnames = 16;
	}
	for (i = cs->nnames; i-- > 0;)
		if (cs->names[i][0] == s[0] && strcmp(cs->names[i], s) == 0)
			return (uint32_t)i;
	if (cs->nnames == 65536)
		return UINT32_MAX; /* a label per row is not a category */
	if (tsam_grow(&cs->names, &cs->capnames, cs->nnames + 1,
		      sizeof(*cs->names)) != TSAM_OK)
		return UINT32_MAX;
	if ((cs->names[cs->nnames] = strdup(s)) == NULL)
		return UINT32_MAX;
	return (uint32_t)cs->nnames++;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

/* What the event file names c by: its key, or its id. */
static const char *case_key(const struct tsam_case *c)
{
	return c->key ? c->key : c->id;
}

static const char *slot_id(const struct tsam_cases *cs, uint64_t v)
{
	return case_key(&cs->c[((uint32_t)v & ~OTHER_BIT) - 1]);
}

/* The slot for id (hash h): holding it, or the empty one where it would
 * go. The stored hash spares most string compares. */
static size_t hash_slot(const struct tsam_cases *cs, const char *id, uint64_t h)
{
	size_t i = (size_t)h & (cs->hcap - 1);
	uint64_t tag = h >> 32;

	while (cs->hash[i] != 0 && (cs->hash[i] >> 32 != tag ||
				    strcmp(slot_id(cs, cs->hash[i]), id) != 0))
		i = (i + 1) & (cs->hcap - 1);
	return i;
}

static int hash_grow(struct tsam_cases *cs)
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
static int hash_build(struct tsam_cases *cs)
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

/* Rejected case ids remembered, at most (more: "unknown case id"). */
#define MAX_REJECTED_IDS 100000

/* Lists a rejected row or lost line (the first ones) and, strict, stops;
 * the reason is l->why. */
static void list_row(struct ld *l, size_t line)
{
	struct tsam_cases *cs = l->cs;

	if (cs->nrej < TSAM_CASES_MAX_REJECTS) {
		struct tsam_reject *r;

		if (cs->rej == NULL &&
		    (cs->rej = calloc(TSAM_CASES_MAX_REJECTS,
				      sizeof(*cs->rej))) == NULL)
			return;
		r = &cs->rej[cs->nrej++];
		r->file = (uint8_t)l->file;
		r->line = (uint32_t)line;
		memcpy(r->reason, l->why, sizeof(r->reason));
		if (l->o->strict)
			l->fatal = tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE, "%s:%zu: %s",
			    cs->in[l->file].path, line, r->reason);
	} else if (l->o->strict) {
		l->fatal = TSAM_ERR_PARSE;
	}
}

/* A row rejected (*count: its file's rejected) or a line lost in a broken
 * quoted field (its lost: in rows, listed, in no other count - the file
 * is then not reconciled), listed with its reason (kept in l->why). */
static void count_row(struct ld *l, size_t *count, size_t line, const char *fmt,
		      ...) __attribute__((format(printf, 4, 5)));

static void count_row(struct ld *l, size_t *count, size_t line, const char *fmt,
		      ...)
{
	va_list ap;

	(*count)++;
	va_start(ap, fmt);
	vsnprintf(l->why, sizeof(l->why), fmt, ap);
	va_end(ap);
	list_row(l, line);
}

/* The explained id equal to id, or NULL (the common case: none). */
static const char *explained(const struct ld *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->o->nexplain; i++)
		if (strcmp(l->o->explain[i], id) == 0)
			return l->o->explain[i];
	return NULL;
}

/* Keeps a row of an explained case (its reason: l->why when rejected). */
static int note_row(struct ld *l, const char *xid, size_t line, int status,
		    int64_t t, int kind, int sev, bool event)
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

#define reject(l, line, ...)                                                   \
	count_row((l), &(l)->cs->in[(l)->file].rejected, (line), __VA_ARGS__)
#define lose(l, line, ...)                                                     \
	count_row((l), &(l)->cs->in[(l)->file].lost, (line), __VA_ARGS__)
/* One field of a used row rejected (the row stays used). */
#define reject_field(l, line, ...)                                             \
	count_row((l), &(l)->cs->in[(l)->file].fields_rejected, (line),        \
		  __VA_ARGS__)

#define LOST_WHY                                                               \
	"swallowed by the unclosed quoted field of the row on line %zu: not "  \
	"read as a row"

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

/* The first role whose column holds more than TSAM_CASES_MAX_FIELD bytes,
 * or -1: columns the mapping does not use may hold anything. */
static int too_long(const struct ld *l, const size_t *lens)
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
static const char *time_fmt(const struct ld *l)
{
	const struct tsam_mapping *m = l->o->map;

	return l->file && m->ev_time_format ? m->ev_time_format
					    : m->time_format;
}

/* Parses a timestamp with the mapping's format and zone; -1 if bad. */
static int64_t parse_time(const struct ld *l, const char *s)
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
static bool row_like(const struct ld *l, char **f, const size_t *lens, size_t n,
		     bool open)
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
	return parse_time(l, f[t]) >= 0;
}

static int add_event(struct tsam_cases *cs, uint32_t kase, int64_t t, int kind,
		     int sev, bool implicit)
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

/* The field of role (""when the file has no such column, or when it holds
 * one of the mapping's empty_values, e.g. "?"). */
static const char *field(const struct ld *l, char **f, int role)
{
	const char *s = l->col[role] >= 0 ? f[l->col[role]] : "";

	return l->o->map->hist.nempty && tsam_mapping_is_empty(l->o->map, s)
		   ? ""
		   : s;
}

/* A later row of case c in a cases file that is the history log itself:
 * one of its snapshots (read again as the event file), not a duplicate. */
static int log_row(struct tsam_cases *cs, const struct tsam_case *c)
{
	if (c->other) {
		cs->in[0].other++;
	} else {
		cs->in[0].used++;
		cs->hist.repeated++;
	}
	return TSAM_OK;
}

/* A rejected case row naming id (the reason in l->why): its id
 * remembered (unless the case exists: dup), the row kept when explained. */
static int note_rejected(struct ld *l, const char *id, size_t line, bool dup)
{
	const char *xid = l->o->nexplain ? explained(l, id) : NULL;

	if (!dup && l->nrids < MAX_REJECTED_IDS) {
		struct rej_id *r;

		if (tsam_grow(&l->rids, &l->caprids, l->nrids + 1,
			      sizeof(*l->rids)) != TSAM_OK)
			return TSAM_ERR_NOMEM;
		r = &l->rids[l->nrids];
		if ((r->id = arena_dup(&l->cs->arena, id, strlen(id))) == NULL)
			return TSAM_ERR_NOMEM;
		r->line = (uint32_t)line;
		l->nrids++;
	}
	return xid ? note_row(l, xid, line, TSAM_ROW_REJECTED, -1, 0, 0, false)
		   : TSAM_OK;
}

static int rid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rej_id *)a)->id,
		      ((const struct rej_id *)b)->id);
}

/* Sorting: by id, then line. */
static int rid_sort(const void *a, const void *b)
{
	const struct rej_id *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* The line of the first rejected case row with id, or 0. */
static uint32_t rejected_line(const struct ld *l, const char *id)
{
	struct rej_id key = {id, 0};
	const struct rej_id *r;

	if (l->nrids == 0)
		return 0;
	r = bsearch(&key, l->rids, l->nrids, sizeof(*l->rids), rid_cmp);
	while (r != NULL && r > l->rids && strcmp(r[-1].id, id) == 0)
		r--; /* the first of equal ids: the smallest line */
	return r ? r->line : 0;
}

static int case_row(struct ld *l, size_t line, char **f)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_mapping *m = l->o->map;
	const char *id = field(l, f, TSAM_COL_ID);
	const char *key =
	    l->col[TSAM_COL_KEY] >= 0 ? field(l, f, TSAM_COL_KEY) : id;
	const char *cust = field(l, f, TSAM_COL_CUSTOMER);
	const char *sevs = field(l, f, TSAM_COL_SEVERITY);
	const char *chs = field(l, f, TSAM_COL_CHANNEL);
	struct tsam_case *c;
	int64_t created, t[3];
	int sev, ch, i;
	size_t slot;
	uint64_t h;
	const char *xid = l->o->nexplain ? explained(l, id) : NULL;
	bool other = l->o->customer != NULL && l->col[TSAM_COL_CUSTOMER] >= 0 &&
		     strcmp(cust, l->o->customer) != 0;
	static const int cols[3] = {TSAM_COL_FIRST_RESPONSE, TSAM_COL_RESOLVED,
				    TSAM_COL_CLOSED};
	static const int kinds[3] = {TSAM_EV_FIRST_RESPONSE, TSAM_EV_RESOLVED,
				     TSAM_EV_CLOSED};

	if (id[0] == '\0') {
		reject(l, line, "empty case id");
		return TSAM_OK;
	}
	if (key[0] == '\0') {
		reject(l, line, "%s: empty case key",
		       m->case_cols[TSAM_COL_KEY]);
		return TSAM_OK;
	}
	if (m->hist.cases_log && cs->n > 0 &&
	    strcmp(case_key(&cs->c[cs->n - 1]), key) == 0)
		return log_row(cs, &cs->c[cs->n - 1]); /* the usual: in a row */
	if (!cs->hash_built && cs->n > 0 &&
	    strcmp(case_key(&cs->c[cs->n - 1]), key) >= 0 &&
	    hash_build(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM; /* out of order: from here on, hashed */
	if (cs->hash_built && cs->hused * 2 >= cs->hcap &&
	    hash_grow(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	h = cs->hash_built ? hash_str(key) : 0;
	slot = cs->hash_built ? hash_slot(cs, key, h) : 0;
	if (cs->hash_built && cs->hash[slot] != 0) {
		c = &cs->c[((uint32_t)cs->hash[slot] & ~OTHER_BIT) - 1];
		if (m->hist.cases_log)
			return log_row(cs, c);
		reject(l, line, "duplicate case id \"%s\" (first on line %u)",
		       key, c->line);
		return note_rejected(l, id, line, true);
	}
	created = parse_time(l, field(l, f, TSAM_COL_CREATED));
	if (created < 0) {
		reject(l, line,
		       "%s: \"%s\" is not a time in format \"%s\" "
		       "(1980-2099)",
		       m->case_cols[TSAM_COL_CREATED],
		       field(l, f, TSAM_COL_CREATED), m->time_format);
		return note_rejected(l, id, line, false);
	}
	sev = tsam_mapping_severity(m, sevs);
	if (sev < 0) {
		reject(l, line,
		       "%s: unknown label \"%s\" (add it to the mapping's "
		       "\"severity\")",
		       m->case_cols[TSAM_COL_SEVERITY], sevs);
		return note_rejected(l, id, line, false);
	}
	if (tsam_grow(&cs->c, &cs->cap, cs->n + 1, sizeof(*cs->c)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	if (cs->n >= OTHER_BIT - 1)
		return TSAM_ERR_TOOBIG;
	c = &cs->c[cs->n];
	memset(c, 0, sizeof(*c));
	c->id = arena_dup(&cs->arena, id, strlen(id));
	if (c->id == NULL)
		return TSAM_ERR_NOMEM;
	if (key != id &&
	    (c->key = arena_dup(&cs->arena, key, strlen(key))) == NULL)
		return TSAM_ERR_NOMEM;
	c->line = (uint32_t)line;
	if (cs->hash_built) {
		cs->hash[slot] = (h >> 32 << 32) | (uint32_t)(cs->n + 1) |
				 (other ? OTHER_BIT : 0);
		cs->hused++;
	}
	cs->n++;
	if (other) {
		c->other = 1;
		cs->in[0].other++;
		return xid ? note_row(l, xid, line, TSAM_ROW_OTHER, created,
				      TSAM_EV_CREATED, 0, false)
			   : TSAM_OK;
	}
	c->created = created;
	if (created > cs->latest)
		cs->latest = created;
	ch = chs[0] ? tsam_mapping_channel(m, chs) : -1;
	c->channel = name_index(cs, ch >= 0 ? m->channels[ch] : chs);
	c->product = name_index(cs, field(l, f, TSAM_COL_PRODUCT));
	c->customer = name_index(cs, cust);
	if (c->channel == UINT32_MAX || c->product == UINT32_MAX ||
	    c->customer == UINT32_MAX)
		return TSAM_ERR_TOOBIG;
	c->sev_given = (uint8_t)sev;
	if (sev == 0) {
		sev = 3; /* not given: severity 3 */
		c->sev_defaulted = 1;
	}
	if (m->email_starts_at_3 &&
	    strcmp(cs->names[c->channel], "email") == 0 && sev < 3) {
		sev = 3; /* e-mail starts at 3 unless it is a 4 */
		c->email_adjusted = 1;
	}
	c->sev0 = (uint8_t)sev;
	if (xid && note_row(l, xid, line, TSAM_ROW_USED, created,
			    TSAM_EV_CREATED, sev, false) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	/* a bad time in one of these costs that field, not the case: the
	 * field is rejected (listed, counted in fields_rejected) and the
	 * case goes on as if it were empty */
	for (i = 0; i < 3; i++) {
		const char *s = field(l, f, cols[i]);

		t[i] = s[0] != '\0' ? parse_time(l, s) : -1;
		if (s[0] != '\0' && (t[i] < 0 || t[i] < created)) {
			if (t[i] < 0)
				reject_field(
				    l, line,
				    "%s: \"%s\" is not a time in format "
				    "\"%s\" (1980-2099): the field is ignored, "
				    "case \"%s\" kept",
				    m->case_cols[cols[i]], s, m->time_format,
				    id);
			else
				reject_field(
				    l, line,
				    "%s: \"%s\" is before the creation of "
				    "case \"%s\" (%s): the field is ignored, "
				    "the case kept",
				    m->case_cols[cols[i]], s, id,
				    field(l, f, TSAM_COL_CREATED));
			if (xid &&
			    note_row(l, xid, line, TSAM_ROW_FIELD_REJECTED,
				     t[i], kinds[i], 0, false) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			continue;
		}
		if (t[i] < 0)
			continue;
		if (add_event(cs, (uint32_t)(cs->n - 1), t[i], kinds[i], 0,
			      true) != TSAM_OK ||
		    (xid && note_row(l, xid, line, TSAM_ROW_USED, t[i],
				     kinds[i], 0, true) != TSAM_OK))
			return TSAM_ERR_NOMEM;
	}
	cs->in[0].used++;
	return TSAM_OK;
}

/* The event kind a kind or state label maps to (-1: none), the labels of
 * an export being few: remembered. */
static int event_kind(struct ld *l, const char *ks)
{
	size_t i;
	int kind;

	for (i = 0; i < l->nkinds; i++)
		if (l->kinds[i].s[0] == ks[0] && strcmp(l->kinds[i].s, ks) == 0)
			return l->kinds[i].v;
	kind = tsam_mapping_state(l->o->map, ks);
	if (l->nkinds < sizeof(l->kinds) / sizeof(l->kinds[0]) &&
	    tsam_strlcpy(l->kinds[l->nkinds].s, ks, sizeof(l->kinds[0].s))) {
		l->kinds[l->nkinds].v = kind;
		l->nkinds++;
	}
	return kind;
}

/*
 * Takes the header row of l's file: the columns the mapping names. An
 * error (bad record, a required column missing) names file and line.
 */
static int take_header(struct ld *l, size_t line, char **f, size_t n,
		       const char *bad)
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

/* An event row as the reader thread leaves it for the resolver. */
enum raw_fail {
	RAW_OK,
	RAW_LOST,     /* a line lost in a broken quoted field */
	RAW_BAD_ROW,  /* the record: not CSV, not UTF-8, wrong width */
	RAW_BAD_TIME, /* these three as the row's first problem */
	RAW_BAD_KIND,
	RAW_BAD_SEV,
	RAW_BAD_COUNTER /* a history log's reopen counter */
};

/* What a history log's row gives (raw_ev.hist). */
enum {
	HF_STATE = 1,	  /* a state (in kind) */
	HF_SEV = 2,	  /* a severity (in sev) */
	HF_COUNTER = 4,	  /* a reopen counter (in evread.ctr) */
	HF_ASSIGNEE = 8,  /* an assignee */
	HF_LEFT = 16,	  /* a state outside first_response.leaves_states */
	HF_UNTRACKED = 32 /* a change of a field the mapping does not track */
};

struct raw_ev {
	int64_t t;
	uint32_t line;
	uint32_t id;  /* into evread.ids */
	uint32_t why; /* into evread.why + 1; 0: reason not kept */
	uint8_t kind, sev, fail;
	uint8_t hist; /* HF_*: a history log's row */
};

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
	int rc;
	struct tsam_errbuf eb;
};

static void evread_free(struct evread *er)
{
	arena_free(&er->arena);
	free(er->ids);
	free(er->v);
	free(er->ctr);
	free(er->why);
}

/* Marks r failed with a reason (kept for the first ones). */
static void raw_fail(struct evread *er, struct raw_ev *r, enum raw_fail f,
		     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void raw_fail(struct evread *er, struct raw_ev *r, enum raw_fail f,
		     const char *fmt, ...)
{
	va_list ap;

	r->fail = (uint8_t)f;
	if (er->nwhy == 2 * TSAM_CASES_MAX_REJECTS)
		return;
	if (er->why == NULL && (er->why = calloc(2 * TSAM_CASES_MAX_REJECTS,
						 sizeof(*er->why))) == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(er->why[er->nwhy], sizeof(er->why[0]), fmt, ap);
	va_end(ap);
	r->why = (uint32_t)++er->nwhy;
}

/* A reopen counter: a whole number of at most 9 digits; -1 if not. */
static int64_t counter(const char *s)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i] >= '0' && s[i] <= '9' && i < 9; i++)
		v = v * 10 + (s[i] - '0');
	return i > 0 && s[i] == '\0' ? v : -1;
}

/*
 * Parses a history log's row into r (thread side): the state, severity,
 * reopen counter and assignee it gives - each column of a snapshot, or the
 * one field a change names - checked here, their meaning derived once the
 * case's rows are in time order (derive_case).
 */
static int hist_parse(struct evread *er, struct raw_ev *r, char **f)
{
	struct ld *l = &er->l;
	const struct tsam_mapping *m = l->o->map;
	const char *v[TSAM_HROLES] = {"", "", "", ""};
	const char *where[TSAM_HROLES] = {"", "", "", ""};
	int64_t n;
	int i, k;

	if (m->hist.layout == TSAM_HIST_SNAPSHOTS) {
		static const int cols[TSAM_HROLES] = {
		    TSAM_ECOL_STATE, TSAM_ECOL_SEVERITY, TSAM_ECOL_REOPEN_COUNT,
		    TSAM_ECOL_ASSIGNEE};

		for (i = 0; i < TSAM_HROLES; i++) {
			v[i] = field(l, f, cols[i]);
			where[i] = m->event_cols[cols[i]];
		}
	} else {
		const char *name = field(l, f, TSAM_ECOL_FIELD);

		k = name[0] ? tsam_mapping_hist_field(m, name) : -1;
		if (k < 0) {
			r->hist = HF_UNTRACKED;
			return TSAM_OK;
		}
		v[k] = field(l, f, TSAM_ECOL_VALUE);
		where[k] = name;
	}
	if (v[TSAM_HROLE_STATE][0] != '\0') {
		if ((k = event_kind(l, v[TSAM_HROLE_STATE])) < 0) {
			raw_fail(er, r, RAW_BAD_KIND,
				 "%s: unknown state \"%s\" (add it to the "
				 "mapping's \"states\")",
				 where[TSAM_HROLE_STATE], v[TSAM_HROLE_STATE]);
			return TSAM_OK;
		}
		r->kind = (uint8_t)k;
		r->hist |= HF_STATE;
		if (m->hist.nleaves > 0 &&
		    !tsam_mapping_hist_leaves(m, v[TSAM_HROLE_STATE]))
			r->hist |= HF_LEFT;
	}
	if (v[TSAM_HROLE_SEVERITY][0] != '\0') {
		if ((k = tsam_mapping_severity(m, v[TSAM_HROLE_SEVERITY])) <
		    0) {
			raw_fail(er, r, RAW_BAD_SEV,
				 "%s: unknown severity \"%s\" (add it to the "
				 "mapping's \"severity\")",
				 where[TSAM_HROLE_SEVERITY],
				 v[TSAM_HROLE_SEVERITY]);
			return TSAM_OK;
		}
		r->sev = (uint8_t)k;
		r->hist |= HF_SEV;
	}
	if (v[TSAM_HROLE_REOPEN_COUNT][0] != '\0') {
		if ((n = counter(v[TSAM_HROLE_REOPEN_COUNT])) < 0) {
			raw_fail(er, r, RAW_BAD_COUNTER,
				 "%s: \"%s\" is not a count (a whole number "
				 "from 0 to 999999999)",
				 where[TSAM_HROLE_REOPEN_COUNT],
				 v[TSAM_HROLE_REOPEN_COUNT]);
			return TSAM_OK;
		}
		er->ctr[er->n - 1] = (uint32_t)n;
		r->hist |= HF_COUNTER;
	}
	if (v[TSAM_HROLE_ASSIGNEE][0] != '\0')
		r->hist |= HF_ASSIGNEE;
	return TSAM_OK;
}

/* Parses an event row into a raw (thread side). */
static int event_parse(struct evread *er, struct raw_ev *r, char **f)
{
	struct ld *l = &er->l;
	const struct tsam_mapping *m = l->o->map;
	const char *id = field(l, f, TSAM_ECOL_CASE);
	const char *ks = field(l, f, TSAM_ECOL_KIND);
	const char *ss = field(l, f, TSAM_ECOL_STATE);
	const char *sevs = field(l, f, TSAM_ECOL_SEVERITY);
	int kind = -1;

	if (er->nids == 0 || strcmp(er->ids[er->nids - 1], id) != 0) {
		if (tsam_grow(&er->ids, &er->capids, er->nids + 1,
			      sizeof(*er->ids)) != TSAM_OK ||
		    (er->ids[er->nids] =
			 arena_dup(&er->arena, id, strlen(id))) == NULL)
			return TSAM_ERR_NOMEM;
		er->nids++;
	}
	r->id = (uint32_t)(er->nids - 1);
	r->t = parse_time(l, field(l, f, TSAM_ECOL_TIME));
	if (r->t < 0) {
		raw_fail(er, r, RAW_BAD_TIME,
			 "%s: \"%s\" is not a time in format \"%s\"",
			 m->event_cols[TSAM_ECOL_TIME],
			 field(l, f, TSAM_ECOL_TIME), time_fmt(l));
		return TSAM_OK;
	}
	if (m->hist.layout != TSAM_HIST_NONE)
		return hist_parse(er, r, f);
	if (ks[0] == '\0')
		ks = ss;
	if (ks[0] != '\0')
		kind = event_kind(l, ks);
	if (kind < 0) {
		raw_fail(er, r, RAW_BAD_KIND,
			 "\"%s\" is no event kind and not in the mapping's "
			 "\"states\"",
			 ks[0] ? ks : ss);
		return TSAM_OK;
	}
	r->kind = (uint8_t)kind;
	if (kind == TSAM_EV_SEVERITY_CHANGE) {
		int sev = tsam_mapping_severity(m, sevs);

		if (sev <= 0)
			raw_fail(er, r, RAW_BAD_SEV,
				 "severity_change needs a severity, \"%s\" is "
				 "not one",
				 sevs);
		else
			r->sev = (uint8_t)sev;
	} else if (sevs[0] != '\0' && tsam_mapping_severity(m, sevs) < 0) {
		/* read on every row: a label no one knows is never passed
		 * over, even where it changes nothing */
		raw_fail(er, r, RAW_BAD_SEV,
			 "%s: unknown severity \"%s\" (add it to the "
			 "mapping's \"severity\")",
			 m->event_cols[TSAM_ECOL_SEVERITY], sevs);
	}
	return TSAM_OK;
}

static int on_event_row(void *ctx, size_t line, char **f, const size_t *lens,
			size_t n, const char *bad)
{
	struct evread *er = ctx;
	struct raw_ev *r;
	int role;

	if (!er->l.header_done) {
		er->l.fatal = take_header(&er->l, line, f, n, bad);
		return er->l.fatal != TSAM_OK;
	}
	er->rows++;
	if (tsam_grow(&er->v, &er->cap, er->n + 1, sizeof(*er->v)) != TSAM_OK ||
	    (er->l.o->map->hist.layout != TSAM_HIST_NONE &&
	     tsam_grow(&er->ctr, &er->capctr, er->n + 1, sizeof(*er->ctr)) !=
		 TSAM_OK)) {
		er->l.fatal = TSAM_ERR_NOMEM;
		return 1;
	}
	r = &er->v[er->n++];
	memset(r, 0, sizeof(*r));
	r->line = (uint32_t)line;
	if (bad != NULL)
		raw_fail(er, r, RAW_BAD_ROW, "%s", bad);
	else if (n != er->l.ncols)
		raw_fail(er, r, RAW_BAD_ROW,
			 "%zu fields where the header has %zu", n, er->l.ncols);
	else if ((role = too_long(&er->l, lens)) >= 0)
		raw_fail(er, r, RAW_BAD_ROW,
			 "%s: %zu bytes, more than the %d KiB a column the "
			 "mapping uses may hold",
			 er->l.o->map->event_cols[role], lens[er->l.col[role]],
			 TSAM_CASES_MAX_FIELD / 1024);
	else if ((er->l.fatal = event_parse(er, r, f)) != TSAM_OK)
		return 1;
	return 0;
}

/* A line of the event log lost in a broken quoted field (thread side). */
static int on_event_lost(void *ctx, size_t line, size_t rec_line)
{
	struct evread *er = ctx;
	struct raw_ev *r;

	er->rows++;
	if (tsam_grow(&er->v, &er->cap, er->n + 1, sizeof(*er->v)) != TSAM_OK) {
		er->l.fatal = TSAM_ERR_NOMEM;
		return 1;
	}
	r = &er->v[er->n++];
	memset(r, 0, sizeof(*r));
	r->line = (uint32_t)line;
	raw_fail(er, r, RAW_LOST, LOST_WHY, rec_line);
	return 0;
}

static bool event_row_like(void *ctx, char **f, const size_t *lens, size_t n,
			   bool open)
{
	return row_like(&((struct evread *)ctx)->l, f, lens, n, open);
}

/* The case id of a raw's id index: its slot value (0: unknown). */
static uint32_t lookup_case(struct ld *l, const char *id)
{
	struct tsam_cases *cs = l->cs;
	uint32_t next = l->last_v & ~OTHER_BIT; /* after the last one */

	if (next < cs->n && strcmp(case_key(&cs->c[next]), id) == 0)
		return (next + 1) | (cs->c[next].other ? OTHER_BIT : 0);
	if (!cs->hash_built && hash_build(cs) != TSAM_OK)
		return UINT32_MAX;
	return (uint32_t)cs->hash[hash_slot(cs, id, hash_str(id))];
}

/* A used row of a history log, its case known: sorted by case and time,
 * then read in that order (derive_case). */
struct hrow {
	int64_t t;
	uint32_t kase, line;
	uint32_t ctr;		 /* the reopen counter, if HF_COUNTER */
	uint8_t kind, sev, hist; /* as in raw_ev */
};

static int hrow_cmp(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->kase != y->kase)
		return x->kase < y->kase ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Whether entering a state of kind k is itself that event (a state
 * "Escalated" mapped to escalation_manager); states of the other kinds
 * open, pause or resolve the case. */
static bool state_event(int k)
{
	return k == TSAM_EV_FIRST_RESPONSE || k == TSAM_EV_VENDOR_UPDATE ||
	       k == TSAM_EV_CUSTOMER_UPDATE ||
	       k == TSAM_EV_ESCALATION_MANAGER ||
	       k == TSAM_EV_ESCALATION_EXECUTIVE;
}

/*
 * Derives case k's events from its history rows h[0..n), in time order
 * (docs/cases.md, "History logs"). What the log says is compared with
 * what it said before: the severity with the last one (at first, the
 * cases file's label, before the e-mail rule), the state's class (open,
 * customer-pending, resolved) with the last one, the reopen counter with
 * its first value and the reopenings derived so far. Each row counts in
 * exactly one of with_events, without_events and untracked.
 */
static int derive_case(struct ld *l, uint32_t k, const struct hrow *h, size_t n)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_case *c = &cs->c[k];
	const struct tsam_map_history *mh = &l->o->map->hist;
	int sev = c->sev_given ? c->sev_given : c->sev0, prev = -1;
	bool resolved = false, paused = false, fr = false;
	int64_t c0 = -1, reopens = 0;
	/* an explained case: each row noted with the events it made, in
	 * the order they are added (tsam_cases_event_rows) */
	const char *xid = l->o->nexplain ? explained(l, c->id) : NULL;
	size_t i;
	int rc = TSAM_OK;

	for (i = 0; i < n && rc == TSAM_OK; i++) {
		const struct hrow *r = &h[i];
		uint8_t ev[8], esev[8];
		int ne = 0, j, kd = r->kind;

#define DERIVE(kind, s)                                                        \
	do {                                                                   \
		ev[ne] = (uint8_t)(kind);                                      \
		esev[ne++] = (uint8_t)(s);                                     \
	} while (0)
		if ((r->hist & HF_SEV) && r->sev != sev) {
			sev = r->sev;
			DERIVE(TSAM_EV_SEVERITY_CHANGE, sev);
		}
		if (r->hist & HF_COUNTER) {
			if (c0 < 0) {
				c0 = r->ctr;
			} else if ((int64_t)r->ctr - c0 > reopens) {
				reopens = (int64_t)r->ctr - c0;
				if (resolved) {
					resolved = false;
					DERIVE(TSAM_EV_REOPENED, 0);
				}
			}
		}
		if (!fr && ((r->hist & HF_LEFT) ||
			    (mh->first_assignee && (r->hist & HF_ASSIGNEE)))) {
			fr = true;
			DERIVE(TSAM_EV_FIRST_RESPONSE, 0);
		}
		if ((r->hist & HF_STATE) &&
		    (kd == TSAM_EV_RESOLVED || kd == TSAM_EV_CLOSED)) {
			if (!resolved) {
				resolved = true;
				paused = false; /* the resolution ends it */
				DERIVE(kd, 0);
			} else if (kd == TSAM_EV_CLOSED &&
				   prev != TSAM_EV_CLOSED) {
				DERIVE(TSAM_EV_CLOSED, 0);
			}
		} else if (r->hist & HF_STATE) {
			if (resolved) {
				resolved = false;
				reopens++;
				DERIVE(TSAM_EV_REOPENED, 0);
			}
			if (kd == TSAM_EV_PENDING_CUSTOMER && !paused) {
				paused = true;
				DERIVE(TSAM_EV_PENDING_CUSTOMER, 0);
			} else if (kd != TSAM_EV_PENDING_CUSTOMER && paused) {
				paused = false;
				DERIVE(TSAM_EV_RESUMED, 0);
			}
			if (state_event(kd) && kd != prev)
				DERIVE(kd, 0);
		}
#undef DERIVE
		if (r->hist & HF_STATE)
			prev = kd;
		if (r->t > cs->latest)
			cs->latest = r->t;
		for (j = 0; j < ne; j++) {
			if (add_event(cs, k, r->t, ev[j], esev[j], false) !=
			    TSAM_OK)
				return TSAM_ERR_NOMEM;
			cs->hist.derived[ev[j]]++;
			if (xid)
				rc = note_row(l, xid, r->line, TSAM_ROW_USED,
					      r->t, ev[j], esev[j], true);
		}
		if (xid && ne == 0)
			rc = note_row(l, xid, r->line, TSAM_ROW_NO_EFFECT, r->t,
				      r->kind, 0, false);
		if (ne > 0)
			cs->hist.with_events++;
		else if (r->hist & HF_UNTRACKED)
			cs->hist.untracked++;
		else
			cs->hist.without_events++;
		if (l->o->trace != NULL) {
			fprintf(l->o->trace, "%s:%u: %s:", cs->in[1].path,
				r->line, c->id);
			for (j = 0; j < ne; j++)
				if (ev[j] == TSAM_EV_SEVERITY_CHANGE)
					fprintf(l->o->trace,
						" severity_change %d", esev[j]);
				else
					fprintf(l->o->trace, " %s",
						tsam_ev_kind_name(
						    (enum tsam_ev_kind)ev[j]));
			fputs(ne ? "\n"
			      : r->hist & HF_UNTRACKED
				  ? " no event (a field the mapping does not "
				    "track)\n"
				  : " no event (nothing measured changed)\n",
			      l->o->trace);
		}
	}
	return rc;
}

/* Derives every case's events from the history rows h[0..n) (sorted here
 * by case and time when the log is not already). */
static int derive_all(struct ld *l, struct hrow *h, size_t n)
{
	size_t i, j;
	int rc = TSAM_OK;

	for (i = 1; i < n && hrow_cmp(&h[i - 1], &h[i]) <= 0; i++)
		;
	if (i < n)
		qsort(h, n, sizeof(*h), hrow_cmp);
	for (i = 0; rc == TSAM_OK && i < n; i = j) {
		for (j = i + 1; j < n && h[j].kase == h[i].kase; j++)
			;
		rc = derive_case(l, h[i].kase, h + i, j - i);
	}
	return rc;
}

/* Resolves the raw events against the cases, in file order; a history
 * log's rows are then read case by case in time order (derive_all). */
static int event_apply(struct ld *l, struct evread *er)
{
	struct tsam_cases *cs = l->cs;
	uint32_t last_id = UINT32_MAX;
	bool hist = l->o->map->hist.layout != TSAM_HIST_NONE;
	const char *xid = NULL;
	struct hrow *hv = NULL;
	size_t i, hn = 0, hcap = 0;
	int rc = TSAM_OK;

	cs->in[1].rows = er->rows;
	l->last_v = 0;
	for (i = 0; i < er->n && l->fatal == TSAM_OK && rc == TSAM_OK; i++) {
		const struct raw_ev *r = &er->v[i];
		const char *why = r->why ? er->why[r->why - 1]
				  : r->fail == RAW_LOST
				      ? "swallowed by an unclosed quoted field"
				      : "bad time, kind or severity";
		const char *id;
		const struct tsam_case *c;
		uint32_t v;

		if (r->fail == RAW_LOST) {
			lose(l, r->line, "%s", why);
			continue;
		}
		if (r->fail == RAW_BAD_ROW) { /* no id read */
			reject(l, r->line, "%s", why);
			continue;
		}
		id = er->ids[r->id];
		if (r->id != last_id) {
			v = lookup_case(l, id);
			if (v == UINT32_MAX)
				return TSAM_ERR_NOMEM;
			l->last_v = v;
			last_id = r->id;
			xid = l->o->nexplain ? explained(l, id) : NULL;
		}
		v = l->last_v;
		if (v == 0) {
			uint32_t rl = rejected_line(l, id);

			if (rl)
				reject(l, r->line,
				       "case \"%s\" was rejected (%s:%u): its "
				       "events are not used",
				       id, cs->in[0].path, rl);
			else
				reject(l, r->line, "unknown case id \"%s\"",
				       id);
			if (xid)
				rc =
				    note_row(l, xid, r->line, TSAM_ROW_REJECTED,
					     r->t, r->kind, r->sev, false);
			continue;
		}
		if (v & OTHER_BIT) {
			cs->in[1].other++;
			continue;
		}
		if (r->fail == RAW_BAD_TIME || r->fail == RAW_BAD_KIND ||
		    r->fail == RAW_BAD_COUNTER ||
		    (r->fail == RAW_BAD_SEV &&
		     (hist || r->kind != TSAM_EV_SEVERITY_CHANGE))) {
			reject(l, r->line, "%s", why);
			if (xid)
				rc =
				    note_row(l, xid, r->line, TSAM_ROW_REJECTED,
					     -1, 0, 0, false);
			continue;
		}
		if (hist) {
			struct hrow *hr;

			c = &cs->c[v - 1];
			if (r->t < c->created) {
				reject(l, r->line,
				       "history row before case \"%s\" was "
				       "created",
				       id);
				if (xid)
					rc = note_row(l, xid, r->line,
						      TSAM_ROW_REJECTED, r->t,
						      r->kind, r->sev, false);
				continue;
			}
			if (tsam_grow(&hv, &hcap, hn + 1, sizeof(*hv)) !=
			    TSAM_OK) {
				free(hv);
				return TSAM_ERR_NOMEM;
			}
			hr = &hv[hn++];
			hr->t = r->t;
			hr->kase = v - 1;
			hr->line = r->line;
			hr->ctr = r->hist & HF_COUNTER ? er->ctr[i] : 0;
			hr->kind = r->kind;
			hr->sev = r->sev;
			hr->hist = r->hist;
			cs->in[1].used++;
			continue;
		}
		if (r->kind == TSAM_EV_CREATED || r->kind == TSAM_EV_NONE) {
			cs->in[1].used++; /* known and without effect */
			if (xid)
				rc = note_row(l, xid, r->line,
					      TSAM_ROW_NO_EFFECT, r->t, r->kind,
					      0, false);
			continue;
		}
		c = &cs->c[v - 1];
		if (r->t < c->created) {
			reject(l, r->line, "%s before case \"%s\" was created",
			       tsam_ev_kind_name((enum tsam_ev_kind)r->kind),
			       id);
			if (xid)
				rc =
				    note_row(l, xid, r->line, TSAM_ROW_REJECTED,
					     r->t, r->kind, r->sev, false);
			continue;
		}
		if (r->fail == RAW_BAD_SEV) {
			reject(l, r->line, "%s", why);
			if (xid)
				rc =
				    note_row(l, xid, r->line, TSAM_ROW_REJECTED,
					     r->t, r->kind, 0, false);
			continue;
		}
		if (add_event(cs, v - 1, r->t, r->kind, r->sev, false) !=
		    TSAM_OK)
			return TSAM_ERR_NOMEM;
		cs->in[1].used++;
		if (xid)
			rc = note_row(l, xid, r->line, TSAM_ROW_USED, r->t,
				      r->kind, r->sev, true);
	}
	rc = rc == TSAM_OK && l->fatal == TSAM_OK && hn > 0
		 ? derive_all(l, hv, hn)
	     : rc != TSAM_OK ? rc
			     : l->fatal;
	free(hv);
	return rc;
}

static int on_case_row(void *ctx, size_t line, char **f, const size_t *lens,
		       size_t n, const char *bad)
{
	struct ld *l = ctx;
	int rc, role;

	if (!l->header_done) {
		l->fatal = take_header(l, line, f, n, bad);
		return l->fatal != TSAM_OK;
	}
	l->cs->in[0].rows++;
	if (bad != NULL)
		reject(l, line, "%s", bad);
	else if (n != l->ncols)
		reject(l, line, "%zu fields where the header has %zu", n,
		       l->ncols);
	else if ((role = too_long(l, lens)) >= 0)
		reject(l, line,
		       "%s: %zu bytes, more than the %d KiB a column the "
		       "mapping uses may hold",
		       l->o->map->case_cols[role], lens[l->col[role]],
		       TSAM_CASES_MAX_FIELD / 1024);
	else if ((rc = case_row(l, line, f)) != TSAM_OK)
		l->fatal =
		    tsam_errbuf_set(l->eb, rc, "%s:%zu: %s", l->cs->in[0].path,
				    line, tsam_strerror(rc));
	return l->fatal != TSAM_OK;
}

/* A line of the cases file lost in a broken quoted field. */
static int on_case_lost(void *ctx, size_t line, size_t rec_line)
{
	struct ld *l = ctx;

	l->cs->in[0].rows++;
	lose(l, line, LOST_WHY, rec_line);
	return l->fatal != TSAM_OK;
}

static bool case_row_like(void *ctx, char **f, const size_t *lens, size_t n,
			  bool open)
{
	return row_like(ctx, f, lens, n, open);
}

/* How both files are read: rows, lost lines, and what looks like a row. */
static void csv_opts(struct tsam_csv_opts *co, struct ld *l, void *ctx)
{
	memset(co, 0, sizeof(*co));
	co->row = l->file ? on_event_row : on_case_row;
	co->lost = l->file ? on_event_lost : on_case_lost;
	co->looks = l->file ? event_row_like : case_row_like;
	co->ctx = ctx;
	co->encoding = l->o->map->encoding;
	co->header = true;
	co->rec_bytes = &l->rec_bytes;
}

/* Grows *v to at least n items (best effort: the appends grow it too). */
static void reserve(void **v, size_t *cap, size_t n, size_t size)
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
static size_t file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || st.st_size <= 0 ||
	    st.st_size >= (1LL << 36))
		return 0;
	return (size_t)st.st_size;
}

/* Reads the cases file (main thread). */
static int read_cases(struct ld *l)
{
	const char *path = l->o->cases_path;
	struct tsam_csv_opts co;
	int rc;

	l->file = 0;
	l->cs->in[0].path = path;
	/* arrays sized from the file (a case per ~80 bytes), so a large
	 * export is not copied over and over */
	if (!l->cs->cap)
		reserve((void **)&l->cs->c, &l->cs->cap, file_size(path) / 80,
			sizeof(*l->cs->c));
	csv_opts(&co, l, l);
	rc = tsam_csv_read_with(path, &co, l->eb);
	if (l->fatal != TSAM_OK)
		return l->fatal;
	if (rc == TSAM_OK && !l->header_done)
		return tsam_errbuf_set(l->eb, TSAM_ERR_PARSE,
				       "%s: empty (no header row)", path);
	return rc;
}

/* Reads the event log into er->v (its own thread). */
static void *read_events(void *arg)
{
	struct evread *er = arg;
	const char *path = er->l.o->events_path;
	struct tsam_csv_opts co;
	int rc;

	reserve((void **)&er->v, &er->cap, file_size(path) / 40,
		sizeof(*er->v));
	csv_opts(&co, &er->l, er);
	rc = tsam_csv_read_with(path, &co, &er->eb);
	if (er->l.fatal != TSAM_OK)
		rc = er->l.fatal;
	else if (rc == TSAM_OK && !er->l.header_done)
		rc = tsam_errbuf_set(&er->eb, TSAM_ERR_PARSE,
				     "%s: empty (no header row)", path);
	er->rc = rc;
	return NULL;
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

int tsam_cases_load(struct tsam_cases *cs, const struct tsam_cases_opts *o,
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
		threaded = pthread_create(&th, NULL, read_events, &er) == 0;
	rc = read_cases(&l);
	if (l.nrids > 1)
		qsort(l.rids, l.nrids, sizeof(*l.rids), rid_sort);
	if (threaded)
		pthread_join(th, NULL);
	else if (o->events_path != NULL && rc == TSAM_OK)
		read_events(&er);
	if (rc == TSAM_OK && o->events_path != NULL && er.rc != TSAM_OK) {
		rc = er.rc;
		if (eb != NULL)
			*eb = er.eb;
	}
	if (rc == TSAM_OK && o->events_path != NULL) {
		reserve((void **)&cs->ev, &cs->capev, cs->nev + er.n,
			sizeof(*cs->ev));
		l.file = 1;
		rc = event_apply(&l, &er);
	}
	evread_free(&er);
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

json_object *tsam_cases_history_json(const struct tsam_cases *cs, int file)
{
	static const int kinds[] = {TSAM_EV_SEVERITY_CHANGE,
				    TSAM_EV_FIRST_RESPONSE,
				    TSAM_EV_VENDOR_UPDATE,
				    TSAM_EV_CUSTOMER_UPDATE,
				    TSAM_EV_PENDING_CUSTOMER,
				    TSAM_EV_RESUMED,
				    TSAM_EV_ESCALATION_MANAGER,
				    TSAM_EV_ESCALATION_EXECUTIVE,
				    TSAM_EV_RESOLVED,
				    TSAM_EV_CLOSED,
				    TSAM_EV_REOPENED};
	const struct tsam_history *h = &cs->hist;
	json_object *o, *d;
	size_t i;

	if (h->layout == TSAM_HIST_NONE || cs->in[file].path == NULL)
		return NULL;
	o = json_object_new_object();
	if (file == 0) {
		tsam_json_add_int(o, "later_rows_of_a_case",
				  (int64_t)h->repeated);
		return o;
	}
	tsam_json_add_str(o, "layout",
			  h->layout == TSAM_HIST_SNAPSHOTS ? "snapshots"
							   : "changes");
	tsam_json_add_int(o, "rows_with_events", (int64_t)h->with_events);
	tsam_json_add_int(o, "rows_without_events", (int64_t)h->without_events);
	tsam_json_add_int(o, "untracked_fields", (int64_t)h->untracked);
	d = json_object_new_object();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		tsam_json_add_int(
		    d, tsam_ev_kind_name((enum tsam_ev_kind)kinds[i]),
		    (int64_t)h->derived[kinds[i]]);
	json_object_object_add(o, "derived", d);
	return o;
}
