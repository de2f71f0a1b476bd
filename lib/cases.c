/*
 * cases.c - loading case and event exports: header resolution, row
 * validation with reasons, ids in an arena with an open-addressing hash,
 * events grouped by case with a counting sort (O(n), stable) and then
 * ordered by time within each case.
 */
#include "cases.h"

#include "buf.h"
#include "csvread.h"
#include "str.h"
#include "date.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ARENA_CHUNK (1024 * 1024)
#define OTHER_BIT   0x80000000u

void tsam_cases_free(struct tsam_cases *cs)
{
	size_t i;

	for (i = 0; i < cs->nnames; i++)
		free(cs->names[i]);
	for (i = 0; i < cs->narena; i++)
		free(cs->arena[i]);
	free(cs->names);
	free(cs->arena);
	free(cs->c);
	free(cs->ev);
	free(cs->rej);
	free(cs->hash);
	memset(cs, 0, sizeof(*cs));
}

static char *arena_dup(struct tsam_cases *cs, const char *s, size_t n)
{
	char *p;

	if (n + 1 > ARENA_CHUNK)
		return NULL;
	if (cs->narena == 0 || cs->arena_used + n + 1 > ARENA_CHUNK) {
		char **na = realloc(cs->arena, (cs->narena + 1) * sizeof(*na));

		if (na == NULL)
			return NULL;
		cs->arena = na;
		if ((na[cs->narena] = malloc(ARENA_CHUNK)) == NULL)
			return NULL;
		cs->narena++;
		cs->arena_used = 0;
	}
	p = cs->arena[cs->narena - 1] + cs->arena_used;
	memcpy(p, s, n);
	p[n] = '\0';
	cs->arena_used += n + 1;
	return p;
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
		if (strcmp(cs->names[i], s) == 0)
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

static const char *slot_id(const struct tsam_cases *cs, uint64_t v)
{
	return cs->c[((uint32_t)v & ~OTHER_BIT) - 1].id;
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
		uint64_t h = hash_str(cs->c[i].id);

		cs->hash[hash_slot(cs, cs->c[i].id, h)] =
		    (h >> 32 << 32) | (uint32_t)(i + 1) |
		    (cs->c[i].other ? OTHER_BIT : 0);
	}
	cs->hused = cs->n;
	return TSAM_OK;
}

struct ld {
	struct tsam_cases *cs;
	const struct tsam_cases_opts *o;
	int file;     /* 0 cases, 1 events */
	int col[16];  /* role -> field index, -1 absent */
	size_t ncols; /* header width */
	bool header_done;
	int fatal;
	char last_id[128]; /* the last event's case id and its slot value */
	uint32_t last_v;
	struct {
		char s[32]; /* a kind or state seen, and what it maps to */
		int v;
	} kinds[16];
	size_t nkinds;
	struct tsam_errbuf *eb;
};

static void reject(struct ld *l, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject(struct ld *l, size_t line, const char *fmt, ...)
{
	struct tsam_cases *cs = l->cs;
	va_list ap;

	cs->in[l->file].rejected++;
	if (cs->nrej < TSAM_CASES_MAX_REJECTS) {
		struct tsam_reject *r;

		if (cs->rej == NULL &&
		    (cs->rej = calloc(TSAM_CASES_MAX_REJECTS,
				      sizeof(*cs->rej))) == NULL)
			return;
		r = &cs->rej[cs->nrej++];
		r->file = (uint8_t)l->file;
		r->line = (uint32_t)line;
		va_start(ap, fmt);
		vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
		va_end(ap);
		if (l->o->strict)
			l->fatal = tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE, "%s:%zu: %s",
			    cs->in[l->file].path, line, r->reason);
	} else if (l->o->strict) {
		l->fatal = TSAM_ERR_PARSE;
	}
}

static void header(struct ld *l, char **f, size_t n, char *const *names,
		   int nroles)
{
	int r;
	size_t i;

	l->ncols = n;
	for (r = 0; r < nroles; r++) {
		l->col[r] = -1;
		for (i = 0; i < n; i++)
			if (strcmp(f[i], names[r]) == 0) {
				l->col[r] = (int)i;
				break;
			}
	}
}

/* Parses a timestamp with the mapping's format and zone; -1 if bad. */
static int64_t parse_time(const struct ld *l, const char *s)
{
	const struct tsam_mapping *m = l->o->map;
	struct tsam_datetime dt;
	int64_t wall;

	if (!tsam_datetime_parse(s, strlen(s), m->time_format, &dt) ||
	    dt.y < 1980 || dt.y > 2099)
		return -1;
	wall = tsam_datetime_wall(&dt);
	if (dt.has_offset)
		return wall - dt.offset;
	if (m->tz != NULL)
		return tsam_tz_to_utc(m->tz, wall);
	return l->o->zone ? tsam_tz_to_utc(l->o->zone, wall) : wall;
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

static const char *field(const struct ld *l, char **f, int role)
{
	return l->col[role] >= 0 ? f[l->col[role]] : "";
}

static int case_row(struct ld *l, size_t line, char **f)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_mapping *m = l->o->map;
	const char *id = field(l, f, TSAM_COL_ID);
	const char *cust = field(l, f, TSAM_COL_CUSTOMER);
	const char *sevs = field(l, f, TSAM_COL_SEVERITY);
	const char *chs = field(l, f, TSAM_COL_CHANNEL);
	struct tsam_case *c;
	int64_t created, t[3];
	int sev, ch, i;
	size_t slot;
	uint64_t h;
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
	if (!cs->hash_built && cs->n > 0 &&
	    strcmp(cs->c[cs->n - 1].id, id) >= 0 && hash_build(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM; /* out of order: from here on, hashed */
	if (cs->hash_built && cs->hused * 2 >= cs->hcap &&
	    hash_grow(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	h = cs->hash_built ? hash_str(id) : 0;
	slot = cs->hash_built ? hash_slot(cs, id, h) : 0;
	if (cs->hash_built && cs->hash[slot] != 0) {
		reject(l, line, "duplicate case id \"%s\" (first on line %u)",
		       id,
		       cs->c[((uint32_t)cs->hash[slot] & ~OTHER_BIT) - 1].line);
		return TSAM_OK;
	}
	created = parse_time(l, field(l, f, TSAM_COL_CREATED));
	if (created < 0) {
		reject(l, line,
		       "%s: \"%s\" is not a time in format \"%s\" "
		       "(1980-2099)",
		       m->case_cols[TSAM_COL_CREATED],
		       field(l, f, TSAM_COL_CREATED), m->time_format);
		return TSAM_OK;
	}
	sev = tsam_mapping_severity(m, sevs);
	if (sev < 0) {
		reject(l, line,
		       "%s: unknown label \"%s\" (add it to the mapping's "
		       "\"severity\")",
		       m->case_cols[TSAM_COL_SEVERITY], sevs);
		return TSAM_OK;
	}
	for (i = 0; i < 3; i++) {
		const char *s = field(l, f, cols[i]);

		t[i] = -1;
		if (s[0] != '\0' && (t[i] = parse_time(l, s)) < created) {
			reject(l, line,
			       "%s: \"%s\" is not a time in format \"%s\" "
			       "at or after the creation",
			       m->case_cols[cols[i]], s, m->time_format);
			return TSAM_OK;
		}
	}
	if (tsam_grow(&cs->c, &cs->cap, cs->n + 1, sizeof(*cs->c)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	if (cs->n >= OTHER_BIT - 1)
		return TSAM_ERR_TOOBIG;
	c = &cs->c[cs->n];
	memset(c, 0, sizeof(*c));
	c->id = arena_dup(cs, id, strlen(id));
	if (c->id == NULL)
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
		return TSAM_OK;
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
	for (i = 0; i < 3; i++)
		if (t[i] >= 0 && add_event(cs, (uint32_t)(cs->n - 1), t[i],
					   kinds[i], 0, true) != TSAM_OK)
			return TSAM_ERR_NOMEM;
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
		if (strcmp(l->kinds[i].s, ks) == 0)
			return l->kinds[i].v;
	kind = tsam_mapping_state(l->o->map, ks);
	if (l->nkinds < sizeof(l->kinds) / sizeof(l->kinds[0]) &&
	    tsam_strlcpy(l->kinds[l->nkinds].s, ks, sizeof(l->kinds[0].s))) {
		l->kinds[l->nkinds].v = kind;
		l->nkinds++;
	}
	return kind;
}

static int event_row(struct ld *l, size_t line, char **f)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_mapping *m = l->o->map;
	const char *id = field(l, f, TSAM_ECOL_CASE);
	const char *ks = field(l, f, TSAM_ECOL_KIND);
	const char *ss = field(l, f, TSAM_ECOL_STATE);
	const char *sevs = field(l, f, TSAM_ECOL_SEVERITY);
	struct tsam_case *c;
	uint32_t v;
	int64_t t;
	int kind = -1, sev = 0;

	/* exports list a case's events together: look up each id once,
	 * trying the case after the last one first */
	if (l->last_v != 0 && strcmp(id, l->last_id) == 0) {
		v = l->last_v;
	} else {
		uint32_t next = l->last_v & ~OTHER_BIT; /* its index */

		if (next < cs->n && strcmp(cs->c[next].id, id) == 0) {
			v = (next + 1) | (cs->c[next].other ? OTHER_BIT : 0);
		} else {
			if (!cs->hash_built && hash_build(cs) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			v = (uint32_t)cs->hash[hash_slot(cs, id, hash_str(id))];
		}
		if (tsam_strlcpy(l->last_id, id, sizeof(l->last_id)))
			l->last_v = v;
		else
			l->last_v = 0;
	}
	if (v == 0) {
		reject(l, line, "unknown case id \"%s\"", id);
		return TSAM_OK;
	}
	if (v & OTHER_BIT) {
		cs->in[1].other++;
		return TSAM_OK;
	}
	c = &cs->c[v - 1];
	t = parse_time(l, field(l, f, TSAM_ECOL_TIME));
	if (t < 0) {
		reject(l, line, "%s: \"%s\" is not a time in format \"%s\"",
		       m->event_cols[TSAM_ECOL_TIME],
		       field(l, f, TSAM_ECOL_TIME), m->time_format);
		return TSAM_OK;
	}
	if (ks[0] == '\0')
		ks = ss;
	if (ks[0] != '\0')
		kind = event_kind(l, ks);
	if (kind < 0) {
		reject(l, line,
		       "\"%s\" is no event kind and not in the mapping's "
		       "\"states\"",
		       ks[0] ? ks : ss);
		return TSAM_OK;
	}
	if (kind == TSAM_EV_CREATED || kind == TSAM_EV_NONE) {
		cs->in[1].used++; /* known and without effect */
		return TSAM_OK;
	}
	if (t < c->created) {
		reject(l, line, "%s before case \"%s\" was created",
		       tsam_ev_kind_name((enum tsam_ev_kind)kind), id);
		return TSAM_OK;
	}
	if (kind == TSAM_EV_SEVERITY_CHANGE) {
		sev = tsam_mapping_severity(m, sevs);
		if (sev <= 0) {
			reject(l, line,
			       "severity_change needs a severity, \"%s\" is "
			       "not one",
			       sevs);
			return TSAM_OK;
		}
	}
	if (add_event(cs, (uint32_t)v - 1, t, kind, sev, false) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	cs->in[1].used++;
	return TSAM_OK;
}

static int on_row(void *ctx, size_t line, char **f, const size_t *lens,
		  size_t n, const char *bad)
{
	struct ld *l = ctx;
	const struct tsam_mapping *m = l->o->map;
	int rc;

	(void)lens;
	if (!l->header_done) {
		static const int need_c[] = {TSAM_COL_ID, TSAM_COL_CREATED};
		static const int need_e[] = {TSAM_ECOL_CASE, TSAM_ECOL_TIME};
		char *const *names = l->file ? m->event_cols : m->case_cols;
		const int *need = l->file ? need_e : need_c;
		size_t i;

		l->header_done = true;
		if (bad != NULL) {
			l->fatal = tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE, "%s:%zu: header: %s",
			    l->cs->in[l->file].path, line, bad);
			return 1;
		}
		header(l, f, n, names,
		       l->file ? TSAM_EVENT_COLS : TSAM_CASE_COLS);
		for (i = 0; i < 2; i++)
			if (l->col[need[i]] < 0) {
				l->fatal = tsam_errbuf_set(
				    l->eb, TSAM_ERR_PARSE,
				    "%s:%zu: no column \"%s\" (the mapping's "
				    "%s.%s)",
				    l->cs->in[l->file].path, line,
				    names[need[i]],
				    l->file ? "events" : "cases",
				    l->file ? tsam_event_col_name(need[i])
					    : tsam_case_col_name(need[i]));
				return 1;
			}
		if (l->file == 1 && l->col[TSAM_ECOL_KIND] < 0 &&
		    l->col[TSAM_ECOL_STATE] < 0) {
			l->fatal = tsam_errbuf_set(
			    l->eb, TSAM_ERR_PARSE,
			    "%s:%zu: neither a \"%s\" nor a \"%s\" column",
			    l->cs->in[1].path, line,
			    m->event_cols[TSAM_ECOL_KIND],
			    m->event_cols[TSAM_ECOL_STATE]);
			return 1;
		}
		return 0;
	}
	l->cs->in[l->file].rows++;
	if (bad != NULL)
		reject(l, line, "%s", bad);
	else if (n != l->ncols)
		reject(l, line, "%zu fields where the header has %zu", n,
		       l->ncols);
	else if ((rc = (l->file ? event_row : case_row)(l, line, f)) != TSAM_OK)
		l->fatal = tsam_errbuf_set(l->eb, rc, "%s:%zu: %s",
					   l->cs->in[l->file].path, line,
					   tsam_strerror(rc));
	return l->fatal != TSAM_OK;
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
	}
}

static int read_file(struct ld *l, int file, const char *path)
{
	int rc;

	struct stat st;

	l->file = file;
	l->header_done = false;
	l->cs->in[file].path = path;
	/* size the arrays from the file: one case per ~80 bytes, one event
	 * per ~40, so a large export is not copied over and over */
	if (stat(path, &st) == 0 && st.st_size > 0 &&
	    st.st_size < (1LL << 36)) {
		if (file == 0 && !l->cs->cap) {
			size_t n = (size_t)st.st_size / 80;

			reserve((void **)&l->cs->c, &l->cs->cap, n,
				sizeof(*l->cs->c));
		}
		if (file == 1 && l->cs->capev < (size_t)st.st_size / 40)
			reserve((void **)&l->cs->ev, &l->cs->capev,
				(size_t)st.st_size / 40, sizeof(*l->cs->ev));
	}
	rc = tsam_csv_read(path, l->o->map->encoding, on_row, l, l->eb);
	if (l->fatal != TSAM_OK)
		return l->fatal;
	if (rc == TSAM_OK && !l->header_done)
		return tsam_errbuf_set(l->eb, TSAM_ERR_PARSE,
				       "%s: empty (no header row)", path);
	return rc;
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
	int rc;

	memset(&l, 0, sizeof(l));
	l.cs = cs;
	l.o = o;
	l.eb = eb;
	rc = read_file(&l, 0, o->cases_path);
	if (rc == TSAM_OK && o->events_path != NULL)
		rc = read_file(&l, 1, o->events_path);
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
