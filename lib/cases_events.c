/*
 * cases_events.c - the event log: read on its own thread while the main
 * one reads the cases file (struct evread, cases_int.h) - each row parsed
 * into a raw event, its time converted and its kind, state or history
 * fields mapped, without the cases - then resolved against the cases in
 * file order (tsam_cases_event_apply), so that reasons, counts and
 * --strict are those of one pass. A history log's rows are handed to
 * cases_history.c, which derives their events.
 */
#include "cases_int.h"

#include "buf.h"
#include "str.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

struct raw_ev {
	int64_t t;
	uint32_t line;
	uint32_t id;  /* into evread.ids */
	uint32_t why; /* into evread.why + 1; 0: reason not kept */
	uint8_t kind, sev, fail;
	uint8_t hist; /* HF_*: a history log's row */
};

void tsam_cases_evread_free(struct evread *er)
{
	tsam_cases_arena_free(&er->arena);
	free(er->ids);
	free(er->v);
	free(er->ctr);
	free(er->why);
	tsam_jsonrows_free(er->json);
	er->json = NULL;
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
		    (er->ids[er->nids] = tsam_cases_arena_dup(
			 &er->arena, id, strlen(id))) == NULL)
			return TSAM_ERR_NOMEM;
		er->nids++;
	}
	r->id = (uint32_t)(er->nids - 1);
	r->t = tsam_cases_parse_time(l, field(l, f, TSAM_ECOL_TIME));
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
		er->l.fatal = tsam_cases_take_header(&er->l, line, f, n, bad);
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
	return tsam_cases_row_like(&((struct evread *)ctx)->l, f, lens, n,
				   open);
}

/* The case id of a raw's id index: its slot value (0: unknown). */
static uint32_t lookup_case(struct ld *l, const char *id)
{
	struct tsam_cases *cs = l->cs;
	uint32_t next = l->last_v & ~OTHER_BIT; /* after the last one */

	if (next < cs->n && strcmp(case_key(&cs->c[next]), id) == 0)
		return (next + 1) | (cs->c[next].other ? OTHER_BIT : 0);
	if (!cs->hash_built && tsam_cases_hash_build(cs) != TSAM_OK)
		return UINT32_MAX;
	return (uint32_t)cs->hash[hash_slot(cs, id, hash_str(id))];
}

/* Resolves the raw events against the cases, in file order; a history
 * log's rows are then read case by case in time order (derive_all). */
enum tsam_err tsam_cases_event_apply(struct ld *l, struct evread *er)
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
			xid =
			    l->o->nexplain ? tsam_cases_explained(l, id) : NULL;
		}
		v = l->last_v;
		if (v == 0) {
			uint32_t rl = tsam_cases_rejected_line(l, id);

			if (rl)
				reject(l, r->line,
				       "case \"%s\" was rejected (%s:%u): its "
				       "events are not used",
				       id, cs->in[0].path, rl);
			else
				reject(l, r->line, "unknown case id \"%s\"",
				       id);
			if (xid)
				rc = tsam_cases_note_row(
				    l, xid, r->line, TSAM_ROW_REJECTED, r->t,
				    r->kind, r->sev, false);
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
				rc = tsam_cases_note_row(l, xid, r->line,
							 TSAM_ROW_REJECTED, -1,
							 0, 0, false);
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
					rc = tsam_cases_note_row(
					    l, xid, r->line, TSAM_ROW_REJECTED,
					    r->t, r->kind, r->sev, false);
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
				rc = tsam_cases_note_row(
				    l, xid, r->line, TSAM_ROW_NO_EFFECT, r->t,
				    r->kind, 0, false);
			continue;
		}
		c = &cs->c[v - 1];
		if (r->t < c->created) {
			reject(l, r->line, "%s before case \"%s\" was created",
			       tsam_ev_kind_name((enum tsam_ev_kind)r->kind),
			       id);
			if (xid)
				rc = tsam_cases_note_row(
				    l, xid, r->line, TSAM_ROW_REJECTED, r->t,
				    r->kind, r->sev, false);
			continue;
		}
		if (r->fail == RAW_BAD_SEV) {
			reject(l, r->line, "%s", why);
			if (xid)
				rc = tsam_cases_note_row(
				    l, xid, r->line, TSAM_ROW_REJECTED, r->t,
				    r->kind, 0, false);
			continue;
		}
		if (tsam_cases_add_event(cs, v - 1, r->t, r->kind, r->sev,
					 false) != TSAM_OK)
			return TSAM_ERR_NOMEM;
		cs->in[1].used++;
		if (xid)
			rc = tsam_cases_note_row(l, xid, r->line, TSAM_ROW_USED,
						 r->t, r->kind, r->sev, true);
	}
	rc = rc == TSAM_OK && l->fatal == TSAM_OK && hn > 0
		 ? (int)tsam_cases_derive_all(l, hv, hn)
	     : rc != TSAM_OK ? rc
			     : l->fatal;
	free(hv);
	return rc;
}

/* Reads the event log into er->v (its own thread). */
void *tsam_cases_read_events(void *arg)
{
	struct evread *er = arg;
	const char *path = er->l.o->events_path;
	struct tsam_csv_opts co;
	int rc;

	tsam_cases_reserve((void **)&er->v, &er->cap,
			   tsam_cases_file_size(path) / 40, sizeof(*er->v));
	tsam_cases_csv_opts(&co, &er->l, er);
	co.row = on_event_row;
	co.lost = on_event_lost;
	co.looks = event_row_like;
	rc = tsam_cases_read_file(&er->l, path, &co, &er->json, &er->eb);
	if (er->l.fatal != TSAM_OK)
		rc = er->l.fatal;
	else if (rc == TSAM_OK && !er->l.header_done)
		rc = tsam_errbuf_set(&er->eb, TSAM_ERR_PARSE,
				     "%s: empty (no header row)", path);
	er->rc = rc;
	return NULL;
}
